"""Finding events in Chromium: filter, sort and export a contract's incidents on a desktop
and on a phone; every column reachable by scrolling the table's own box, never the page."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from compliance import services
from tests.browser.axe import assert_accessible
from tests.browser.test_customer_journey import sign_in
from tests.compliance.event_fixtures import incident_row, with_terms

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}])
def test_customer_filters_sorts_and_exports_incidents(browser_page, tenants, viewport):
    page = browser_page
    page.set_viewport_size(viewport)
    contract = with_terms(tenants)
    rows = [
        incident_row(1, external_id="INC-A", service="Email", priority="P1", summary="Mail down"),
        incident_row(2, external_id="INC-B", service="Copier", priority="P2", summary="=cmd|' /C calc'!A0"),
        incident_row(3, external_id="INC-C", service="Email", priority="P3", summary="Slow inbox"),
    ]
    services.events_upsert(kind="incidents", contract=contract, user=None, rows=rows)

    sign_in(page, tenants.customer_admin.email)
    page.goto(f"{page.base}/contracts/{contract.reference}/incidents/")
    table = page.get_by_role("table")
    expect(table.locator("tbody tr")).to_have_count(3)
    assert_accessible(page)

    # Every column is reachable: the table's own box scrolls to the last one.
    region = page.get_by_role("region", name="Incidents")
    region.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    expect(table.get_by_role("columnheader", name="From")).to_be_in_viewport()
    region.evaluate("box => { box.scrollLeft = 0; }")
    if viewport["width"] == 1280:
        expect(table.get_by_role("columnheader", name="Cause")).to_be_in_viewport()

    page.get_by_label("Month").fill("2026-03")
    page.get_by_label("Service").select_option("Email")
    page.get_by_role("button", name="Show").click()
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).not_to_contain_text("INC-B")
    assert page.get_by_label("Month").input_value() == "2026-03"

    table.get_by_role("link", name="Priority").click()
    expect(table.locator("tbody tr").first).to_contain_text("INC-A")
    table.get_by_role("link", name="Priority").click()
    expect(table.locator("tbody tr").first).to_contain_text("INC-C")
    expect(table.get_by_role("columnheader", name="Priority")).to_have_attribute("aria-sort", "descending")
    assert page.get_by_label("Service").input_value() == "Email"
    assert_accessible(page)

    page.get_by_label("Service").select_option("")
    page.get_by_label("Priority").select_option("P2")
    page.get_by_role("button", name="Show").click()
    expect(table.locator("tbody tr")).to_have_count(1)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "INC-B" in content and "INC-A" not in content
    assert "'=cmd" in content

    page.get_by_role("link", name="Clear").click()
    expect(table.locator("tbody tr")).to_have_count(3)
    assert_accessible(page)
