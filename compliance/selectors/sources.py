"""Reads of event sources: their deliveries, and what a source's page needs."""

from __future__ import annotations

from django.db.models import Count, Max, Q, QuerySet

from compliance.models import EventSource, SourceDelivery
from contracts.models import Contract


def sources_of(contract: Contract) -> QuerySet[EventSource]:
    """The contract's sources with their last delivery and how many were refused in all."""
    return (
        EventSource.objects.filter(contract=contract)
        .annotate(
            last_delivery_at=Max("deliveries__received_at"),
            refused_count=Count("deliveries", filter=Q(deliveries__outcome="refused")),
        )
        .order_by("name", "id")
    )


def deliveries_of(source: EventSource) -> QuerySet[SourceDelivery]:
    """The source's deliveries, newest first."""
    return SourceDelivery.objects.filter(source=source).order_by("-received_at", "-id")
