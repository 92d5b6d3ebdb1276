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
from django.utils import timezone
from django.utils.module_loading import import_string

from slaportal.celery import app
from slaportal.queueing import enqueue, unreachable_errors

logger = logging.getLogger("slaportal.queueing")


def pending_work(*, older_than: timedelta, within: timedelta) -> list[tuple[str, tuple]]:
    """(task name, args) of the work pending for longer than ``older_than`` (and less than
    ``within``), as each app's source in ``REQUEUE_SOURCES`` reads it from its records."""
    now = timezone.now()
    cutoff, since = now - older_than, now - within
    work: list[tuple[str, tuple]] = []
    for source in settings.REQUEUE_SOURCES:
        work += import_string(source)(now=now, cutoff=cutoff, since=since)
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
    except unreachable_errors():
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
    except unreachable_errors():
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
    for name, args in work:
        if (name, tuple(args)) in held:
            counts["skipped"] += 1
        elif enqueue(name, *args):
            counts[name] += 1
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
