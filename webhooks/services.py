"""Writes of the webhooks: subscriptions, events and their deliveries, each attempt.

Events are recorded when a domain signal arrives (after the change committed); each
subscriber of the type gets a delivery row, and a task per delivery is queued by name. The
task calls ``delivery_attempt``, which claims the row (pending and due → sending) before
the request, so a task retried, redelivered or queued twice sends a delivered event once.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from standardwebhooks import Webhook

from contracts.models import Membership, Role
from contracts.services.emails import email_send, email_send_once
from slaportal.queueing import enqueue_on_commit
from webhooks import events
from webhooks.models import Attempt, Delivery, DeliveryStatus, Event, Subscription, new_secret
from webhooks.sending import addresses, backoff, client

logger = logging.getLogger(__name__)

DELIVER_TASK = "webhooks.tasks.delivery_send"
DISABLED_EMAIL_TASK = "webhooks.tasks.subscription_disabled_email"
ROTATION_OVERLAP = timedelta(days=1)


# ---------------------------------------------------------------- subscriptions


def subscription_url_check(url: str) -> None:
    """Refuse a URL the portal will not call: not http(s), or a host that is (or resolves
    to) a loopback, link-local or private address while ``WEBHOOKS_ALLOW_PRIVATE_ADDRESSES``
    is off. A host that does not resolve yet is accepted: each attempt checks again."""
    try:
        addresses.split_url(url)
        addresses.checked_addresses(url, allow_private=settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES)
    except addresses.AddressRefused as exc:
        if "could not be resolved" not in str(exc):
            raise ValidationError({"url": str(exc)}) from None


def _clean_event_types(event_types) -> list[str]:
    chosen = [name for name in event_types or () if name in events.BY_NAME]
    if not chosen or len(chosen) != len(list(event_types)):
        raise ValidationError({"event_types": "Choose one or more of the listed events."})
    return sorted(set(chosen), key=[e.name for e in events.EVENT_TYPES].index)


def subscription_create(
    *, organisation, user, url: str, event_types, description: str = ""
) -> tuple[Subscription, str]:
    """Subscribe ``url`` to the chosen events of the provider ``organisation``; answers the
    subscription and its signing secret (shown once)."""
    subscription_url_check(url)
    subscription = Subscription.objects.create(
        organisation=organisation,
        url=url,
        description=(description or "").strip(),
        event_types=_clean_event_types(event_types),
        created_by=user,
    )
    return subscription, subscription.secret


def subscription_update(
    *, subscription: Subscription, url: str, event_types, description: str = "", is_active: bool = True
) -> Subscription:
    """Change the URL, the events, the description; switching a disabled subscription back
    on forgets its failures."""
    subscription_url_check(url)
    subscription.url = url
    subscription.description = (description or "").strip()
    subscription.event_types = _clean_event_types(event_types)
    if is_active and not subscription.is_active:
        subscription.failing_since = None
        subscription.disabled_at = None
        subscription.disabled_reason = ""
        subscription.disabled_email_sent_at = None
    subscription.is_active = is_active
    subscription.updated_at = timezone.now()
    subscription.save()
    return subscription


def subscription_delete(*, subscription: Subscription) -> None:
    """Delete the subscription with its delivery log; nothing more is sent to it."""
    subscription.delete()


def subscription_secret_rotate(*, subscription: Subscription, now: datetime | None = None) -> str:
    """A new signing secret (answered, to show once); the previous one still signs for a day."""
    now = now or timezone.now()
    subscription.previous_secret = subscription.secret
    subscription.previous_secret_expires_at = now + ROTATION_OVERLAP
    subscription.secret = new_secret()
    subscription.updated_at = now
    subscription.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at", "updated_at"])
    return subscription.secret


# ---------------------------------------------------------------- events


def _payload(event_type: str, data: dict, now: datetime) -> dict:
    return {"type": event_type, "timestamp": now.isoformat().replace("+00:00", "Z"), "data": data}


def event_publish(*, organisation, event_type: str, data: dict, now: datetime | None = None) -> Event | None:
    """Record an event of the provider and a delivery for each of its active subscribers of
    that type, and queue their sending after commit. None when nobody subscribes."""
    now = now or timezone.now()
    subscribers = [
        s
        for s in Subscription.objects.filter(organisation=organisation, is_active=True)
        if s.listens_to(event_type)
    ]
    if not subscribers:
        return None
    with transaction.atomic():
        event = Event.objects.create(
            organisation=organisation,
            event_type=event_type,
            payload=_payload(event_type, data, now),
            created_at=now,
        )
        deliveries = Delivery.objects.bulk_create(
            [Delivery(subscription=s, event=event, next_attempt_at=now, created_at=now) for s in subscribers]
        )
        for delivery in deliveries:
            enqueue_on_commit(DELIVER_TASK, delivery.pk)
    return event


def subscription_test_send(*, subscription: Subscription, user, now: datetime | None = None) -> Delivery:
    """Send a ``webhook.test`` event to this subscription alone (even when disabled, to try
    a fix before switching it back on)."""
    now = now or timezone.now()
    data = {
        "message": "A test event from the SLA portal.",
        "organisation": subscription.organisation.name,
        "sent_by": user.email if user else None,
    }
    with transaction.atomic():
        event = Event.objects.create(
            organisation=subscription.organisation,
            event_type=events.TEST_EVENT,
            payload=_payload(events.TEST_EVENT, data, now),
            created_at=now,
        )
        delivery = Delivery.objects.create(
            subscription=subscription, event=event, next_attempt_at=now, created_at=now
        )
        enqueue_on_commit(DELIVER_TASK, delivery.pk)
    return delivery


# ---------------------------------------------------------------- sending


def sign(*, subscription: Subscription, message_id: str, body: str, now: datetime) -> dict[str, str]:
    """The Standard Webhooks headers of one attempt: id, timestamp and the signatures with
    each secret in use (space-separated, as the specification allows during a rotation)."""
    signatures = [
        Webhook(secret).sign(msg_id=message_id, timestamp=now, data=body)
        for secret in subscription.signing_secrets(now)
    ]
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": " ".join(signatures),
        "Content-Type": "application/json",
        "User-Agent": "SLA-portal-webhooks/1",
    }


@dataclass(frozen=True)
class AttemptResult:
    """What ``delivery_attempt`` did: ``sent``, ``retry`` (``wait`` seconds), ``failed``
    (attempts used up), ``not_due`` (``wait`` seconds left), ``done`` (delivered, failed or
    cancelled before), ``busy`` (another task holds the claim) or ``cancelled``."""

    state: str
    wait: int = 0


def _claim(delivery_id: int, now: datetime) -> bool:
    stale = now - timedelta(seconds=settings.WEBHOOKS_STALE_AFTER)
    return bool(
        Delivery.objects.filter(
            Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            | Q(status=DeliveryStatus.SENDING, claimed_at__lt=stale),
            pk=delivery_id,
        ).update(status=DeliveryStatus.SENDING, claimed_at=now)
    )


def _unclaimed_state(delivery_id: int, now: datetime) -> AttemptResult:
    delivery = Delivery.objects.filter(pk=delivery_id).first()
    if delivery is None or delivery.status in (
        DeliveryStatus.SUCCEEDED,
        DeliveryStatus.FAILED,
        DeliveryStatus.CANCELLED,
    ):
        return AttemptResult("done")
    if delivery.status == DeliveryStatus.SENDING:
        return AttemptResult("busy")
    return AttemptResult("not_due", max(1, int((delivery.next_attempt_at - now).total_seconds()) + 1))


def delivery_attempt(*, delivery_id: int, now: datetime | None = None) -> AttemptResult:
    """Make the next attempt of a delivery if it is due and nobody else is making it.

    The attempt is logged with its status code and duration. A 2xx answer delivers; any
    other outcome schedules the next attempt (``sending.backoff``) or, when the attempts
    are used up, fails the delivery. A subscription failing for ``WEBHOOKS_DISABLE_AFTER``
    seconds is disabled and its organisation's admins emailed."""
    now = now or timezone.now()
    if not _claim(delivery_id, now):
        return _unclaimed_state(delivery_id, now)
    delivery = Delivery.objects.select_related("subscription__organisation", "event").get(pk=delivery_id)
    subscription, event = delivery.subscription, delivery.event
    is_test = event.event_type == events.TEST_EVENT
    if not subscription.is_active and not is_test:
        Delivery.objects.filter(pk=delivery_id).update(status=DeliveryStatus.CANCELLED)
        return AttemptResult("cancelled")
    body = json.dumps(event.payload, separators=(",", ":"), ensure_ascii=False)
    headers = sign(subscription=subscription, message_id=event.message_id, body=body, now=now)
    outcome = client.post(
        subscription.url,
        body.encode(),
        headers,
        allow_private=settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES,
        timeout=settings.WEBHOOKS_TIMEOUT,
    )
    return _record(delivery=delivery, outcome=outcome, started_at=now, is_test=is_test)


@transaction.atomic
def _record(
    *, delivery: Delivery, outcome: client.Outcome, started_at: datetime, is_test: bool
) -> AttemptResult:
    number = delivery.attempts + 1
    Attempt.objects.create(
        delivery=delivery,
        number=number,
        started_at=started_at,
        status_code=outcome.status_code,
        duration_ms=outcome.duration_ms,
        error=outcome.error[:500],
        response_excerpt=outcome.response_excerpt,
    )
    delivery.attempts = number
    delivery.last_status_code = outcome.status_code
    delivery.last_error = outcome.error[:500]
    subscription = Subscription.objects.select_for_update().get(pk=delivery.subscription_id)
    if outcome.ok:
        delivery.status, delivery.delivered_at = DeliveryStatus.SUCCEEDED, started_at
        delivery.save()
        subscription.failing_since = None
        subscription.last_success_at = started_at
        subscription.save(update_fields=["failing_since", "last_success_at"])
        return AttemptResult("sent")
    wait = backoff.retry_wait(number)
    if wait is None or is_test:  # a test event is attempted once: its sender is watching
        delivery.status = DeliveryStatus.FAILED
        result = AttemptResult("failed")
    else:
        delivery.status, delivery.next_attempt_at = (
            DeliveryStatus.PENDING,
            started_at + timedelta(seconds=wait),
        )
        result = AttemptResult("retry", wait)
    delivery.save()
    if not is_test and subscription.is_active:
        if subscription.failing_since is None:
            subscription.failing_since = started_at
            subscription.save(update_fields=["failing_since"])
        elif started_at - subscription.failing_since >= timedelta(seconds=settings.WEBHOOKS_DISABLE_AFTER):
            _disable(subscription, now=started_at, reason=outcome.error or "No answer")
            return AttemptResult("failed")
    return result


def _disable(subscription: Subscription, *, now: datetime, reason: str) -> None:
    hours = settings.WEBHOOKS_DISABLE_AFTER // 3600
    subscription.is_active = False
    subscription.disabled_at = now
    subscription.disabled_reason = f"Every attempt failed for {hours} hours; the last: {reason}"[:300]
    subscription.save(update_fields=["is_active", "disabled_at", "disabled_reason"])
    Delivery.objects.filter(
        subscription=subscription, status__in=(DeliveryStatus.PENDING, DeliveryStatus.SENDING)
    ).exclude(event__event_type=events.TEST_EVENT).update(status=DeliveryStatus.CANCELLED)
    enqueue_on_commit(DISABLED_EMAIL_TASK, subscription.pk)


def subscription_disabled_email(*, subscription_id: int) -> bool:
    """Tell the admins of the subscription's organisation that it was disabled, once."""
    subscription = Subscription.objects.select_related("organisation").get(pk=subscription_id)
    recipients = sorted(
        Membership.objects.filter(organisation=subscription.organisation, role=Role.ADMIN).values_list(
            "user__email", flat=True
        )
    )
    if not recipients:
        return False
    return email_send_once(
        unclaimed=Subscription.objects.filter(is_active=False, disabled_email_sent_at__isnull=True),
        pk=subscription.pk,
        field="disabled_email_sent_at",
        send=lambda: email_send(
            template="webhook_disabled",
            context={"subscription": subscription, "organisation": subscription.organisation},
            to=recipients,
        ),
    )
