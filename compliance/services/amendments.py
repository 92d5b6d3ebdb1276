"""Amendments: a month issued to the customer whose live figures have changed since (a late
or corrected event, pause or KPI value).

What was issued stands until the provider acts: ``amendment_issue`` stores the live figures
as the month's next evaluation revision and a worker renders its report — whose first page
and email say what changed and why — and issues it (``amendment_finish``);
``amendment_discard`` records that the provider reviewed the changes and keeps the issued
figures (the amendment shows again only when the figures change once more). Both are
audited.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from compliance.engine.periods import format_period
from compliance.models import Report, ReportStatus
from compliance.selectors.evaluations import parse_period_or_error
from compliance.selectors.issued import Amendment, amendment_for
from compliance.services.evaluations import evaluation_run
from compliance.services.reports import report_issue, report_of, report_render
from contracts.models import AuditAction, Contract
from contracts.services.audit import audit_record
from slaportal.queueing import enqueue_on_commit


def _pending(contract: Contract, label: str) -> Amendment:
    amendment = amendment_for(contract=contract, period=label)
    if amendment is None:
        raise ValidationError("Nothing has been issued for this month yet: issue its report first.")
    if not amendment.changes:
        raise ValidationError("The figures match the issued report: there is nothing to amend.")
    return amendment


def amendment_issue(*, contract: Contract, period: str | tuple[int, int], user, reason: str = "") -> Report:
    """Issue the month's live figures as an amended report: the next evaluation revision,
    marked with ``reason``; a worker renders its report with what changed against the
    issued one, then issues it (emailed once to the report recipients), see
    ``amendment_finish``. The report is returned being prepared. ``ValidationError`` when
    nothing was issued for the month or its figures have not changed."""
    label = format_period(*parse_period_or_error(period))
    _pending(contract, label)
    run = evaluation_run(contract=contract, period=label)
    report = report_of(evaluation=run.evaluation)
    reason = " ".join(reason.split())
    if report.is_issued:
        raise ValidationError(f"Revision {report.revision} has been issued already.")
    stale = ""
    if reason != report.amendment_reason:
        # A revision already rendered (e.g. by Regenerate) is rendered again with the reason.
        stale = report.pdf.name if report.status == ReportStatus.READY else ""
        Report.objects.filter(pk=report.pk, issued_at=None).update(
            amendment_reason=reason, status=ReportStatus.PENDING, error=""
        )
    elif report.status == ReportStatus.FAILED:
        # Issuing again after a render that failed: the page shows it being prepared again.
        Report.objects.filter(pk=report.pk, status=ReportStatus.FAILED).update(
            status=ReportStatus.PENDING, error=""
        )
    if stale:
        default_storage.delete(stale)
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    enqueue_on_commit("compliance.tasks.amendment_finish", report.pk, user_id)
    report.refresh_from_db()
    return report


def amendment_finish(*, report_id: int, user_id: int | None) -> str:
    """The worker's half of ``amendment_issue``: render the amended report unless it is
    rendered already, then issue it as ``user_id`` (its emails queued). "issued", or
    "already" when it was issued before, so a retried or doubled task issues and sends once."""
    report = Report.objects.get(pk=report_id)
    if report.is_issued:
        return "already"
    if report.status != ReportStatus.READY:
        report_render(report=report)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return "issued" if report_issue(report=report, user=user) else "already"


def amendment_discard(*, contract: Contract, period: str | tuple[int, int], user) -> Amendment:
    """Keep the issued figures of the month: the pending amendment is recorded as reviewed
    and discarded (audited), and shows again only when the figures change once more."""
    label = format_period(*parse_period_or_error(period))
    amendment = _pending(contract, label)
    if amendment.discarded:
        raise ValidationError("These changes were discarded already.")
    report = amendment.report
    with transaction.atomic():
        Report.objects.filter(pk=report.pk).update(
            amendment_discarded_digest=amendment.digest,
            amendment_discarded_at=timezone.now(),
            amendment_discarded_by=user,
        )
        audit_record(
            contract=contract,
            action=AuditAction.AMENDMENT_DISCARDED,
            actor=user,
            summary=f"Kept the issued report for {label} (revision {report.revision}); not amended: "
            + amendment.summary.removeprefix("Amended: "),
            details={
                "period": label,
                "revision": report.revision,
                "changes": [change.text for change in amendment.changes],
            },
        )
    return amendment
