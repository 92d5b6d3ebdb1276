"""A provider author keeps the clause library and imports a contract file, in Chromium."""

from pathlib import Path

import pytest
from django.conf import settings

from contracts.library.starter import library_install_starter
from contracts.models import Contract
from tests.browser.axe import assert_accessible
from tests.browser.test_customer_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXAMPLE = Path(settings.BASE_DIR) / "examples" / "contract.yaml"


def test_author_adds_a_template_and_imports_the_example_contract(browser_page, tenants, tmp_path):
    page = browser_page
    library_install_starter(owner=tenants.provider)
    sign_in(page, tenants.provider_author.email)
    main = page.locator("main")

    page.goto(page.base + "/contracts/library/")
    assert page.get_by_role("heading", name="Customer responsibilities").is_visible()
    assert_accessible(page)
    page.get_by_label("Search headings and texts").fill("indemnify")
    page.get_by_role("button", name="Search", exact=True).click()
    assert page.get_by_role("link", name="Licences and unauthorised software").is_visible()
    assert not page.get_by_role("link", name="Hours bank").is_visible()

    page.get_by_role("link", name="New clause template").click()
    page.get_by_label("Heading").fill("Clinic availability")
    page.get_by_label("Legal text").fill("Availability is at least {{ uptime_target }} per month.")
    page.get_by_label("Plain-language text").fill("Up {{ uptime_target }} of the month, {{ customer_name }}.")
    # The preview follows the typing (htmx), with sample values and the names a contract fills in.
    preview = page.locator("#template-preview")
    preview.get_by_text("Example Customer Ltd").wait_for()
    assert "[uptime_target]" in preview.inner_text()
    assert_accessible(page)

    page.get_by_role("button", name="Save template").click()
    page.wait_for_url(page.base + "/contracts/library/")
    assert "Template “Clinic availability” added" in main.inner_text()
    assert page.get_by_role("link", name="Clinic availability").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Import a contract file").click()
    page.wait_for_url("**/contracts/import/")
    assert_accessible(page)
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("monthly_fee: 4200.00", "monthly_fee: lots")
    )
    page.get_by_label("Contract file (YAML)").set_input_files(str(broken))
    page.get_by_role("button", name="Import contract").click()
    assert "Line 7: monthly_fee: “lots” is not a number" in main.inner_text()
    assert_accessible(page)

    page.get_by_label("Contract file (YAML)").set_input_files(str(EXAMPLE))
    page.get_by_label("Create the customer organisation").check()
    page.get_by_role("button", name="Import contract").click()
    page.wait_for_url("**/contracts/SLA-*/")
    contract = Contract.objects.get(customer__name="Harbour Dental Group")
    assert page.url.endswith(f"/contracts/{contract.reference}/")
    assert "Managed IT for Harbour Dental clinics" in main.inner_text()
    assert_accessible(page)
