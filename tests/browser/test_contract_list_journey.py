"""Finding a contract in Chromium: search, filter, sort and export from the contracts list,
on a desktop and on a phone, with no sideways page scroll."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from contracts.models.contract import ContractStatus
from tests import factories
from tests.browser.axe import assert_accessible
from tests.browser.test_customer_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}])
def test_provider_finds_filters_and_exports_contracts(browser_page, tenants, viewport):
    page = browser_page
    page.set_viewport_size(viewport)
    bakery = factories.organisation("Bakery Rossi")
    factories.contract(tenants.provider, bakery, title="Bakery hosting", status=ContractStatus.ACTIVE)
    factories.contract(tenants.provider, tenants.customer, title="Harbour backup")

    sign_in(page, tenants.provider_admin.email)
    page.goto(page.base + "/contracts/")
    assert_accessible(page)
    table = page.get_by_role("table")
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(table).not_to_contain_text("Secret outsider deal")

    page.get_by_label("Search").fill("harbour")
    page.get_by_role("button", name="Find").click()
    expect(table.locator("tbody tr")).to_have_count(2)
    page.get_by_label("Status").select_option("active")
    page.get_by_label("Search").fill("")
    page.get_by_role("button", name="Find").click()
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("Bakery hosting")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Bakery hosting" in content and "Harbour backup" not in content

    page.get_by_role("link", name="Clear").click()
    expect(table.locator("tbody tr")).to_have_count(3)
