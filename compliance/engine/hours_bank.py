"""Hours bank: committed hours of work per month, and what happens to the difference.

The rules, month by month (months are consecutive and in order):

1. Delivered hours first cover the month's own commitment.
2. A shortfall is first covered by banked surplus, oldest first; what remains becomes a
   *deficit lot* of that month: hours the provider owes.
3. Hours beyond the commitment first make up owed hours, oldest deficit lot first; what
   remains becomes a *surplus lot* of that month, if surplus is banked at all.
4. A lot may be used in the ``N`` months after the month it comes from (its carry limit).
   If hours of it are still open at the end of the ``N``-th month they expire: owed hours
   are written off (the report shows them as never delivered), banked hours are lost.
   With a limit of 0 a lot expires in its own month; ``None`` means no limit.

Because surplus pays off deficits and deficits use up surplus first, the bank holds
either owed hours or banked hours at any time, never both. The balance is signed:
negative when the provider owes hours, positive when hours are banked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

_ZERO = Decimal(0)


class LotKind(StrEnum):
    DEFICIT = "deficit"
    SURPLUS = "surplus"


@dataclass(frozen=True)
class HoursBankRules:
    """How many months after its own month a deficit must be made up in, and a surplus may
    be used in (``None``: no limit). The default banks no surplus."""

    deficit_carry_months: int | None
    surplus_carry_months: int | None = 0

    def __post_init__(self) -> None:
        for months in (self.deficit_carry_months, self.surplus_carry_months):
            if months is not None and months < 0:
                raise ValueError(f"carry limits cannot be negative: {months}")

    def limit(self, kind: LotKind) -> int | None:
        if kind is LotKind.DEFICIT:
            return self.deficit_carry_months
        return self.surplus_carry_months


@dataclass(frozen=True)
class MonthHours:
    """One month's committed and delivered hours; ``period`` labels it (``"2024-01"``)."""

    period: str
    committed: Decimal
    delivered: Decimal

    def __post_init__(self) -> None:
        for name in ("committed", "delivered"):
            value = getattr(self, name)
            if isinstance(value, float | bool) or not isinstance(value, Decimal | int | str):
                raise TypeError(f"{name} must be Decimal, int or str, not {type(value).__name__}")
            value = Decimal(value)
            if not value.is_finite() or value < 0:
                raise ValueError(f"{name} must be a number of hours ≥ 0, got {value}")
            object.__setattr__(self, name, value)


@dataclass(frozen=True)
class HoursLot:
    """Open hours from one month: owed (deficit) or banked (surplus).

    ``months_left`` is how many more months they can be used in (``None``: no limit).
    """

    period: str
    kind: LotKind
    hours: Decimal
    months_left: int | None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", LotKind(self.kind))
        if not self.hours > 0:
            raise ValueError(f"a lot holds a positive number of hours, got {self.hours}")
        if self.months_left is not None and self.months_left < 1:
            raise ValueError(f"an open lot has at least one month left, got {self.months_left}")


@dataclass(frozen=True)
class HoursBankRow:
    """One month of the bank, as the report shows it.

    ``brought_forward`` and ``carried_forward`` are signed balances (negative: hours owed).
    They always satisfy ``carried_forward = brought_forward + delivered − committed
    + expired_deficit − expired_surplus``.
    """

    period: str
    committed: Decimal
    delivered: Decimal
    brought_forward: Decimal
    # Earlier months' owed hours delivered this month.
    made_up: Decimal
    # This month's shortfall covered by earlier months' banked hours.
    drawn_from_surplus: Decimal
    expired_deficit: Decimal
    expired_surplus: Decimal
    carried_forward: Decimal
    # Open lots after this month, oldest first.
    lots: tuple[HoursLot, ...]

    @property
    def expired(self) -> Decimal:
        """All hours that expired this month, owed or banked."""
        return self.expired_deficit + self.expired_surplus


def hours_bank_ledger(
    months: Iterable[MonthHours],
    *,
    rules: HoursBankRules,
    opening: Iterable[HoursLot] = (),
) -> list[HoursBankRow]:
    """The bank month by month under the module's rules, starting from ``opening`` lots
    (the lots of the last row of an earlier ledger; all of one kind)."""
    lots = list(opening)
    if len({lot.kind for lot in lots}) > 1:
        raise ValueError("opening lots must all be owed hours or all banked hours")
    rows = []
    for month in months:
        row = _month(month, lots, rules)
        lots = list(row.lots)
        rows.append(row)
    return rows


def balance(lots: Iterable[HoursLot]) -> Decimal:
    """The signed balance of open lots: banked hours minus owed hours."""
    return sum(
        (lot.hours if lot.kind is LotKind.SURPLUS else -lot.hours for lot in lots),
        _ZERO,
    )


def _month(month: MonthHours, lots: list[HoursLot], rules: HoursBankRules) -> HoursBankRow:
    brought_forward = balance(lots)
    made_up = drawn = _ZERO
    net = month.delivered - month.committed
    if net < 0:
        drawn, lots = _consume(lots, LotKind.SURPLUS, -net)
        new_kind, new_hours = LotKind.DEFICIT, -net - drawn
    else:
        made_up, lots = _consume(lots, LotKind.DEFICIT, net)
        new_kind, new_hours = LotKind.SURPLUS, net - made_up

    # Age the lots brought in; a lot reaching zero months left expires now.
    expired = {LotKind.DEFICIT: _ZERO, LotKind.SURPLUS: _ZERO}
    carried = []
    for lot in lots:
        months_left = None if lot.months_left is None else lot.months_left - 1
        if months_left == 0:
            expired[lot.kind] += lot.hours
        else:
            carried.append(replace(lot, months_left=months_left))
    if new_hours > 0:
        limit = rules.limit(new_kind)
        if limit == 0:
            expired[new_kind] += new_hours
        else:
            carried.append(HoursLot(month.period, new_kind, new_hours, limit))

    return HoursBankRow(
        period=month.period,
        committed=month.committed,
        delivered=month.delivered,
        brought_forward=brought_forward,
        made_up=made_up,
        drawn_from_surplus=drawn,
        expired_deficit=expired[LotKind.DEFICIT],
        expired_surplus=expired[LotKind.SURPLUS],
        carried_forward=balance(carried),
        lots=tuple(carried),
    )


def _consume(lots: list[HoursLot], kind: LotKind, hours: Decimal) -> tuple[Decimal, list[HoursLot]]:
    """Use up to ``hours`` from the lots of ``kind``, oldest first; returns the hours used
    and the lots left."""
    used = _ZERO
    left = []
    for lot in lots:
        take = min(lot.hours, hours - used) if lot.kind is kind else _ZERO
        used += take
        if lot.hours > take:
            left.append(replace(lot, hours=lot.hours - take))
    return used, left
