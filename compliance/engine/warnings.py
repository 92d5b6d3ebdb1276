"""Warnings before a target is missed: one contract's period and an instant in, the warnings
due at that instant out. Plain values only; ``compliance.services.warnings`` stores each
warning once and announces it.

The rules, for users in the README (*Warnings before a breach*):

- **Incidents** (first response, resolution): every incident that counts against the level
  (``evaluation.counted_incidents``: opened in the period, not excluded, of the level's
  service and priority) and has no first response / resolution yet. The time used is its
  business time in the level's calendar (24×7 in the contract's zone without one) from
  opening to ``now``, less its pauses — exactly what the evaluation measures. A warning for
  every share of the target (``shares``, percentages, default 75 and 100) reached;
  ``reached_at`` is the instant it was reached (known once every pause has ended).
- **Availability** (running month only): the month's error budget (downtime allowed at the
  target over the whole month) *half used* at 50 %, *used up* once the downtime exceeds it,
  and *burning* when the downtime so far, continued at the month's average rate until the
  month ends, would use it up (checked once at least ``burn_from`` of the month has passed,
  so that the first minutes of a month never extrapolate a single blip).
- **Hours bank** (running month only): *behind pace* when the hours delivered so far are
  fewer than the hours needed for the month (committed, plus owed hours brought forward,
  less banked hours) times the share of the month that has passed, once at least
  ``pace_from`` of the month has passed.

Each warning has a ``key``, unique within the contract and period, naming the incident or
level and the threshold, so that it is given once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import ROUND_DOWN, Decimal

from compliance.engine import calendars as cal
from compliance.engine.evaluation import (
    AVAILABILITY,
    DURATION_METRICS,
    FIRST_RESPONSE,
    EvaluationInputs,
    counted_incidents,
    evaluate,
)
from compliance.engine.periods import format_period, period_bounds

DEFAULT_SHARES = (75, 100)
INCIDENT = "incident"
BUDGET = "availability"
HOURS = "hours"
BUDGET_HALF = "budget_half"
BUDGET_SPENT = "budget_spent"
BUDGET_BURNING = "budget_burning"
HOURS_BEHIND = "hours_behind"
_HUNDRED = Decimal(100)
_CENT = Decimal("0.1")


@dataclass(frozen=True)
class BreachWarning:
    """A warning due for one incident or level of a contract's period."""

    period: str
    key: str
    kind: str  # incident, availability, hours
    level_key: str
    level_name: str
    threshold: str  # a share ("75") or one of the BUDGET_* / HOURS_* names
    message: str
    subject: str = ""  # the incident's external id
    used: Decimal = Decimal(0)  # percentage of the target, budget or pace used
    reached_at: datetime | None = None
    deadline: datetime | None = None


def breach_warnings(
    inputs: EvaluationInputs,
    now: datetime,
    *,
    shares: Iterable[int] = DEFAULT_SHARES,
    burn_from: Decimal = Decimal("0.1"),
    pace_from: Decimal = Decimal("0.25"),
) -> list[BreachWarning]:
    """Every warning due at ``now`` for the period of ``inputs`` under the module's rules.

    ``inputs.as_of`` is ignored: open incidents are measured to ``now``, also when they were
    opened in a month that is over; availability and the hours bank are warned of only
    while the period runs.
    """
    shares = sorted(set(shares))
    if any(share <= 0 for share in shares):
        raise ValueError("warning shares must be positive percentages")
    found = []
    for level in inputs.levels:
        if level.metric in DURATION_METRICS:
            found.extend(_incident_warnings(inputs, level, now, shares))
    start, end = period_bounds(*inputs.period, inputs.tz)
    if start <= now < end:
        # Incidents were measured above: the month's figures need only the other levels.
        figures = evaluate(
            replace(
                inputs,
                as_of=now,
                incidents=(),
                levels=tuple(level for level in inputs.levels if level.metric not in DURATION_METRICS),
            )
        )
        elapsed = Decimal((now - start).total_seconds()) / Decimal((end - start).total_seconds())
        for result in figures.levels:
            if result.metric == AVAILABILITY and result.error_budget is not None:
                found.extend(_budget_warnings(inputs, result, elapsed, burn_from))
        if figures.hours is not None and elapsed >= pace_from:
            found.extend(_hours_warnings(inputs, figures.hours, elapsed))
    return found


def _as_of(inputs: EvaluationInputs, now: datetime | None) -> EvaluationInputs:
    return replace(inputs, as_of=now)


def _incident_warnings(inputs, level, now, shares) -> list[BreachWarning]:
    calendar = level.calendar or cal.BusinessCalendar.around_the_clock(inputs.tz)
    target = timedelta(minutes=int(level.target))
    if target <= timedelta(0):
        return []
    attribute = "first_response_at" if level.metric == FIRST_RESPONSE else "resolved_at"
    what = "first response" if level.metric == FIRST_RESPONSE else "resolution"
    period = format_period(*inputs.period)
    found = []
    for incident in counted_incidents(_as_of(inputs, None), level):
        if getattr(incident, attribute) is not None or now <= incident.opened_at:
            continue
        used = cal.business_duration(calendar, incident.opened_at, now, incident.pauses)
        used_share = (
            _HUNDRED
            * Decimal(used // timedelta(microseconds=1))
            / Decimal(target // timedelta(microseconds=1))
        )
        reached = [share for share in shares if used_share >= share]
        if not reached:
            continue
        closed_pauses = all(end is not None for _, end in incident.pauses)
        deadline = (
            cal.add_business_duration(calendar, incident.opened_at, target, incident.pauses)
            if closed_pauses
            else None
        )
        for share in reached:
            reached_at = (
                cal.add_business_duration(calendar, incident.opened_at, target * share / 100, incident.pauses)
                if closed_pauses
                else None
            )
            if share >= 100:
                message = (
                    f"{incident.external_id} ({incident.priority} {incident.service}) has used "
                    f"{_share(used_share)}% of its {what} target of {_duration(target)}: "
                    f"the target is {'missed' if used_share > 100 else 'reached'}."
                )
            else:
                message = (
                    f"{incident.external_id} ({incident.priority} {incident.service}) has used "
                    f"{_share(used_share)}% of its {what} target of {_duration(target)}."
                )
            found.append(
                BreachWarning(
                    period=period,
                    key=f"{INCIDENT}:{incident.external_id}:{level.key}:{share}",
                    kind=INCIDENT,
                    level_key=level.key,
                    level_name=level.name,
                    threshold=str(share),
                    message=message,
                    subject=incident.external_id,
                    used=used_share.quantize(_CENT, ROUND_DOWN),
                    reached_at=reached_at,
                    deadline=deadline,
                )
            )
    return found


def _budget_warnings(inputs, result, elapsed: Decimal, burn_from: Decimal) -> list[BreachWarning]:
    budget = result.error_budget
    period = format_period(*inputs.period)
    allowed = budget.allowed_seconds
    used = Decimal(budget.used_seconds)
    if allowed <= 0:
        return []
    used_share = _HUNDRED * used / allowed
    found = []

    def warn(threshold: str, message: str) -> None:
        found.append(
            BreachWarning(
                period=period,
                key=f"{BUDGET}:{result.key}:{threshold}",
                kind=BUDGET,
                level_key=result.key,
                level_name=result.name,
                threshold=threshold,
                message=message,
                used=used_share.quantize(_CENT, ROUND_DOWN),
            )
        )

    allowed_text = _minutes(allowed)
    if used > allowed:
        warn(
            BUDGET_SPENT,
            f"{result.name}: the error budget of {allowed_text} for {period} is used up "
            f"({_minutes(used)} of downtime); the target of {result.target}% is missed.",
        )
    elif used_share >= 50:
        warn(
            BUDGET_HALF,
            f"{result.name}: half of the error budget of {allowed_text} for {period} is used "
            f"({_minutes(used)} of downtime).",
        )
    if used <= allowed and used > 0 and elapsed >= burn_from and used / elapsed >= allowed:
        warn(
            BUDGET_BURNING,
            f"{result.name}: at this month's rate of downtime ({_minutes(used)} so far) the error "
            f"budget of {allowed_text} for {period} runs out before the month ends.",
        )
    return found


def _hours_warnings(inputs, row, elapsed: Decimal) -> list[BreachWarning]:
    needed = max(Decimal(0), row.committed - row.brought_forward)
    pace = (needed * elapsed).quantize(Decimal("0.01"))
    if needed <= 0 or row.delivered >= pace:
        return []
    period = format_period(*inputs.period)
    return [
        BreachWarning(
            period=period,
            key=f"{HOURS}:bank:{HOURS_BEHIND}",
            kind=HOURS,
            level_key="hours_bank",
            level_name="Hours bank",
            threshold=HOURS_BEHIND,
            message=(
                f"Hours bank: {row.delivered} h delivered in {period}, behind the pace of {pace} h "
                f"by now for the {needed} h needed this month."
            ),
            used=(_HUNDRED * row.delivered / pace).quantize(_CENT, ROUND_DOWN),
        )
    ]


def _share(value: Decimal) -> str:
    return str(value.quantize(Decimal(1), ROUND_DOWN))


def _duration(value: timedelta) -> str:
    minutes = int(value.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{hours} h {minutes} min"
    return f"{hours} h" if hours else f"{minutes} min"


def _minutes(seconds: Decimal) -> str:
    minutes = (Decimal(seconds) / 60).quantize(_CENT)
    return f"{minutes.normalize():f} min"
