"""Telling people: notifications made once per person and key, emailed once as each chose.

``notify`` is called by the receivers of the domain signals (``notifications.receivers``).
Emails are queued by task name after commit: one at once per notification, or one digest a
day per person (``digests_send``). Each is claimed (``email_claimed_at``) before sending and
recorded sent (``emailed_at``) after, so a task delivered twice sends once; a claim left by a
worker that died mid-send is taken up again once stale, with the same Message-ID.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from contracts.models import User
from contracts.services import emails
from notifications.models import Delivery, Kind, Notification, Preference, WarningSubscription
from notifications.selectors import deliveries_of
from slaportal.queueing import enqueue_on_commit


def notify(
    *,
    users: Iterable[User],
    kind: str,
    key: str,
    contract=None,
    title: str,
    body: str = "",
    url: str = "",
    quiet=(),
    now: datetime | None = None,
) -> list[Notification]:
    """Tell each of ``users`` (once per person and ``key``); the notifications made now.
    Those to be emailed at once are queued after commit. ``quiet`` users are told in the
    portal only: they have had an email of their own about the same thing."""
    now = now or timezone.now()
    users = {user.pk: user for user in users if user is not None and user.is_active}
    if not users:
        return []
    given = set(
        Notification.objects.filter(recipient__in=list(users), key=key).values_list("recipient_id", flat=True)
    )
    quiet_ids = {user.pk for user in quiet if user is not None}
    users.update({user.pk: user for user in quiet if user is not None and user.is_active})
    deliveries = deliveries_of([u for pk, u in users.items() if pk not in given])
    made = []
    with transaction.atomic():
        for user_id, chosen in deliveries.items():
            row = Notification(
                recipient_id=user_id,
                contract=contract,
                kind=kind,
                key=key,
                title=title[:300],
                body=body,
                url=url,
                created_at=now,
                delivery=Delivery.OFF if user_id in quiet_ids else chosen[str(kind)],
            )
            try:
                with transaction.atomic():
                    row.save(force_insert=True)
            except IntegrityError:  # another worker told this person first
                continue
            made.append(row)
            if row.delivery == Delivery.IMMEDIATE:
                enqueue_on_commit("notifications.tasks.notification_email", row.pk, robust=True)
    return made


def _unclaimed(now: datetime):
    """Notifications whose email is unsent and free to claim: never claimed, or claimed by a
    worker that has not recorded it sent within ``NOTIFICATION_EMAIL_STALE_AFTER`` (it died)."""
    stale = now - timedelta(seconds=settings.NOTIFICATION_EMAIL_STALE_AFTER)
    return Notification.objects.filter(emailed_at=None).filter(
        Q(email_claimed_at=None) | Q(email_claimed_at__lt=stale)
    )


def _message_id(kind: str, *keys: object) -> str:
    """One Message-ID per email, the same on every attempt: a copy the SMTP server took just
    as its worker died shows once in mailboxes that keep one message per Message-ID."""
    token = salted_hmac(f"notification-{kind}-message-id", ".".join(map(str, keys))).hexdigest()[:16]
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<{kind}.{'.'.join(map(str, keys))}.{token}@{domain}>"


def notification_email_send(*, notification_id: int, now: datetime | None = None) -> bool:
    """Email one notification to its recipient, once. True when sent now."""
    now = now or timezone.now()
    if (
        not _unclaimed(now)
        .filter(pk=notification_id, delivery=Delivery.IMMEDIATE)
        .update(email_claimed_at=now)
    ):
        return False
    mine = Notification.objects.filter(pk=notification_id, email_claimed_at=now, emailed_at=None)
    notification = Notification.objects.select_related("recipient", "contract").get(pk=notification_id)
    try:
        emails.email_send(
            template="notification",
            context={"notification": notification, "recipient": notification.recipient},
            to=[notification.recipient.email],
            headers={"Message-ID": _message_id("notification", notification.pk)},
        )
    except Exception:
        mine.update(email_claimed_at=None)  # given back: a retry sends it
        raise
    mine.update(emailed_at=timezone.now())
    return True


def digest_send(*, user_id: int, now: datetime | None = None) -> int:
    """Email the user one digest of their notifications waiting for it; how many it held
    (0 when none, or another worker took them). Each is claimed before sending and given
    back when sending fails."""
    now = now or timezone.now()
    # The claim: only rows still free take this instant; those are this digest's.
    if (
        not _unclaimed(now)
        .filter(recipient_id=user_id, delivery=Delivery.DIGEST)
        .update(email_claimed_at=now)
    ):
        return 0
    mine = Notification.objects.filter(recipient_id=user_id, email_claimed_at=now, emailed_at=None)
    claimed = list(mine.select_related("contract").order_by("created_at", "pk"))
    if not claimed:
        return 0
    user = User.objects.get(pk=user_id)
    try:
        emails.email_send(
            template="notification_digest",
            context={"notifications": claimed, "recipient": user, "count": len(claimed)},
            to=[user.email],
            headers={"Message-ID": _message_id("digest", user_id, *(n.pk for n in claimed))},
        )
    except Exception:
        mine.update(email_claimed_at=None)
        raise
    mine.update(emailed_at=timezone.now())
    return len(claimed)


def digests_send() -> int:
    """Queue one digest per person with notifications waiting for it; how many were queued."""
    users = list(
        Notification.objects.filter(delivery=Delivery.DIGEST, emailed_at=None)
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by()
    )
    for user_id in users:
        enqueue_on_commit("notifications.tasks.digest_email", user_id, robust=True)
    return len(users)


def notification_read(*, notification: Notification) -> None:
    """Mark one notification read (again: nothing changes)."""
    Notification.objects.filter(pk=notification.pk, read_at=None).update(read_at=timezone.now())


def notifications_read_all(*, user: User) -> int:
    """Mark every unread notification of the user read; how many."""
    return Notification.objects.filter(recipient=user, read_at=None).update(read_at=timezone.now())


@transaction.atomic
def preferences_save(
    *,
    user: User,
    deliveries: dict[str, str],
    warning_kinds: list[str] | None = None,
    all_contracts: bool = True,
    contracts=(),
) -> None:
    """Store how the user hears of each kind and, for provider staff (``warning_kinds`` not
    None), which warnings of which contracts."""
    for kind, delivery in deliveries.items():
        if kind not in Kind.values or delivery not in Delivery.values:
            raise ValidationError(f"Unknown notification kind or delivery: {kind}={delivery}")
        Preference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})
    if warning_kinds is None:
        return
    subscription, _ = WarningSubscription.objects.update_or_create(
        user=user, defaults={"kinds": list(warning_kinds), "all_contracts": all_contracts}
    )
    subscription.contracts.set([] if all_contracts else list(contracts))
