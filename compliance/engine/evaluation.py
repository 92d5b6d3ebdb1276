"""One contract evaluated for one period: terms and events in, figures out.

Plain values only (no ORM): ``compliance.selectors.evaluation_inputs`` builds the inputs from the
database. The rules, documented for users in ``docs/compliance.md``:

- **Which events belong to the period.** Incidents *opened* in the period (local month);
  outages *overlapping* it, clipped to it (an outage still open runs to the evaluation's
  ``as_of``, the period end once the period is over).
- **Exclusions**, checked in this order, each with its reason and the clause behind it:
  outside the contract's term (incidents opened outside it; the parts of outages outside
  it), a service the version does not name, an out-of-scope service, the cause
  "out-of-scope system", a customer cause under a responsibility of the version whatever
  its consequence; and for outages, the part of a *planned* outage inside a maintenance
  window. The exclusion of a customer cause carries the consequence, and its explanation
  says what else follows (``CONSEQUENCE_FOLLOWS``); under ``billable`` the work is billable
  outside the contract and the hours bank (``PeriodFigures.billable_exclusions``). A third
  party counts against the provider, and so does a customer cause naming a responsibility
  the version does not have.
- **Availability** (``compliance.engine.availability``): an outage's exclusions apply to that
  outage only; counted downtime is the union over the level's outages of each outage less
  its own excluded parts, so overlapping outages count once and an excluded outage never
  hides another at the same time. Every minute of the period is measured and excluded
  downtime counts as available; with ``remove_excluded_from_measured`` the excluded minutes
  (and the part of the period outside the term) that no counted downtime of the level
  overlaps leave the measured time. A service level without a service covers every
  in-scope service.
- **First response / resolution**: each incident's business time in the level's calendar
  (24×7 in the contract's zone when it has none) minus its pauses, in the same business
  hours; within target when at most the target. An incident without the end time is
  measured to ``as_of``: breached once past the target, otherwise *pending* (counted
  neither way). Achieved = the percentage of counted incidents within target; met when at
  least ``share`` percent (all, without a share). No incidents: 100, met.
- **Custom KPIs** (outcome figures such as customer satisfaction) take the value recorded
  for the period (``compliance.models.KpiValue``): higher is better, so met when the value
  is at least the target (in the target's unit: a percentage target takes a percentage);
  achieved = the value, and a missed KPI takes its credit tier like any other level.
  Without a recorded value: listed as not measured, never credited.
- **Credits** (``compliance.engine.credits``) for the missed service levels only, capped.
- **Hours bank** (``compliance.engine.hours_bank``) from the contract's first month to the period.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from compliance.engine import availability as av
from compliance.engine import calendars as cal
from compliance.engine import credits as cr
from compliance.engine.hours_bank import HoursBankRow, HoursBankRules, MonthHours, hours_bank_ledger
from compliance.engine.periods import format_period, local_to_utc, next_period, period_bounds

AVAILABILITY = "availability"
FIRST_RESPONSE = "first_response"
RESOLUTION = "resolution"
CUSTOM = "custom"
DURATION_METRICS = (FIRST_RESPONSE, RESOLUTION)

EXCLUDE_FROM_SLA = "exclude_from_sla"
PAUSE_CLOCK = "pause_clock"
BILLABLE = "billable"
INDEMNIFY = "indemnify"
# What else follows when the customer breaches a responsibility; the event itself never
# counts against the provider, whatever the consequence.
CONSEQUENCE_FOLLOWS = {
    EXCLUDE_FROM_SLA: "",
    PAUSE_CLOCK: "time spent waiting on the customer pauses the clock",
    BILLABLE: "the work it caused is billable outside the contract and the hours bank",
    INDEMNIFY: "the customer holds the provider harmless",
}
CAUSE_CUSTOMER = "customer"
CAUSE_OUT_OF_SCOPE = "out_of_scope"

_MINUTE = timedelta(minutes=1)
_HUNDRED = Decimal(100)


# ---------------------------------------------------------------- inputs


@dataclass(frozen=True)
class ClauseRef:
    """A clause of the version, by its number (position) and heading."""

    number: int
    heading: str

    @property
    def label(self) -> str:
        return f"clause {self.number}, “{self.heading}”"


@dataclass(frozen=True)
class ServiceInput:
    name: str
    in_scope: bool = True
    out_of_scope_reason: str = ""


@dataclass(frozen=True)
class ResponsibilityInput:
    key: str
    duty: str
    consequence: str
    clause: ClauseRef | None = None


@dataclass(frozen=True)
class LevelInput:
    """A service level: ``target`` in percent (availability, custom) or minutes (response,
    resolution); ``service`` ``None`` means every in-scope service; ``priority`` "" all."""

    key: str
    name: str
    metric: str
    target: Decimal
    service: str | None = None
    priority: str = ""
    share: Decimal | None = None
    calendar: cal.BusinessCalendar | None = None
    remove_excluded_from_measured: bool = False
    tiers: tuple[cr.CreditTier, ...] = ()


@dataclass(frozen=True)
class IncidentInput:
    external_id: str
    service: str
    priority: str
    opened_at: datetime
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    cause: str = "provider"
    responsibility: str = ""
    pauses: tuple[tuple[datetime, datetime | None], ...] = ()


@dataclass(frozen=True)
class OutageInput:
    external_id: str
    service: str
    start: datetime
    end: datetime | None = None
    planned: bool = False
    cause: str = "provider"
    responsibility: str = ""


@dataclass(frozen=True)
class HoursInput:
    """The monthly commitment, its carry rules, and delivered (non-billable) hours per
    period label ``"YYYY-MM"``, from ``first_period`` on."""

    committed: Decimal
    rules: HoursBankRules
    first_period: tuple[int, int]
    delivered: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class EvaluationInputs:
    """Everything one evaluation reads. ``as_of`` is when open events are measured to
    (``None``: the period end); ``term_end`` is the last day of the term, inclusive."""

    contract: str
    period: tuple[int, int]
    tz: tzinfo
    version: int
    term_start: date
    term_end: date | None
    monthly_fee: Decimal
    currency: str
    services: tuple[ServiceInput, ...]
    levels: tuple[LevelInput, ...]
    incidents: tuple[IncidentInput, ...] = ()
    outages: tuple[OutageInput, ...] = ()
    responsibilities: tuple[ResponsibilityInput, ...] = ()
    maintenance_windows: tuple[cal.MaintenanceWindow, ...] = ()
    scope_clause: ClauseRef | None = None
    maintenance_clause: ClauseRef | None = None
    cap: cr.CreditCap | None = None
    hours: HoursInput | None = None
    as_of: datetime | None = None
    # The values of custom KPI service levels recorded for the period, by level key.
    kpi_values: dict[str, Decimal] = field(default_factory=dict)


# ---------------------------------------------------------------- figures


@dataclass(frozen=True)
class Exclusion:
    """An event (or part of an outage) that does not count against the provider."""

    kind: str  # "incident" or "outage"
    external_id: str
    service: str
    reason: str  # outside_term, unknown_service, out_of_scope, customer, maintenance
    explanation: str
    clause: ClauseRef | None
    priority: str = ""
    # Outages: the excluded seconds inside the period, and whether the rest counts.
    excluded_seconds: int | None = None
    partial: bool = False
    # Customer causes: the consequence of the breached responsibility (what else follows).
    consequence: str = ""

    @property
    def billable(self) -> bool:
        """True when the work on this event is billable outside the contract and the hours
        bank: caused by the customer under a responsibility whose consequence is billable."""
        return self.consequence == BILLABLE


@dataclass(frozen=True)
class Breach:
    """An event that counted against a service level: an outage's counted downtime, or an
    incident over its target (``open``: still without the end time at ``as_of``)."""

    external_id: str
    minutes: Decimal
    detail: str
    open: bool = False
    deadline: datetime | None = None


@dataclass(frozen=True)
class LevelResult:
    key: str
    name: str
    metric: str
    service: str | None
    priority: str
    target: Decimal
    share: Decimal | None
    measured: bool
    achieved: Decimal | None
    met: bool | None
    counted: int = 0
    within: int = 0
    pending: int = 0
    availability: av.AvailabilityFigures | None = None
    error_budget: av.ErrorBudget | None = None
    breaches: tuple[Breach, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    note: str = ""
    #: Times were counted in the business hours of a calendar (not around the clock): the
    #: pages then say "6 h 36 min of business time against 4 business hours".
    business_time: bool = False

    @property
    def achieved_display(self) -> str:
        """The achieved value to the precision of what is compared: the target for
        availability, the share for response and resolution; rounded down, so a missed
        target never shows as equal to it."""
        if self.achieved is None:
            return ""
        if self.metric == CUSTOM:
            # A recorded figure is shown as it was recorded, without trailing zeros.
            return format(self.achieved.normalize(), "f")
        reference = self.target if self.metric == AVAILABILITY else (self.share or _HUNDRED)
        return str(shown_to_precision(self.achieved, reference))


@dataclass(frozen=True)
class PeriodFigures:
    contract: str
    period: str
    version: int
    currency: str
    monthly_fee: Decimal
    period_start: datetime
    period_end: datetime
    as_of: datetime
    levels: tuple[LevelResult, ...]
    exclusions: tuple[Exclusion, ...]
    credits: cr.CreditSummary
    hours: HoursBankRow | None
    hours_ledger: tuple[HoursBankRow, ...]

    @property
    def final(self) -> bool:
        """True when the period is over: the figures will not change unless events do."""
        return self.as_of >= self.period_end

    @property
    def billable_exclusions(self) -> tuple[Exclusion, ...]:
        """The excluded events whose work is billable outside the contract and the hours
        bank. Work logs are not linked to events, so the report lists these for the provider
        to invoice and to log the work against them as billable."""
        return tuple(e for e in self.exclusions if e.billable)


def shown_to_precision(value: Decimal, reference: Decimal) -> Decimal:
    """``value`` with as many decimals as ``reference`` (99.9 → one), rounded down."""
    exponent = reference.normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)


# ---------------------------------------------------------------- evaluation


def evaluate(inputs: EvaluationInputs) -> PeriodFigures:
    """The figures of one contract for one period under the module's rules."""
    tz = inputs.tz
    start, end = period_bounds(*inputs.period, tz)
    as_of = end if inputs.as_of is None else min(max(inputs.as_of, start), end)
    term = _term_interval(inputs, start, end)
    context = _Context(inputs, start, end, as_of, term)

    results = []
    for level in inputs.levels:
        if level.metric == AVAILABILITY:
            results.append(_availability(context, level))
        elif level.metric in DURATION_METRICS:
            results.append(_durations(context, level))
        elif level.key in inputs.kpi_values:
            results.append(_kpi(level, inputs.kpi_values[level.key]))
        else:
            results.append(_unmeasured(level))

    credits = cr.period_credits(
        [
            cr.ServiceLevelOutcome(r.name, r.achieved, _tiers(inputs, r.key))
            for r in results
            if r.met is False
        ],
        monthly_fee=inputs.monthly_fee,
        cap=inputs.cap,
    )
    ledger = _hours_ledger(inputs)
    return PeriodFigures(
        contract=inputs.contract,
        period=format_period(*inputs.period),
        version=inputs.version,
        currency=inputs.currency,
        monthly_fee=inputs.monthly_fee,
        period_start=start,
        period_end=end,
        as_of=as_of,
        levels=tuple(results),
        exclusions=tuple(context.incident_exclusions) + tuple(context.outage_exclusions),
        credits=credits,
        hours=ledger[-1] if ledger else None,
        hours_ledger=tuple(ledger),
    )


def counted_incidents(inputs: EvaluationInputs, level: LevelInput) -> list[IncidentInput]:
    """The incidents that count against a first-response or resolution ``level`` in the
    period, exactly as ``evaluate`` selects them: opened in the period and inside the term,
    not excluded, and of the level's service (any in-scope one without) and priority."""
    start, end = period_bounds(*inputs.period, inputs.tz)
    as_of = end if inputs.as_of is None else min(max(inputs.as_of, start), end)
    context = _Context(inputs, start, end, as_of, _term_interval(inputs, start, end))
    return context.level_incidents(level)


def _tiers(inputs: EvaluationInputs, key: str) -> tuple[cr.CreditTier, ...]:
    return next(level.tiers for level in inputs.levels if level.key == key)


def _term_interval(inputs: EvaluationInputs, start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """The part of the period inside the contract's term (possibly empty)."""
    term_start = local_to_utc(datetime.combine(inputs.term_start, datetime.min.time()), inputs.tz)
    term_end = end
    if inputs.term_end is not None:
        term_end = local_to_utc(
            datetime.combine(inputs.term_end + timedelta(days=1), datetime.min.time()), inputs.tz
        )
    low, high = max(start, term_start), min(end, term_end)
    return (low, high) if low < high else (start, start)


class _Context:
    """The period's events classified once: what counts, and what is excluded and why."""

    def __init__(self, inputs, start, end, as_of, term) -> None:
        self.inputs = inputs
        self.start, self.end, self.as_of, self.term = start, end, as_of, term
        self.services = {s.name: s for s in inputs.services}
        self.in_scope = frozenset(s.name for s in inputs.services if s.in_scope)
        self.responsibilities = {r.key: r for r in inputs.responsibilities}
        self.outside_term = av.subtract_intervals([(start, end)], [term])

        self.incidents: list[IncidentInput] = []
        self.incident_exclusions: list[Exclusion] = []
        for incident in inputs.incidents:
            if not start <= incident.opened_at < end:
                continue
            exclusion = self._incident_exclusion(incident)
            if exclusion is None:
                self.incidents.append(incident)
            else:
                self.incident_exclusions.append(exclusion)

        windows = (
            cal.maintenance_intervals(inputs.maintenance_windows, tz=inputs.tz, start=start, end=end)
            if inputs.maintenance_windows
            else []
        )
        # Per outage: its span in the period, and the excluded parts of it.
        self.outages: list[tuple[OutageInput, list, list]] = []
        self.outage_exclusions: list[Exclusion] = []
        for outage in inputs.outages:
            outage_end = as_of if outage.end is None else outage.end
            span = av.clip_intervals([(outage.start, outage_end)], start, end)
            if not span:
                continue
            excluded, exclusions = self._outage_exclusions(outage, span, windows)
            self.outages.append((outage, span, excluded))
            self.outage_exclusions.extend(exclusions)

    # -- reasons

    def _scope_reason(
        self, service: str, cause: str, responsibility: str
    ) -> tuple[str, str, ClauseRef | None, str] | None:
        """Why a whole event is excluded: (reason, explanation, clause, consequence), or
        ``None`` when it counts."""
        inputs = self.inputs
        known = self.services.get(service)
        if known is None:
            return (
                "unknown_service",
                f"{service} is not named in the scope of version {inputs.version}",
                inputs.scope_clause,
                "",
            )
        if not known.in_scope:
            why = f": {known.out_of_scope_reason}" if known.out_of_scope_reason else ""
            return "out_of_scope", f"{service} is out of scope{why}", inputs.scope_clause, ""
        if cause == CAUSE_OUT_OF_SCOPE:
            return "out_of_scope", "caused by an out-of-scope system", inputs.scope_clause, ""
        if cause == CAUSE_CUSTOMER:
            # Whatever the consequence, what the customer caused by breaching one of its
            # responsibilities never counts against the provider; the consequence says what
            # else follows. A responsibility the version does not have excludes nothing: no
            # clause of the version would stand behind the exclusion.
            duty = self.responsibilities.get(responsibility)
            if duty is not None:
                explanation = f"caused by the customer, against the duty: {duty.duty}"
                follows = CONSEQUENCE_FOLLOWS.get(duty.consequence, "")
                if follows:
                    explanation = f"{explanation}; {follows}"
                return "customer", explanation, duty.clause, duty.consequence
        return None

    def _incident_exclusion(self, incident: IncidentInput) -> Exclusion | None:
        low, high = self.term
        if not low <= incident.opened_at < high:
            found = ("outside_term", "opened outside the contract's term", None, "")
        else:
            found = self._scope_reason(incident.service, incident.cause, incident.responsibility)
        if found is None:
            return None
        reason, explanation, clause, consequence = found
        return Exclusion(
            "incident",
            incident.external_id,
            incident.service,
            reason,
            explanation,
            clause,
            incident.priority,
            consequence=consequence,
        )

    def _outage_exclusions(self, outage: OutageInput, span, windows) -> tuple[list, list[Exclusion]]:
        whole = self._scope_reason(outage.service, outage.cause, outage.responsibility)
        if whole is not None:
            reason, explanation, clause, consequence = whole
            seconds = _seconds(span)
            return span, [
                Exclusion(
                    "outage",
                    outage.external_id,
                    outage.service,
                    reason,
                    explanation,
                    clause,
                    excluded_seconds=seconds,
                    consequence=consequence,
                )
            ]
        parts = [
            (
                "outside_term",
                "the part outside the contract's term",
                None,
                _intersect(span, self.outside_term),
            ),
        ]
        if outage.planned:
            parts.append(
                (
                    "maintenance",
                    "planned maintenance inside a maintenance window",
                    self.inputs.maintenance_clause,
                    _intersect(span, windows),
                )
            )
        excluded: list = []
        exclusions = []
        for reason, explanation, clause, intervals in parts:
            intervals = av.subtract_intervals(intervals, excluded)
            if not intervals:
                continue
            excluded = av.merge_intervals([*excluded, *intervals])
            exclusions.append((reason, explanation, clause, _seconds(intervals)))
        partial = bool(av.subtract_intervals(span, excluded))
        return excluded, [
            Exclusion(
                "outage",
                outage.external_id,
                outage.service,
                reason,
                explanation,
                clause,
                excluded_seconds=seconds,
                partial=partial,
            )
            for reason, explanation, clause, seconds in exclusions
        ]

    # -- selection per service level

    def level_services(self, level: LevelInput) -> frozenset[str]:
        return self.in_scope if level.service is None else frozenset({level.service})

    def level_incidents(self, level: LevelInput) -> list[IncidentInput]:
        services = self.level_services(level)
        return [
            incident
            for incident in self.incidents
            if incident.service in services and (not level.priority or incident.priority == level.priority)
        ]

    def level_exclusions(self, level: LevelInput, kind: str) -> tuple[Exclusion, ...]:
        # A level over all services lists every excluded event: out-of-scope ones would
        # have counted had they been in scope.
        source = self.outage_exclusions if kind == "outage" else self.incident_exclusions
        return tuple(
            e
            for e in source
            if (level.service is None or e.service == level.service)
            and (kind == "outage" or not level.priority or e.priority == level.priority)
        )


def _availability(context: _Context, level: LevelInput) -> LevelResult:
    services = context.level_services(level)
    outages = [(o, span, excluded) for o, span, excluded in context.outages if o.service in services]
    # Each outage's exclusions apply to that outage only: an excluded outage (customer-caused,
    # planned maintenance) never hides another outage's downtime at the same time.
    counted = av.counted_downtime((span, excluded) for _, span, excluded in outages)
    # Excluded time leaves the measured time (when the level removes it) only where no
    # counted downtime overlaps it: measure_availability takes care of that.
    excluded = [*context.outside_term, *(part for _, _, parts in outages for part in parts)]
    breaches = []
    for outage, span, outage_excluded in outages:
        counts = av.subtract_intervals(span, outage_excluded)
        if counts:
            breaches.append(
                Breach(
                    outage.external_id,
                    _minutes(_seconds(counts)),
                    f"{outage.service} down",
                    open=outage.end is None,
                )
            )
    figures = av.measure_availability(
        context.start, context.end, counted, excluded, level.remove_excluded_from_measured
    )
    budget = figures.error_budget(level.target)
    return LevelResult(
        key=level.key,
        name=level.name,
        metric=level.metric,
        service=level.service,
        priority=level.priority,
        target=level.target,
        share=None,
        measured=True,
        achieved=figures.achieved,
        met=figures.achieved >= level.target,
        counted=len(breaches),
        availability=figures,
        error_budget=budget,
        breaches=tuple(breaches),
        exclusions=context.level_exclusions(level, "outage"),
    )


def _durations(context: _Context, level: LevelInput) -> LevelResult:
    calendar = level.calendar or cal.BusinessCalendar.around_the_clock(context.inputs.tz)
    target = timedelta(minutes=int(level.target))
    within = pending = 0
    breaches = []
    attribute = "first_response_at" if level.metric == FIRST_RESPONSE else "resolved_at"
    for incident in context.level_incidents(level):
        finished = getattr(incident, attribute)
        if finished is not None:
            taken = cal.business_duration(calendar, incident.opened_at, finished, incident.pauses)
            if taken <= target:
                within += 1
            else:
                breaches.append(
                    Breach(
                        incident.external_id, _minutes_of(taken), f"{incident.priority} {incident.service}"
                    )
                )
            continue
        as_of = max(context.as_of, incident.opened_at)
        taken = cal.business_duration(calendar, incident.opened_at, as_of, incident.pauses)
        if taken <= target:
            pending += 1
            continue
        deadline = None
        if all(end is not None for _, end in incident.pauses):
            deadline = cal.add_business_duration(calendar, incident.opened_at, target, incident.pauses)
        breaches.append(
            Breach(
                incident.external_id,
                _minutes_of(taken),
                f"{incident.priority} {incident.service}, still open",
                open=True,
                deadline=deadline,
            )
        )
    counted = within + len(breaches)
    achieved = _HUNDRED if counted == 0 else _HUNDRED * within / counted
    share = _HUNDRED if level.share is None else level.share
    return LevelResult(
        key=level.key,
        name=level.name,
        metric=level.metric,
        service=level.service,
        priority=level.priority,
        target=level.target,
        share=level.share,
        measured=True,
        achieved=achieved,
        met=achieved >= share,
        counted=counted,
        within=within,
        pending=pending,
        breaches=tuple(breaches),
        exclusions=context.level_exclusions(level, "incident"),
        note="" if counted else "no incidents to measure",
        business_time=not calendar.is_around_the_clock,
    )


def _kpi(level: LevelInput, value: Decimal) -> LevelResult:
    """A custom KPI with the value recorded for the period: higher is better, met when at
    least the target."""
    return LevelResult(
        key=level.key,
        name=level.name,
        metric=level.metric,
        service=level.service,
        priority=level.priority,
        target=level.target,
        share=level.share,
        measured=True,
        achieved=value,
        met=value >= level.target,
        note="value recorded for the period",
    )


def _unmeasured(level: LevelInput) -> LevelResult:
    return LevelResult(
        key=level.key,
        name=level.name,
        metric=level.metric,
        service=level.service,
        priority=level.priority,
        target=level.target,
        share=level.share,
        measured=False,
        achieved=None,
        met=None,
        note="no value recorded for this KPI; not credited",
    )


def _hours_ledger(inputs: EvaluationInputs) -> list[HoursBankRow]:
    hours = inputs.hours
    if hours is None or hours.first_period > inputs.period:
        return []
    months = []
    period = hours.first_period
    while period <= inputs.period:
        label = format_period(*period)
        months.append(MonthHours(label, hours.committed, hours.delivered.get(label, Decimal(0))))
        period = next_period(*period)
    return hours_bank_ledger(months, rules=hours.rules)


# ---------------------------------------------------------------- helpers


def _intersect(intervals, others) -> list:
    found = []
    for start, end in intervals:
        for other_start, other_end in others:
            low, high = max(start, other_start), min(end, other_end)
            if low < high:
                found.append((low, high))
    return av.merge_intervals(found)


def _seconds(intervals: Iterable[tuple[datetime, datetime]]) -> int:
    return av.total_seconds((av.to_seconds(a), av.to_seconds(b)) for a, b in intervals)


def _minutes(seconds: int) -> Decimal:
    return (Decimal(seconds) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _minutes_of(duration: timedelta) -> Decimal:
    return (Decimal(duration // timedelta(microseconds=1)) / 60_000_000).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
