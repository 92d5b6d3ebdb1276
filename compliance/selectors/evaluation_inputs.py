"""The plain inputs of ``compliance.engine.evaluation``, read from the database.

``evaluation_inputs_for(contracts, period)`` loads, for any number of contracts at once, the
version each is evaluated under with its terms and clauses, and the period's incidents (with
pauses), outages, delivered hours and recorded KPI values, in a constant number of queries
(eleven; twelve when a version has custom KPI levels, whose values take one more). Rows are
read with ``values_list`` so that no model instances are built for events.

Which version: the frozen version in force at the end of the period (the latest whose
``in_force_from`` is on or before the period's last day); failing that, the latest frozen
version; for a contract with only a draft, the draft.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, Q, Sum
from django.utils import timezone

from compliance.engine import calendars as cal
from compliance.engine.evaluation import (
    CUSTOM,
    ClauseRef,
    EvaluationInputs,
    HoursInput,
    IncidentInput,
    LevelInput,
    OutageInput,
    ResponsibilityInput,
    ServiceInput,
)
from compliance.engine.periods import format_period, next_period, period_bounds
from compliance.models import Incident, IncidentPause, KpiValue, Outage, WorkLog
from compliance.selectors.contract_terms import (
    business_calendar,
    credit_cap,
    credit_tier,
    hours_bank_rules,
    maintenance_window,
)
from contracts.models import (
    Clause,
    Contract,
    CreditTier,
    MaintenanceWindow,
    Responsibility,
    Service,
    ServiceLevel,
    Version,
)


@dataclass(frozen=True)
class LoadedInputs:
    """A contract's inputs for one period and the version they come from."""

    contract: Contract
    version: Version
    inputs: EvaluationInputs

    @property
    def final(self) -> bool:
        return self.inputs.as_of is None


def choose_version(versions: Sequence[Version], period: tuple[int, int]) -> Version | None:
    """The version a period is evaluated under (see the module docstring)."""
    last_day = date(*next_period(*period), 1) - timedelta(days=1)
    frozen = [v for v in versions if v.is_frozen]
    in_force = [v for v in frozen if v.in_force_from and v.in_force_from <= last_day]
    if in_force:
        return max(in_force, key=lambda v: (v.in_force_from, v.number))
    if frozen:
        return max(frozen, key=lambda v: v.number)
    return max(versions, key=lambda v: v.number, default=None)


def _placeholder(name: str) -> re.Pattern:
    return re.compile(r"\{\{\s*" + re.escape(name) + r"\s*\}\}")


def _clause_using(clauses: list[Clause], *names: str) -> ClauseRef | None:
    """The first clause whose legal or plain text names one of ``names``, by preference."""
    for name in names:
        pattern = _placeholder(name)
        for clause in clauses:
            if pattern.search(clause.legal_text) or pattern.search(clause.plain_text):
                return ClauseRef(clause.position, clause.heading)
    return None


class _Calendars:
    """Business calendars shared between contracts with the same hours, holidays and zone,
    so each one's per-day memo serves them all."""

    def __init__(self, years: list[int]) -> None:
        self.years = years
        self.cache: dict[tuple, cal.BusinessCalendar] = {}

    def get(self, calendar, tz: ZoneInfo) -> cal.BusinessCalendar:
        key = (
            tz.key,
            calendar.around_the_clock,
            tuple(sorted((str(k), v) for k, v in calendar.hours.items())),
            calendar.holiday_country,
            calendar.holiday_subdivision,
            tuple(calendar.extra_holiday_dates),
        )
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = business_calendar(calendar, tz, self.years)
        return found


def evaluation_inputs_for(
    contracts: Sequence[Contract], period: tuple[int, int], *, now: datetime | None = None
) -> dict[int, LoadedInputs]:
    """Inputs per contract id for ``period``; contracts without any version are left out.

    ``now`` (default: the current time) bounds open events while the period is running;
    once it is over the inputs no longer depend on it.
    """
    now = now or timezone.now()
    contracts = list(contracts)
    if not contracts:
        return {}
    ids = [c.pk for c in contracts]
    bounds = {c.pk: period_bounds(*period, ZoneInfo(c.time_zone)) for c in contracts}
    low = min(start for start, _ in bounds.values())
    high = max(end for _, end in bounds.values())

    # Versions and terms: one query per kind of row, across all contracts.
    by_contract: dict[int, list[Version]] = defaultdict(list)
    for version in Version.objects.filter(contract_id__in=ids).select_related(
        "credit_cap", "hours_commitment"
    ):
        by_contract[version.contract_id].append(version)
    chosen = {cid: choose_version(versions, period) for cid, versions in by_contract.items()}
    version_ids = [v.pk for v in chosen.values() if v is not None]
    services = _group(Service.objects.filter(version_id__in=version_ids))
    windows = _group(MaintenanceWindow.objects.filter(version_id__in=version_ids))
    responsibilities = _group(Responsibility.objects.filter(version_id__in=version_ids))
    clauses = _group(
        Clause.objects.filter(version_id__in=version_ids)
        .only("id", "version_id", "position", "heading", "legal_text", "plain_text")
        .order_by("position", "id")
    )
    levels = _group(
        ServiceLevel.objects.filter(version_id__in=version_ids)
        .select_related("service", "calendar", "target", "share")
        .prefetch_related(Prefetch("credit_tiers", queryset=CreditTier.objects.order_by("-below")))
        # The order the author gave them: the reports list them as the contract does.
        .order_by("position", "key")
    )

    # Events of the period, read as plain rows.
    incidents, outages = events_between(ids, low, high)
    delivered = _delivered_hours(contracts, period)
    kpi_values = _kpi_values(ids, period, levels)

    years = [period[0] - 1, period[0], period[0] + 1]
    calendars = _Calendars(years)
    loaded = {}
    for contract in contracts:
        version = chosen.get(contract.pk)
        if version is None:
            continue
        tz = ZoneInfo(contract.time_zone)
        _, period_end = bounds[contract.pk]
        version_clauses = clauses.get(version.pk, [])
        commitment = getattr(version, "hours_commitment", None)
        cap = getattr(version, "credit_cap", None)
        inputs = EvaluationInputs(
            contract=contract.reference,
            period=period,
            tz=tz,
            version=version.number,
            term_start=contract.start_date,
            term_end=contract.end_date,
            monthly_fee=contract.monthly_fee,
            currency=contract.currency,
            services=tuple(
                ServiceInput(s.name, s.in_scope, s.out_of_scope_reason) for s in services.get(version.pk, [])
            ),
            levels=tuple(_level(level, tz, calendars) for level in levels.get(version.pk, [])),
            incidents=tuple(incidents.get(contract.pk, ())),
            outages=tuple(outages.get(contract.pk, ())),
            responsibilities=tuple(
                ResponsibilityInput(
                    r.key,
                    r.duty,
                    r.consequence,
                    _clause_using(version_clauses, r.placeholder, "responsibilities_list"),
                )
                for r in responsibilities.get(version.pk, [])
            ),
            maintenance_windows=tuple(maintenance_window(w) for w in windows.get(version.pk, [])),
            scope_clause=_clause_using(version_clauses, "scope_list"),
            maintenance_clause=_clause_using(version_clauses, "maintenance_list"),
            cap=credit_cap(cap) if cap else None,
            hours=None
            if commitment is None
            else HoursInput(
                committed=commitment.hours_per_month,
                rules=hours_bank_rules(commitment),
                first_period=(contract.start_date.year, contract.start_date.month),
                delivered=delivered.get(contract.pk, {}),
            ),
            as_of=None if now >= period_end else now,
            kpi_values=kpi_values.get(contract.pk, {}),
        )
        loaded[contract.pk] = LoadedInputs(contract=contract, version=version, inputs=inputs)
    return loaded


def _group(queryset) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for row in queryset:
        grouped[row.version_id].append(row)
    return grouped


def _pause_key(pause: tuple[datetime, datetime | None]):
    return pause[0], pause[1] is None, pause[1] or pause[0]


def _level(level: ServiceLevel, tz: ZoneInfo, calendars: _Calendars) -> LevelInput:
    target = level.target.typed_value
    share = level.share.typed_value if level.share_id else None
    return LevelInput(
        key=level.key,
        name=level.name,
        metric=level.metric,
        target=Decimal(target) if isinstance(target, int | Decimal) else Decimal(0),
        service=level.service.name if level.service_id else None,
        priority=level.priority,
        share=Decimal(share) if isinstance(share, int | Decimal) else None,
        calendar=calendars.get(level.calendar, tz) if level.calendar_id else None,
        remove_excluded_from_measured=level.remove_excluded_from_measured,
        tiers=tuple(credit_tier(tier) for tier in level.credit_tiers.all()),
    )


def _kpi_values(
    ids: list[int], period: tuple[int, int], levels: dict[int, list]
) -> dict[int, dict[str, Decimal]]:
    """Recorded custom KPI values per contract and level key for the period; no query when
    none of the versions has a custom KPI level."""
    found: dict[int, dict[str, Decimal]] = defaultdict(dict)
    if not any(level.metric == CUSTOM for rows in levels.values() for level in rows):
        return found
    for contract_id, key, value in KpiValue.objects.filter(
        contract_id__in=ids, period=format_period(*period)
    ).values_list("contract_id", "service_level_key", "value"):
        found[contract_id][key] = value
    return found


def _delivered_hours(contracts: list[Contract], period: tuple[int, int]) -> dict[int, dict[str, Decimal]]:
    """Non-billable hours per contract and month, from the earliest start to the period."""
    first = min(date(c.start_date.year, c.start_date.month, 1) for c in contracts)
    rows = (
        WorkLog.objects.filter(
            contract_id__in=[c.pk for c in contracts],
            billable=False,
            date__gte=first,
            date__lt=date(*next_period(*period), 1),
        )
        .values("contract_id", "date__year", "date__month")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    found: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in rows:
        # Databases disagree on the scale of a decimal sum (SQLite 8, PostgreSQL 8.00).
        total = Decimal(row["total"]).quantize(Decimal("0.01"))
        found[row["contract_id"]][f"{row['date__year']:04d}-{row['date__month']:02d}"] = total
    return found


# ---------------------------------------------------------------- events as engine inputs

_INCIDENT_INPUT_COLUMNS = tuple(f.name for f in dataclasses.fields(IncidentInput) if f.name != "pauses")
_OUTAGE_INPUT_COLUMNS = tuple(f.name for f in dataclasses.fields(OutageInput))


def events_between(
    contract_ids, low: datetime, high: datetime
) -> tuple[dict[int, list[IncidentInput]], dict[int, list[OutageInput]]]:
    """The engine inputs of the contracts' incidents opened in ``[low, high)`` (with their
    pauses, in order) and of their outages overlapping it, per contract id, in three queries."""
    ids = list(contract_ids)
    pauses: dict[int, list] = defaultdict(list)
    for incident_id, start, end in IncidentPause.objects.filter(
        incident__contract_id__in=ids, incident__opened_at__gte=low, incident__opened_at__lt=high
    ).values_list("incident_id", "start", "end"):
        pauses[incident_id].append((start, end))
    incidents: dict[int, list[IncidentInput]] = defaultdict(list)
    for row in Incident.objects.filter(
        contract_id__in=ids, opened_at__gte=low, opened_at__lt=high
    ).values_list("id", "contract_id", *_INCIDENT_INPUT_COLUMNS):
        ordered = tuple(sorted(pauses.get(row[0], ()), key=_pause_key))
        incidents[row[1]].append(IncidentInput(*row[2:], pauses=ordered))
    outages: dict[int, list[OutageInput]] = defaultdict(list)
    for row in Outage.objects.filter(
        Q(end__isnull=True) | Q(end__gt=low), contract_id__in=ids, start__lt=high
    ).values_list("contract_id", *_OUTAGE_INPUT_COLUMNS):
        outages[row[0]].append(OutageInput(*row[1:]))
    return incidents, outages
