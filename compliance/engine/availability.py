"""Availability of a service over a period, from its outages.

Outages are ``(start, end)`` pairs of aware datetimes; ``end`` is ``None`` while an outage
is still open, and it then runs to the period end. Everything is measured in whole
seconds: instants are truncated to the second (monitoring and ticketing tools report whole
seconds) and the percentage is an exact ``Decimal`` quotient of integers, never a float.

Two kinds of time are given separately:

- ``outages``: downtime that counts against the provider. Each outage's own excluded parts
  are taken off it *before* it is given here (``counted_downtime``): an exclusion belongs to
  one outage and never erases another outage's downtime at the same time.
- ``excluded_intervals``: excluded downtime — the parts of outages that do not count against
  the provider (planned maintenance inside a window, a customer-caused outage, an
  out-of-scope system) and the part of the period outside the contract's term.

By default every second of the period is measured and excluded downtime counts as
available. With ``remove_excluded_from_measured`` excluded time is taken out of the
measured time instead, so availability is over the time the provider was answerable for;
only excluded time that no counted downtime overlaps leaves it, since a second counted as
down is a second the provider answered for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal, localcontext
from typing import Protocol, TypeVar

Span = tuple[datetime, datetime | None]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_SECOND = timedelta(seconds=1)
# Enough digits that a quotient of second counts can never round onto a tier threshold.
_PRECISION = 34


class _Comparable(Protocol):
    def __lt__(self, other: _Comparable, /) -> bool: ...


T = TypeVar("T", bound=_Comparable)


def merge_intervals(intervals: Iterable[tuple[T, T]]) -> list[tuple[T, T]]:
    """Sorted, disjoint intervals covering the same points as ``intervals``.

    Overlapping or touching intervals become one, so overlapping outages count once;
    empty intervals (``end <= start``) are dropped. Works for any ordered values
    (datetimes, integers).
    """
    merged: list[tuple[T, T]] = []
    for start, end in sorted(intervals):
        if not start < end:
            continue
        if merged and not merged[-1][1] < start:
            if merged[-1][1] < end:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def clip_intervals(intervals: Iterable[tuple[T, T]], start: T, end: T) -> list[tuple[T, T]]:
    """The parts of ``intervals`` inside ``[start, end)``, merged."""
    return merge_intervals(
        (start if interval_start < start else interval_start, end if end < interval_end else interval_end)
        for interval_start, interval_end in intervals
    )


def subtract_intervals(intervals: Iterable[tuple[T, T]], removed: Iterable[tuple[T, T]]) -> list[tuple[T, T]]:
    """The points of ``intervals`` that are in none of ``removed``, merged."""
    result: list[tuple[T, T]] = []
    cuts = merge_intervals(removed)
    for start, end in merge_intervals(intervals):
        cursor = start
        for cut_start, cut_end in cuts:
            if not cut_start < end:
                break
            if not cursor < cut_end:
                continue
            if cursor < cut_start:
                result.append((cursor, cut_start))
            cursor = cut_end
        if cursor < end:
            result.append((cursor, end))
    return result


def counted_downtime(
    outages: Iterable[tuple[Iterable[tuple[T, T]], Iterable[tuple[T, T]]]],
) -> list[tuple[T, T]]:
    """The downtime that counts: the union over ``outages`` of each outage's intervals less
    *its own* excluded intervals, merged.

    ``outages`` holds one ``(intervals, excluded)`` pair per outage. An outage's excluded
    parts never take anything off another outage, so an excluded outage at the same time as
    a counted one leaves the counted one whole.
    """
    counted: list[tuple[T, T]] = []
    for intervals, excluded in outages:
        counted.extend(subtract_intervals(intervals, excluded))
    return merge_intervals(counted)


def total_seconds(intervals: Iterable[tuple[int, int]]) -> int:
    """The length of the union of intervals given in seconds."""
    return sum(end - start for start, end in merge_intervals(intervals))


@dataclass(frozen=True)
class ErrorBudget:
    """Downtime allowed at a target over the measured time, how much was used, and what is
    left (negative once overspent). Seconds; ``allowed`` is exact, e.g. 2678.4 s."""

    allowed_seconds: Decimal
    used_seconds: int
    left_seconds: Decimal

    @property
    def allowed_minutes(self) -> Decimal:
        return _divide(self.allowed_seconds, Decimal(60))

    @property
    def used_minutes(self) -> Decimal:
        return _divide(Decimal(self.used_seconds), Decimal(60))

    @property
    def left_minutes(self) -> Decimal:
        return _divide(self.left_seconds, Decimal(60))

    @property
    def exhausted(self) -> bool:
        """True when more downtime was used than the target allows."""
        return self.left_seconds < 0


@dataclass(frozen=True)
class AvailabilityFigures:
    """The figures behind an availability percentage, in whole seconds."""

    period_seconds: int
    measured_seconds: int
    # Downtime counted against the provider within the period.
    unavailable_seconds: int
    # Excluded time within the period (maintenance, customer-caused, out of scope, outside
    # the term) that no counted downtime overlaps: what leaves the measured time when
    # excluded time is removed from it.
    excluded_seconds: int
    achieved: Decimal

    def error_budget(self, target: Decimal) -> ErrorBudget:
        """The error budget of these figures at ``target`` percent."""
        return error_budget(
            measured_seconds=self.measured_seconds,
            target=target,
            unavailable_seconds=self.unavailable_seconds,
        )


def measure_availability(
    period_start: datetime,
    period_end: datetime,
    outages: Iterable[Span],
    excluded_intervals: Iterable[Span] = (),
    remove_excluded_from_measured: bool = False,
) -> AvailabilityFigures:
    """Availability of one service over ``[period_start, period_end)``.

    Unavailable time is the union of ``outages`` (counted downtime, see
    ``counted_downtime``) within the period; excluded intervals never take anything off it.
    Achieved = 100 × (1 − unavailable / measured). Measured time is the whole period, or
    with ``remove_excluded_from_measured`` the period less the excluded time that no outage
    overlaps. When nothing is measured (all of it excluded) the service level was met: 100.
    The result always lies in [0, 100].
    """
    start = to_seconds(period_start)
    end = to_seconds(period_end)
    if end < start:
        raise ValueError(f"period end {period_end} is before its start {period_start}")
    down = clip_intervals(_spans_to_seconds(outages, end), start, end)
    excluded = clip_intervals(_spans_to_seconds(excluded_intervals, end), start, end)
    unavailable = total_seconds(down)
    excluded_seconds = total_seconds(subtract_intervals(excluded, down))
    period_seconds = end - start
    measured = period_seconds - excluded_seconds if remove_excluded_from_measured else period_seconds
    if measured == 0:
        achieved = Decimal(100)
    else:
        achieved = _divide(Decimal(100 * (measured - unavailable)), Decimal(measured))
    return AvailabilityFigures(
        period_seconds=period_seconds,
        measured_seconds=measured,
        unavailable_seconds=unavailable,
        excluded_seconds=excluded_seconds,
        achieved=achieved,
    )


def achieved_percentage(
    period_start: datetime,
    period_end: datetime,
    outages: Iterable[Span],
    excluded_intervals: Iterable[Span] = (),
    remove_excluded_from_measured: bool = False,
) -> Decimal:
    """The achieved availability in percent; see ``measure_availability``."""
    return measure_availability(
        period_start,
        period_end,
        outages,
        excluded_intervals,
        remove_excluded_from_measured,
    ).achieved


def error_budget(*, measured_seconds: int, target: Decimal, unavailable_seconds: int) -> ErrorBudget:
    """Downtime allowed at ``target`` percent over the measured time, used, and left.

    A 31-day month at 99.9 % allows 2,678,400 s × 0.1 % = 2678.4 s = 44.64 minutes.
    """
    target = _percentage(target)
    allowed = _divide(Decimal(measured_seconds) * (Decimal(100) - target), Decimal(100))
    return ErrorBudget(
        allowed_seconds=allowed,
        used_seconds=unavailable_seconds,
        left_seconds=allowed - unavailable_seconds,
    )


def to_seconds(instant: datetime) -> int:
    """Whole seconds since the Unix epoch, truncating any fraction of a second."""
    if instant.tzinfo is None:
        raise ValueError(f"datetime must be timezone-aware, got {instant!r}")
    return (instant - _EPOCH) // _ONE_SECOND


def _spans_to_seconds(spans: Iterable[Span], open_end: int) -> list[tuple[int, int]]:
    intervals = []
    for span_start, span_end in spans:
        start = to_seconds(span_start)
        if span_end is None:
            end = open_end
        else:
            end = to_seconds(span_end)
            if end < start:
                raise ValueError(f"interval ends before it starts: {span_start} – {span_end}")
        intervals.append((start, end))
    return intervals


def _percentage(value: Decimal) -> Decimal:
    if not isinstance(value, Decimal | int | str) or isinstance(value, bool):
        raise TypeError(f"percentages are Decimal, int or str, not {type(value).__name__}")
    value = Decimal(value)
    if not Decimal(0) <= value <= Decimal(100):
        raise ValueError(f"percentage must be within 0..100, got {value}")
    return value


def _divide(numerator: Decimal, denominator: Decimal) -> Decimal:
    with localcontext() as context:
        context.prec = _PRECISION
        return numerator / denominator
