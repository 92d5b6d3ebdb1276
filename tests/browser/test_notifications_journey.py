"""Notifications in Chromium: the bell shows a new warning and it is read by opening it; a
customer's decline reaches the sender with the reason — at desktop and phone widths."""

import pytest
from django.core import mail

from compliance.services import warnings
from contracts.models import RequestStatus, SignatureRequest
from notifications.models import Notification
from tests.browser.axe import assert_accessible
from tests.browser.menu import open_menu
from tests.browser.test_customer_journey import sign_in
from tests.contracts.signing_support import fast_document, sealing_key_files, send, signing_settings  # noqa: F401
from tests.notifications.notification_support import WARNED_AT, warned_contract_fixture  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIEWPORTS = [{"width": 1280, "height": 800}, {"width": 390, "height": 844}]


def _bell(page):
    return page.get_by_test_id("nav-bell")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_bell_shows_a_new_warning_and_opening_it_marks_it_read(
    browser_page, tenants, warned_contract, viewport
):
    page = browser_page
    page.set_viewport_size(viewport)
    warnings.breach_warnings_check(now=WARNED_AT)

    # The provider's admin: the longest navigation (with its organisation's members).
    sign_in(page, tenants.provider_admin.email)
    if viewport["width"] == 1280:
        # Every item of the navigation, the bell included, on one line.
        boxes = [link.bounding_box() for link in page.locator("nav .nav-link").all()]
        tops = {round(box["y"]) for box in boxes}
        assert max(tops) - min(tops) < 10, tops
        assert max(box["x"] + box["width"] for box in boxes) <= 1280
    open_menu(page)
    bell = _bell(page)
    assert bell.locator("[data-unread]").inner_text() == "1"
    assert "1 unread" in bell.text_content()
    bell.click()
    page.wait_for_url(page.base + "/notifications/")
    main = page.locator("main")
    assert "INC-1 at 75% of its target" in main.inner_text()
    assert "has used 75% of its first response target of 1 h" in main.inner_text()
    assert_accessible(page)

    page.get_by_role("button", name="Open").first.click()
    page.wait_for_url(f"**/contracts/{warned_contract.reference}/incidents/")
    assert "INC-1" in page.locator("main").inner_text()
    page.goto(page.base + "/notifications/")
    open_menu(page)
    assert "unread" not in _bell(page).text_content()
    assert page.locator(".notification-unread").count() == 0
    assert Notification.objects.get(recipient=tenants.provider_admin).read_at is not None
    assert_accessible(page)


@pytest.mark.usefixtures("signing_settings", "fast_document")
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_decline_reaches_the_sender(browser_page, tenants, viewport):
    page = browser_page
    page.set_viewport_size(viewport)
    request = send(tenants)
    mail.outbox.clear()

    sign_in(page, tenants.customer_signer.email)
    page.goto(page.base + f"/contracts/{tenants.contract.reference}/sign/{request.pk}/")
    page.get_by_label("Why do you decline?").fill("The monthly fee is higher than agreed.")
    page.get_by_role("button", name="Decline to sign").click()
    page.wait_for_load_state()
    assert SignatureRequest.objects.get(pk=request.pk).status == RequestStatus.DECLINED

    page.context.clear_cookies()
    sign_in(page, tenants.provider_author.email)
    open_menu(page)
    assert "1 unread" in _bell(page).text_content()
    _bell(page).click()
    main = page.locator("main")
    assert "version 1 declined by" in main.inner_text()
    assert "Reason given: The monthly fee is higher than agreed." in main.inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Mark as read").first.click()
    assert page.locator(".notification-unread").count() == 0
    assert_accessible(page)

    emailed = [m for m in mail.outbox if m.to == [tenants.provider_author.email]]
    assert len(emailed) == 1 and "The monthly fee is higher than agreed." in emailed[0].body
