"""A provider's admin subscribes a receiver to events, sends a test event, and sees the
delivery — signed so that the receiver verifies it with the standardwebhooks package."""

import re

import pytest
from playwright.sync_api import expect
from standardwebhooks import Webhook

from tests.browser.axe import assert_accessible
from tests.browser.test_customer_journey import sign_in
from tests.webhooks.receiver import start_receiver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True  # the receiver listens on loopback
    receiver, server = start_receiver()
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}])
def test_admin_adds_a_webhook_sends_a_test_event_and_sees_the_delivery(
    browser_page, tenants, receiver, viewport
):
    page = browser_page
    page.set_viewport_size(viewport)
    sign_in(page, tenants.provider_admin.email)
    if viewport["width"] < 768:
        page.get_by_role("button", name="Toggle navigation").click()
    page.get_by_role("button", name="Manage").click()
    page.get_by_role("link", name="Webhooks").click()
    page.wait_for_url("**/webhooks/")
    assert_accessible(page)

    page.get_by_role("link", name="Add subscription").click()
    page.wait_for_url("**/webhooks/new/")
    assert_accessible(page)
    page.get_by_label("Endpoint URL").fill(receiver.url)
    page.get_by_label("Description").fill("Invoicing")
    page.get_by_label("Report issued").check()
    page.get_by_label("Credit note issued").check()
    page.get_by_role("button", name="Add subscription").click()

    main = page.locator("main")
    expect(main).to_contain_text("shown only this once")
    secret = page.get_by_label("Signing secret").input_value()
    assert secret.startswith("whsec_")
    expect(main).to_contain_text("Report issued, Credit note issued")
    assert_accessible(page)

    page.get_by_role("button", name="Send test event").click()
    expect(main).to_contain_text("Test event queued")
    log = page.get_by_role("table", name=re.compile("Deliveries"))
    expect(log).to_contain_text("webhook.test")
    expect(log).to_contain_text("HTTP 200")
    expect(log).to_contain_text("Delivered")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert_accessible(page)

    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    payload = Webhook(secret).verify(request.body, request.headers)
    assert payload["type"] == "webhook.test"
    assert payload["data"]["organisation"] == tenants.provider.name

    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Webhooks").click()
    page.wait_for_url("**/webhooks/")
    expect(page.get_by_role("table", name="Your subscriptions")).to_contain_text("Invoicing")
    assert_accessible(page)
