"""A customer opens a contract's compliance page and finds a missed target and its credit."""

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.test_customer_journey import sign_in
from tests.compliance.compliance_fixtures import issue_month, published_contract, record_month

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_customer_sees_missed_target_and_credit(browser_page, tenants):
    page = browser_page
    contract = published_contract(tenants)
    record_month(contract, tenants.provider_author)
    for period in ("2026-02", "2026-03"):  # the customer reads the months the provider issued
        issue_month(contract, period)
    sign_in(page, tenants.customer_admin.email)

    page.goto(f"{page.base}/contracts/{contract.reference}/")
    page.get_by_role("link", name="Compliance").click()
    page.wait_for_url("**/compliance/")
    assert_accessible(page)

    page.get_by_label("Month", exact=True).fill("2026-03")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/compliance/?period=2026-03")
    availability = page.get_by_role("row").filter(has_text="Availability").first
    assert "Missed" in availability.inner_text()
    assert "99.86%" in availability.inner_text()
    credits = page.get_by_role("table", name="Credits owed for the missed service levels, in EUR")
    assert "Below 99.9%: 10% of the monthly fee" in credits.inner_text()
    assert "EUR 100.00" in credits.inner_text()
    exclusions = page.get_by_role(
        "table",
        name="Events that do not count against the provider, with the reason and the clause behind it",
    )
    assert "Clause 3, Customer responsibilities" in exclusions.inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Previous month (2026-02)").click()
    assert "No credits are owed this month" in page.locator("main").inner_text()
    assert_accessible(page)
