"""A customer signs in in Chromium and sees only their organisation's data."""

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.menu import open_menu
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, email: str) -> None:
    page.goto(page.base + "/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(page.base + "/")


def test_customer_sees_only_their_own_contracts(browser_page, tenants):
    page = browser_page
    sign_in(page, tenants.customer_admin.email)

    main = page.locator("main")
    assert "Welcome, Hannah" in main.inner_text()
    assert tenants.contract.reference in main.inner_text()
    assert tenants.outsider_contract.reference not in page.content()
    assert "Secret outsider deal" not in page.content()
    # Customers do not get provider tools in the navigation.
    assert "provider staff" not in page.locator("header").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name=tenants.contract.reference).click()
    page.wait_for_url(f"**/contracts/{tenants.contract.reference}/")
    assert "Brightline Managed IT" in main.inner_text()
    assert_accessible(page)

    open_menu(page)
    page.get_by_role("link", name="Harbour Dental members").click()
    assert "Invite a person" in main.inner_text()
    assert_accessible(page)

    # Another tenant's contract answers 404 with the portal's own page.
    response = page.goto(page.base + f"/contracts/{tenants.outsider_contract.reference}/")
    assert response.status == 404
    assert "not shared with your organisation" in page.content()
    assert "Secret outsider deal" not in page.content()
    assert_accessible(page)

    page.goto(page.base + "/accounts/password/change/")
    assert_accessible(page)


def test_provider_staff_navigation(browser_page, tenants):
    page = browser_page
    sign_in(page, tenants.provider_author.email)
    open_menu(page)
    header = page.locator("header").inner_text()
    assert "provider staff" in header
    assert "Contracts you provide" in page.locator("main").inner_text()
    assert_accessible(page)


def test_wrong_password_shows_a_clear_error(browser_page, tenants):
    page = browser_page
    page.goto(page.base + "/accounts/login/")
    page.get_by_label("Email address").fill(tenants.customer_admin.email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    assert "enter a correct email address and password" in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto(page.base + "/accounts/password/reset/")
    assert_accessible(page)
