"""Credit notes: one per issued report that owes credits, numbered per provider and year,
sealed and verifiable; hour credits too; provider staff make it and mark it applied."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from compliance.models import CreditNote, CreditNoteCounter
from compliance.reports.verification import verify_pdf_bytes
from compliance.services import credit_notes
from contracts.models import AuditAction, AuditEvent
from tests import factories
from tests.compliance.compliance_fixtures import record_month
from tests.compliance.dispute_support import (
    issued_report_fixture,  # noqa: F401 - fixture
    report_of_month,
)
from tests.compliance.hour_credits import hour_credit_contract
from tests.compliance.report_support import (
    active_contract_fixture,  # noqa: F401 - fixture
    make_active,
    more_contracts,
    pdf_text,
    report_key_files_fixture,  # noqa: F401 - fixture
    report_settings_fixture,  # noqa: F401 - fixture
)

pytestmark = pytest.mark.django_db


def _pdf(note) -> bytes:
    with note.pdf.open("rb") as handle:
        return handle.read()


def _made(report, **kwargs):
    """The report's credit note with its PDF, which a worker renders once it is made."""
    note = credit_notes.credit_note_create(report=report, **kwargs)
    credit_notes.credit_note_render(credit_note_id=note.pk)
    note.refresh_from_db()
    return note


def test_credit_note_states_the_credits_owed(tenants, issued_report):
    note = _made(issued_report, user=tenants.provider_author)
    year = timezone.now().year
    assert note.number == f"CN-{year}-0001"
    assert str(note.amount) == "100.00" and note.currency == "EUR"
    text = " ".join(pdf_text(_pdf(note)).split())
    assert f"Credit note CN-{year}-0001" in text
    assert "Brightline Managed IT" in text and "Harbour Dental" in text
    assert "March 2026" in text and "EUR 100.00" in text
    assert "below 99.9%: 10% of the monthly fee" in text
    assert "Credit owed: EUR 100.00" in text
    assert AuditEvent.objects.filter(action=AuditAction.CREDIT_NOTE_ISSUED).count() == 1


def test_making_it_again_returns_the_same_note(tenants, issued_report):
    first = credit_notes.credit_note_create(report=issued_report)
    again = credit_notes.on_report_issued(issued_report)
    assert again.pk == first.pk and CreditNote.objects.count() == 1
    assert CreditNoteCounter.objects.get().last_number == 1


def test_numbers_run_per_provider(tenants, issued_report):
    others = more_contracts(tenants, 1)
    outsider_customer = factories.organisation("Another customer")
    outsider_contract = factories.contract(tenants.outsider, outsider_customer, title="Other provider")
    version = factories.version_with_terms(outsider_contract, user=tenants.outsider_admin)
    from contracts import services as contract_services

    contract_services.version_publish(version=version, user=tenants.outsider_admin)
    record_month(outsider_contract, tenants.outsider_admin)
    make_active(outsider_contract)
    year = timezone.now().year
    first = credit_notes.credit_note_create(report=issued_report)
    second = credit_notes.credit_note_create(report=report_of_month(others[0]))
    elsewhere = credit_notes.credit_note_create(report=report_of_month(outsider_contract))
    assert [first.number, second.number] == [f"CN-{year}-0001", f"CN-{year}-0002"]
    assert elsewhere.number == f"CN-{year}-0001" and elsewhere.provider_id == tenants.outsider.pk


def test_unissued_report_has_no_credit_note(tenants, active_contract):
    report = report_of_month(active_contract, issued=False)
    with pytest.raises(ValidationError, match="not been issued"):
        credit_notes.credit_note_create(report=report)
    assert not CreditNote.objects.exists()


def test_hour_credits_are_on_the_note(tenants, report_settings):
    contract = hour_credit_contract(tenants)
    record_month(contract, tenants.provider_author, incidents=0)
    make_active(contract)
    note = _made(report_of_month(contract))
    assert str(note.hours) == "1.00" and str(note.amount) == "0.00"
    text = " ".join(pdf_text(_pdf(note)).split())
    assert "1.00 hours of work" in text


def test_a_month_without_credits_has_no_note(tenants, report_settings):
    from tests.compliance.compliance_fixtures import published_contract

    contract = published_contract(tenants)
    record_month(contract, tenants.provider_author, outages=0)
    make_active(contract)
    assert credit_notes.credit_note_create(report=report_of_month(contract)) is None


def test_verify_accepts_a_genuine_note_and_rejects_an_altered_one(tenants, issued_report, client):
    note = _made(issued_report)
    data = _pdf(note)
    result = verify_pdf_bytes(data)
    assert result.valid and result.credit_note == note
    page = client.post("/verify/", {"file": SimpleUploadedFile("cn.pdf", data, "application/pdf")})
    assert "A credit note issued by this portal, unaltered" in page.content.decode()
    altered = data.replace(b"/Producer", b"/Pr0ducer", 1)
    assert not verify_pdf_bytes(altered).valid
    page = client.post("/verify/", {"file": SimpleUploadedFile("cn.pdf", altered, "application/pdf")})
    assert "Not valid: altered." in page.content.decode()


def test_provider_makes_and_applies_the_note_from_the_report_page(tenants, issued_report, client_for):
    detail = reverse("compliance:report_detail", args=[issued_report.contract.reference, issued_report.pk])
    make = reverse("compliance:credit_note_make", args=[issued_report.contract.reference, issued_report.pk])
    customer = client_for(tenants.customer_admin)
    assert customer.post(make).status_code == 404
    provider = client_for(tenants.provider_author)
    assert "Make the credit note" in provider.get(detail).content.decode()
    assert provider.post(make).status_code == 302
    note = CreditNote.objects.get()
    credit_notes.credit_note_render(credit_note_id=note.pk)  # the worker's part
    note.refresh_from_db()
    apply = reverse("compliance:credit_note_apply", args=[issued_report.contract.reference, note.number])
    customer = client_for(tenants.customer_admin)  # one test client: sign in again
    assert customer.post(apply, {"invoice_reference": "INV-1"}).status_code == 404
    provider = client_for(tenants.provider_author)
    assert provider.post(apply, {"invoice_reference": ""}).status_code == 400
    assert provider.post(apply, {"invoice_reference": "INV-2026-118"}).status_code == 302
    note.refresh_from_db()
    assert note.is_applied and note.invoice_reference == "INV-2026-118"
    assert AuditEvent.objects.filter(action=AuditAction.CREDIT_NOTE_APPLIED).count() == 1
    customer = client_for(tenants.customer_admin)
    page = customer.get(detail).content.decode()
    assert note.number in page and "INV-2026-118" in page
    download = customer.get(
        reverse("compliance:credit_note_download", args=[issued_report.contract.reference, note.number])
    )
    assert download.status_code == 200 and b"".join(download.streaming_content) == _pdf(note)
    outsider = client_for(tenants.outsider_admin)
    assert (
        outsider.get(
            reverse("compliance:credit_note_download", args=[issued_report.contract.reference, note.number])
        ).status_code
        == 404
    )
    with pytest.raises(ValidationError, match="applied already"):
        credit_notes.credit_note_apply(credit_note=note, user=tenants.provider_author, invoice_reference="X")


def test_unissued_report_page_offers_no_credit_note(tenants, active_contract, client_for):
    report = report_of_month(active_contract, issued=False)
    page = client_for(tenants.provider_author).get(
        reverse("compliance:report_detail", args=[report.contract.reference, report.pk])
    )
    assert "Make the credit note" not in page.content.decode()
