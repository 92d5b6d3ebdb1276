"""The customer disputes an exclusion of an issued report, the provider rejects it, the
customer acknowledges the report and the provider marks its credit note applied — at
desktop and phone widths."""

import pytest
from django.utils import timezone

from compliance.models import CreditNote, Dispute, Report, ReportAcknowledgement
from compliance.services import credit_notes
from tests.browser.axe import assert_accessible
from tests.browser.test_customer_journey import sign_in
from tests.compliance.dispute_support import report_of_month
from tests.compliance.report_support import (
    active_contract_fixture,  # noqa: F401 - fixture
    report_key_files_fixture,  # noqa: F401 - fixture
    report_settings_fixture,  # noqa: F401 - fixture
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}])
def test_dispute_answer_acknowledge_and_apply_the_credit_note(
    browser_page, tenants, active_contract, viewport
):
    page = browser_page
    page.set_viewport_size(viewport)
    report = report_of_month(active_contract)
    Report.objects.filter(pk=report.pk).update(issued_at=timezone.now())
    note = credit_notes.credit_note_create(report=report)
    url = page.base + f"/contracts/{active_contract.reference}/reports/{report.pk}/"

    sign_in(page, tenants.customer_admin.email)
    page.goto(url)
    assert page.locator("#report-state").inner_text() == "Issued"
    assert_accessible(page)
    page.get_by_label("What do you dispute?").select_option("exclusion")
    page.get_by_label("Event").fill("OUT-99")
    page.get_by_label("Reason").fill("We did not touch that server.")
    page.get_by_role("button", name="Dispute").click()
    assert page.locator("#report-state").inner_text() == "Disputed"
    assert "An exclusion: OUT-99" in page.locator("main").inner_text()
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, tenants.provider_author.email)
    page.goto(url)
    page.get_by_label("Reject, with the reason").check()
    page.get_by_label("Reason or note").fill("The change log shows your administrator's change.")
    page.get_by_role("button", name="Send the answer").click()
    assert page.locator("#report-state").inner_text() == "Resolved"
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, tenants.customer_admin.email)
    page.goto(url)
    assert "The change log shows your administrator's change." in page.locator("main").inner_text()
    page.get_by_role("button", name="Acknowledge the report").click()
    assert page.locator("#report-state").inner_text() == "Acknowledged"
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, tenants.provider_author.email)
    page.goto(page.base + "/credits/")
    assert_accessible(page)
    page.get_by_label(f"Invoice reference for {note.number}").fill("INV-2026-118")
    page.get_by_role("button", name="Mark applied").click()
    assert "Applied to invoice INV-2026-118" in page.locator("main").inner_text()
    assert_accessible(page)

    assert Dispute.objects.get().status == "rejected"
    assert ReportAcknowledgement.objects.filter(report=report).exists()
    assert CreditNote.objects.get().is_applied
