"""Background work of the webhooks: thin tasks that call the services."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import timezone

import slaportal.celery  # noqa: F401  (the portal's app, so its tasks bind to it)
from slaportal.queueing import enqueue
from webhooks import selectors, services


def _countdown(seconds: int) -> int:
    """At most half the Redis visibility timeout: a longer wait is left to ``deliveries_due``."""
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    return max(1, min(int(seconds), int(visibility) // 2))


@shared_task(bind=True, acks_late=True, max_retries=None)
def delivery_send(self, delivery_id: int) -> str:
    """Attempt one delivery; a failure is retried after the backoff wait.

    In-process (no broker) there is no waiting: the next attempt is left to
    ``deliveries_due`` (beat), as is any wait longer than half the visibility timeout."""
    result = services.delivery_attempt(delivery_id=delivery_id)
    waiting = result.state in ("retry", "not_due") and not self.request.is_eager
    if waiting and result.wait <= _countdown(result.wait):
        raise self.retry(countdown=result.wait)
    return result.state


@shared_task(acks_late=True)
def deliveries_due() -> int:
    """Beat's sweep (every minute): queue the deliveries whose next attempt is due."""
    ids = list(selectors.deliveries_due(now=timezone.now()).values_list("pk", flat=True)[:1000])
    for pk in ids:
        enqueue(delivery_send, pk)
    return len(ids)


@shared_task(bind=True, acks_late=True, max_retries=5)
def subscription_disabled_email(self, subscription_id: int) -> bool:
    try:
        return services.subscription_disabled_email(subscription_id=subscription_id)
    except OSError as exc:
        if self.request.is_eager:
            return False
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc
