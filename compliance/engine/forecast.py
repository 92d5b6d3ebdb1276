"""Mid-month forecast of an availability service level: where the current burn rate leads.

Given the downtime counted so far in the current period, the forecast assumes it goes on at
the same average rate until the period ends ("at this rate"): downtime grows linearly from
the period start, ``down(t) = rate × t``, with ``rate = used / elapsed``. From that follow
the downtime projected at period end, the achieved percentage it gives, the credit tier that
would apply to it (by ``compliance.engine.credits.applicable_tier``, so the same tier the month-end
evaluation would pick for that figure) and, for every tier the period would fall into, the
local date from which it would apply.

Achieved falls strictly below a tier's threshold ``X`` once downtime exceeds
``period × (100 − X) / 100`` seconds (exactly at the threshold is not below it). A tier
whose threshold the downtime so far already exceeds is *reached*: nothing that happens for
the rest of the month can lift the period back above it, and it applies from today.

Measured time is the whole period (the default measurement mode of the evaluation), counted
in whole seconds like ``compliance.engine.availability``; all arithmetic is exact ``Decimal``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import ROUND_DOWN, ROUND_FLOOR, Decimal, localcontext

from compliance.engine.availability import ErrorBudget, error_budget, to_seconds
from compliance.engine.credits import CreditCap, CreditKind, CreditTier, applicable_tier, as_decimal, to_cents
from contracts.texts.wording import format_hours, format_money, trim

SECONDS_PER_DAY = 86_400
_PRECISION = 34
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class TierMilestone:
    """A credit tier the period would fall into at the current rate: its credit (money
    in cents, or hours), the local date from which it would apply, and whether the
    downtime so far has already made it certain."""

    tier: CreditTier
    amount: Decimal
    hours: Decimal
    on: date
    reached: bool


@dataclass(frozen=True)
class Forecast:
    """Where one availability service level is heading in the current period.

    ``budget`` is the whole period's error budget at the target, with the downtime so far
    as used. ``milestones`` lists every tier the period would fall into at the current rate,
    highest threshold (earliest date) first; the last one is the tier that would apply.
    """

    period_start: datetime
    period_end: datetime
    now: datetime
    target: Decimal
    currency: str
    period_seconds: int
    elapsed_seconds: int
    budget: ErrorBudget
    projected_unavailable_seconds: Decimal
    projected_achieved: Decimal
    # Local date from which achieved would be below the target at the current rate.
    target_missed_on: date | None
    milestones: tuple[TierMilestone, ...]

    @property
    def started(self) -> bool:
        return self.elapsed_seconds > 0

    @property
    def complete(self) -> bool:
        """True once the period is over: the projection is then the final figure."""
        return self.elapsed_seconds == self.period_seconds

    @property
    def elapsed_fraction(self) -> Decimal:
        """Share of the period elapsed, 0–1."""
        return _divide(Decimal(self.elapsed_seconds), Decimal(self.period_seconds))

    @property
    def burn_rate_seconds_per_day(self) -> Decimal | None:
        """Downtime per day so far; ``None`` before the period has started."""
        if not self.started:
            return None
        return _divide(Decimal(self.budget.used_seconds * SECONDS_PER_DAY), Decimal(self.elapsed_seconds))

    @property
    def burn_rate_minutes_per_day(self) -> Decimal | None:
        rate = self.burn_rate_seconds_per_day
        return None if rate is None else _divide(rate, Decimal(60))

    @property
    def projected_unavailable_minutes(self) -> Decimal:
        return _divide(self.projected_unavailable_seconds, Decimal(60))

    @property
    def milestone(self) -> TierMilestone | None:
        """The tier that would apply at period end, or ``None``."""
        return self.milestones[-1] if self.milestones else None

    @property
    def tier(self) -> CreditTier | None:
        return None if self.milestone is None else self.milestone.tier

    @property
    def credit_amount(self) -> Decimal:
        return Decimal("0.00") if self.milestone is None else self.milestone.amount

    @property
    def credit_hours(self) -> Decimal:
        return Decimal(0) if self.milestone is None else self.milestone.hours

    @property
    def credit_from(self) -> date | None:
        """Local date from which the forecast credit would apply."""
        return None if self.milestone is None else self.milestone.on

    @property
    def next_milestone(self) -> TierMilestone | None:
        """The first tier not reached yet, or ``None``."""
        return next((milestone for milestone in self.milestones if not milestone.reached), None)

    def summary(self) -> str:
        """One sentence about this availability service level only: "At this rate: 10%
        credit, EUR 420.00, from 22 November.". Other service levels are not forecast, so
        when no tier applies it says "no availability credit", never "no credit".

        Every tier still ahead is named with its day, the next one first ("…, from 12
        November; 25% credit, EUR 1,050.00, from 25 November."), so the day the next
        tier is reached shows even when a deeper one follows."""
        if not self.started:
            return "The period has not started yet."
        milestone = self.milestone
        if self.budget.used_seconds == 0:
            return "No downtime so far: no availability credit at this rate."
        if milestone is None:
            achieved = _format_percentage(self.projected_achieved, self.target)
            if self.complete:
                return f"Period ended at {achieved}: no availability credit."
            return f"At this rate: {achieved} at period end, no availability credit."
        credit = self._credit_text(milestone)
        if self.complete:
            return f"Period ended: {credit}."
        if milestone.reached:
            return f"Already reached: {credit}."
        ahead = [later for later in self.milestones if not later.reached]
        text = "At this rate: " + "; ".join(
            f"{self._credit_text(later)}, from {format_day(later.on)}" for later in ahead
        )
        reached = [earlier for earlier in self.milestones if earlier.reached]
        if reached:
            text += f" ({self._credit_text(reached[-1], with_amount=False)} already reached)"
        return text + "."

    def _credit_text(self, milestone: TierMilestone, *, with_amount: bool = True) -> str:
        tier = milestone.tier
        if tier.kind is CreditKind.HOURS:
            return f"{format_hours(milestone.hours)} credit"
        money = format_money(milestone.amount, self.currency)
        if tier.kind is CreditKind.PERCENT_OF_FEE:
            percent = f"{trim(tier.value)}% credit"
            return f"{percent}, {money}" if with_amount else percent
        return f"{money} credit"


def availability_forecast(
    *,
    period_start: datetime,
    period_end: datetime,
    now: datetime,
    tz: tzinfo,
    unavailable_seconds_so_far: int,
    target: Decimal,
    tiers: Sequence[CreditTier],
    monthly_fee: Decimal,
    currency: str,
    cap: CreditCap | None = None,
) -> Forecast:
    """The forecast for ``[period_start, period_end)`` as of ``now``.

    ``unavailable_seconds_so_far`` is the downtime counted against the provider between
    the period start and ``now`` (``AvailabilityFigures.unavailable_seconds`` of the
    period measured up to ``now``). Dates are local dates in ``tz``, the contract's time
    zone. ``now`` before the period gives an empty forecast; after it, the final figures.
    Money credits are rounded to cents and limited to ``cap`` when one is given.
    """
    start, end, instant = to_seconds(period_start), to_seconds(period_end), to_seconds(now)
    period = end - start
    if period <= 0:
        raise ValueError(f"period end {period_end} is not after its start {period_start}")
    elapsed = min(max(instant - start, 0), period)
    used = unavailable_seconds_so_far
    if isinstance(used, bool) or not isinstance(used, int):
        raise TypeError(f"unavailable seconds are an int, not {type(used).__name__}")
    if not 0 <= used <= elapsed:
        raise ValueError(f"{used} s of downtime cannot fit in the {elapsed} s elapsed")
    target = as_decimal(target)
    monthly_fee = as_decimal(monthly_fee)
    if monthly_fee < 0:
        raise ValueError(f"the monthly fee cannot be negative: {monthly_fee}")

    budget = error_budget(measured_seconds=period, target=target, unavailable_seconds=used)
    projected = Decimal(0) if used == 0 else _divide(Decimal(used * period), Decimal(elapsed))
    achieved = _achieved(projected, period)
    final_tier = applicable_tier(achieved, tiers)
    today = _local_date(start + min(elapsed, period - 1), tz)

    def crossing(threshold: Decimal) -> tuple[date, bool] | None:
        """The local date from which achieved would be below ``threshold`` at this rate,
        and whether the downtime so far already puts it there."""
        if not achieved < threshold:
            return None
        if _achieved(Decimal(used), period) < threshold:
            return today, True
        # down(t) = used × t / elapsed exceeds period × (100 − threshold) / 100 just after
        # t = period × (100 − threshold) × elapsed / (100 × used); exact in integers × Decimal.
        with localcontext() as context:
            context.prec = _PRECISION
            moment = Decimal(period * elapsed) * (Decimal(100) - threshold) / Decimal(100 * used)
        seconds = moment.to_integral_value(rounding=ROUND_FLOOR)
        seconds = min(max(int(seconds), elapsed), period - 1)
        return _local_date(start + seconds, tz), False

    milestones = []
    for tier in sorted(tiers, key=lambda tier: tier.below, reverse=True):
        crossed = crossing(tier.below)
        if crossed is not None:
            amount, hours = _tier_credit(tier, monthly_fee=monthly_fee, cap=cap)
            milestones.append(
                TierMilestone(tier=tier, amount=amount, hours=hours, on=crossed[0], reached=crossed[1])
            )
    assert (milestones[-1].tier if milestones else None) == final_tier
    target_crossing = crossing(target)
    return Forecast(
        period_start=period_start,
        period_end=period_end,
        now=now,
        target=target,
        currency=currency,
        period_seconds=period,
        elapsed_seconds=elapsed,
        budget=budget,
        projected_unavailable_seconds=projected,
        projected_achieved=achieved,
        target_missed_on=None if target_crossing is None else target_crossing[0],
        milestones=tuple(milestones),
    )


def format_day(value: date) -> str:
    """``date(2025, 11, 22)`` → ``"22 November"``."""
    return f"{value.day} {_MONTH_NAMES[value.month - 1]}"


def _tier_credit(tier: CreditTier, *, monthly_fee: Decimal, cap: CreditCap | None) -> tuple[Decimal, Decimal]:
    """Money (cents, half up, within the cap) and hours of one tier, as the evaluation
    computes them for a service level in that tier."""
    amount, hours = Decimal("0.00"), Decimal(0)
    if tier.kind is CreditKind.PERCENT_OF_FEE:
        amount = to_cents(monthly_fee * tier.value / 100)
    elif tier.kind is CreditKind.FIXED_AMOUNT:
        amount = to_cents(tier.value)
    else:
        hours = tier.value
    if cap is not None:
        amount = min(amount, cap.amount(monthly_fee=monthly_fee))
    return amount, hours


def _achieved(unavailable: Decimal, period: int) -> Decimal:
    return _divide(Decimal(100) * (Decimal(period) - unavailable), Decimal(period))


def _local_date(epoch_second: int, tz: tzinfo) -> date:
    return datetime.fromtimestamp(epoch_second, tz).date()


def _format_percentage(value: Decimal, target: Decimal) -> str:
    """``value`` cut (not rounded) to one more decimal than the target, so a projected
    99.86 % against 99.9 % never reads as 99.9 %."""
    exponent = target.normalize().as_tuple().exponent
    places = max(-exponent if isinstance(exponent, int) else 0, 1) + 1
    return f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)}%"


def _divide(numerator: Decimal, denominator: Decimal) -> Decimal:
    with localcontext() as context:
        context.prec = _PRECISION
        return numerator / denominator
