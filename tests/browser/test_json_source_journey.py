"""A provider admin adds a generic JSON source, picks its fields by JSON path, tests sample
payloads on the page (a refusal with its reason, then the outage it would make) without
writing anything, and the tool's delivery then makes that outage."""

import json

import pytest
import requests
from playwright.sync_api import expect

from compliance.models import Outage, SourceDelivery
from tests.browser.axe import assert_accessible
from tests.browser.test_customer_journey import sign_in
from tests.compliance.event_fixtures import with_terms

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = {
    "status": "PROBLEM",
    "title": "Mail relay down",
    "alerts": [{"id": 981, "times": {"started": 1772612100}, "labels": {"service": "mail"}}],
}


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}])
def test_admin_maps_a_json_source_by_path_and_tests_a_payload(browser_page, tenants, viewport):
    contract = with_terms(tenants)
    page = browser_page
    page.set_viewport_size(viewport)
    sign_in(page, tenants.provider_admin.email)
    page.goto(f"{page.base}/contracts/{contract.reference}/sources/")
    page.get_by_label("Generic JSON", exact=False).check()
    page.get_by_label("Name").fill("Status checker")
    page.get_by_role("button", name="Add source").click()
    main = page.locator("main")
    expect(main).to_contain_text("Point the tool at its URL")

    # A path that cannot be read is named on its field.
    page.get_by_label("Path of the event's id").fill("alerts[0")
    page.get_by_role("button", name="Save mapping").click()
    expect(main).to_contain_text("Character 7: write a list position as [0]")
    page.get_by_label("Path of the event's id").fill("alerts[0].id")
    page.get_by_label("Path of the state").fill("status")
    page.get_by_label("State values meaning open").fill("PROBLEM")
    page.get_by_label("State values meaning resolved").fill("OK")
    page.get_by_label("Path of the start").fill("alerts[0].times.started")
    page.get_by_label("Path of the end").fill("alerts[0].times.ended")
    page.get_by_label("Path of the service").fill("alerts[0].labels.service")
    page.get_by_label("Path of the summary").fill("title")
    page.get_by_label("Epoch seconds", exact=False).check()
    page.get_by_role("button", name="Save mapping").click()
    expect(main).to_contain_text("Mapping of “Status checker” saved")

    # The test shows why the sample would be refused, then what it would make.
    trial = page.get_by_label("Sample payload (JSON)")
    trial.fill(json.dumps(SAMPLE))
    page.get_by_role("button", name="Test", exact=True).click()
    result = page.locator("#trial-result")
    expect(result).to_contain_text("Would be refused (400)")
    expect(result).to_contain_text("“mail”, which maps to no service")
    page.get_by_label("Services").fill("mail = Email")
    page.get_by_role("button", name="Save mapping").click()
    expect(main).to_contain_text("saved")
    page.get_by_label("Sample payload (JSON)").fill(json.dumps(SAMPLE))
    page.get_by_role("button", name="Test", exact=True).click()
    expect(result).to_contain_text("Would be applied. Nothing was written.")
    expect(result).to_contain_text("json-981")
    expect(result).to_contain_text("2026-03-04 09:15:00")  # the contract's clock
    expect(result).to_contain_text("still open")
    assert_accessible(page)
    assert not Outage.objects.exists()
    assert not SourceDelivery.objects.exists()

    # The tool sends the same payload: the outage is made.
    url = page.get_by_label("Webhook URL").input_value()
    page.get_by_text("Show the secret").click()
    secret = page.locator("#source-secret").inner_text()
    answer = requests.post(
        url, data=json.dumps(SAMPLE), headers={"Authorization": f"Bearer {secret}"}, timeout=10
    )
    assert answer.json() == {"status": "applied", "created": 1}
    assert Outage.objects.get().service == "Email"
