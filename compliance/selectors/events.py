"""Reads of events: the terms events are checked against, and event lists per period.

Tenancy goes through ``contracts.selectors.tenancy``: events of a contract the user is not a party to
are not in any queryset here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from django.db.models import OuterRef, Q, QuerySet, Subquery

from compliance.engine.periods import next_period, period_bounds
from compliance.models import Evaluation, EventSource, Incident, Outage, WorkLog
from contracts.models import Contract, Responsibility, Service, Version, VersionState

# ---------------------------------------------------------------- terms events are checked against


def version_in_force(contract: Contract) -> Version | None:
    """The latest frozen version of the contract; for a contract with only a draft, the draft."""
    versions = Version.objects.filter(contract=contract)
    return versions.filter(state=VersionState.FROZEN).order_by("-number").first() or (
        versions.order_by("-number").first()
    )


@dataclass(frozen=True)
class EventTerms:
    """What events of a contract are checked against, loaded once per import or form.

    ``services`` maps each service name of the version in force to whether it is in scope;
    ``responsibilities`` maps each customer responsibility key to its duty.
    """

    contract: Contract
    version: Version | None
    services: dict[str, bool] = field(default_factory=dict)
    responsibilities: dict[str, str] = field(default_factory=dict)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.contract.time_zone)

    @property
    def version_label(self) -> str:
        return f"version {self.version.number}" if self.version else "the contract (it has no version yet)"


def event_terms(contract: Contract) -> EventTerms:
    """The contract's version in force with its services and responsibilities (three queries)."""
    version = version_in_force(contract)
    if version is None:
        return EventTerms(contract=contract, version=None)
    services = dict(Service.objects.filter(version=version).values_list("name", "in_scope"))
    responsibilities = dict(Responsibility.objects.filter(version=version).values_list("key", "duty"))
    return EventTerms(
        contract=contract, version=version, services=services, responsibilities=responsibilities
    )


# ---------------------------------------------------------------- event lists


def _bounds(contract: Contract, period: tuple[int, int]):
    return period_bounds(*period, ZoneInfo(contract.time_zone))


def incidents_of(contract: Contract, period: tuple[int, int] | None = None) -> QuerySet[Incident]:
    """The contract's incidents, those opened in ``period`` (local month) when given, with
    their pauses prefetched."""
    incidents = Incident.objects.filter(contract=contract).select_related("source").prefetch_related("pauses")
    if period is not None:
        start, end = _bounds(contract, period)
        incidents = incidents.filter(opened_at__gte=start, opened_at__lt=end)
    return incidents.order_by("-opened_at", "-id")


def outages_of(contract: Contract, period: tuple[int, int] | None = None) -> QuerySet[Outage]:
    """The contract's outages, those overlapping ``period`` when given (ongoing ones too)."""
    outages = Outage.objects.filter(contract=contract).select_related("source")
    if period is not None:
        start, end = _bounds(contract, period)
        outages = outages.filter(Q(end__isnull=True) | Q(end__gte=start), start__lt=end)
    return outages.order_by("-start", "-id")


def worklogs_of(contract: Contract, period: tuple[int, int] | None = None) -> QuerySet[WorkLog]:
    """The contract's work logs, those dated in ``period`` when given."""
    worklogs = WorkLog.objects.filter(contract=contract)
    if period is not None:
        first = date(*period, 1)
        worklogs = worklogs.filter(date__gte=first, date__lt=date(*next_period(*period), 1))
    return worklogs.order_by("-date", "-id")


EVENTS_OF = {"incidents": incidents_of, "outages": outages_of, "worklogs": worklogs_of}


# ---------------------------------------------------------------- what the lists filter on


def event_services(contract: Contract, kind: str) -> list[str]:
    """The services the contract's events of ``kind`` name (one query)."""
    model = {"incidents": Incident, "outages": Outage}.get(kind)
    if model is None:
        return []
    return list(
        model.objects.filter(contract=contract)
        .order_by("service")
        .values_list("service", flat=True)
        .distinct()
    )


def event_sources(contract: Contract):
    """The contract's event sources, and the provider-wide ones routed to it (one query)."""
    routed = Q(routes__contract=contract, organisation=contract.provider_id)
    return list(EventSource.objects.filter(Q(contract=contract) | routed).distinct())


def breached_ids(contract: Contract, period: tuple[int, int] | None = None) -> set[str]:
    """External ids of events counted as a breach of a service level in the latest stored
    figures of each month (of ``period`` when given): one query."""
    latest = (
        Evaluation.objects.filter(contract=contract, period=OuterRef("period"))
        .order_by("-revision")
        .values("revision")[:1]
    )
    evaluations = Evaluation.objects.filter(contract=contract, revision=Subquery(latest))
    if period is not None:
        evaluations = evaluations.filter(period=f"{period[0]:04d}-{period[1]:02d}")
    ids: set[str] = set()
    for figures in evaluations.values_list("figures", flat=True):
        for level in figures.get("service_levels", []):
            ids.update(breach["external_id"] for breach in level.get("breaches", []))
    return ids


# ---------------------------------------------------------------- exports

EXPORT_HEADERS = {
    "incidents": [
        "Id",
        "Service",
        "Priority",
        "Opened",
        "First response",
        "Resolved",
        "Reopened",
        "Waiting on customer",
        "Cause",
        "Responsibility",
        "Summary",
        "From",
        "Breached",
    ],
    "outages": [
        "Id",
        "Service",
        "Down from",
        "Up again",
        "Planned",
        "Cause",
        "Responsibility",
        "Summary",
        "From",
        "Breached",
    ],
    "worklogs": ["Id", "Date", "Hours", "Who", "Billable outside the contract", "Description"],
}


def _local(value, tz: ZoneInfo) -> str:
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M") if value else ""


def _origin(event) -> str:
    return str(event.source) if event.source_id else "Entered by the provider"


def export_rows(kind: str, events, *, contract: Contract, breached: set[str]) -> list[list]:
    """The rows of an export, times in the contract's zone; the events' pauses and sources
    come with the queryset (constant queries)."""
    tz = ZoneInfo(contract.time_zone)
    rows = []
    for event in events:
        if kind == "incidents":
            pauses = "; ".join(f"{_local(p.start, tz)}–{_local(p.end, tz)}" for p in event.pauses.all())
            rows.append(
                [
                    event.external_id,
                    event.service,
                    event.priority,
                    _local(event.opened_at, tz),
                    _local(event.first_response_at, tz),
                    _local(event.resolved_at, tz),
                    event.reopened,
                    pauses,
                    event.get_cause_display(),
                    event.responsibility,
                    event.summary,
                    _origin(event),
                    event.external_id in breached,
                ]
            )
        elif kind == "outages":
            rows.append(
                [
                    event.external_id,
                    event.service,
                    _local(event.start, tz),
                    _local(event.end, tz),
                    event.planned,
                    event.get_cause_display(),
                    event.responsibility,
                    event.summary,
                    _origin(event),
                    event.external_id in breached,
                ]
            )
        else:
            rows.append(
                [
                    event.external_id,
                    event.date,
                    event.hours,
                    event.person,
                    event.billable,
                    event.description,
                ]
            )
    return rows
