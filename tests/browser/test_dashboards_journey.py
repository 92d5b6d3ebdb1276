"""The provider reads its compliance scorecard and a contract's trends; the customer its standing."""

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.menu import open_menu
from tests.browser.test_customer_journey import sign_in
from tests.compliance.compliance_fixtures import issue_month, published_contract
from tests.compliance.views.test_dashboards import in_force, last_month

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_provider_scorecard_and_trends_then_customer_standing(browser_page, tenants):
    page = browser_page
    contract = in_force(published_contract(tenants), tenants.provider_author, missed=True)

    sign_in(page, tenants.provider_author.email)
    open_menu(page)
    page.get_by_role("link", name="Compliance scorecard").click()
    page.wait_for_url("**/compliance/provider/")
    assert_accessible(page)
    scorecard = page.get_by_role(
        "table", name="Service levels met or missed and credits owed, per contract and month"
    )
    row = scorecard.get_by_role("row").filter(has_text="Harbour Dental")
    assert "1 missed" in row.inner_text() and "EUR 100.00" in row.inner_text()
    totals = scorecard.get_by_role("row", name="Credits per month")
    assert "EUR 100.00" in totals.inner_text()
    # The credit totals, the key column, fit at 1280 px without scrolling the table.
    screen_size = page.viewport_size
    page.set_viewport_size({"width": 1280, "height": 800})
    assert scorecard.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth")
    key_column = scorecard.get_by_role("columnheader", name="Credits, 6 months").bounding_box()
    assert key_column["x"] + key_column["width"] <= 1280
    page.set_viewport_size(screen_size)

    row.get_by_role("link", name=f"1 missed in {last_month()} for {contract.reference}").click()
    page.wait_for_url(f"**/compliance/?period={last_month()}")
    titles = page.locator("figure.compliance-chart svg > title").all_text_contents()
    assert titles == [
        "Availability per month",
        "Incidents within the response and resolution targets",
        "Credits owed per month",
        "Error budget: Availability",
        "Hours bank",
    ]
    assert page.get_by_role("img").filter(has_text="Credits owed per month").count() == 1
    assert_accessible(page)

    issue_month(contract, last_month())  # the provider issues the month; the customer reads it
    page.context.clear_cookies()
    sign_in(page, tenants.customer_admin.email)
    standing = page.get_by_role("table", name="Each contract in force", exact=False)
    assert "Missed · 1 of 2" in standing.inner_text() and "EUR 100.00" in standing.inner_text()
    assert page.get_by_role("link", name="Compliance scorecard").count() == 0
    assert_accessible(page)
    standing.get_by_role("link", name=contract.title).click()
    page.wait_for_url(f"**/compliance/?period={last_month()}")
    assert "Missed" in page.locator("main").inner_text()
