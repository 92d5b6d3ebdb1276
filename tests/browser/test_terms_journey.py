"""An author edits the terms of a draft in Chromium: a parameter, the scope, the credits."""

import pytest

from tests import factories
from tests.browser.axe import assert_accessible
from tests.browser.test_customer_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_all_forms(page) -> None:
    """Unfold every edit form (each row's is fetched then), so the accessibility check
    covers them too."""
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    # A function, not an expression string: Playwright evals a string in the page, which the
    # Content Security Policy (no 'unsafe-eval') refuses.
    page.wait_for_function("() => document.querySelectorAll('details [hx-get]').length === 0")


def test_author_edits_the_terms_of_a_draft(browser_page, tenants):
    page = browser_page
    version = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    sign_in(page, tenants.provider_author.email)
    page.goto(f"{page.base}/contracts/{tenants.contract.reference}/versions/{version.number}/terms/")
    main = page.locator("main")
    assert "Terms of Managed IT, version 1" in main.inner_text()
    assert_accessible(page)

    # The uptime target, edited in its row: its row shows the value as the clauses read it.
    page.get_by_role("link", name="Edit parameter uptime_target").click()
    uptime = page.locator("#parameters li", has_text="uptime_target")
    uptime.get_by_label("Value").fill("99.5")
    uptime.get_by_role("button", name="Save").click()
    uptime.get_by_role("status").get_by_text("Parameter uptime_target saved.").wait_for()
    assert "99.5%" in page.locator("#parameters li", has_text="uptime_target").inner_text()

    # An out-of-scope service, with the reason it is out of scope.
    page.get_by_text("Add a service", exact=True).click()
    scope = page.locator("#scope")
    new_service = scope.locator("form").last
    new_service.get_by_role("textbox", name="Name").fill("Practice management software")
    new_service.get_by_role("combobox", name="Scope").select_option(label="Out of scope")
    new_service.get_by_label("Why it is out of scope").fill(
        "supported by its vendor under a separate contract"
    )
    new_service.get_by_role("button", name="Add service").click()
    page.wait_for_url("**/terms/#scope")
    row = page.locator("#scope li", has_text="Practice management software")
    assert "Out of scope" in row.inner_text()
    assert "supported by its vendor under a separate contract" in row.inner_text()

    # A fourth credit tier for availability, in the blank row of its schedule.
    page.get_by_text("Edit credit tiers of Availability").click()
    tiers = page.locator("#credits form").first
    tiers.get_by_label("Tier 4: achieved below (%)").fill("90")
    tiers.get_by_label("Tier 4: credit", exact=True).fill("8")
    tiers.get_by_label("Tier 4: credit type").select_option(label="Hours of work")
    tiers.get_by_role("button", name="Save credit tiers of Availability").click()
    page.wait_for_url("**/terms/#credits")
    credits = page.locator("#credits").inner_text()
    assert "below 90.0% → 8 hours of work" in credits
    assert "below 99.9% → 10% of the monthly fee" in credits
    _open_all_forms(page)
    assert_accessible(page)

    # A mistake is shown next to the field, in the row, and nothing is saved.
    page.get_by_role("link", name="Edit parameter uptime_target").click()
    uptime = page.locator("#parameters li", has_text="uptime_target")
    uptime.get_by_label("Value").fill("120")
    uptime.get_by_role("button", name="Save").click()
    uptime.get_by_text("A percentage lies between 0 and 100, not 120.").wait_for()
    assert uptime.get_by_label("Value").input_value() == "120"
    assert_accessible(page)


def test_author_changes_a_parameter_from_the_clause_editor_panel(browser_page, tenants):
    page = browser_page
    version = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    sign_in(page, tenants.provider_author.email)
    page.goto(f"{page.base}/contracts/{tenants.contract.reference}/versions/{version.number}/terms/")
    page.get_by_role("link", name="Edit the clauses").click()
    panel = page.locator("#parameters-panel")

    # A wrong value comes back in the panel with the reason, nothing saved.
    panel.get_by_label("New value of uptime_target").fill("120")
    panel.get_by_role("button", name="Set uptime_target").click()
    panel.get_by_text("A percentage lies between 0 and 100, not 120.").wait_for()
    assert_accessible(page)

    panel.get_by_label("New value of uptime_target").fill("99.95")
    panel.get_by_role("button", name="Set uptime_target").click()
    panel.get_by_text("uptime_target saved.").wait_for()
    assert "99.95%" in panel.inner_text()
    assert_accessible(page)
