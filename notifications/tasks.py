"""Background work of notifications. Thin: each task takes an id and calls a service."""

from __future__ import annotations

from celery import shared_task

import slaportal.celery  # noqa: F401  (the portal's app, so its tasks bind to it)
from notifications import renewal_reminders, services


@shared_task(bind=True, acks_late=True, max_retries=4)
def notification_email(self, notification_id: int) -> bool:
    try:
        return services.notification_email_send(notification_id=notification_id)
    except Exception as exc:
        if self.request.is_eager or self.request.retries >= self.max_retries:
            raise
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc


@shared_task(bind=True, acks_late=True, max_retries=4)
def digest_email(self, user_id: int) -> int:
    try:
        return services.digest_send(user_id=user_id)
    except Exception as exc:
        if self.request.is_eager or self.request.retries >= self.max_retries:
            raise
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc


@shared_task(acks_late=True)
def digests_send() -> int:
    """Beat's entry, once a day: one digest per person with notifications waiting."""
    return services.digests_send()


@shared_task(acks_late=True)
def renewal_reminders_send() -> int:
    """Beat's entry, every RENEWALS_EVERY seconds: reminders before notice deadlines and ends."""
    return renewal_reminders.renewal_reminders_send()
