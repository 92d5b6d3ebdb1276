"""A provider admin adds an Alertmanager source, points a tool at it, maps a service label,
sees the deliveries (applied and refused) and rotates the secret; the customer sees where
the outage came from."""

import json

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.test_customer_journey import sign_in
from tests.compliance.event_fixtures import with_terms
from tests.compliance.sources.support import alert, alertmanager

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _send(url, secret, payload):
    return requests.post(
        url,
        data=json.dumps(payload),
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
        timeout=10,
    )


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}])
def test_admin_adds_a_source_and_reads_its_deliveries(browser_page, tenants, viewport):
    contract = with_terms(tenants)
    page = browser_page
    page.set_viewport_size(viewport)
    sign_in(page, tenants.provider_admin.email)
    page.goto(f"{page.base}/contracts/{contract.reference}/outages/")
    page.get_by_role("link", name="Sources").click()
    page.wait_for_url(f"**/contracts/{contract.reference}/sources/")
    assert_accessible(page)

    page.get_by_label("Prometheus Alertmanager", exact=False).check()
    page.get_by_label("Name").fill("Production Alertmanager")
    page.get_by_role("button", name="Add source").click()
    main = page.locator("main")
    expect(main).to_contain_text("Point the tool at its URL")
    assert_accessible(page)
    url = page.get_by_label("Webhook URL").input_value()
    page.get_by_text("Show the secret").click()
    secret = page.locator("#source-secret").inner_text()
    assert url.startswith(page.base + "/hooks/")

    # The tool labels the mail service "mail"; the admin maps it.
    assert _send(url, secret, alertmanager(alert(service="mail"))).status_code == 400
    page.get_by_label("Services").fill("mail = Email")
    page.get_by_role("button", name="Save mapping").click()
    expect(main).to_contain_text("Mapping of “Production Alertmanager” saved")
    assert _send(url, secret, alertmanager(alert(service="mail"))).status_code == 200
    page.reload()
    log = page.get_by_role("table")
    expect(log).to_contain_text("Applied")
    expect(log).to_contain_text("Refused")
    expect(log).to_contain_text("maps to no service of the contract")
    assert_accessible(page)

    # Rotating asks first; afterwards the old secret is refused.
    page.get_by_role("button", name="Rotate secret").click()
    dialog = page.get_by_role("dialog", name="Give “Production Alertmanager” a new secret?")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Rotate").click()
    expect(main).to_contain_text("has a new secret")
    assert _send(url, secret, alertmanager(alert(service="mail"))).status_code == 401

    # The customer sees the outage and where it came from.
    page.context.clear_cookies()
    sign_in(page, tenants.customer_admin.email)
    page.goto(f"{page.base}/contracts/{contract.reference}/outages/")
    expect(page.locator("main")).to_contain_text("Prometheus Alertmanager: Production Alertmanager")
    assert_accessible(page)
