"""Business-hours arithmetic: how much of a stretch of time a service level's clock runs.

A calendar is either around the clock (24×7) or a set of local wall-clock ranges per
weekday in a time zone (possibly several a day), minus public holidays.

One definition drives everything: **an instant is business time when, read on the
calendar's local clock, its date is not a holiday and its time of day lies in one of that
weekday's ranges.** The daylight-saving rules follow from it:

- a 09:00–17:00 day is 8 hours on a DST day too, since the clocks change at night;
- a range over wall-clock times the clock skips counts only the times it shows: on the
  spring-forward night in Europe/Amsterdam, 01:00–04:00 is 2 hours and 02:00–03:00 is 0;
- a range over wall-clock times the clock shows twice counts both passes: on the autumn
  night in Europe/Amsterdam, 02:00–03:00 is 2 hours.

Durations are exact: instants are handled as whole microseconds since the Unix epoch.
Each calendar keeps the UTC business intervals of every local day it has been asked about,
so reuse one calendar object for many calls; ``business_duration`` then costs a few dict
look-ups per day spanned.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache

import holidays as holidays_package

from compliance.engine.periods import local_to_utc, offset_change, utc_offset_seconds
from contracts.texts.hours import parse_time_range

_US = timedelta(microseconds=1)
_SECOND = 1_000_000
_HOUR = 3600 * _SECOND
_DAY = 24 * _HOUR
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
# UTC offsets stay within ±26 h, so every instant of a local date lies within this
# margin around the same date read as UTC.
_OFFSET_MARGIN = 26 * _HOUR
# Offsets are sampled this often to find DST transitions; zones never change twice
# within it.
_OFFSET_SAMPLE_STEP = 3 * 3600
# add_business_duration gives up after this many days without reaching the duration.
_SEARCH_LIMIT_DAYS = 366 * 50

Interval = tuple[datetime, datetime]
Pause = tuple[datetime, datetime | None]


@dataclass(frozen=True)
class TimeRange:
    """A range of local wall-clock time within one day, ``[start, end)``.

    ``end == time(0)`` means midnight at the end of the day (24:00), so ``00:00–24:00`` is
    written ``TimeRange(time(0), time(0))``.
    """

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("business hours are local wall-clock times, without tzinfo")
        if self.end != time(0) and self.end <= self.start:
            raise ValueError(f"range must end after it starts: {self.start}–{self.end}")

    @classmethod
    def parse(cls, text: str) -> TimeRange:
        """A range from ``"HH:MM-HH:MM"``; ``24:00`` is accepted as the end of the day."""
        return cls(*parse_time_range(text))

    @property
    def start_offset(self) -> int:
        """Microseconds from local midnight to the start."""
        return _time_offset(self.start)

    @property
    def end_offset(self) -> int:
        """Microseconds from local midnight to the end (a full day for 24:00)."""
        return _DAY if self.end == time(0) else _time_offset(self.end)


ALL_DAY = TimeRange(time(0), time(0))


@dataclass(frozen=True)
class BusinessCalendar:
    """When the clock runs: ranges of local time per weekday in ``tz``, minus ``holidays``.

    ``weekly`` has seven entries, Monday first. Each day's ranges are stored sorted, with
    overlapping or touching ranges joined, so equal schedules compare equal.
    """

    tz: tzinfo
    weekly: tuple[tuple[TimeRange, ...], ...]
    holidays: frozenset[date] = frozenset()
    # Per-calendar memo of each local day's business intervals, keyed by days since the
    # Unix epoch; not part of the calendar's value.
    _days: dict[int, tuple[tuple[int, int], ...]] = field(
        init=False, repr=False, compare=False, hash=False, default_factory=dict
    )
    _always: bool = field(init=False, repr=False, compare=False, hash=False, default=False)

    def __post_init__(self) -> None:
        if len(self.weekly) != 7:
            raise ValueError("weekly must have seven entries, Monday first")
        weekly = tuple(_join_ranges(day) for day in self.weekly)
        object.__setattr__(self, "weekly", weekly)
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        always = not self.holidays and all(day == (ALL_DAY,) for day in weekly)
        object.__setattr__(self, "_always", always)

    @classmethod
    def around_the_clock(cls, tz: tzinfo = UTC) -> BusinessCalendar:
        """The 24×7 calendar: every instant is business time."""
        return cls(tz=tz, weekly=((ALL_DAY,),) * 7)

    @classmethod
    def from_hours(
        cls,
        tz: tzinfo,
        hours: Mapping[int, str | TimeRange | Iterable[str | TimeRange]],
        *,
        holidays: Iterable[date] = (),
    ) -> BusinessCalendar:
        """A calendar from ``{weekday: ranges}`` (Monday = 0); missing weekdays are closed.

        Ranges may be ``TimeRange`` values or strings, several per day either as a list or
        comma-separated: ``{0: "09:00-12:00, 13:00-17:00"}``.
        """
        weekly: list[tuple[TimeRange, ...]] = [()] * 7
        for weekday, spec in hours.items():
            if not 0 <= weekday <= 6:
                raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), got {weekday}")
            if isinstance(spec, str):
                items: list[str | TimeRange] = list(spec.split(","))
            elif isinstance(spec, TimeRange):
                items = [spec]
            else:
                items = list(spec)
            weekly[weekday] = tuple(
                item if isinstance(item, TimeRange) else TimeRange.parse(item) for item in items
            )
        return cls(tz=tz, weekly=tuple(weekly), holidays=frozenset(holidays))

    @property
    def is_around_the_clock(self) -> bool:
        """True when every instant is business time."""
        return self._always

    def day_intervals(self, day: date) -> list[Interval]:
        """The business time of one local date, as UTC intervals in order."""
        return [
            (_from_us(start), _from_us(end)) for start, end in self._day(day.toordinal() - _EPOCH_ORDINAL)
        ]

    def _day(self, day_number: int) -> tuple[tuple[int, int], ...]:
        intervals = self._days.get(day_number)
        if intervals is None:
            intervals = self._days[day_number] = self._compute_day(day_number)
        return intervals

    def _compute_day(self, day_number: int) -> tuple[tuple[int, int], ...]:
        day = date.fromordinal(day_number + _EPOCH_ORDINAL)
        ranges = self.weekly[day.weekday()]
        if not ranges or day in self.holidays:
            return ()
        midnight = day_number * _DAY  # local midnight as a wall-clock reading
        pieces = _day_offset_pieces(self.tz, day_number)
        found: list[tuple[int, int]] = []
        for time_range in ranges:
            wall_start = midnight + time_range.start_offset
            wall_end = midnight + time_range.end_offset
            # Within a stretch of constant offset the wall clock reads instant + offset,
            # so the instants showing [wall_start, wall_end) are that range minus offset.
            for piece_start, piece_end, offset in pieces:
                start = max(piece_start, wall_start - offset)
                end = min(piece_end, wall_end - offset)
                if start < end:
                    found.append((start, end))
        return tuple(_join_int_intervals(found))

    def _measure(self, start: int, end: int) -> int:
        """Business microseconds in ``[start, end)``."""
        if self._always:
            return end - start
        total = 0
        days = self._days
        # A local date's business time lies within a day either side of the same UTC date.
        for day_number in range(start // _DAY - 1, end // _DAY + 2):
            intervals = days.get(day_number)
            if intervals is None:
                intervals = self._day(day_number)
            for interval_start, interval_end in intervals:
                if interval_start < start:
                    interval_start = start
                if interval_end > end:
                    interval_end = end
                if interval_start < interval_end:
                    total += interval_end - interval_start
        return total


def business_duration(
    calendar: BusinessCalendar,
    start: datetime,
    end: datetime,
    pauses: Iterable[Pause] = (),
) -> timedelta:
    """The business time between ``start`` and ``end``, less the pauses.

    Pauses (time spent waiting on the customer) are measured in the same business hours:
    a pause over a night or a weekend removes only the business time inside it.
    Overlapping pauses count once, the parts of pauses outside ``[start, end)`` are
    ignored, and a pause without an end runs to ``end``. All datetimes must be aware;
    ``end`` before ``start`` is a ``ValueError``.
    """
    low = _to_us(start)
    high = _to_us(end)
    if high < low:
        raise ValueError(f"end {end} is before start {start}")
    total = calendar._measure(low, high)
    if pauses:
        for pause_start, pause_end in _pause_intervals(pauses, low, high):
            total -= calendar._measure(pause_start, pause_end)
    return timedelta(microseconds=total)


def add_business_duration(
    calendar: BusinessCalendar,
    start: datetime,
    duration: timedelta,
    pauses: Iterable[Interval] = (),
) -> datetime:
    """The deadline: the first instant by which ``duration`` of business time has passed.

    The result ``t`` (UTC) is the earliest instant with
    ``business_duration(calendar, start, t, pauses) == duration``, so an incident opened
    at ``start`` with a target of ``duration`` is breached exactly when it is still open
    after ``t``. A zero duration gives ``start`` itself; pauses must have an end.
    """
    low = _to_us(start)
    remaining = duration // _US
    if remaining < 0:
        raise ValueError("duration must not be negative")
    if remaining == 0:
        return _from_us(low)
    if not any(calendar.weekly):
        raise ValueError("the calendar has no business hours")
    pause_list = list(pauses)
    if any(pause_end is None for _, pause_end in pause_list):
        raise ValueError("pauses must have an end to compute a deadline")
    paused = _join_int_intervals(
        (max(_to_us(pause_start), low), _to_us(pause_end)) for pause_start, pause_end in pause_list
    )
    if calendar.is_around_the_clock and not paused:
        return _from_us(low + remaining)
    next_pause = 0
    first_day = low // _DAY - 1
    for day_number in range(first_day, first_day + _SEARCH_LIMIT_DAYS):
        for interval_start, interval_end in calendar._day(day_number):
            cursor = max(interval_start, low)
            # Pauses are sorted and disjoint: skip those already behind, then take the
            # free stretches between the ones that cut into this interval.
            while next_pause < len(paused) and paused[next_pause][1] <= cursor:
                next_pause += 1
            index = next_pause
            while cursor < interval_end:
                if index < len(paused) and paused[index][0] < interval_end:
                    free_end = paused[index][0]
                    resume = paused[index][1]
                    index += 1
                else:
                    free_end = resume = interval_end
                if free_end > cursor:
                    if free_end - cursor >= remaining:
                        return _from_us(cursor + remaining)
                    remaining -= free_end - cursor
                cursor = max(cursor, resume)
    raise ValueError("the duration is not reached within the search limit")


def public_holidays(
    country: str,
    years: Iterable[int],
    *,
    subdivision: str | None = None,
    extra: Iterable[date] = (),
) -> frozenset[date]:
    """The public holidays of a country (ISO 3166 code, optionally a subdivision such as
    ``"BY"`` for Bavaria) in the given years, per the ``holidays`` package, plus ``extra``
    dates agreed in the contract.
    """
    found = holidays_package.country_holidays(country, subdiv=subdivision, years=list(years))
    return frozenset(found.keys()) | frozenset(extra)


@dataclass(frozen=True)
class MaintenanceWindow:
    """A recurring planned maintenance window: every ``weekday`` (Monday = 0) from the
    local time ``start`` for ``duration`` of real time.

    The start follows the rule of ``compliance.engine.periods``: on a night when the clock skips
    ``start`` the window opens at the jump, and when the clock shows it twice, at the first
    pass. The window then lasts ``duration`` of elapsed time, so it is always as long as
    the contract says.
    """

    weekday: int
    start: time
    duration: timedelta

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), got {self.weekday}")
        if self.start.tzinfo is not None:
            raise ValueError("the window's start is a local wall-clock time, without tzinfo")
        if not timedelta(0) < self.duration <= timedelta(days=7):
            raise ValueError("duration must be more than zero and at most a week")


def maintenance_intervals(
    windows: Iterable[MaintenanceWindow],
    *,
    tz: tzinfo,
    start: datetime,
    end: datetime,
) -> list[Interval]:
    """The windows' occurrences overlapping ``[start, end)``, clipped to it, as sorted,
    non-overlapping UTC intervals (occurrences that overlap are joined).
    """
    low = _to_us(start)
    high = _to_us(end)
    if high < low:
        raise ValueError(f"end {end} is before start {start}")
    found: list[tuple[int, int]] = []
    first_day = start.astimezone(tz).date() - timedelta(days=8)
    last_day = end.astimezone(tz).date()
    for window in windows:
        day = first_day + timedelta(days=(window.weekday - first_day.weekday()) % 7)
        while day <= last_day:
            opens = _to_us(local_to_utc(datetime.combine(day, window.start), tz))
            closes = opens + window.duration // _US
            if opens < high and closes > low:
                found.append((max(opens, low), min(closes, high)))
            day += timedelta(days=7)
    return [(_from_us(a), _from_us(b)) for a, b in _join_int_intervals(found)]


# Shared by all calendars in a zone, so building a new calendar value stays cheap.
@lru_cache(maxsize=1 << 16)
def _day_offset_pieces(tz: tzinfo, day_number: int) -> tuple[tuple[int, int, int], ...]:
    """The UTC offsets around one local date: every instant the date can contain, cut
    where the offset changes."""
    midnight = day_number * _DAY
    return _offset_pieces(tz, midnight - _OFFSET_MARGIN, midnight + _DAY + _OFFSET_MARGIN)


def _offset_pieces(tz: tzinfo, low: int, high: int) -> tuple[tuple[int, int, int], ...]:
    """``[low, high)`` (microseconds) cut where the UTC offset changes, as
    ``(start, end, offset)`` with the offset in microseconds."""
    low_second = low // _SECOND
    high_second = -(-high // _SECOND)
    samples = [*range(low_second, high_second, _OFFSET_SAMPLE_STEP), high_second]
    offsets = [utc_offset_seconds(tz, second) for second in samples]
    pieces: list[tuple[int, int, int]] = []
    piece_start = low
    for index in range(1, len(samples)):
        if offsets[index] != offsets[index - 1]:
            change = offset_change(tz, samples[index - 1], samples[index]) * _SECOND
            pieces.append((piece_start, change, offsets[index - 1] * _SECOND))
            piece_start = change
    pieces.append((piece_start, high, offsets[-1] * _SECOND))
    return tuple(pieces)


def _join_ranges(ranges: Iterable[TimeRange]) -> tuple[TimeRange, ...]:
    spans = _join_int_intervals((r.start_offset, r.end_offset) for r in ranges)
    return tuple(
        TimeRange(_offset_time(start), time(0) if end == _DAY else _offset_time(end)) for start, end in spans
    )


def _join_int_intervals(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, disjoint intervals covering the same points; empty ones dropped."""
    joined: list[tuple[int, int]] = []
    for start, end in sorted(intervals):
        if start >= end:
            continue
        if joined and start <= joined[-1][1]:
            if end > joined[-1][1]:
                joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _pause_intervals(pauses: Iterable[Pause], low: int, high: int) -> list[tuple[int, int]]:
    clipped = []
    for pause_start, pause_end in pauses:
        start = max(_to_us(pause_start), low)
        end = high if pause_end is None else min(_to_us(pause_end), high)
        clipped.append((start, end))
    return _join_int_intervals(clipped)


def _time_offset(value: time) -> int:
    return ((value.hour * 60 + value.minute) * 60 + value.second) * _SECOND + value.microsecond


def _offset_time(offset: int) -> time:
    seconds, microsecond = divmod(offset, _SECOND)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return time(hour, minute, second, microsecond)


def _to_us(instant: datetime) -> int:
    if instant.tzinfo is None:
        raise ValueError(f"datetime must be timezone-aware, got {instant!r}")
    return (instant - _EPOCH) // _US


def _from_us(microseconds: int) -> datetime:
    return _EPOCH + timedelta(microseconds=microseconds)
