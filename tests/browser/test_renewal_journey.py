"""A renewal started from the Renewals list in Chromium, at desktop and phone widths: the
provider's admin finds the contract ending soon under Manage, starts its renewal, lands in
the editor on the new draft and sets the new term; the customer's admin sees the same
contract, without the button."""

from datetime import timedelta

import pytest
from django.utils import timezone

from contracts import services
from contracts.models import Contract, Version
from contracts.models.contract import ContractStatus
from tests import factories
from tests.browser.axe import assert_accessible
from tests.browser.menu import open_menu
from tests.browser.test_customer_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIEWPORTS = [{"width": 1280, "height": 800}, {"width": 390, "height": 844}]


@pytest.fixture
def ending(tenants) -> Contract:
    version = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    services.version_publish(version=version, user=tenants.provider_author)
    Contract.objects.filter(pk=tenants.contract.pk).update(
        status=ContractStatus.ACTIVE, end_date=timezone.localdate() + timedelta(days=20), auto_renew=False
    )
    tenants.contract.refresh_from_db()
    return tenants.contract


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_renewal_started_from_the_renewals_list(browser_page, tenants, ending, viewport):
    page = browser_page
    page.set_viewport_size(viewport)
    sign_in(page, tenants.provider_admin.email)
    open_menu(page)
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("button", name="Manage").click()
    nav.get_by_role("link", name="Renewals").click()
    page.wait_for_url(page.base + "/contracts/renewals/")
    page.get_by_role("link", name="30 days").click()
    page.wait_for_url("**/contracts/renewals/?days=30")
    row = page.get_by_test_id(f"renewal-{ending.reference}")
    assert "in 20 days" in row.inner_text()
    assert "Ends unless renewed" in row.inner_text()
    assert_accessible(page)

    # The browser refuses a window of 0 days; an address edited by hand gets the error, no list.
    page.get_by_label("Ending or notice due within (days)").fill("0")
    page.get_by_role("button", name="Show").click()
    assert page.url.endswith("?days=30")
    page.goto(page.base + "/contracts/renewals/?days=0")
    assert "greater than or equal to 1" in page.locator("main").inner_text()
    assert page.get_by_test_id(f"renewal-{ending.reference}").count() == 0
    assert_accessible(page)
    page.get_by_label("Ending or notice due within (days)").fill("45")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/contracts/renewals/?days=45")

    page.get_by_role("button", name=f"Start renewal of {ending.reference}").click()
    page.wait_for_url(f"**/contracts/{ending.reference}/versions/2/edit/")
    assert "Renewal started: version 2 is a draft copy" in page.locator("main").inner_text()
    assert Version.objects.get(contract=ending, number=2).is_draft
    assert_accessible(page)

    # The new term: a year on from the current end, renewing by itself from then on.
    new_end = ending.end_date + timedelta(days=365)
    page.get_by_role("link", name="Term and renewal").click()
    page.wait_for_url(f"**/contracts/{ending.reference}/versions/2/term/")
    assert_accessible(page)
    page.get_by_label("End date").fill(new_end.isoformat())
    page.get_by_label("Renews automatically").check()
    page.get_by_role("button", name="Save the term").click()
    page.wait_for_url(f"**/contracts/{ending.reference}/versions/2/edit/")
    assert "Term saved" in page.locator("main").inner_text()
    ending.refresh_from_db()
    assert ending.end_date == new_end and ending.auto_renew

    page.goto(page.base + "/contracts/renewals/?days=400")
    assert "Draft version 2" in page.get_by_test_id(f"renewal-{ending.reference}").inner_text()
    assert_accessible(page)


@pytest.mark.viewport_set_by_test
def test_the_customer_sees_its_contract_on_a_phone_without_starting_it(browser_page, tenants, ending):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, tenants.customer_admin.email)
    page.goto(page.base + "/contracts/")
    page.get_by_role("link", name="Renewals").click()
    page.wait_for_url(page.base + "/contracts/renewals/")
    row = page.get_by_test_id(f"renewal-{ending.reference}")
    assert "in 20 days" in row.inner_text()
    assert row.get_by_role("button").count() == 0
    assert_accessible(page)
