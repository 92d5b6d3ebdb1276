"""Reads of the webhooks. Subscriptions belong to a provider organisation and are seen and
managed by its admins only: another tenant's subscription is not in the queryset (404)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet

from contracts.models import Organisation, Role
from webhooks.models import Delivery, DeliveryStatus, Subscription


def webhook_organisations_for_user(user) -> QuerySet[Organisation]:
    """Provider organisations whose webhooks the user manages (as their admin)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return (
        Organisation.objects.filter(is_provider=True, memberships__user=user, memberships__role=Role.ADMIN)
        .distinct()
        .order_by("name", "id")
    )


def subscriptions_for_user(user) -> QuerySet[Subscription]:
    if not user.is_authenticated:
        return Subscription.objects.none()
    return Subscription.objects.filter(organisation__in=webhook_organisations_for_user(user)).select_related(
        "organisation"
    )


def deliveries_of(subscription: Subscription) -> QuerySet[Delivery]:
    """The delivery log of one subscription, newest first, with their attempts."""
    return (
        Delivery.objects.filter(subscription=subscription)
        .select_related("event")
        .prefetch_related("attempt_log")
        .order_by("-created_at", "-id")
    )


def deliveries_due(*, now: datetime) -> QuerySet[Delivery]:
    """Deliveries whose next attempt is due, and claims left by a worker that died."""
    stale = now - timedelta(seconds=settings.WEBHOOKS_STALE_AFTER)
    return Delivery.objects.filter(
        Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        | Q(status=DeliveryStatus.SENDING, claimed_at__lt=stale)
    )
