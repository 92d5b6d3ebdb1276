"""The customer acknowledges an issued report or disputes its items; the provider answers.

Every step is refused, with a message saying why and without writing anything, when the
report is not issued, when the contract's dispute window has closed ("The dispute window
closed on 16 December 2026."), or when the report was acknowledged already. Each step is
written to the contract's audit log in its own transaction and emails the other party once
(queued by task name after commit; the email is recorded on the row, see
``email_send_once``).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from compliance import signals
from compliance.engine import disputes as engine
from compliance.models import (
    Dispute,
    DisputeKind,
    DisputeStatus,
    Incident,
    Outage,
    Report,
    ReportAcknowledgement,
)
from compliance.reports.pdf import period_label
from compliance.selectors.disputes import customer_emails, provider_staff_emails
from contracts.models import AuditAction
from contracts.selectors.branding import branding_of
from contracts.services import emails
from contracts.services.audit import audit_record
from slaportal.queueing import enqueue_on_commit
from slaportal.signals import send_on_commit

REASON_MAX = 5000
ACCEPTED_ANSWER = "Accepted: the provider corrects the event, and an amendment of the report follows."


def _check_window(report: Report, now: datetime) -> None:
    if report.issued_at is None:
        raise ValidationError("This report has not been issued yet: it cannot be acknowledged or disputed.")
    contract = report.contract
    if not engine.window_open(report.issued_at, contract.dispute_window_days, contract.time_zone, now):
        closes_on = engine.window_closes_on(
            report.issued_at, contract.dispute_window_days, contract.time_zone
        )
        raise ValidationError(engine.window_closed_message(closes_on))
    acknowledgement = ReportAcknowledgement.objects.filter(report=report).first()
    if acknowledgement is not None:
        day = acknowledgement.acknowledged_at.astimezone(ZoneInfo(contract.time_zone))
        raise ValidationError(f"This report was acknowledged on {engine.format_day(day.date())}.")


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("contract").get(pk=report.pk)


def _clean_subject(report: Report, kind: str, subject: str) -> str:
    subject = " ".join(str(subject or "").split())
    if kind == DisputeKind.CREDIT:
        return ""
    if kind == DisputeKind.MISSING_EVENT:
        return subject[:200]
    if not subject:
        raise ValidationError({"subject": "Name the event by its id (as the report lists it)."})
    if kind == DisputeKind.EXCLUSION:
        excluded = {e.get("external_id") for e in report.evaluation.figures.get("exclusions", [])}
        if subject not in excluded:
            raise ValidationError({"subject": f"“{subject}” is not among the exclusions of this report."})
        return subject
    incidents = Incident.objects.filter(contract_id=report.contract_id, external_id=subject)
    outages = Outage.objects.filter(contract_id=report.contract_id, external_id=subject)
    if kind == DisputeKind.EVENT_PRIORITY:
        if not incidents.exists():
            raise ValidationError({"subject": f"“{subject}” is not an incident of this contract."})
    elif not incidents.exists() and not outages.exists():
        raise ValidationError({"subject": f"“{subject}” is not an incident or outage of this contract."})
    return subject


def _clean_reason(reason: str, field: str = "reason") -> str:
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({field: "Give the reason."})
    if len(reason) > REASON_MAX:
        raise ValidationError({field: f"Keep the reason to {REASON_MAX} characters."})
    return reason


def dispute_raise(
    *, report: Report, user, kind: str, reason: str, subject: str = "", now: datetime | None = None
) -> Dispute:
    """Record a customer member's dispute of one item of an issued report, while its
    window is open; the provider's staff are emailed. ``subject`` names the event (its
    external id) for an exclusion or an event's times, cause or priority."""
    now = now or timezone.now()
    if kind not in DisputeKind.values:
        raise ValidationError({"kind": f"Choose one of: {', '.join(DisputeKind.values)}."})
    reason = _clean_reason(reason)
    with transaction.atomic():
        report = _locked(report)
        _check_window(report, now)
        subject = _clean_subject(report, kind, subject)
        dispute = Dispute.objects.create(
            report=report, kind=kind, subject=subject, reason=reason, raised_by=user, raised_at=now
        )
        audit_record(
            contract=report.contract,
            action=AuditAction.DISPUTE_RAISED,
            actor=user,
            summary=f"Disputed the report {report.period}: {dispute.subject_label}",
            details={
                "period": report.period,
                "revision": report.revision,
                "dispute": dispute.pk,
                "kind": kind,
            },
        )
        enqueue_on_commit("compliance.tasks.dispute_email", dispute.pk, "raised")
        send_on_commit(signals.dispute_raised, sender=Dispute, dispute=dispute)
    return dispute


def dispute_answer(*, dispute: Dispute, user, accept: bool, answer: str = "") -> Dispute:
    """The provider accepts an open dispute (the event is corrected through the event
    pages and an amendment follows) or rejects it with a reason; the customer is emailed."""
    answer = str(answer or "").strip()
    if not accept:
        answer = _clean_reason(answer, "answer")
    elif not answer:
        answer = ACCEPTED_ANSWER
    with transaction.atomic():
        locked = Dispute.objects.select_for_update().select_related("report__contract").get(pk=dispute.pk)
        if not locked.is_open:
            raise ValidationError(
                f"This dispute was answered already ({locked.get_status_display().lower()})."
            )
        locked.status = DisputeStatus.ACCEPTED if accept else DisputeStatus.REJECTED
        locked.answer = answer[:REASON_MAX]
        locked.answered_by = user
        locked.answered_at = timezone.now()
        locked.save(update_fields=["status", "answer", "answered_by", "answered_at"])
        report = locked.report
        audit_record(
            contract=report.contract,
            action=AuditAction.DISPUTE_ANSWERED,
            actor=user,
            summary=f"{'Accepted' if accept else 'Rejected'} the dispute of the report {report.period}: "
            f"{locked.subject_label}",
            details={"period": report.period, "dispute": locked.pk, "status": locked.status},
        )
        enqueue_on_commit("compliance.tasks.dispute_email", locked.pk, "answered")
        send_on_commit(signals.dispute_answered, sender=Dispute, dispute=locked)
    return locked


def report_acknowledge(*, report: Report, user, note: str = "", now: datetime | None = None):
    """A customer member accepts the issued report as it stands, while its window is open
    and no dispute awaits an answer; the provider's staff are emailed."""
    now = now or timezone.now()
    with transaction.atomic():
        report = _locked(report)
        _check_window(report, now)
        if Dispute.objects.filter(report=report, status=DisputeStatus.OPEN).exists():
            raise ValidationError(
                "A dispute of this report awaits the provider's answer: acknowledge it after."
            )
        try:
            with transaction.atomic():
                acknowledgement = ReportAcknowledgement.objects.create(
                    report=report, acknowledged_by=user, acknowledged_at=now, note=str(note or "").strip()
                )
        except IntegrityError:
            raise ValidationError("This report was acknowledged already.") from None
        audit_record(
            contract=report.contract,
            action=AuditAction.REPORT_ACKNOWLEDGED,
            actor=user,
            summary=f"Acknowledged the report {report.period} (revision {report.revision})",
            details={"period": report.period, "revision": report.revision},
        )
        enqueue_on_commit("compliance.tasks.acknowledgement_email", acknowledgement.pk)
        send_on_commit(
            signals.report_acknowledged, sender=ReportAcknowledgement, acknowledgement=acknowledgement
        )
    return acknowledgement


# ---------------------------------------------------------------- emails


def _report_link(report: Report) -> str:
    return settings.SITE_URL + reverse(
        "compliance:report_detail", kwargs={"reference": report.contract.reference, "report_id": report.pk}
    )


def _context(report: Report, **extra) -> dict:

    return {
        "report": report,
        "contract": report.contract,
        "period_label": period_label(report.period),
        "report_url": _report_link(report),
        **extra,
    }


def dispute_email_send(*, dispute_id: int, step: str) -> bool:
    """Email a dispute's step to the other party, once: ``raised`` to the provider's staff,
    ``answered`` to the customer's report recipients and whoever raised it. True when sent now."""

    dispute = Dispute.objects.select_related(
        "report__contract__provider", "report__contract__customer", "raised_by", "answered_by"
    ).get(pk=dispute_id)
    contract = dispute.report.contract
    if step == "raised":
        field, template, to = "raised_email_sent_at", "dispute_raised", provider_staff_emails(contract)
    elif step == "answered":
        field, template = "answer_email_sent_at", "dispute_answered"
        to = customer_emails(contract, also=dispute.raised_by)
    else:
        raise ValueError(f"unknown dispute step {step!r}")
    if getattr(dispute, field) is not None or not to:
        return False
    return emails.email_send_once(
        unclaimed=Dispute.objects.filter(**{field: None}),
        pk=dispute.pk,
        field=field,
        send=lambda: emails.email_send(
            template=template,
            context=_context(dispute.report, dispute=dispute),
            to=to,
            # The answer goes to the customer: it comes in the provider's colours.
            branding=branding_of(contract.provider) if step == "answered" else None,
        ),
    )


def acknowledgement_email_send(*, acknowledgement_id: int) -> bool:
    """Tell the provider's staff that the customer acknowledged the report, once."""

    acknowledgement = ReportAcknowledgement.objects.select_related(
        "report__contract__provider", "report__contract__customer", "acknowledged_by"
    ).get(pk=acknowledgement_id)
    to = provider_staff_emails(acknowledgement.report.contract)
    if acknowledgement.email_sent_at is not None or not to:
        return False
    return emails.email_send_once(
        unclaimed=ReportAcknowledgement.objects.filter(email_sent_at=None),
        pk=acknowledgement.pk,
        field="email_sent_at",
        send=lambda: emails.email_send(
            template="report_acknowledged",
            context=_context(acknowledgement.report, acknowledgement=acknowledgement),
            to=to,
        ),
    )
