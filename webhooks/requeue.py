"""Webhook work still to do, read back from its records (see ``slaportal.requeue``): the
emails telling admins a subscription was disabled that were never sent. Deliveries are
swept every minute by ``webhooks.tasks.deliveries_due``."""

from __future__ import annotations

from datetime import datetime

from webhooks.models import Subscription


def pending_work(*, now: datetime, cutoff: datetime, since: datetime) -> list[tuple[str, tuple]]:
    emails = Subscription.objects.filter(
        is_active=False,
        disabled_email_sent_at__isnull=True,
        disabled_at__lt=cutoff,
        disabled_at__gte=since,
    )
    return [
        ("webhooks.tasks.subscription_disabled_email", (pk,)) for pk in emails.values_list("pk", flat=True)
    ]
