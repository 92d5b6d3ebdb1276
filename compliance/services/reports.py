"""Monthly compliance reports: the run, each contract's report, and the emails.

The pipeline per contract (``run_item_process``): evaluate the period (a stored evaluation
revision) → the report of that revision (unique) → render, seal and store its PDF through
Django's storage → one delivery per recipient → each delivery sent by its own task.

Why nothing is sent twice:

- Making a report is idempotent rather than claimed: a report is unique per evaluation
  revision, its PDF is stored by a conditional UPDATE (the first finished render wins, a
  losing duplicate deletes its file), deliveries are created with ``ignore_conflicts``.
  So a redelivered or doubly started task may redo work but never creates a second report
  or a second delivery, and a worker killed mid-render leaves nothing half-claimed.
- Sending is claimed: ``delivery_send`` (``claimed_email.claimed_email_send``, shared with
  the credit notes) moves a delivery from pending to sending with a conditional UPDATE and
  sends only when that changed one row. A delivery left "sending" by a worker that died is
  taken up again only after ``REPORT_DELIVERY_STALE_AFTER``.
- Tasks are queued with ``transaction.on_commit``, so a worker never looks for rows that
  are not committed yet.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import secrets
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from compliance.engine.periods import format_period, period_bounds
from compliance.models import (
    CreditNoteDelivery,
    Delivery,
    DeliveryStatus,
    Dispute,
    DisputeStatus,
    Evaluation,
    ItemStatus,
    Report,
    ReportRun,
    ReportRunItem,
    ReportStatus,
    RunTrigger,
)
from compliance.reports.data import report_data
from compliance.reports.emails import delivery_message_id, report_email_context
from compliance.selectors.report_runs import (
    contracts_for_period,
    parse_period_or_error,
    report_recipients_many,
)
from compliance.services.claimed_email import (
    ClaimedEmailKind,
    Outgoing,
    claimed_email_send,
    failure_reason,
)
from compliance.services.evaluations import evaluation_run
from compliance.signals import report_issued
from contracts.documents.sealing import sealing_key_from_settings
from contracts.models import AuditAction, Contract
from contracts.selectors.branding import branding_of
from contracts.services.audit import audit_record, audit_record_many
from slaportal.queueing import enqueue
from slaportal.signals import send_on_commit

logger = logging.getLogger("slaportal.reports")


class PeriodNotOver(Exception):
    """The contract's month is still running on its own clock; ``seconds`` until it ends."""

    def __init__(self, seconds: int) -> None:
        super().__init__(f"the month is not over yet on the contract's clock ({seconds} s left)")
        self.seconds = seconds


# ---------------------------------------------------------------- who and what


# ---------------------------------------------------------------- starting a run


def report_run_start(
    *,
    period: str,
    trigger: str = RunTrigger.COMMAND,
    user=None,
    contracts: QuerySet[Contract] | list[Contract] | None = None,
) -> ReportRun:
    """Start making the period's reports: one run item per contract (by default every
    active contract of the period), one task per item queued once the run is committed.

    Starting the same period again makes a new run; the reports and emails already done
    are found done, nothing is sent twice.
    """
    label = format_period(*parse_period_or_error(period))
    chosen = list(contracts_for_period(label) if contracts is None else contracts)
    with transaction.atomic():
        run = ReportRun.objects.create(
            period=label, trigger=trigger, started_by=user, contracts_total=len(chosen)
        )
        ReportRunItem.objects.bulk_create([ReportRunItem(run=run, contract=c) for c in chosen])
        item_ids = list(ReportRunItem.objects.filter(run=run).values_list("pk", flat=True))
        transaction.on_commit(lambda: _enqueue_items(item_ids))
    logger.info("Report run %s for %s: %s contracts", run.pk, label, len(chosen))
    return run


def _enqueue_items(item_ids: list[int]) -> None:

    for item_id in item_ids:
        enqueue("compliance.tasks.report_make", item_id)


def _enqueue_issued(delivery_ids: list[int], report_ids: list[int]) -> None:
    """After issuing: the report emails, and the credit note of each issued month that owes
    credits (rendered and sealed by a worker)."""
    _enqueue_deliveries(delivery_ids)
    for report_id in report_ids:
        enqueue("compliance.tasks.credit_note_make", report_id)


def _enqueue_deliveries(delivery_ids: list[int]) -> None:

    for delivery_id in delivery_ids:
        enqueue("compliance.tasks.report_deliver", delivery_id)


# ---------------------------------------------------------------- one contract


def run_item_process(*, item_id: int, now: datetime | None = None) -> str:
    """Evaluate, render, seal, store the report of one run item and queue its emails.

    Returns "done", or "already" when the item was finished before. Raises
    ``PeriodNotOver`` (the task waits and tries again); any other failure is recorded on
    the item (and the report) with its reason and raised.
    """
    item = ReportRunItem.objects.select_related("run", "contract").get(pk=item_id)
    if item.status == ItemStatus.DONE:
        return "already"
    ReportRunItem.objects.filter(pk=item.pk).exclude(status=ItemStatus.DONE).update(
        status=ItemStatus.RUNNING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    report = None
    try:
        report = _report_for_period(item.contract, item.run.period, now=now)
        if report.status != ReportStatus.READY:
            report_render(report=report)
        with transaction.atomic():
            issued_ids: list[int] = []
            if report.is_issued:
                # Issued before (a run started again): only recipients added since get it.
                pending = deliveries_create(report=report)
            elif item.contract.reports_issued_automatically:
                issued = _issue(reports=[report], user=None)
                pending = deliveries_create_many(reports=issued)
                issued_ids = [r.pk for r in issued]
            else:
                pending = []  # held for the provider's review (``reports_issue``)
            ReportRunItem.objects.filter(pk=item.pk).update(
                status=ItemStatus.DONE, report=report, error="", finished_at=timezone.now()
            )
            transaction.on_commit(lambda: _enqueue_issued(pending, issued_ids))
    except PeriodNotOver as exc:
        ReportRunItem.objects.filter(pk=item.pk).update(status=ItemStatus.PENDING, error=str(exc))
        raise
    except StorageFailed as exc:
        # Waits for its next try (or ``run_item_failed`` when the task gives up).
        ReportRunItem.objects.filter(pk=item.pk).exclude(status=ItemStatus.DONE).update(
            status=ItemStatus.PENDING, report=report, error=f"{exc}; it will be tried again"
        )
        raise
    except Exception as exc:
        reason = failure_reason(exc)
        ReportRunItem.objects.filter(pk=item.pk).exclude(status=ItemStatus.DONE).update(
            status=ItemStatus.FAILED, report=report, error=reason, finished_at=timezone.now()
        )
        logger.warning("Report of %s for %s failed: %s", item.contract.reference, item.run.period, reason)
        raise
    return "done"


def run_item_failed(*, item_id: int, reason: str) -> None:
    """Record that an item gave up (e.g. its time limit) with the reason."""
    ReportRunItem.objects.filter(pk=item_id).exclude(status=ItemStatus.DONE).update(
        status=ItemStatus.FAILED, error=reason, finished_at=timezone.now()
    )


def _report_for_period(contract: Contract, period: str, *, now: datetime | None = None) -> Report:
    run = evaluation_run(contract=contract, period=period, now=now)
    if not run.stored:
        end = period_bounds(*parse_period_or_error(period), ZoneInfo(contract.time_zone))[1]
        raise PeriodNotOver(max(60, int((end - (now or timezone.now())).total_seconds()) + 60))
    return _report_of(run.evaluation)


def report_of(*, evaluation: Evaluation) -> Report:
    """The report of an evaluation revision, created (not rendered) on first use."""
    return _report_of(evaluation)


def _report_of(evaluation: Evaluation) -> Report:
    """The report of an evaluation revision, created on first use (race-safe)."""
    try:
        report, _ = Report.objects.get_or_create(
            evaluation=evaluation,
            defaults={
                "contract_id": evaluation.contract_id,
                "period": evaluation.period,
                "revision": evaluation.revision,
                "document_sha256": evaluation.document_sha256,
            },
        )
    except IntegrityError:
        report = Report.objects.get(evaluation=evaluation)
    return report


class StorageFailed(Exception):
    """The PDF was made but could not be written (disk full, storage unreachable); the
    report is marked failed with the reason and the task tries again later."""


def _store(report: Report, pdf: bytes) -> str:
    """Write the PDF under a name of its own; on failure remove what was half written."""
    name = f"reports/{report.filename.removesuffix('.pdf')}-{secrets.token_hex(4)}.pdf"
    try:
        return default_storage.save(name, ContentFile(pdf))
    except OSError as exc:
        with contextlib.suppress(OSError):
            default_storage.delete(name)
        reason = f"storing the PDF failed: {exc.strerror or exc}"
        Report.objects.filter(pk=report.pk).exclude(status=ReportStatus.READY).update(
            status=ReportStatus.FAILED, error=reason
        )
        raise StorageFailed(reason) from exc


def report_render(*, report: Report) -> bool:
    """Render, seal and store the report's PDF. True when this call stored it; False when
    another worker stored it first (this one's file is removed)."""
    # Imported here: the renderer loads WeasyPrint, which processes pay for only when they
    # render (see contracts.services.signing._signable_document).
    from compliance.reports.rendering import report_pdf

    data = report_data(report)
    try:
        rendered = report_pdf(data, key=sealing_key_from_settings(), tsa_url=settings.SIGNING_TSA_URL)
    except Exception as exc:
        Report.objects.filter(pk=report.pk).exclude(status=ReportStatus.READY).update(
            status=ReportStatus.FAILED, error=failure_reason(exc)
        )
        raise
    pdf = rendered.data
    name = _store(report, pdf)
    stored = (
        Report.objects.filter(pk=report.pk)
        .exclude(status=ReportStatus.READY)
        .update(
            status=ReportStatus.READY,
            pdf=name,
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            pdf_pages=rendered.pages,
            rendered_at=timezone.now(),
            error="",
        )
    )
    if not stored:
        default_storage.delete(name)
    report.refresh_from_db()
    return bool(stored)


# ---------------------------------------------------------------- deliveries


def deliveries_create(*, report: Report) -> list[int]:
    """A delivery for each current recipient who has none yet; the ids still pending."""
    return deliveries_create_many(reports=[report])


def deliveries_create_many(*, reports: Sequence[Report]) -> list[int]:
    """``deliveries_create`` for many reports: recipients read in one query, deliveries
    written in one insert; the ids of the reports' deliveries still pending."""
    if not reports:
        return []
    recipients = report_recipients_many([report.contract for report in reports])
    Delivery.objects.bulk_create(
        [
            Delivery(report=report, email=r.email, user_id=r.user_id, kind=r.kind)
            for report in reports
            for r in recipients[report.contract_id]
        ],
        ignore_conflicts=True,
    )
    return list(
        Delivery.objects.filter(report__in=[r.pk for r in reports], status=DeliveryStatus.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _report_outgoing(delivery: Delivery) -> Outgoing:
    report = delivery.report
    return Outgoing(
        template="monthly_report",
        context=report_email_context(delivery),
        filename=report.filename,
        pdf_name=report.pdf.name,
        branding=branding_of(report.contract.provider),
        message_id=delivery_message_id(delivery),
    )


def _delivery_audit(delivery: Delivery, sent: bool, reason: str) -> None:
    report = delivery.report
    audit_record(
        contract=report.contract,
        action=AuditAction.REPORT_SENT if sent else AuditAction.REPORT_FAILED,
        summary=f"Report {report.period} {'sent' if sent else 'could not be sent'} to {delivery.email}"
        + ("" if sent else f": {reason}"),
        details={"period": report.period, "revision": report.revision, "email": delivery.email},
    )


REPORT_EMAIL = ClaimedEmailKind(
    model=Delivery,
    label="Report email",
    related=("report__contract__provider", "report__contract__customer", "report__evaluation", "user"),
    outgoing=_report_outgoing,
    audit=_delivery_audit,
    # Only an issued report with its PDF is sent.
    claimable=Q(report__status=ReportStatus.READY, report__issued_at__isnull=False),
)


def delivery_send(*, delivery_id: int, final: bool) -> str:
    """Email the report to one recipient, once (``claimed_email_send``).

    Returns "sent"; "skipped" when the delivery is not pending (sent, being sent, failed,
    or its report not ready); "failed" when sending failed on the ``final`` attempt (the
    reason is kept). A failure before the final attempt puts the delivery back to pending
    with the reason and raises ``DeliveryRetry``.
    """
    return claimed_email_send(kind=REPORT_EMAIL, delivery_id=delivery_id, final=final)


# ---------------------------------------------------------------- issuing


def report_issue(*, report: Report, user=None) -> bool:
    """Issue one report: see ``reports_issue``. True when this call issued it."""
    return reports_issue(reports=[report], user=user) == 1


def reports_issue(*, reports: Sequence[Report], user=None) -> int:
    """Issue ready reports held for review: each is marked issued by ``user`` with a
    conditional UPDATE (only one caller wins a report), then its deliveries are created and
    their emails queued once the transaction commits, and the issue is audited. A report
    issued already, not ready, or replaced by a later issued revision of its month is left
    alone, so issuing twice sends once. Returns how many reports this call issued."""
    with transaction.atomic():
        issued = _issue(reports=reports, user=user)
        pending = deliveries_create_many(reports=issued)
        issued_ids = [report.pk for report in issued]
        transaction.on_commit(lambda: _enqueue_issued(pending, issued_ids))
    if issued:
        logger.info("%s reports issued by %s; %s emails queued", len(issued), user, len(pending))
    return len(issued)


def _issue(*, reports: Sequence[Report], user) -> list[Report]:
    """Mark the reports issued where none issued them before; those this call won, audited.
    Call inside a transaction."""
    ids = [report.pk for report in reports]
    if not ids:
        return []
    now = timezone.now()
    newer_issued = Report.objects.filter(
        contract=OuterRef("contract"),
        period=OuterRef("period"),
        revision__gt=OuterRef("revision"),
        issued_at__isnull=False,
    )
    Report.objects.filter(pk__in=ids, issued_at=None, status=ReportStatus.READY).exclude(
        Exists(newer_issued)
    ).update(issued_at=now, issued_by=user)
    # The rows carrying this call's own timestamp are the ones it won.
    won = list(Report.objects.filter(pk__in=ids, issued_at=now).select_related("contract"))
    corrected = _disputes_corrected(won)

    def summary(report: Report) -> str:
        text = f"Issued the report for {report.period} (revision {report.revision})" + (
            " automatically" if user is None else ""
        )
        disputes = corrected.get(report.pk, [])
        if disputes:
            text += ", correcting the accepted dispute" + ("s " if len(disputes) > 1 else " ")
            text += "; ".join(d.subject_label for d in disputes)
        return text[:300]

    def details(report: Report) -> dict:
        entry = {"period": report.period, "revision": report.revision, "report": report.pk}
        if report.pk in corrected:
            entry["disputes_corrected"] = [d.pk for d in corrected[report.pk]]
        return entry

    audit_record_many(
        action=AuditAction.REPORT_ISSUED,
        actor=user,
        entries=[(report.contract, summary(report), details(report)) for report in won],
    )
    _announce_issued(won)
    return won


def _disputes_corrected(won: list[Report]) -> dict[int, list[Dispute]]:
    """Link each accepted dispute of an earlier issued revision of a month, not corrected
    yet, to the revision of that month issued now (the amendment that follows it): one
    read for all the reports, a write only where there are such disputes."""
    if not won:
        return {}
    accepted = list(
        Dispute.objects.filter(
            status=DisputeStatus.ACCEPTED,
            corrected_in=None,
            report__contract_id__in={report.contract_id for report in won},
            report__period__in={report.period for report in won},
        ).select_related("report")
    )
    corrected: dict[int, list[Dispute]] = {}
    for report in won:
        mine = [
            d
            for d in accepted
            if (d.report.contract_id, d.report.period) == (report.contract_id, report.period)
            and d.report.revision < report.revision
        ]
        if mine:
            Dispute.objects.filter(pk__in=[d.pk for d in mine], corrected_in=None).update(corrected_in=report)
            corrected[report.pk] = mine
    return corrected


def _announce_issued(won: list[Report]) -> None:
    # One query says which of the months had an earlier revision issued: those are amended.
    earlier = set(
        Report.objects.filter(
            contract_id__in={report.contract_id for report in won},
            period__in={report.period for report in won},
            issued_at__isnull=False,
        )
        .exclude(pk__in=[report.pk for report in won])
        .values_list("contract_id", "period", "revision")
    )
    for report in won:
        amended = any(
            (contract_id, period) == (report.contract_id, report.period) and revision < report.revision
            for contract_id, period, revision in earlier
        )
        send_on_commit(report_issued, sender=Report, report=report, amended=amended)


# ---------------------------------------------------------------- actions on a report


def report_resend(*, report: Report, user=None) -> int:
    """Send the report to whoever has not received it: failed deliveries are tried again
    and current recipients without a delivery get one. Never resends a sent email. The
    month's credit note, if any, goes the same way (its emails queued by its worker).
    Returns how many report emails are queued."""
    if report.status != ReportStatus.READY:
        raise ValidationError("The report's PDF is not ready: regenerate it first.")
    if not report.is_issued:
        raise ValidationError("The report is held for your review: issue it to send it.")
    with transaction.atomic():
        Delivery.objects.filter(report=report, status=DeliveryStatus.FAILED).update(
            status=DeliveryStatus.PENDING, attempts=0
        )
        pending = deliveries_create(report=report)
        CreditNoteDelivery.objects.filter(credit_note__report=report, status=DeliveryStatus.FAILED).update(
            status=DeliveryStatus.PENDING, attempts=0
        )
        transaction.on_commit(lambda: _enqueue_issued(pending, [report.pk]))
    logger.info("Report %s resent by %s to %s recipients", report.pk, user, len(pending))
    return len(pending)


def report_regenerate(*, contract: Contract, period: str, user=None) -> ReportRun:
    """Make the contract's report for the period again, as a new revision when the
    evaluation changed, or again for a revision whose PDF failed. A revision already
    made from unchanged figures is refused (ValidationError)."""
    label = format_period(*parse_period_or_error(period))
    run = evaluation_run(contract=contract, period=label)
    if not run.stored:
        raise ValidationError({"period": "This month is not over yet: its report cannot be made."})
    existing = Report.objects.filter(evaluation=run.evaluation).first()
    if existing is not None and existing.status == ReportStatus.READY:
        raise ValidationError(
            f"Revision {existing.revision} is up to date: nothing changed in the terms or events since."
        )
    if existing is not None:
        Report.objects.filter(pk=existing.pk).update(status=ReportStatus.PENDING, error="")
    return report_run_start(period=label, trigger=RunTrigger.REGENERATE, user=user, contracts=[contract])
