"""Queueing again the background work whose task never reached a worker.

Work is recorded in the database before its task is published (``slaportal.queueing``), so
what is still to do can be read back from the records:

- an invitation still valid whose email was not sent (``email_sent_at`` empty);
- a signer whose turn it is and who was not emailed (``notified_at`` empty);
- a completed signature request still waiting for its seal;
- a signer of a sealed request who has not been sent the signed PDF;
- a report run item never started (pending, no attempt);
- a report delivery never attempted (pending, no attempt, its report ready);
- a report run item or delivery left running or sending by a worker that died, once its claim
  is stale (past ``CELERY_TASK_TIME_LIMIT`` or ``REPORT_DELIVERY_STALE_AFTER``): the
  redelivered message may have come back before that and been skipped.

Each is queued again once it has been pending for ``REQUEUE_PENDING_AFTER`` seconds (and for
at most ``REQUEUE_PENDING_WITHIN_DAYS`` days, so that old records are never mailed out of the
blue). The tasks are idempotent (each checks the record first and records what it did), so a
task queued twice does its work once. To keep duplicates rare in the first place, nothing is
queued while the broker's queue still holds messages (the workers are behind, the work is
probably waiting there), and a task a worker holds (running, reserved or waiting for a retry)
is not queued again.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from slaportal.queueing import UNREACHABLE, enqueue

logger = logging.getLogger("slaportal.queueing")


def pending_work(*, older_than: timedelta, within: timedelta) -> list[tuple[object, tuple]]:
    """(task, args) of the work pending for longer than ``older_than`` (and less than
    ``within``), oldest kinds of work first."""
    from compliance.models import Delivery, DeliveryStatus, ItemStatus, ReportRunItem, ReportStatus
    from compliance.tasks import report_deliver, report_make
    from contracts.models import Invitation, SignatureRequest, Signer
    from contracts.models.signing import RequestStatus, SealStatus, SignerStatus
    from contracts.services.signing import signers_at_turn
    from contracts.tasks import (
        invitation_send_email,
        signature_email_signed_pdf,
        signature_email_signer,
        signature_seal,
    )

    now = timezone.now()
    cutoff, since = now - older_than, now - within
    work: list[tuple[object, tuple]] = []

    invitations = Invitation.objects.filter(
        email_sent_at=None, accepted_at=None, revoked_at=None, expires_at__gt=now
    ).filter(created_at__lt=cutoff, created_at__gte=since)
    work += [(invitation_send_email, (pk,)) for pk in invitations.values_list("pk", flat=True)]

    # Signing: the request's last timeline event (sent, a signature, completion, a failed
    # seal) is when the current step began.
    requests = SignatureRequest.objects.annotate(last_event=Max("events__at")).filter(created_at__gte=since)
    for request in requests.filter(status=RequestStatus.OPEN):
        if (request.last_event or request.created_at) < cutoff:
            work += [
                (signature_email_signer, (s.pk, False))
                for s in signers_at_turn(request)
                if s.notified_at is None
            ]
    sealing = requests.filter(status=RequestStatus.COMPLETED, seal_status=SealStatus.PENDING)
    for request in sealing:
        if (request.last_event or request.closed_at or request.created_at) < cutoff:
            work.append((signature_seal, (request.pk,)))
    unsent_pdfs = Signer.objects.filter(
        request__seal_status=SealStatus.SEALED,
        request__sealed_at__lt=cutoff,
        request__sealed_at__gte=since,
        status=SignerStatus.SIGNED,
        signed_pdf_sent_at=None,
    )
    work += [(signature_email_signed_pdf, (pk,)) for pk in unsent_pdfs.values_list("pk", flat=True)]

    items = ReportRunItem.objects.filter(
        status=ItemStatus.PENDING, attempts=0, run__started_at__lt=cutoff, run__started_at__gte=since
    )
    work += [(report_make, (pk,)) for pk in items.values_list("pk", flat=True)]
    deliveries = Delivery.objects.filter(
        status=DeliveryStatus.PENDING,
        attempts=0,
        report__status=ReportStatus.READY,
        created_at__lt=cutoff,
        created_at__gte=since,
    )
    work += [(report_deliver, (pk,)) for pk in deliveries.values_list("pk", flat=True)]

    # Claims left behind by a dead worker. The tasks take over a stale claim themselves.
    stale_items = ReportRunItem.objects.filter(
        status=ItemStatus.RUNNING,
        claimed_at__lt=min(cutoff, now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)),
        run__started_at__gte=since,
    )
    work += [(report_make, (pk,)) for pk in stale_items.values_list("pk", flat=True)]
    stale_deliveries = Delivery.objects.filter(
        status=DeliveryStatus.SENDING,
        claimed_at__lt=min(cutoff, now - timedelta(seconds=settings.REPORT_DELIVERY_STALE_AFTER)),
        created_at__gte=since,
    )
    work += [(report_deliver, (pk,)) for pk in stale_deliveries.values_list("pk", flat=True)]
    return work


def broker_backlog(app) -> int | None:
    """Messages waiting in the default queue; None without a broker or when unreachable."""
    if app.conf.task_always_eager:
        return None
    from kombu.exceptions import ChannelError

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1)
            channel = conn.default_channel
            try:
                return channel.queue_declare(queue=app.conf.task_default_queue, passive=True).message_count
            except ChannelError:  # no such queue: nothing was ever queued, or all taken
                return 0
    except UNREACHABLE:
        return None


def tasks_held_by_workers(app, timeout: float = 1.0) -> set[tuple[str, tuple]]:
    """(task name, args) of what the workers hold: running, reserved, or waiting to retry."""
    if app.conf.task_always_eager:
        return set()
    held: set[tuple[str, tuple]] = set()
    try:
        inspect = app.control.inspect(timeout=timeout)
        replies = [inspect.active() or {}, inspect.reserved() or {}]
        scheduled = inspect.scheduled() or {}
    except UNREACHABLE:
        return held
    for reply in replies:
        for tasks in reply.values():
            held |= {(t.get("name"), tuple(t.get("args") or ())) for t in tasks}
    for entries in scheduled.values():
        for entry in entries:
            t = entry.get("request", {})
            held.add((t.get("name"), tuple(t.get("args") or ())))
    return held


def requeue_pending(
    *, older_than: timedelta | None = None, within: timedelta | None = None, force: bool = False
) -> Counter:
    """Queue again the work pending for longer than ``older_than`` (default
    ``REQUEUE_PENDING_AFTER`` seconds). Returns how many tasks were queued, by task name;
    ``skipped`` counts what was left because the workers hold it or are behind (unless
    ``force``), ``unqueued`` what the broker refused."""
    from slaportal.celery import app

    if older_than is None:
        older_than = timedelta(seconds=max(settings.REQUEUE_PENDING_AFTER, 0))
    if within is None:
        within = timedelta(days=settings.REQUEUE_PENDING_WITHIN_DAYS)
    counts: Counter = Counter()
    work = pending_work(older_than=older_than, within=within)
    if not work:
        return counts
    if not force:
        backlog = broker_backlog(app)
        if backlog:
            logger.info("Requeue skipped: %s messages still wait in the queue.", backlog)
            counts["skipped"] += len(work)
            return counts
        held = tasks_held_by_workers(app)
    else:
        held = set()
    for task, args in work:
        if (task.name, tuple(args)) in held:
            counts["skipped"] += 1
        elif enqueue(task, *args):
            counts[task.name] += 1
        else:
            counts["unqueued"] += 1
    queued = sum(n for name, n in counts.items() if name not in ("skipped", "unqueued"))
    if queued:
        logger.warning("Queued again %s pending tasks: %s", queued, dict(counts))
    return counts


@shared_task(ignore_result=True)
def requeue_pending_work() -> dict:
    """Beat's entry (every ``REQUEUE_PENDING_AFTER`` seconds): see the module docstring."""
    return dict(requeue_pending())
