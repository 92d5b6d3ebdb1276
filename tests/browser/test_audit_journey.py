"""The audit log in Chromium: the provider's admin publishes and sends, the customer signs,
and both read who did what on the contract's activity page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories
from tests.browser.axe import assert_accessible
from tests.browser.test_customer_journey import sign_in
from tests.contracts.signing_support import sealing_key_files, signing_settings  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("signing_settings"),
]


def _activity(page, reference: str):
    page.goto(page.base + f"/contracts/{reference}/")
    page.get_by_role("link", name="Activity", exact=True).click()
    page.wait_for_url(f"**/contracts/{reference}/activity/")
    assert_accessible(page)
    return page.get_by_role("table")


def test_provider_admin_and_customer_read_who_did_what(browser_page, tenants):
    page = browser_page
    contract = tenants.contract
    reference = contract.reference
    version = factories.version_with_terms(contract, user=tenants.provider_author)

    # The provider's admin publishes version 1 and sends it to the customer's signer.
    sign_in(page, tenants.provider_admin.email)
    page.goto(
        page.base
        + reverse("contracts:version_edit", kwargs={"reference": reference, "number": version.number})
    )
    page.get_by_role("button", name="Publish version 1…").click()
    page.get_by_role("dialog").get_by_role("button", name="Publish version 1", exact=True).click()
    expect(page.locator("main")).to_contain_text("Version 1 published")
    page.goto(page.base + f"/contracts/{reference}/")
    page.get_by_role("link", name="Send version 1 for signature").click()
    page.get_by_label("Sam <sam@harbour.example>").check()
    page.get_by_label("Alice <alice@brightline.example>").check()
    page.get_by_role("button", name="Send for signature").click()
    page.wait_for_url(page.base + f"/contracts/{reference}/")

    # The customer's signer signs, then reads the log of their contract.
    page.context.clear_cookies()
    sign_in(page, tenants.customer_signer.email)
    page.goto(page.base + f"/contracts/{reference}/")
    page.get_by_role("link", name="Read and sign version 1").click()
    page.wait_for_url("**/sign/*/")
    page.get_by_label("I have read this agreement").check()
    page.get_by_label("Your full name").fill("Sam")
    page.get_by_role("button", name="Sign", exact=True).click()
    page.wait_for_url(page.base + f"/contracts/{reference}/")

    table = _activity(page, reference)
    expect(table).to_contain_text("Signed version 1 for Harbour Dental as “Sam”")
    expect(table).to_contain_text("Published version 1")
    expect(table.locator("tbody tr").first).to_contain_text("Sam")
    page.get_by_label("Action").select_option("version_published")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("table")).not_to_contain_text("Signed version 1")
    expect(page.get_by_role("table")).to_contain_text("Alice")
    assert_accessible(page)

    # The provider's admin sees the same events, and the organisation's activity.
    page.context.clear_cookies()
    sign_in(page, tenants.provider_admin.email)
    table = _activity(page, reference)
    expect(table).to_contain_text("Signed version 1 for Harbour Dental as “Sam”")
    expect(table).to_contain_text("Sent version 1 for signature to sam@harbour.example")
    page.goto(page.base + f"/organisations/{tenants.provider.slug}/")
    page.get_by_role("link", name=f"Activity across {tenants.provider.name}'s contracts").click()
    expect(page.get_by_role("table")).to_contain_text(reference)
    assert_accessible(page)
