"""Credit notes: each issued month that owes credits gets one, numbered per provider and
year (``CN-2026-0001``), rendered and sealed like the reports; provider staff mark it
applied with the invoice it went into.

``credit_note_create`` is idempotent: a report has at most one credit note (one-to-one), so
calling it again, or twice at once, returns the same note. ``on_report_issued`` is the hook
the issue step calls. The PDF is rendered by a worker afterwards (``credit_note_render``,
which renders only a note without one), and only then are the emails queued.

Each recipient of the contract's reports is emailed the credit note once, as the report
itself: a ``CreditNoteDelivery`` row per recipient is written with the note (unique per
note and email), claimed pending → sending before the email goes out, and marked sent after;
a claim left by a worker that died is taken up again only once stale.
"""

from __future__ import annotations

import hashlib
import logging
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from compliance.models import (
    CreditNote,
    CreditNoteCounter,
    CreditNoteDelivery,
    CreditNoteStatus,
    DeliveryStatus,
    Report,
)
from compliance.reports.credit_note_pdf import CreditNoteData, CreditNoteLine
from compliance.reports.emails import credit_note_email_context, credit_note_message_id
from compliance.reports.pdf import TIER_KINDS, ReportParty
from compliance.selectors.credit_notes import decimal_or_zero, owed_credits
from compliance.selectors.report_runs import report_recipients_many
from compliance.services.claimed_email import ClaimedEmailKind, Outgoing, claimed_email_send
from compliance.signals import credit_note_issued
from contracts.documents.sealing import sealing_key_from_settings
from contracts.models import AuditAction
from contracts.selectors.branding import branding_of
from contracts.services.audit import audit_record
from slaportal.queueing import enqueue
from slaportal.signals import send_on_commit

logger = logging.getLogger("slaportal.reports")


def _lines(credits: dict) -> list[dict]:
    currency = credits.get("currency", "")
    lines = []
    for line in credits.get("lines", []):
        kind = line.get("tier_kind") or ""
        value = line.get("tier_value")
        tier = ""
        if line.get("tier_below"):
            text = TIER_KINDS.get(kind, "{value}").format(value=value, currency=currency, hours="hours")
            tier = f"below {line['tier_below']}%: {text}"
        hours = kind == "hours"
        lines.append(
            {
                "service_level": line.get("service_level", ""),
                "tier": tier,
                "amount": None if hours else str(line.get("amount") or "0.00"),
                "hours": str(line.get("hours") or "0") if hours else None,
            }
        )
    return lines


def _next_number(provider_id: int, year: int) -> str:
    counter, _ = CreditNoteCounter.objects.select_for_update().get_or_create(
        provider_id=provider_id, year=year
    )
    CreditNoteCounter.objects.filter(pk=counter.pk).update(last_number=counter.last_number + 1)
    return f"CN-{year}-{counter.last_number + 1:04d}"


def credit_note_data(note: CreditNote) -> CreditNoteData:
    report = note.report
    contract = report.contract

    def party(organisation) -> ReportParty:
        parent = organisation.parent.name if organisation.parent_id else ""
        return ReportParty(organisation.name, parent)

    return CreditNoteData(
        number=note.number,
        verification_code=note.verification_code,
        reference=contract.reference,
        title=contract.title,
        provider=party(contract.provider),
        customer=party(contract.customer),
        period=note.period,
        report_revision=report.revision,
        report_code=report.verification_code,
        currency=note.currency,
        lines=tuple(
            CreditNoteLine(
                line["service_level"],
                line["tier"],
                None if line["amount"] is None else Decimal(line["amount"]),
                None if line["hours"] is None else Decimal(line["hours"]),
            )
            for line in note.lines
        ),
        total=note.total,
        cap=note.cap,
        amount=note.amount,
        hours=note.hours,
        issued_at=note.created_at,
        time_zone=contract.time_zone,
        verify_url=settings.SITE_URL + reverse("compliance:verify"),
        branding=branding_of(contract.provider),
    )


def credit_note_create(*, report: Report, user=None) -> CreditNote | None:
    """The credit note of an issued report that owes credits, made (numbered, audited, its
    deliveries written) on first call; the same note on every later call. None when the
    month owes nothing. Refused (ValidationError) for a report not issued.

    The sealed PDF takes seconds: it is rendered by a worker (``credit_note_render``, queued
    once this commits), which then queues the emails; the pages show it being prepared."""
    existing = CreditNote.objects.filter(report=report).first()
    if existing is not None:
        return existing
    report = Report.objects.select_related(
        "contract__provider__parent", "contract__customer__parent", "evaluation"
    ).get(pk=report.pk)
    if report.issued_at is None:
        raise ValidationError("This report has not been issued yet: it has no credit note.")
    amount, hours = owed_credits(report.evaluation.figures)
    if not amount and not hours:
        return None
    credits = report.evaluation.figures.get("credits") or {}
    contract = report.contract
    try:
        with transaction.atomic():
            now = timezone.now()
            note = CreditNote.objects.create(
                report=report,
                contract=contract,
                provider_id=contract.provider_id,
                period=report.period,
                number=_next_number(contract.provider_id, now.year),
                currency=credits.get("currency") or contract.currency,
                lines=_lines(credits),
                total=decimal_or_zero(credits.get("total")),
                cap=None if credits.get("cap") in (None, "") else decimal_or_zero(credits.get("cap")),
                amount=amount,
                hours=hours,
                created_at=now,
                created_by=user if getattr(user, "is_authenticated", False) else None,
            )
            audit_record(
                contract=contract,
                action=AuditAction.CREDIT_NOTE_ISSUED,
                actor=user,
                summary=f"Credit note {note.number} for {report.period}: {amount} {note.currency}"
                + (f" and {hours} hours" if hours else ""),
                details={"period": report.period, "number": note.number, "amount": str(amount)},
            )
            credit_note_deliveries_create(credit_note=note)
            send_on_commit(credit_note_issued, sender=CreditNote, credit_note=note)
    except IntegrityError:
        note = CreditNote.objects.filter(report=report).first()
        if note is None:
            raise
        return note
    logger.info("Credit note %s made for report %s", note.number, report.pk)
    return note


def credit_note_render(*, credit_note_id: int) -> bool:
    """Render, seal and store the credit note's PDF unless it has one, then queue its emails
    still pending. True when this call stored the PDF; False when it was stored already, or
    by another worker first (this one's file is removed), so a retried or doubled task
    never makes a second PDF."""
    # Imported here: the renderer loads WeasyPrint, which processes pay for only when they
    # render (see contracts.services.signing._signable_document).
    from compliance.reports.rendering import credit_note_pdf

    note = CreditNote.objects.select_related(
        "report__contract__provider__parent", "report__contract__customer__parent"
    ).get(pk=credit_note_id)
    stored = False
    if not note.pdf:
        rendered = credit_note_pdf(
            credit_note_data(note), key=sealing_key_from_settings(), tsa_url=settings.SIGNING_TSA_URL
        )
        name = default_storage.save(f"credit_notes/{note.number}.pdf", ContentFile(rendered.data))
        stored = bool(
            CreditNote.objects.filter(pk=note.pk, pdf="").update(
                pdf=name, pdf_sha256=hashlib.sha256(rendered.data).hexdigest()
            )
        )
        if not stored:
            default_storage.delete(name)
        note.refresh_from_db()
    credit_note_emails_queue(credit_note=note)
    return stored


def on_report_issued(report: Report) -> CreditNote | None:
    """Called by the issue step once a report is issued: its credit note, when it owes, and
    its emails queued: again when a worker died before queueing them (the send is claimed,
    so a second task for the same delivery sends nothing), and to recipients added since."""
    existing = CreditNote.objects.filter(report=report).first()
    if existing is None:
        return credit_note_create(report=report)
    credit_note_deliveries_create(credit_note=existing)
    return existing


# ---------------------------------------------------------------- emails


def credit_note_deliveries_create(*, credit_note: CreditNote) -> list[int]:
    """A delivery for each current recipient of the contract's reports who has none yet;
    the ids still pending, queued once the transaction commits."""
    contract = credit_note.report.contract
    recipients = report_recipients_many([contract])[contract.pk]
    CreditNoteDelivery.objects.bulk_create(
        [
            CreditNoteDelivery(credit_note=credit_note, email=r.email, user_id=r.user_id, kind=r.kind)
            for r in recipients
        ],
        ignore_conflicts=True,
    )
    return credit_note_emails_queue(credit_note=credit_note)


def credit_note_emails_queue(*, credit_note: CreditNote) -> list[int]:
    """Queue (after commit) what the credit note still needs: its PDF, when not rendered
    yet (the render queues the emails once done), else its deliveries still pending; the
    ids of those deliveries."""
    pending = list(
        CreditNoteDelivery.objects.filter(credit_note=credit_note, status=DeliveryStatus.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rendered = CreditNote.objects.filter(pk=credit_note.pk).exclude(pdf="").exists()

    def _enqueue() -> None:
        if not rendered:
            enqueue("compliance.tasks.credit_note_render", credit_note.pk)
            return
        for pk in pending:
            enqueue("compliance.tasks.credit_note_deliver", pk)

    transaction.on_commit(_enqueue)
    return pending


def _credit_note_outgoing(delivery: CreditNoteDelivery) -> Outgoing:
    note = delivery.credit_note
    return Outgoing(
        template="credit_note",
        context=credit_note_email_context(delivery),
        filename=note.filename,
        pdf_name=note.pdf.name,
        branding=branding_of(note.report.contract.provider),
        message_id=credit_note_message_id(delivery),
    )


def _delivery_audit(delivery: CreditNoteDelivery, sent: bool, reason: str) -> None:
    note = delivery.credit_note
    audit_record(
        contract=note.report.contract,
        action=AuditAction.CREDIT_NOTE_SENT if sent else AuditAction.CREDIT_NOTE_FAILED,
        summary=f"Credit note {note.number} {'sent' if sent else 'could not be sent'} to {delivery.email}"
        + ("" if sent else f": {reason}"),
        details={"period": note.period, "number": note.number, "email": delivery.email},
    )


CREDIT_NOTE_EMAIL = ClaimedEmailKind(
    model=CreditNoteDelivery,
    label="Credit note email",
    related=("credit_note__report__contract__provider", "credit_note__report__contract__customer"),
    outgoing=_credit_note_outgoing,
    audit=_delivery_audit,
    # The email attaches the PDF: nothing is sent before it is rendered.
    claimable=~Q(credit_note__pdf=""),
)


def credit_note_delivery_send(*, delivery_id: int, final: bool) -> str:
    """Email the credit note to one recipient, once: "sent"; "skipped" when the delivery is
    not pending (sent, being sent by another worker, failed); "failed" when sending failed
    on the ``final`` attempt. An earlier failure puts it back to pending with the reason
    and raises ``DeliveryRetry``. The same claimed send as ``reports.delivery_send``."""
    return claimed_email_send(kind=CREDIT_NOTE_EMAIL, delivery_id=delivery_id, final=final)


def credit_note_apply(*, credit_note: CreditNote, user, invoice_reference: str) -> CreditNote:
    """Provider staff record the invoice a credit note was applied to; once."""
    invoice_reference = " ".join(str(invoice_reference or "").split())
    if not invoice_reference:
        raise ValidationError({"invoice_reference": "Give the invoice the credit went into."})
    if len(invoice_reference) > 100:
        raise ValidationError({"invoice_reference": "Keep the invoice reference to 100 characters."})
    with transaction.atomic():
        note = CreditNote.objects.select_for_update().select_related("contract").get(pk=credit_note.pk)
        if note.status == CreditNoteStatus.APPLIED:
            raise ValidationError(
                f"Credit note {note.number} was applied already ({note.invoice_reference})."
            )
        note.status = CreditNoteStatus.APPLIED
        note.invoice_reference = invoice_reference
        note.applied_at = timezone.now()
        note.applied_by = user
        note.save(update_fields=["status", "invoice_reference", "applied_at", "applied_by"])
        audit_record(
            contract=note.contract,
            action=AuditAction.CREDIT_NOTE_APPLIED,
            actor=user,
            summary=f"Credit note {note.number} applied to invoice {invoice_reference}",
            details={"number": note.number, "invoice": invoice_reference},
        )
    return note
