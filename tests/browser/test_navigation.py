"""The navigation of the busiest person — a provider's admin, who also manages webhooks and
members — stays on one line on a desktop and folds behind the menu button on a phone."""

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.test_customer_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 1440])
def test_the_provider_admins_navigation_is_one_line_on_a_desktop(browser_page, tenants, width):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, tenants.provider_admin.email)
    nav = page.get_by_role("navigation", name="Main")
    links = nav.locator(".nav-link")
    tops = {round(box["y"]) for box in (links.nth(i).bounding_box() for i in range(links.count())) if box}
    assert len(tops) == 1, f"the navigation wraps onto {len(tops)} lines at {width} px"
    assert_accessible(page)
    nav.get_by_role("button", name="Manage").click()
    nav.get_by_role("link", name="Webhooks").wait_for(state="visible")
    assert_accessible(page)


@pytest.mark.viewport_set_by_test
def test_the_navigation_folds_on_a_phone(browser_page, tenants):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, tenants.provider_admin.email)
    nav = page.get_by_role("navigation", name="Main")
    assert not nav.get_by_role("link", name="Webhooks").is_visible()
    nav.get_by_role("button", name="Toggle navigation").click()
    nav.get_by_role("button", name="Manage").click()
    nav.get_by_role("link", name="Webhooks").wait_for(state="visible")
    assert_accessible(page)
