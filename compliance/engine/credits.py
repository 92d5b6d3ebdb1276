"""Service credits: what the provider owes the customer when a target is missed.

Every service level is expressed as an achieved percentage (availability, or the share of
tickets resolved within target), so a schedule is a list of tiers "below X → credit".
Of the tiers whose threshold the achieved value is strictly below, the one with the
*lowest* threshold applies: 98.5 % against tiers below 99.99 / 99.0 / 95.0 takes the 99.0
tier. Exactly at a threshold is not below it.

A credit is a percentage of the monthly fee, a fixed amount, or hours of work. Money is
``Decimal`` rounded to cents, half up, per service level; the per-period total is then
limited by the cap (a percentage of the monthly fee or an amount). Hour credits are
reported beside the money and are not limited by the cap, which is an amount of money.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

CENT = Decimal("0.01")


class CreditKind(StrEnum):
    PERCENT_OF_FEE = "percent_of_fee"
    FIXED_AMOUNT = "fixed_amount"
    HOURS = "hours"


class CapKind(StrEnum):
    PERCENT_OF_FEE = "percent_of_fee"
    AMOUNT = "amount"


@dataclass(frozen=True)
class CreditTier:
    """Achieved strictly below ``below`` percent → a credit of ``value`` (a percentage of
    the monthly fee, an amount of money, or hours, per ``kind``)."""

    below: Decimal
    kind: CreditKind
    value: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "below", as_decimal(self.below))
        object.__setattr__(self, "kind", CreditKind(self.kind))
        object.__setattr__(self, "value", as_decimal(self.value))
        if self.value < 0:
            raise ValueError(f"a credit cannot be negative: {self.value}")


@dataclass(frozen=True)
class CreditCap:
    """The most that may be credited in one period, in money."""

    kind: CapKind
    value: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", CapKind(self.kind))
        object.__setattr__(self, "value", as_decimal(self.value))
        if self.value < 0:
            raise ValueError(f"a cap cannot be negative: {self.value}")

    def amount(self, *, monthly_fee: Decimal) -> Decimal:
        """The cap in money for a given monthly fee, rounded to cents."""
        if self.kind is CapKind.PERCENT_OF_FEE:
            return to_cents(as_decimal(monthly_fee) * self.value / 100)
        return to_cents(self.value)


@dataclass(frozen=True)
class ServiceLevelOutcome:
    """One service level's achieved percentage and its credit schedule."""

    name: str
    achieved: Decimal
    tiers: Sequence[CreditTier]

    def __post_init__(self) -> None:
        object.__setattr__(self, "achieved", as_decimal(self.achieved))
        object.__setattr__(self, "tiers", tuple(self.tiers))


@dataclass(frozen=True)
class ServiceLevelCredit:
    """The credit owed for one service level: the tier that applied (``None`` when none
    did), the money and the hours."""

    name: str
    achieved: Decimal
    tier: CreditTier | None
    amount: Decimal
    hours: Decimal


@dataclass(frozen=True)
class CreditSummary:
    """The credits of one period: per service level, the uncapped total, the cap (``None``
    when the contract has none), and the total after the cap."""

    lines: tuple[ServiceLevelCredit, ...]
    total: Decimal
    cap: Decimal | None
    capped_total: Decimal
    hours: Decimal

    @property
    def cap_applied(self) -> bool:
        """True when the cap reduced the total."""
        return self.capped_total < self.total


def applicable_tier(achieved: Decimal, tiers: Iterable[CreditTier]) -> CreditTier | None:
    """The tier with the lowest threshold that ``achieved`` is strictly below, or ``None``.

    Two tiers with the same threshold make the schedule ambiguous: ``ValueError``.
    """
    achieved = as_decimal(achieved)
    tiers = list(tiers)
    thresholds = [tier.below for tier in tiers]
    if len(set(thresholds)) != len(thresholds):
        raise ValueError(f"tiers must have different thresholds: {sorted(thresholds)}")
    candidates = [tier for tier in tiers if achieved < tier.below]
    return min(candidates, key=lambda tier: tier.below, default=None)


def service_level_credit(outcome: ServiceLevelOutcome, *, monthly_fee: Decimal) -> ServiceLevelCredit:
    """The credit one service level earns: its tier's money (cents, half up) or hours."""
    tier = applicable_tier(outcome.achieved, outcome.tiers)
    amount = Decimal("0.00")
    hours = Decimal(0)
    if tier is not None:
        if tier.kind is CreditKind.PERCENT_OF_FEE:
            amount = to_cents(as_decimal(monthly_fee) * tier.value / 100)
        elif tier.kind is CreditKind.FIXED_AMOUNT:
            amount = to_cents(tier.value)
        else:
            hours = tier.value
    return ServiceLevelCredit(
        name=outcome.name,
        achieved=outcome.achieved,
        tier=tier,
        amount=amount,
        hours=hours,
    )


def period_credits(
    outcomes: Iterable[ServiceLevelOutcome],
    *,
    monthly_fee: Decimal,
    cap: CreditCap | None = None,
) -> CreditSummary:
    """The credits owed for one period: each service level's credit, their sum, and the
    sum limited by ``cap``. Amounts are rounded per service level before summing, so the
    lines always add up to the total shown."""
    monthly_fee = as_decimal(monthly_fee)
    if monthly_fee < 0:
        raise ValueError(f"the monthly fee cannot be negative: {monthly_fee}")
    lines = tuple(service_level_credit(outcome, monthly_fee=monthly_fee) for outcome in outcomes)
    total = sum((line.amount for line in lines), Decimal("0.00"))
    cap_amount = None if cap is None else cap.amount(monthly_fee=monthly_fee)
    capped_total = total if cap_amount is None else min(total, cap_amount)
    return CreditSummary(
        lines=lines,
        total=total,
        cap=cap_amount,
        capped_total=capped_total,
        hours=sum((line.hours for line in lines), Decimal(0)),
    )


def to_cents(amount: Decimal) -> Decimal:
    """``amount`` rounded to cents, half up (0.005 → 0.01)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def as_decimal(value: Decimal | int | str) -> Decimal:
    """``value`` as a Decimal; floats are refused because they cannot hold 99.9 exactly."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(f"expected Decimal, int or str, not {type(value).__name__}")
    result = Decimal(value)
    if not result.is_finite():
        raise ValueError(f"expected a finite number, got {value!r}")
    return result
