"""Reads of events: the terms events are checked against, and event lists per period.

Tenancy goes through ``contracts.selectors.tenancy``: events of a contract the user is not a party to
are not in any queryset here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet

from compliance.engine.periods import next_period, period_bounds
from compliance.models import Incident, Outage, WorkLog
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
