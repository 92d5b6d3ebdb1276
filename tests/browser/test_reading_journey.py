"""A customer reads their contract in Chromium: plain, legal, the redline, the PDF."""

import pytest

from contracts import services
from tests import factories
from tests.browser.axe import assert_accessible
from tests.browser.test_customer_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_frozen_versions(tenants):
    first = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    services.version_publish(version=first, user=tenants.provider_author)
    second = services.version_create_draft(
        contract=tenants.contract, user=tenants.provider_author, note="Higher availability"
    )
    services.parameter_set(version=second, name="uptime_target", kind="percentage", value="99.95")
    services.version_publish(version=second, user=tenants.provider_author)
    # The provider's next draft, which the customer must never see.
    services.version_create_draft(
        contract=tenants.contract, user=tenants.provider_author, note="Secret plans"
    )
    return first, second


def test_customer_reads_compares_and_downloads_the_contract(browser_page, tenants, two_frozen_versions):
    page = browser_page
    reference = tenants.contract.reference
    sign_in(page, tenants.customer_signer.email)

    page.get_by_role("link", name=reference).click()
    page.wait_for_url(f"**/contracts/{reference}/")
    main = page.locator("main")
    reading = page.locator("#reading")
    # The latest frozen version, in plain language first; the draft is not listed.
    assert "Version 2" in reading.inner_text()
    assert "Your systems are up at least 99.95% of the month" in reading.inner_text()
    assert "Availability shall be at least" not in reading.inner_text()
    assert "Secret plans" not in main.inner_text() and "Version 3" not in main.inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Legal version").click()
    page.wait_for_url("**?rendering=legal*")
    assert "Availability shall be at least 99.95% per calendar month" in reading.inner_text()
    assert "Your systems are up" not in reading.inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Compare versions").click()
    page.wait_for_url(f"**/contracts/{reference}/compare/")
    assert page.locator("del.redline-del", has_text="99.9").count() >= 1
    assert page.locator("ins.redline-ins", has_text="99.95").count() >= 1
    assert "uptime_target 99.9% → 99.95%" in main.inner_text()
    assert_accessible(page)

    page.get_by_label("Text").select_option("legal")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**rendering=legal*")
    assert "Changes from version 1 to version 2 — legal text" in main.inner_text()
    assert_accessible(page)

    page.get_by_role("link", name=reference).click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF of version 2").click()
    download = download_info.value
    assert download.suggested_filename == f"{reference}-v2.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert_accessible(page)
