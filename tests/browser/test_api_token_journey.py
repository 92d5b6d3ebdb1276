"""A provider author creates an API token on their profile page, uses it, and revokes it."""

import re

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.menu import open_menu
from tests.browser.test_customer_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_author_creates_uses_and_revokes_a_token(browser_page, tenants):
    page = browser_page
    sign_in(page, tenants.provider_author.email)
    open_menu(page)
    page.get_by_role("link", name="Profile and API tokens").click()
    page.wait_for_url("**/accounts/profile/")
    assert_accessible(page)

    page.get_by_label("Name").fill("Ticketing export")
    page.get_by_role("button", name="Create token").click()
    main = page.locator("main")
    secret = page.get_by_label("New token", exact=True).input_value()
    assert len(secret) >= 30
    assert "shown only this once" in main.inner_text()
    assert "Ticketing export" in main.locator("table").inner_text()
    assert_accessible(page)

    api = page.base + "/api/v1/contracts/"
    headers = {"Authorization": f"Token {secret}"}
    answer = requests.get(api, headers=headers, timeout=10)
    assert answer.status_code == 200
    assert tenants.contract.reference in answer.text

    page.get_by_role("button", name=re.compile("Revoke")).first.click()
    # Revoking asks first: Cancel keeps the token, the dialog's Revoke revokes it.
    dialog = page.get_by_role("dialog", name="Revoke the token Ticketing export?")
    expect(dialog).to_be_visible()
    assert_accessible(page)
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    assert requests.get(api, headers=headers, timeout=10).status_code == 200
    page.get_by_role("button", name=re.compile("Revoke")).first.click()
    dialog.get_by_role("button", name="Revoke", exact=True).click()
    expect(main).to_contain_text("revoked")
    assert requests.get(api, headers=headers, timeout=10).status_code == 401
