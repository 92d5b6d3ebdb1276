"""A provider's admin brands the organisation in Chromium; the customer sees the logo and
accent colour on the contract page, on a desktop and on a phone, and axe passes."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.test_customer_journey import sign_in
from tests.contracts.branding.images import SVG, image_bytes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media_root"),
]


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}])
def test_admin_brands_the_provider_and_the_customer_sees_it(
    browser_page, tenants, viewport, settings, tmp_path
):
    page = browser_page
    page.set_viewport_size(viewport)
    sign_in(page, tenants.provider_admin.email)
    page.goto(page.base + f"/organisations/{tenants.provider.slug}/")
    branding = page.locator("section", has=page.get_by_role("heading", name="Branding"))
    assert_accessible(page)

    # An SVG is refused with a clear error, and nothing is saved.
    branding.get_by_label("Logo").set_input_files(
        files=[{"name": "logo.svg", "mimeType": "image/svg+xml", "buffer": SVG}]
    )
    branding.get_by_role("button", name="Save branding").click()
    expect(page.locator("main")).to_contain_text("Upload a PNG, JPEG or WebP image")
    assert_accessible(page)

    branding = page.locator("section", has=page.get_by_role("heading", name="Branding"))
    branding.get_by_label("No accent colour").uncheck()
    branding.get_by_label("Accent colour", exact=True).fill("#0a3069")
    branding.get_by_label("Logo").set_input_files(
        files=[{"name": "logo.png", "mimeType": "image/png", "buffer": image_bytes("PNG", (600, 200))}]
    )
    branding.get_by_role("button", name="Save branding").click()
    expect(page.locator("main")).to_contain_text("Branding saved")
    expect(page.get_by_role("img", name="Brightline Managed IT logo")).to_be_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, tenants.customer_admin.email)
    page.goto(page.base + f"/contracts/{tenants.contract.reference}/")
    band = page.locator("[data-provider-band]")
    expect(band).to_be_visible()
    logo = band.get_by_role("img", name="Brightline Managed IT logo")
    expect(logo).to_be_visible()
    assert logo.evaluate("img => img.complete && img.naturalHeight") == 160  # re-encoded, downscaled
    colours = band.evaluate("el => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]")
    assert colours == ["rgb(10, 48, 105)", "rgb(255, 255, 255)"]
    assert_accessible(page)
