"""Notification emails still to send, read back from their rows (see ``slaportal.requeue``):
one to be emailed at once whose task never reached a worker, or whose sending failed. Digests
need no requeue: each day's run takes every notification still waiting for one."""

from __future__ import annotations

from datetime import datetime

from notifications.models import Delivery, Notification


def pending_work(*, now: datetime, cutoff: datetime, since: datetime) -> list[tuple[str, tuple]]:
    """(task name, args) of the emails recorded after ``since`` and unsent since before ``cutoff``."""
    waiting = Notification.objects.filter(
        delivery=Delivery.IMMEDIATE, emailed_at=None, created_at__lt=cutoff, created_at__gte=since
    )
    return [("notifications.tasks.notification_email", (pk,)) for pk in waiting.values_list("pk", flat=True)]
