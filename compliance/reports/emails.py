"""What a report or credit note email says: its Message-ID, its context and the report's link."""

from __future__ import annotations

from email.utils import parseaddr

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac

from compliance.engine.amendments import changes_summary, figures_changes
from compliance.models import CreditNoteDelivery, Delivery, RecipientKind, Report
from compliance.reports.pdf import period_label, verdict
from compliance.selectors.disputes import disputes_corrected_by
from compliance.selectors.issued import issued_before


def delivery_message_id(delivery: Delivery) -> str:
    """The Message-ID of this delivery's email, the same each time it is sent. The one
    duplicate SMTP cannot rule out (a worker that dies after the server accepted the email
    but before the send was recorded) then arrives as a second copy of the same message,
    which mail systems that keep one message per Message-ID show once."""
    report = delivery.report
    token = salted_hmac("report-delivery-message-id", delivery.pk).hexdigest()[:16]
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<{report.contract.reference}.{report.period}.r{report.revision}.{delivery.pk}.{token}@{domain}>"


def report_email_context(delivery: Delivery) -> dict:
    report = delivery.report
    amended = issued_before(report)
    changes = figures_changes(amended.evaluation.figures, report.evaluation.figures) if amended else []
    return {
        "delivery": delivery,
        "amends": amended,
        "corrects": list(disputes_corrected_by(report)) if amended else [],
        "amendment": changes_summary(changes),
        "changes": changes,
        "report": report,
        "contract": report.contract,
        "period_label": period_label(report.period),
        "verdict": verdict(report.evaluation.figures),
        "is_copy": delivery.kind == RecipientKind.PROVIDER_COPY,
        "report_url": settings.SITE_URL + report_url(report),
    }


def report_url(report: Report) -> str:
    return reverse(
        "compliance:report_detail", kwargs={"reference": report.contract.reference, "report_id": report.pk}
    )


def credit_note_message_id(delivery: CreditNoteDelivery) -> str:
    """The Message-ID of a credit note's email to one recipient, the same each time it is
    sent (see ``delivery_message_id``)."""
    note = delivery.credit_note
    token = salted_hmac("credit-note-delivery-message-id", delivery.pk).hexdigest()[:16]
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<{note.number}.{delivery.pk}.{token}@{domain}>"


def credit_note_email_context(delivery: CreditNoteDelivery) -> dict:
    note = delivery.credit_note
    report = note.report
    return {
        "delivery": delivery,
        "note": note,
        "report": report,
        "contract": report.contract,
        "period_label": period_label(note.period),
        "is_copy": delivery.kind == RecipientKind.PROVIDER_COPY,
        "report_url": settings.SITE_URL + report_url(report),
    }
