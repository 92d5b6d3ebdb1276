"""Periods: a period is a calendar month in the contract's time zone.

Because the month is counted on the local clock, its length in real time changes with
daylight saving time: in Europe/Amsterdam March is 743 hours long and October 745.

Local wall-clock times that the clock skips or shows twice are resolved by one rule,
used here and in ``calendars``: a local time stands for *the first instant at which the
clock shows that time or a later one*. A time the clock shows twice is therefore its first
pass; a skipped time is the moment of the jump.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, tzinfo

_PERIOD_RE = re.compile(r"(\d{4})-(\d{2})")


def format_period(year: int, month: int) -> str:
    """The period's label, ``"YYYY-MM"``."""
    _check_period(year, month)
    return f"{year:04d}-{month:02d}"


def parse_period(text: str) -> tuple[int, int]:
    """``(year, month)`` from a ``"YYYY-MM"`` label; ``ValueError`` for anything else."""
    match = _PERIOD_RE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"period must look like YYYY-MM, got {text!r}")
    year, month = int(match[1]), int(match[2])
    _check_period(year, month)
    return year, month


def next_period(year: int, month: int) -> tuple[int, int]:
    """The month after ``(year, month)``."""
    _check_period(year, month)
    return (year + 1, 1) if month == 12 else (year, month + 1)


def previous_period(year: int, month: int) -> tuple[int, int]:
    """The month before ``(year, month)``."""
    _check_period(year, month)
    return (year - 1, 12) if month == 1 else (year, month - 1)


def period_bounds(year: int, month: int, tz: tzinfo) -> tuple[datetime, datetime]:
    """The period as a half-open interval ``[start, end)`` of UTC-aware datetimes.

    ``start`` is local midnight at the start of the 1st of the month, ``end`` the same for
    the month after, both resolved by the module's rule (relevant only in zones that move
    their clocks at midnight).
    """
    _check_period(year, month)
    start = local_to_utc(datetime(year, month, 1), tz)
    end = local_to_utc(datetime(*next_period(year, month), 1), tz)
    return start, end


def period_of(instant: datetime, tz: tzinfo) -> tuple[int, int]:
    """The period ``(year, month)`` that an aware instant falls in, read in ``tz``."""
    if instant.tzinfo is None:
        raise ValueError("instant must be timezone-aware")
    local = instant.astimezone(tz)
    return local.year, local.month


def local_to_utc(wall: datetime, tz: tzinfo) -> datetime:
    """The first instant at which the clock in ``tz`` shows ``wall`` or a later time, in UTC.

    ``wall`` is a naive local date and time. A time that exists once maps to that instant;
    a time shown twice (clocks going back) maps to its first pass; a skipped time (clocks
    going forward) maps to the instant of the jump.
    """
    if wall.tzinfo is not None:
        raise ValueError("wall must be a naive local datetime")
    first = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if first.astimezone(tz).replace(tzinfo=None) == wall:
        return first
    # A skipped time: fold=0 reads it with the offset before the jump and fold=1 with the
    # offset after, so the jump lies between the two readings.
    later_offset = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    low, high = sorted((_epoch_seconds(first), _epoch_seconds(later_offset)))
    return datetime.fromtimestamp(offset_change(tz, low, high), UTC)


def utc_offset_seconds(tz: tzinfo, epoch_second: int) -> int:
    """The UTC offset of ``tz`` at an instant given in whole seconds since the Unix epoch."""
    offset = datetime.fromtimestamp(epoch_second, tz).utcoffset()
    assert offset is not None
    return offset // timedelta(seconds=1)


def offset_change(tz: tzinfo, low: int, high: int) -> int:
    """The first second in ``(low, high]`` whose UTC offset differs from the one at ``low``.

    The offsets at ``low`` and ``high`` (epoch seconds) must differ; offsets change at
    whole seconds, so a bisection finds the exact instant.
    """
    before = utc_offset_seconds(tz, low)
    if utc_offset_seconds(tz, high) == before:
        raise ValueError("the UTC offset does not change in the given range")
    while high - low > 1:
        middle = (low + high) // 2
        if utc_offset_seconds(tz, middle) == before:
            low = middle
        else:
            high = middle
    return high


def _epoch_seconds(instant: datetime) -> int:
    return (instant - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(seconds=1)


def _check_period(year: int, month: int) -> None:
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, got {month}")
    # The month after must exist too, for the period's end.
    if not date.min.year <= year < date.max.year:
        raise ValueError(f"year out of range: {year}")
