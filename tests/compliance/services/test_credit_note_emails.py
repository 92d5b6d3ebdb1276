"""The credit note is emailed to each recipient of the contract's reports exactly once: a
delivery row per recipient, claimed before the email goes out and recorded after; text and
HTML parts, the sealed PDF attached, the same Message-ID when a dead worker's claim is
taken up again; visible in the admin."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from compliance import tasks
from compliance.models import CreditNote, CreditNoteDelivery, DeliveryStatus
from compliance.reports.pdf import period_label
from compliance.services import claimed_email, credit_notes
from contracts.models import AuditAction, AuditEvent
from contracts.services import emails
from tests import factories
from tests.compliance.month_close_support import (
    held_month_fixture,  # noqa: F401 - fixture
    issued_month_fixture,  # noqa: F401 - fixture
    last_month,
)
from tests.compliance.report_support import (
    report_key_files_fixture,  # noqa: F401 - fixture
    report_settings_fixture,  # noqa: F401 - fixture
)

pytestmark = pytest.mark.django_db

RECIPIENTS = ["alice@brightline.example", "hannah@harbour.example"]


def _parts(message) -> dict[str, bytes]:
    return {part.get_content_type(): part.get_payload(decode=True) for part in message.walk()}


def test_issuing_emails_the_credit_note_once_to_each_recipient(issued_month, smtp_server):
    note = CreditNote.objects.get(report=issued_month)
    received = smtp_server.credit_notes
    assert sorted(m["X-Envelope-To"] for m in received) == RECIPIENTS
    customer = next(m for m in received if m["X-Envelope-To"] == "hannah@harbour.example")
    contract = issued_month.contract
    assert " ".join(customer["Subject"].split()) == (
        f"{contract.reference} {contract.title}: credit note {note.number} for {period_label(last_month())}"
    )
    parts = _parts(customer)
    text, html = parts["text/plain"].decode(), parts["text/html"].decode()
    for body in (text, html):
        assert f"Credit owed: {note.amount} EUR" in body
        assert note.verification_code in body
        assert "as a member of Harbour Dental" in body
    with note.pdf.open("rb") as handle:
        assert parts["application/pdf"] == handle.read()
    assert customer["Message-ID"].startswith(f"<{note.number}.")
    assert set(CreditNoteDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    sent = AuditEvent.objects.filter(action=AuditAction.CREDIT_NOTE_SENT).order_by("summary")
    assert [e.summary for e in sent] == [f"Credit note {note.number} sent to {email}" for email in RECIPIENTS]


def test_a_redelivered_task_sends_nothing_twice(
    issued_month, smtp_server, django_capture_on_commit_callbacks
):
    delivery = CreditNoteDelivery.objects.first()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.credit_note_make.apply(args=[issued_month.pk]).get() is True
    assert tasks.credit_note_deliver.apply(args=[delivery.pk]).get() == "skipped"
    assert len(smtp_server.credit_notes) == 2 and CreditNoteDelivery.objects.count() == 2


def test_a_claim_being_sent_is_left_alone_and_a_stale_one_keeps_its_message_id(
    issued_month, smtp_server, settings
):
    delivery = CreditNoteDelivery.objects.get(email="hannah@harbour.example")
    first = next(m for m in smtp_server.credit_notes if m["X-Envelope-To"] == delivery.email)
    settings.REPORT_DELIVERY_STALE_AFTER = 30
    now = datetime.now(UTC)
    CreditNoteDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENDING, claimed_at=now)
    assert credit_notes.credit_note_delivery_send(delivery_id=delivery.pk, final=False) == "skipped"
    # A worker died after the server took the email, before recording it: once stale, the
    # claim is taken up again and the copy carries the same Message-ID.
    CreditNoteDelivery.objects.filter(pk=delivery.pk).update(claimed_at=now - timedelta(seconds=60))
    assert credit_notes.credit_note_delivery_send(delivery_id=delivery.pk, final=False) == "sent"
    again = smtp_server.credit_notes[-1]
    assert again["Message-ID"] == first["Message-ID"]


def test_a_failed_send_is_given_back_and_counts_as_unsent(issued_month, smtp_server, monkeypatch):
    delivery = CreditNoteDelivery.objects.get(email="hannah@harbour.example")
    CreditNoteDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.PENDING, sent_at=None)

    def refused(**kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(emails, "email_send", refused)
    with pytest.raises(claimed_email.DeliveryRetry):
        credit_notes.credit_note_delivery_send(delivery_id=delivery.pk, final=False)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and "Connection refused" in delivery.reason
    assert delivery.sent_at is None
    assert credit_notes.credit_note_delivery_send(delivery_id=delivery.pk, final=True) == "failed"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert AuditEvent.objects.filter(action=AuditAction.CREDIT_NOTE_FAILED).count() == 1


def test_a_month_owing_nothing_sends_no_credit_note(
    tenants, report_settings, smtp_server, django_capture_on_commit_callbacks
):
    from compliance.models import Report
    from compliance.services import reports
    from tests.compliance.compliance_fixtures import published_contract
    from tests.compliance.month_close_support import run_month
    from tests.compliance.report_support import make_active

    contract = published_contract(tenants)
    make_active(contract)
    run_month(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_issue(report=Report.objects.get(contract=contract), user=tenants.provider_author)
    assert smtp_server.reports and smtp_server.credit_notes == []
    assert not CreditNoteDelivery.objects.exists()


def test_the_admin_lists_each_credit_note_email(issued_month, client):
    client.force_login(factories.user("ops@example.com", is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:compliance_creditnotedelivery_changelist")).content.decode()
    assert "hannah@harbour.example" in page and "Sent" in page
    note = CreditNote.objects.get()
    page = client.get(reverse("admin:compliance_creditnote_change", args=[note.pk])).content.decode()
    assert "alice@brightline.example" in page


def test_an_email_never_queued_is_found_again_and_sent_once(issued_month, smtp_server):
    # The broker was down when the note was made: its deliveries are pending, never tried.
    from slaportal.requeue import requeue_pending

    delivery = CreditNoteDelivery.objects.get(email="hannah@harbour.example")
    CreditNoteDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.PENDING, attempts=0, sent_at=None
    )
    before = len(smtp_server.credit_notes)
    requeue_pending(older_than=timedelta(0))
    requeue_pending(older_than=timedelta(0))
    assert [m["X-Envelope-To"] for m in smtp_server.credit_notes[before:]] == [delivery.email]
    assert CreditNoteDelivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENT


def test_a_note_whose_render_was_never_queued_is_rendered_then_sent_once(
    issued_month, smtp_server, django_capture_on_commit_callbacks
):
    # The broker was down when the note was made: no PDF, its emails pending, never tried.
    from slaportal.requeue import pending_work, requeue_pending

    note = CreditNote.objects.get(report=issued_month)
    stored = note.pdf.name
    CreditNote.objects.filter(pk=note.pk).update(pdf="", pdf_sha256="")
    CreditNoteDelivery.objects.filter(credit_note=note).update(
        status=DeliveryStatus.PENDING, attempts=0, sent_at=None
    )
    before = len(smtp_server.credit_notes)
    work = pending_work(older_than=timedelta(0), within=timedelta(days=1))
    # Only the render is queued: the emails wait for the PDF they attach.
    assert [name for name, _ in work if "credit_note" in name] == ["compliance.tasks.credit_note_render"]
    with django_capture_on_commit_callbacks(execute=True):
        requeue_pending(older_than=timedelta(0))
    note.refresh_from_db()
    assert note.pdf and note.pdf.name != stored
    assert sorted(m["X-Envelope-To"] for m in smtp_server.credit_notes[before:]) == RECIPIENTS
    with django_capture_on_commit_callbacks(execute=True):
        requeue_pending(older_than=timedelta(0))
    assert len(smtp_server.credit_notes) == before + 2
