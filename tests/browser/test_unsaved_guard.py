"""Unsaved clause text is not lost silently: leaving the editor asks first."""

import pytest

from tests import factories
from tests.browser.menu import open_menu
from tests.browser.test_customer_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leaving_the_editor_with_unsaved_text_asks_first(browser_page, tenants):
    version = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    page = browser_page
    sign_in(page, tenants.provider_author.email)
    page.goto(page.base + f"/contracts/{tenants.contract.reference}/versions/{version.number}/edit/")
    # Clauses start collapsed in the editor: open the first one and type in its text.
    details = page.locator("details.clause-details").first
    if not details.evaluate("d => d.open"):
        details.locator("summary").click()
    legal_text = page.locator("form[data-unsaved-guard]").first.get_by_label("Legal text")
    legal_text.type(" Unsaved words.")

    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    open_menu(page)
    page.get_by_role("link", name="Contracts", exact=True).first.click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert "/edit/" in page.url
    assert "Unsaved words." in legal_text.input_value()

    # After saving, leaving is silent.
    page.locator("form[data-unsaved-guard]").first.get_by_role("button", name="Save clause").click()
    page.wait_for_load_state("networkidle")
    open_menu(page)
    page.get_by_role("link", name="Contracts", exact=True).first.click()
    page.wait_for_url(page.base + "/contracts/")
    assert dialogs == ["beforeunload"]


def test_adding_a_pause_with_unsaved_incident_changes_asks_first(browser_page, tenants):
    from compliance import services as compliance_services
    from compliance.models import Incident
    from tests.compliance.event_fixtures import incident_row, with_terms

    contract = with_terms(tenants)
    compliance_services.events_upsert(
        kind="incidents", contract=contract, user=tenants.provider_author, rows=[incident_row(1, pauses=[])]
    )
    incident = Incident.objects.get(contract=contract)
    page = browser_page
    sign_in(page, tenants.provider_author.email)
    page.goto(page.base + f"/contracts/{contract.reference}/incidents/{incident.pk}/")
    page.get_by_label("Summary").fill("A summary not saved yet")

    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.get_by_label("Waiting from").fill("2026-03-02T10:00")
    page.get_by_role("button", name="Add pause").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.get_by_label("Summary").input_value() == "A summary not saved yet"
    assert not incident.pauses.exists()
