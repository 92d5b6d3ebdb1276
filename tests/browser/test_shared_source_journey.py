"""A provider admin adds a provider-wide Alertmanager, routes two customers' label values to
their contracts, and reads the log: each alert applied to its contract, an unmatched one
refused; the contract's Sources tab shows the source feeding it."""

import json

import pytest
import requests
from playwright.sync_api import expect

from compliance.models import Outage
from tests import factories
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


def _route(page, value, contract):
    page.locator("#id_match_value").fill(value)
    page.locator("#id_contract").select_option(str(contract.pk))
    page.get_by_role("button", name="Save route").click()
    expect(page.locator("main")).to_contain_text(f"“{value}” now goes to {contract.reference}")


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}])
def test_admin_routes_one_alertmanager_to_two_contracts(browser_page, tenants, viewport):
    harbour = with_terms(tenants)
    quay = factories.contract(tenants.provider, factories.organisation("Quay Logistics"), title="Quay IT")
    factories.version_with_terms(quay, user=tenants.provider_author)
    page = browser_page
    page.set_viewport_size(viewport)
    sign_in(page, tenants.provider_admin.email)
    page.goto(f"{page.base}/organisations/{tenants.provider.slug}/sources/")
    assert_accessible(page)

    page.get_by_label("Prometheus Alertmanager", exact=False).check()
    page.get_by_label("Name").fill("Central Alertmanager")
    page.get_by_label("Route field").fill("customer")
    page.get_by_role("button", name="Add source").click()
    main = page.locator("main")
    expect(main).to_contain_text("Route its values to contracts")
    _route(page, "harbour", harbour)
    _route(page, "quay", quay)
    assert_accessible(page)

    # The live test: a pasted delivery shows each event in its contract, and writes nothing.
    page.get_by_role("textbox", name="Sample payload (JSON)").fill(
        json.dumps(alertmanager(alert(fingerprint="3333333333333333", customer="quay")))
    )
    page.get_by_role("button", name="Test", exact=True).click()
    result = page.locator("#trial-result")
    expect(result).to_contain_text("Would be applied. Nothing was written.")
    expect(result).to_contain_text(quay.reference)
    assert not Outage.objects.exists()
    assert_accessible(page)

    url = page.get_by_label("Webhook URL").input_value()
    page.get_by_text("Show the secret").click()
    secret = page.locator("#source-secret").inner_text()
    both = alertmanager(
        alert(fingerprint="1111111111111111", customer="harbour"),
        alert(fingerprint="2222222222222222", customer="quay"),
    )
    assert _send(url, secret, both).status_code == 200
    assert _send(url, secret, alertmanager(alert(customer="lighthouse"))).status_code == 400
    assert sorted(Outage.objects.values_list("contract__reference", flat=True)) == sorted(
        [harbour.reference, quay.reference]
    )
    page.reload()
    log = page.get_by_role("table", name="Deliveries to Central Alertmanager, newest first")
    expect(log).to_contain_text("Applied")
    expect(log).to_contain_text(f"{quay.reference}:")
    expect(log).to_contain_text("matches no contract")
    assert_accessible(page)

    # Renamed in its settings; the URL and secret stay.
    settings = page.get_by_role("form", name="Settings of the source")
    settings.get_by_label("Name").fill("Alertmanager (all customers)")
    settings.get_by_role("button", name="Save settings").click()
    expect(page.locator("main")).to_contain_text("Settings of “Alertmanager (all customers)” saved.")
    assert page.get_by_label("Webhook URL").input_value() == url

    page.goto(f"{page.base}/contracts/{quay.reference}/sources/")
    expect(page.locator("main")).to_contain_text("Alertmanager (all customers)")
    assert_accessible(page)
