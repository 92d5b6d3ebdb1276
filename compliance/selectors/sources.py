"""Reads of event sources: their deliveries, and what a source's page needs."""

from __future__ import annotations

from django.db.models import Count, Max, Q, QuerySet

from compliance.models import EventSource, SourceDelivery, SourceRoute
from contracts.models import Contract, Organisation


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


def shared_sources_of(organisation: Organisation) -> QuerySet[EventSource]:
    """The provider's provider-wide sources, with last delivery, refusals and route count."""
    return (
        EventSource.objects.filter(organisation=organisation)
        .annotate(
            last_delivery_at=Max("deliveries__received_at"),
            refused_count=Count("deliveries", filter=Q(deliveries__outcome="refused"), distinct=True),
            route_count=Count("routes", distinct=True),
        )
        .order_by("name", "id")
    )


def shared_sources_feeding(contract: Contract) -> list[SourceRoute]:
    """The routes of provider-wide sources that send this contract's events, with their
    source (one query)."""
    return list(
        SourceRoute.objects.filter(contract=contract, source__organisation=contract.provider_id)
        .select_related("source", "source__organisation")
        .order_by("source__name", "match_value")
    )


def routes_of_source(source: EventSource) -> QuerySet[SourceRoute]:
    """The provider-wide source's routes with their contracts."""
    return SourceRoute.objects.filter(source=source).select_related("contract", "contract__customer")


def deliveries_of(source: EventSource) -> QuerySet[SourceDelivery]:
    """The source's deliveries, newest first."""
    return SourceDelivery.objects.filter(source=source).order_by("-received_at", "-id")
