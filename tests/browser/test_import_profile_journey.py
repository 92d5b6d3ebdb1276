"""A provider author maps a ConnectWise export in Chromium, saves the mapping as a profile and
imports; next month the new export goes in with the profile in one step."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from compliance.models import ImportProfile, Incident
from tests.browser.axe import assert_accessible
from tests.browser.test_customer_journey import sign_in
from tests.compliance.event_fixtures import with_terms

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARCH = (Path(__file__).resolve().parents[2] / "examples" / "imports" / "connectwise-tickets.csv").read_text()


def _april() -> str:
    """Next month's export: the same columns, new tickets (48213 → 49213) in April."""
    header, *body = MARCH.splitlines()
    return "\n".join([header, *("49" + line[2:].replace("03/", "04/") for line in body)]) + "\n"


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_connectwise_export_mapped_saved_and_reused_next_month(browser_page, tenants, tmp_path, viewport):
    page = browser_page
    page.set_viewport_size(viewport)
    contract = with_terms(tenants)
    sign_in(page, tenants.provider_author.email)
    march = tmp_path / "connectwise-march.csv"
    march.write_text(MARCH)
    april = tmp_path / "connectwise-april.csv"
    april.write_text(_april())

    page.goto(f"{page.base}/contracts/{contract.reference}/incidents/")
    page.get_by_role("link", name="Import CSV").click()
    expect(page.locator("main")).to_contain_text("has no import profile for incidents yet")
    assert_accessible(page)
    page.get_by_role("link", name="Map a new export").click()
    expect(page.locator("main")).to_contain_text("Choose the export file to see its first rows here.")
    assert_accessible(page)

    mapping = page.locator("#mapping")
    page.get_by_label("Export file").set_input_files(str(march))
    expect(mapping).to_contain_text("The first 4 of 4 rows")
    page.get_by_label("Start from").select_option(label="ConnectWise PSA (service tickets)")
    # The preset's columns and priorities are in; the ticket types are not services yet.
    expect(page.get_by_label("Opened at (required)")).to_have_value("Date Entered")
    expect(mapping).to_contain_text("4 with problems")
    expect(mapping).to_contain_text("“E-mail” is not a service")
    assert_accessible(page)
    _fits(page)

    page.get_by_label("Service values").fill("E-mail = Email\nServer = File server\nPrinting = Copier")
    page.get_by_label("Service values").dispatch_event("change")
    expect(mapping).to_contain_text(": no problems")
    page.get_by_label("Times in the export are in").select_option("America/New_York")
    expect(page.get_by_label("Times in the export are in")).to_have_value("America/New_York")
    expect(mapping).to_contain_text("2026-03-04T09:15 America/New_York")
    assert_accessible(page)
    _fits(page)

    page.get_by_label("Profile name").fill("ConnectWise tickets")
    page.get_by_role("button", name="Save profile and import").click()
    page.wait_for_url(f"**/contracts/{contract.reference}/incidents/")
    expect(page.locator("main")).to_contain_text(
        "Import profile “ConnectWise tickets” saved. Imported 4 incidents"
    )
    expect(page.get_by_role("row").filter(has_text="48213")).to_contain_text("2026-03-04 15:15")  # Amsterdam
    assert_accessible(page)
    assert ImportProfile.objects.get().time_zone == "America/New_York"

    # Next month: the profile is on the import page; choose the file, one click.
    page.get_by_role("link", name="Import CSV").click()
    page.get_by_label("Export file for ConnectWise tickets").set_input_files(str(april))
    assert_accessible(page)
    page.get_by_role("button", name="Import with ConnectWise tickets").click()
    page.wait_for_url(f"**/contracts/{contract.reference}/incidents/")
    expect(page.locator("main")).to_contain_text(
        "Imported 4 incidents with “ConnectWise tickets”: 4 new, 0 updated"
    )
    assert Incident.objects.filter(contract=contract).count() == 8
    assert_accessible(page)
    _fits(page)
