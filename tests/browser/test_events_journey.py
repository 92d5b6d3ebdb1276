"""A provider author records an incident with a pause, then uploads a CSV with a bad row."""

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.test_customer_journey import sign_in
from tests.compliance.event_fixtures import incident_csv, with_terms

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_author_records_incident_with_pause_and_sees_csv_errors(browser_page, tenants, tmp_path):
    page = browser_page
    contract = with_terms(tenants)
    sign_in(page, tenants.provider_author.email)
    incidents = f"{page.base}/contracts/{contract.reference}/incidents/"

    page.goto(incidents)
    assert "No incidents" in page.locator("main").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Record incident").click()
    assert "Europe/Amsterdam" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_label("External id").fill("TCK-42")
    page.get_by_label("Service").select_option("Email")
    page.get_by_label("Priority").select_option("P1")
    page.get_by_label("Opened at").fill("2026-03-04T09:15")
    page.get_by_label("Resolved at").fill("2026-03-04T12:00")
    page.get_by_label("Summary").fill("Mail server down")
    page.get_by_role("button", name="Save incident").click()
    page.wait_for_url("**/incidents/*/")
    assert "Incident TCK-42 recorded" in page.locator("main").inner_text()
    assert_accessible(page)

    page.get_by_label("Waiting from").fill("2026-03-04T10:00")
    page.get_by_label("Waiting until").fill("2026-03-04T10:45")
    page.get_by_role("button", name="Add pause").click()
    assert "Pause added" in page.locator("main").inner_text()
    assert "2026-03-04 10:00 CET – 2026-03-04 10:45 CET" in page.locator("main").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Back to incidents").click()
    row = page.get_by_role("row").filter(has_text="TCK-42")
    assert "2026-03-04 09:15 CET" in row.inner_text()
    assert "10:00–10:45 CET" in row.inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Import CSV").click()
    page.wait_for_url("**/incidents/import/")
    assert_accessible(page)
    path = tmp_path / "incidents.csv"
    path.write_text(incident_csv(20, bad={6: {"priority": "P9"}}))
    page.get_by_label("CSV file").set_input_files(str(path))
    page.get_by_role("button", name="Import").click()
    errors = page.get_by_role("alert")
    assert "1 of 20 rows are invalid" in errors.inner_text()
    assert "P9" in errors.get_by_role("row").filter(has_text="priority").inner_text()
    assert "8" in errors.get_by_role("row").nth(1).inner_text()
    assert_accessible(page)
