"""Figures of many months at once: the trend of a contract and the provider's scorecard.

``monthly_figures(contracts, periods)`` gives the figures of every (contract, month) pair:
the latest stored revision where there is one, otherwise evaluated now, exactly as
``services.evaluations.evaluations_run`` would evaluate it, and not stored: a page never
writes (the monthly run stores each month once it is over).

Reading the inputs month by month would cost eleven queries per month. Instead the terms
are read once per version and calendar year (``evaluation_inputs_for`` for the latest
missing month of each group: a version's terms do not depend on the month, and its
business calendars carry the public holidays of the year around the month), and the
events of the whole span are read once and handed to each month as
``evaluation_inputs_for`` would select them. The number of queries depends on how many
versions and calendar years the months span, not on the number of months or contracts.

A month that ends before the contract starts, starts after it ends, or has not started
yet has no figures.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from compliance.engine import charts
from compliance.engine.credits import CreditCap
from compliance.engine.evaluation import IncidentInput, OutageInput
from compliance.engine.evaluation_json import level_plotted
from compliance.engine.forecast import Forecast, availability_forecast
from compliance.engine.periods import format_period, period_bounds, previous_period
from compliance.models import Evaluation
from compliance.selectors.evaluation_inputs import (
    LoadedInputs,
    choose_version,
    evaluation_inputs_for,
    events_between,
)
from compliance.selectors.evaluations import PeriodStanding, evaluation_of, period_standing
from compliance.selectors.issued import issued_figures
from contracts.models import Contract, Version

Month = tuple[int, int]


def months_ending(period: Month, count: int) -> list[Month]:
    """``count`` months ending with ``period``, oldest first."""
    months = [period]
    while len(months) < count:
        months.append(previous_period(*months[-1]))
    return months[::-1]


def _has_figures(contract: Contract, month: Month, now: datetime) -> bool:
    """Whether the month overlaps the contract's term and has started."""
    return period_standing(contract=contract, period=month, now=now).evaluable


def latest_stored(contract_ids: Iterable[int], labels: Iterable[str]) -> dict[tuple[int, str], Evaluation]:
    """The latest stored revision per (contract id, period label), in one query."""
    newest = Evaluation.objects.filter(contract=OuterRef("contract"), period=OuterRef("period")).order_by(
        "-revision"
    )
    rows = Evaluation.objects.filter(
        contract_id__in=list(contract_ids),
        period__in=list(labels),
        revision=Subquery(newest.values("revision")[:1]),
    ).only("contract_id", "period", "revision", "figures")
    return {(row.contract_id, row.period): row for row in rows}


def monthly_figures(
    contracts: Sequence[Contract], periods: Sequence[Month], *, now: datetime | None = None
) -> dict[tuple[int, str], dict]:
    """Figures (the stored JSON) per (contract id, ``"YYYY-MM"``) for every month in
    ``periods`` that has figures; see the module docstring. Months that are over and were
    not stored yet are computed live and not stored."""
    now = now or timezone.now()
    labels = {month: format_period(*month) for month in periods}
    wanted = [(c, m) for c in contracts for m in periods if _has_figures(c, m, now)]
    if not wanted:
        return {}
    keys = {(c.pk, labels[m]) for c, m in wanted}
    stored = latest_stored({c.pk for c in contracts}, labels.values())
    found = {key: evaluation.figures for key, evaluation in stored.items() if key in keys}
    missing = [(c, m) for c, m in wanted if (c.pk, labels[m]) not in found]
    # Months never stored are computed live, as the monthly run would evaluate them; a page
    # never stores them.
    for loaded in _loaded_months(missing, now):
        label = labels[loaded.inputs.period]
        found[(loaded.contract.pk, label)] = evaluation_of(loaded, label, None).figures
    return found


# ---------------------------------------------------------------- evaluating missing months


@dataclass
class _Group:
    """Months of contracts evaluated under one version in one calendar year."""

    months: list[tuple[Contract, Month]] = field(default_factory=list)

    @property
    def representative(self) -> Month:
        return max(month for _, month in self.months)


def _loaded_months(missing: list[tuple[Contract, Month]], now: datetime) -> list[LoadedInputs]:
    """The inputs of each missing (contract, month), as ``evaluation_inputs_for`` gives them."""
    contracts = {contract.pk: contract for contract, _ in missing}
    versions: dict[int, list[Version]] = defaultdict(list)
    for version in Version.objects.filter(contract_id__in=list(contracts)).only(
        "id", "contract_id", "number", "state", "in_force_from"
    ):
        versions[version.contract_id].append(version)

    groups: dict[tuple[int, int, int], _Group] = defaultdict(_Group)
    for contract, month in missing:
        version = choose_version(versions.get(contract.pk, []), month)
        if version is not None:
            groups[(contract.pk, version.pk, month[0])].months.append((contract, month))

    # One read of the terms per representative month, shared by every contract using it.
    by_representative: dict[Month, list[Contract]] = defaultdict(list)
    for (contract_id, _, _), group in groups.items():
        by_representative[group.representative].append(contracts[contract_id])
    terms: dict[tuple[int, Month], LoadedInputs] = {}
    for representative, members in by_representative.items():
        loaded = evaluation_inputs_for(list({c.pk: c for c in members}.values()), representative, now=now)
        for contract_id, item in loaded.items():
            terms[(contract_id, representative)] = item

    events = _SpanEvents([(contract, month) for group in groups.values() for contract, month in group.months])
    result = []
    for (contract_id, _, _), group in groups.items():
        base = terms.get((contract_id, group.representative))
        if base is None:
            continue
        for contract, month in group.months:
            result.append(_for_month(base, contract, month, events, now))
    return result


def _for_month(
    base: LoadedInputs, contract: Contract, month: Month, events: _SpanEvents, now: datetime
) -> LoadedInputs:
    start, end = period_bounds(*month, ZoneInfo(contract.time_zone))
    inputs = base.inputs
    hours = inputs.hours
    if hours is not None:
        # Delivered hours were read up to the representative month; later ones are not an input.
        label = format_period(*month)
        hours = dataclasses.replace(hours, delivered={k: v for k, v in hours.delivered.items() if k <= label})
    inputs = dataclasses.replace(
        inputs,
        period=month,
        incidents=events.incidents(contract.pk, start, end),
        outages=events.outages(contract.pk, start, end),
        hours=hours,
        as_of=None if now >= end else now,
    )
    return LoadedInputs(contract=contract, version=base.version, inputs=inputs)


class _SpanEvents:
    """Incidents (with pauses) and outages of every month asked for, read in three queries
    and selected per month as ``evaluation_inputs_for`` selects them."""

    def __init__(self, months: list[tuple[Contract, Month]]) -> None:
        self._incidents: dict[int, list[IncidentInput]] = defaultdict(list)
        self._outages: dict[int, list[OutageInput]] = defaultdict(list)
        if not months:
            return
        ids = list({contract.pk for contract, _ in months})
        spans = [period_bounds(*month, ZoneInfo(contract.time_zone)) for contract, month in months]
        low, high = min(s for s, _ in spans), max(e for _, e in spans)
        self._incidents, self._outages = events_between(ids, low, high)

    def incidents(self, contract_id: int, start: datetime, end: datetime) -> tuple[IncidentInput, ...]:
        return tuple(i for i in self._incidents.get(contract_id, ()) if start <= i.opened_at < end)

    def outages(self, contract_id: int, start: datetime, end: datetime) -> tuple[OutageInput, ...]:
        found = self._outages.get(contract_id, ())
        return tuple(o for o in found if o.start < end and (o.end is None or o.end > start))


# ---------------------------------------------------------------- a contract's trend


@dataclass(frozen=True)
class LevelSeries:
    """One service level's achieved value per month (``None`` where it has none)."""

    key: str
    name: str
    metric: str
    target: Decimal | None
    values: tuple[Decimal | None, ...]


@dataclass(frozen=True)
class ContractTrend:
    """A contract's last months: availability and attainment per service level, credits."""

    periods: tuple[str, ...]
    currency: str
    availability: tuple[LevelSeries, ...]
    attainment: tuple[LevelSeries, ...]
    credits: tuple[Decimal | None, ...]

    @property
    def months_with_figures(self) -> int:
        return sum(value is not None for value in self.credits)


def contract_trend(
    contract: Contract,
    period: Month,
    *,
    selected: dict | None = None,
    months: int = 12,
    now: datetime | None = None,
    issued_only: bool = False,
) -> ContractTrend:
    """The ``months`` months ending at ``period``; ``selected`` are the figures already
    computed for ``period`` itself (the page's own evaluation), so it is not done twice.
    ``issued_only`` (the customer's view): a month that is over shows its latest issued
    report's figures, and is a gap until one is issued."""
    span = months_ending(period, months)
    earlier = span[:-1] if selected is not None else span
    over: set[str] = set()
    if issued_only:
        now = now or timezone.now()
        over = {
            format_period(*month)
            for month in earlier
            if period_standing(contract=contract, period=month, now=now) is PeriodStanding.OVER
        }
    figures = monthly_figures([contract], [m for m in earlier if format_period(*m) not in over], now=now)
    if over:
        figures.update(issued_figures([contract.pk], over))
    by_month = [figures.get((contract.pk, format_period(*month))) for month in span]
    if selected is not None:
        by_month[-1] = selected
    latest = next((f for f in reversed(by_month) if f is not None), None)
    currency = latest["credits"]["currency"] if latest else contract.currency

    levels: dict[str, dict] = {}
    for month_figures in by_month:
        for level in (month_figures or {}).get("service_levels", []):
            levels[level["key"]] = level  # the latest month's name and target win

    def series(level: dict) -> LevelSeries:
        values = []
        for month_figures in by_month:
            match = next(
                (x for x in (month_figures or {}).get("service_levels", []) if x["key"] == level["key"]), None
            )
            values.append(None if match is None else level_plotted(match))
        if level["metric"] == "availability":
            target = Decimal(level["target"])
        else:
            target = Decimal(level["share"]) if level["share"] else Decimal(100)
        return LevelSeries(level["key"], level["name"], level["metric"], target, tuple(values))

    return ContractTrend(
        periods=tuple(format_period(*month) for month in span),
        currency=currency,
        availability=tuple(series(x) for x in levels.values() if x["metric"] == "availability"),
        attainment=tuple(
            series(x) for x in levels.values() if x["metric"] in ("first_response", "resolution")
        ),
        credits=tuple(None if f is None else Decimal(f["credits"]["capped_total"]) for f in by_month),
    )


def common_target(series: Sequence[LevelSeries]) -> Decimal | None:
    """The target shared by all the series, or ``None`` when they differ."""
    targets = {s.target for s in series}
    return targets.pop() if len(targets) == 1 else None


def hours_rows(figures: dict, months: int = 12) -> list[dict]:
    """The last ``months`` rows of the hours-bank ledger of ``figures``."""
    bank = figures.get("hours_bank")
    return [] if not bank else bank["ledger"][-months:]


def period_elapsed(figures: dict) -> Decimal:
    """The share of the month the figures cover, 0–1 (1 for a month that is over)."""
    start, end, as_of = (datetime.fromisoformat(figures[k]) for k in ("period_start", "period_end", "as_of"))
    second = timedelta(seconds=1)
    total, elapsed = (end - start) // second, (as_of - start) // second
    return min(Decimal(1), Decimal(elapsed) / Decimal(total)) if total > 0 else Decimal(1)


# ---------------------------------------------------------------- mid-month forecast


@dataclass(frozen=True)
class LevelForecast:
    """An availability service level's forecast for the running month."""

    key: str
    name: str
    forecast: Forecast


def month_forecasts(
    figures: dict, tiers: dict[str, tuple], cap: CreditCap | None, time_zone: str
) -> list[LevelForecast]:
    """For a running month's figures (a contract in ``time_zone``), the forecast of each
    availability service level with credit tiers (``tiers`` by level key). Levels measuring
    less than the whole month (excluded minutes removed) are left out: the forecast
    measures the whole month."""
    if figures.get("final", True):
        return []
    start, end, as_of = (datetime.fromisoformat(figures[k]) for k in ("period_start", "period_end", "as_of"))
    found = []
    for level in figures["service_levels"]:
        level_tiers = tiers.get(level["key"])
        measured = level.get("availability")
        if level["metric"] != "availability" or not level_tiers or measured is None:
            continue
        if measured["measured_minutes"] != measured["period_minutes"]:
            continue
        # Minutes are stored to two decimals (0.6 s): rounding gives back the exact seconds.
        seconds = int((Decimal(measured["unavailable_minutes"]) * 60).to_integral_value())
        elapsed = int((as_of - start) // timedelta(seconds=1))
        forecast = availability_forecast(
            period_start=start,
            period_end=end,
            now=as_of,
            tz=ZoneInfo(time_zone),
            unavailable_seconds_so_far=min(seconds, max(elapsed, 0)),
            target=Decimal(level["target"]),
            tiers=level_tiers,
            monthly_fee=Decimal(figures["monthly_fee"]),
            currency=figures["currency"],
            cap=cap,
        )
        found.append(LevelForecast(level["key"], level["name"], forecast))
    return found


# ---------------------------------------------------------------- charts


@dataclass(frozen=True)
class Chart:
    """A drawn chart: its heading and the SVG text (``compliance.engine.charts``)."""

    title: str
    svg: str


def trend_charts(trend: ContractTrend) -> list[Chart]:
    """Availability, attainment of response and resolution targets, and credits over the
    trend's months."""

    drawn = []
    if trend.availability:
        title = "Availability per month"
        drawn.append(
            Chart(
                title,
                charts.trend_chart(
                    title=title,
                    periods=trend.periods,
                    series=[charts.Series(s.name, s.values) for s in trend.availability],
                    target=common_target(trend.availability),
                    unit="%",
                ),
            )
        )
    if trend.attainment:
        title = "Incidents within the response and resolution targets"
        drawn.append(
            Chart(
                title,
                charts.trend_chart(
                    title=title,
                    periods=trend.periods,
                    series=[charts.Series(s.name, s.values) for s in trend.attainment],
                    target=common_target(trend.attainment),
                    unit="%",
                    y_range=(0, 100),
                ),
            )
        )
    title = "Credits owed per month"
    drawn.append(
        Chart(
            title,
            charts.trend_chart(
                title=title,
                periods=trend.periods,
                series=[charts.Series(f"Credit due ({trend.currency})", trend.credits)],
                target=None,
                unit=trend.currency,
            ),
        )
    )
    return drawn


def month_charts(figures: dict) -> list[Chart]:
    """The error budget of each availability service level in the month (for the running
    month, the whole month's budget with the part of the month elapsed marked), and the
    hours bank over the last twelve months."""

    drawn = []
    elapsed = period_elapsed(figures)
    for level in figures["service_levels"]:
        budget = level.get("error_budget")
        if budget is None:
            continue
        title = f"Error budget: {level['name']}"
        svg = charts.error_budget_chart(
            allowed_minutes=Decimal(budget["allowed_minutes"]),
            used_minutes=Decimal(budget["used_minutes"]),
            elapsed_fraction=elapsed,
            title=title,
        )
        drawn.append(Chart(title, svg))
    rows = hours_rows(figures)
    if rows:
        title = "Hours bank"
        svg = charts.hours_bank_chart(
            periods=[row["period"] for row in rows],
            committed=[Decimal(row["committed"]) for row in rows],
            delivered=[Decimal(row["delivered"]) for row in rows],
            balance=[Decimal(row["carried_on"]) for row in rows],
            title=title,
        )
        drawn.append(Chart(title, svg))
    return drawn
