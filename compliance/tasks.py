"""Background work of the monthly reports. Thin: each task takes an id and calls a service
(``compliance.services.reports``), which holds the exactly-once rules.

Time limits: making a report (evaluate, render, seal, store) has its own soft and hard
limits, well below the Redis ``visibility_timeout`` (``CELERY_VISIBILITY_TIMEOUT``), so a
task still running is never handed to a second worker as if its worker had died.

Retries wait at most half the visibility timeout: Redis hands a task held unacknowledged
for longer (a retry waiting for its countdown, too) to another worker, which would then run
it a second time. A longer wait, such as a month that ends hours later on the contract's
clock, is made of several shorter retries.
"""

from __future__ import annotations

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

import slaportal.celery  # noqa: F401  (the portal's app, so its tasks bind to it)
from compliance.models import Report
from compliance.selectors import report_runs
from compliance.services import amendments, claimed_email, credit_notes, reports, warnings
from compliance.services.disputes import acknowledgement_email_send, dispute_email_send
from contracts.documents.sealing import SealingFailed

REPORT_SOFT_TIME_LIMIT = 120
REPORT_TIME_LIMIT = 150


def retry_countdown(seconds: int) -> int:
    """``seconds``, but at most half the Redis visibility timeout (and at least one)."""
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    return max(1, min(int(seconds), int(visibility) // 2))


@shared_task(acks_late=True)
def report_month_run(period: str | None = None) -> int:
    """Beat's entry: start the run of ``period`` (default: the month just ended)."""
    run = reports.report_run_start(
        period=period or report_runs.default_report_period(), trigger=reports.RunTrigger.SCHEDULE
    )
    return run.pk


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=3,
    soft_time_limit=REPORT_SOFT_TIME_LIMIT,
    time_limit=REPORT_TIME_LIMIT,
)
def report_make(self, item_id: int) -> str:
    """One contract of a run: evaluate → render → seal → store → queue the emails."""

    try:
        return reports.run_item_process(item_id=item_id)
    except reports.PeriodNotOver as exc:
        # The month ends later on the contract's clock (a zone behind TIME_ZONE's).
        if self.request.is_eager:
            reports.run_item_failed(item_id=item_id, reason=str(exc))
            return "failed"
        raise self.retry(exc=exc, countdown=retry_countdown(exc.seconds), max_retries=None) from exc
    except SealingFailed as exc:  # e.g. the timestamp authority is down: try again later
        if self.request.is_eager or self.request.retries >= self.max_retries:
            return "failed"
        raise self.retry(exc=exc, countdown=retry_countdown(300 * 2**self.request.retries)) from exc
    except reports.StorageFailed as exc:  # e.g. the disk is full: try again once space is freed
        if self.request.is_eager or self.request.retries >= self.max_retries:
            reports.run_item_failed(item_id=item_id, reason=str(exc))
            return "failed"
        delay = settings.REPORT_STORE_RETRY_DELAY * 2**self.request.retries
        raise self.retry(exc=exc, countdown=retry_countdown(delay)) from exc
    except SoftTimeLimitExceeded:
        reports.run_item_failed(item_id=item_id, reason=f"took longer than {REPORT_SOFT_TIME_LIMIT} s")
        return "failed"
    except Exception:
        return "failed"  # recorded on the item with its reason by the service


def email_backoff(retries: int) -> int:
    """Seconds before the next attempt: REPORT_EMAIL_BACKOFF, doubled after each failure
    (at most half the visibility timeout, see ``retry_countdown``)."""
    return retry_countdown(settings.REPORT_EMAIL_BACKOFF * 2**retries)


@shared_task(bind=True, acks_late=True, max_retries=None)
def report_deliver(self, delivery_id: int) -> str:
    """Email the report to one recipient, once; SMTP failures retried with backoff, then
    recorded as failed with the reason."""
    retries = self.request.retries or 0
    final = retries >= settings.REPORT_EMAIL_RETRIES
    try:
        return reports.delivery_send(delivery_id=delivery_id, final=final)
    except claimed_email.DeliveryRetry as exc:
        if self.request.is_eager:
            # In-process (no broker): the remaining attempts follow without waiting.
            for attempt in range(retries + 1, settings.REPORT_EMAIL_RETRIES + 1):
                try:
                    return reports.delivery_send(
                        delivery_id=delivery_id, final=attempt >= settings.REPORT_EMAIL_RETRIES
                    )
                except claimed_email.DeliveryRetry:
                    continue
            return "failed"
        raise self.retry(exc=exc, countdown=email_backoff(retries)) from exc


# ---------------------------------------------------------------- disputes


def _email_retry_later(task, exc: OSError) -> bool:
    """In-process (no broker) the change is committed: the email stays recorded as unsent."""
    if task.request.is_eager:
        return False
    raise task.retry(exc=exc) from exc


@shared_task(bind=True, max_retries=5, default_retry_delay=30, acks_late=True)
def dispute_email(self, dispute_id: int, step: str) -> bool:
    """Email a dispute's step (``raised`` / ``answered``) to the other party, once."""

    try:
        return dispute_email_send(dispute_id=dispute_id, step=step)
    except OSError as exc:  # SMTP connection problems: try again later
        return _email_retry_later(self, exc)


@shared_task(bind=True, max_retries=5, default_retry_delay=30, acks_late=True)
def acknowledgement_email(self, acknowledgement_id: int) -> bool:
    """Tell the provider's staff that the customer acknowledged a report, once."""

    try:
        return acknowledgement_email_send(acknowledgement_id=acknowledgement_id)
    except OSError as exc:  # SMTP connection problems: try again later
        return _email_retry_later(self, exc)


@shared_task(bind=True, acks_late=True, max_retries=None)
def credit_note_deliver(self, delivery_id: int) -> str:
    """Email a credit note to one recipient, once; retried like ``report_deliver``."""
    retries = self.request.retries or 0
    try:
        return credit_notes.credit_note_delivery_send(
            delivery_id=delivery_id, final=retries >= settings.REPORT_EMAIL_RETRIES
        )
    except claimed_email.DeliveryRetry as exc:
        if self.request.is_eager:
            for attempt in range(retries + 1, settings.REPORT_EMAIL_RETRIES + 1):
                try:
                    return credit_notes.credit_note_delivery_send(
                        delivery_id=delivery_id, final=attempt >= settings.REPORT_EMAIL_RETRIES
                    )
                except claimed_email.DeliveryRetry:
                    continue
            return "failed"
        raise self.retry(exc=exc, countdown=email_backoff(retries)) from exc


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def credit_note_make(self, report_id: int) -> bool:
    """Make the credit note of an issued report that owes credits, once."""
    report = Report.objects.select_related("contract", "evaluation").get(pk=report_id)
    try:
        return credit_notes.on_report_issued(report) is not None
    except SealingFailed as exc:
        if self.request.is_eager:
            raise
        raise self.retry(exc=exc) from exc


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def credit_note_render(self, credit_note_id: int) -> bool:
    """Render, seal and store a credit note's PDF once, then queue its emails."""
    try:
        return credit_notes.credit_note_render(credit_note_id=credit_note_id)
    except (SealingFailed, OSError) as exc:  # the timestamp authority or the storage is down
        if self.request.is_eager:
            raise
        raise self.retry(exc=exc) from exc


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=5,
    default_retry_delay=60,
    soft_time_limit=REPORT_SOFT_TIME_LIMIT,
    time_limit=REPORT_TIME_LIMIT,
)
def amendment_finish(self, report_id: int, user_id: int | None) -> str:
    """Render an amended report once, then issue it (its emails queued)."""
    try:
        return amendments.amendment_finish(report_id=report_id, user_id=user_id)
    except (SealingFailed, reports.StorageFailed) as exc:  # try again later
        if self.request.is_eager or self.request.retries >= self.max_retries:
            return "failed"  # recorded on the report with its reason
        raise self.retry(exc=exc) from exc
    except SoftTimeLimitExceeded:
        return "failed"


@shared_task(acks_late=True)
def breach_warnings_check() -> int:
    """Beat's entry, every few minutes: give the warnings due now; how many were new."""
    return len(warnings.breach_warnings_check())
