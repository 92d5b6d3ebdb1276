from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from compliance.engine.calendars import (
    BusinessCalendar,
    MaintenanceWindow,
    TimeRange,
    add_business_duration,
    business_duration,
    maintenance_intervals,
    public_holidays,
)
from compliance.engine.periods import period_bounds

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)

# Mon–Fri 09:00–17:00 in Amsterdam, minus Dutch public holidays. In 2024 these include
# Good Friday (29 March), Easter Monday (1 April), Ascension Day (9 May) and Christmas
# (25 and 26 December).
OFFICE = BusinessCalendar.from_hours(
    AMSTERDAM,
    dict.fromkeys(range(5), "09:00-17:00"),
    holidays=public_holidays("NL", [2024, 2025]),
)
OFFICE_NO_HOLIDAYS = BusinessCalendar.from_hours(AMSTERDAM, dict.fromkeys(range(5), "09:00-17:00"))
EVERY_DAY = BusinessCalendar.from_hours(AMSTERDAM, dict.fromkeys(range(7), "09:00-17:00"))
AROUND_THE_CLOCK = BusinessCalendar.around_the_clock(AMSTERDAM)


def ams(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def sunday_only(hours: str) -> BusinessCalendar:
    return BusinessCalendar.from_hours(AMSTERDAM, {6: hours})


# --- business_duration: hand-checked cases -------------------------------------------------


@pytest.mark.parametrize(
    ("calendar", "start", "end", "expected"),
    [
        # Monday 4 March 2024, inside one day.
        (OFFICE, ams(2024, 3, 4, 10), ams(2024, 3, 4, 12), 2 * HOUR),
        # Before opening to after closing: the whole 8-hour day.
        (OFFICE, ams(2024, 3, 4, 7), ams(2024, 3, 4, 19), 8 * HOUR),
        # Overnight: Mon 16–17 plus Tue 09–10.
        (OFFICE, ams(2024, 3, 4, 16), ams(2024, 3, 5, 10), 2 * HOUR),
        # Over a weekend: Fri 16–17 plus Mon 09–10.
        (OFFICE, ams(2024, 3, 8, 16), ams(2024, 3, 11, 10), 2 * HOUR),
        # A whole week, Monday midnight to Monday midnight: 5 × 8.
        (OFFICE, ams(2024, 3, 4), ams(2024, 3, 11), 40 * HOUR),
        # Over the March DST weekend (clocks forward Sunday 31 March): Fri 16–17 plus
        # Mon 09–10, although only 65 real hours pass.
        (OFFICE_NO_HOLIDAYS, ams(2024, 3, 29, 16), ams(2024, 4, 1, 10), 2 * HOUR),
        # Over the October DST weekend (clocks back Sunday 27 October): 67 real hours.
        (OFFICE, ams(2024, 10, 25, 16), ams(2024, 10, 28, 10), 2 * HOUR),
        # Easter 2024 with holidays and DST: Thu 16–17, Good Friday and Easter Monday
        # off, Tue 09–10.
        (OFFICE, ams(2024, 3, 28, 16), ams(2024, 4, 2, 10), 2 * HOUR),
        # Christmas: Tue 24 Dec 16–17, 25 and 26 off, Fri 27 Dec 09–10.
        (OFFICE, ams(2024, 12, 24, 16), ams(2024, 12, 27, 10), 2 * HOUR),
        # Ascension Day, Thursday 9 May: Wed and Fri only.
        (OFFICE, ams(2024, 5, 8, 9), ams(2024, 5, 10, 17), 16 * HOUR),
        # Every day 09–17: Sat 12–17 plus Sun 09–12 over the spring-forward night; the
        # business day on the 23-hour Sunday is still 8 hours.
        (EVERY_DAY, ams(2024, 3, 30, 12), ams(2024, 3, 31, 12), 8 * HOUR),
        (EVERY_DAY, ams(2024, 3, 31), ams(2024, 4, 1), 8 * HOUR),
        # ... and on the 25-hour Sunday in October.
        (EVERY_DAY, ams(2024, 10, 26, 12), ams(2024, 10, 27, 12), 8 * HOUR),
        (EVERY_DAY, ams(2024, 10, 27), ams(2024, 10, 28), 8 * HOUR),
        # Ranges over the night of the change count only the wall-clock times the clock
        # shows. 31 March: 02:00–03:00 never shows, so 01:00–04:00 is 2 hours.
        (sunday_only("01:00-04:00"), ams(2024, 3, 30, 12), ams(2024, 4, 1, 12), 2 * HOUR),
        (sunday_only("02:00-03:00"), ams(2024, 3, 30, 12), ams(2024, 4, 1, 12), timedelta(0)),
        (sunday_only("02:30-04:00"), ams(2024, 3, 30, 12), ams(2024, 4, 1, 12), HOUR),
        # 27 October: 02:00–03:00 shows twice, so 01:00–04:00 is 4 hours ...
        (sunday_only("01:00-04:00"), ams(2024, 10, 26, 12), ams(2024, 10, 28, 12), 4 * HOUR),
        (sunday_only("02:00-03:00"), ams(2024, 10, 26, 12), ams(2024, 10, 28, 12), 2 * HOUR),
        # ... and 01:00–02:30 is 01:00–02:30 CEST plus 02:00–02:30 CET.
        (sunday_only("01:00-02:30"), ams(2024, 10, 26, 12), ams(2024, 10, 28, 12), 2 * HOUR),
        # An ordinary Sunday for comparison.
        (sunday_only("01:00-04:00"), ams(2024, 3, 23, 12), ams(2024, 3, 25, 12), 3 * HOUR),
        # 24×7 counts real time: the local days of the changes are 23 and 25 hours.
        (AROUND_THE_CLOCK, ams(2024, 3, 31), ams(2024, 4, 1), 23 * HOUR),
        (AROUND_THE_CLOCK, ams(2024, 10, 27), ams(2024, 10, 28), 25 * HOUR),
        # Several ranges a day: 09–12 and 13–17 is 7 hours.
        (
            BusinessCalendar.from_hours(AMSTERDAM, {0: "09:00-12:00, 13:00-17:00"}),
            ams(2024, 3, 4),
            ams(2024, 3, 5),
            7 * HOUR,
        ),
        # An empty stretch.
        (OFFICE, ams(2024, 3, 4, 10), ams(2024, 3, 4, 10), timedelta(0)),
        # Sub-minute precision: 90 seconds and 1.5 ms.
        (
            OFFICE,
            ams(2024, 3, 4, 16, 58) + timedelta(seconds=30),
            ams(2024, 3, 5, 9, 0) + timedelta(microseconds=1500),
            timedelta(seconds=90, microseconds=1500),
        ),
    ],
)
def test_business_duration(calendar, start, end, expected):
    assert business_duration(calendar, start, end) == expected


@pytest.mark.parametrize(
    ("start", "end", "pauses", "expected"),
    [
        # A pause across midnight: Mon 16:00 to Tue 10:00 removes Mon 16–17 and Tue 09–10
        # from three 8-hour days.
        (ams(2024, 3, 4, 9), ams(2024, 3, 6, 17), [(ams(2024, 3, 4, 16), ams(2024, 3, 5, 10))], 22 * HOUR),
        # A pause over a weekend: Fri 15:00 to Mon 11:00 removes Fri 15–17 and Mon 09–11
        # from Fri + Mon (16 h).
        (ams(2024, 3, 8, 9), ams(2024, 3, 11, 17), [(ams(2024, 3, 8, 15), ams(2024, 3, 11, 11))], 12 * HOUR),
        # Overlapping pauses count once: 10–12 and 11–13 pause 3 hours of an 8-hour day.
        (
            ams(2024, 3, 4, 9),
            ams(2024, 3, 4, 17),
            [(ams(2024, 3, 4, 10), ams(2024, 3, 4, 12)), (ams(2024, 3, 4, 11), ams(2024, 3, 4, 13))],
            5 * HOUR,
        ),
        # A pause starting before the incident only removes its part after the start.
        (ams(2024, 3, 4, 10), ams(2024, 3, 4, 17), [(ams(2024, 3, 4, 8), ams(2024, 3, 4, 11))], 6 * HOUR),
        # A pause after the incident is ignored.
        (ams(2024, 3, 4, 10), ams(2024, 3, 4, 17), [(ams(2024, 3, 5, 9), ams(2024, 3, 5, 12))], 7 * HOUR),
        # A pause still open runs to the end: Tue 13–17 of Mon + Tue.
        (ams(2024, 3, 4, 9), ams(2024, 3, 5, 17), [(ams(2024, 3, 5, 13), None)], 12 * HOUR),
        # A pause over a holiday removes nothing more than the holiday already did:
        # Tue 24 Dec 16:00 to Fri 27 Dec 10:00 is 2 h, the pause covers only the holidays.
        (ams(2024, 12, 24, 16), ams(2024, 12, 27, 10), [(ams(2024, 12, 25), ams(2024, 12, 27))], 2 * HOUR),
    ],
)
def test_business_duration_less_pauses(start, end, pauses, expected):
    assert business_duration(OFFICE, start, end, pauses) == expected


def test_pauses_in_other_time_zones_are_the_same_instants():
    start, end = ams(2024, 3, 4, 9), ams(2024, 3, 4, 17)
    pause = (utc(2024, 3, 4, 9), utc(2024, 3, 4, 10))  # 10:00–11:00 in Amsterdam
    assert business_duration(OFFICE, start, end, [pause]) == 7 * HOUR


# --- add_business_duration ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("calendar", "start", "duration", "pauses", "deadline"),
    [
        # Fri 16–17 is one hour, three more on Monday: Mon 12:00 (11:00 UTC).
        (OFFICE, ams(2024, 3, 8, 16), 4 * HOUR, [], ams(2024, 3, 11, 12)),
        # Opened on Saturday: the clock starts on Monday morning.
        (OFFICE, ams(2024, 3, 9, 12), HOUR, [], ams(2024, 3, 11, 10)),
        # A full day ends at 17:00 the same day, not at 09:00 the next.
        (OFFICE, ams(2024, 3, 4, 9), 8 * HOUR, [], ams(2024, 3, 4, 17)),
        # Christmas Eve 13–17, then 25 and 26 off, then four hours on Friday.
        (OFFICE, ams(2024, 12, 24, 13), 8 * HOUR, [], ams(2024, 12, 27, 13)),
        # Easter over DST: Thu 15–17, Fri and Mon holidays, Tue 09–11 CEST.
        (OFFICE, ams(2024, 3, 28, 15), 4 * HOUR, [], ams(2024, 4, 2, 11)),
        # A lunch pause pushes the deadline: Mon 09–12 and 13–17 is 7 h, then Tue 09–10.
        (
            OFFICE,
            ams(2024, 3, 4, 9),
            8 * HOUR,
            [(ams(2024, 3, 4, 12), ams(2024, 3, 4, 13))],
            ams(2024, 3, 5, 10),
        ),
        # A pause over the deadline's own start moves it on: paused Fri 16:00 to Mon 10:00.
        (
            OFFICE,
            ams(2024, 3, 8, 15),
            2 * HOUR,
            [(ams(2024, 3, 8, 16), ams(2024, 3, 11, 10))],
            ams(2024, 3, 11, 11),
        ),
        # 24×7 across the spring-forward hour: 01:30 CET + 1 h = 03:30 CEST.
        (AROUND_THE_CLOCK, ams(2024, 3, 31, 1, 30), HOUR, [], ams(2024, 3, 31, 3, 30)),
        # Zero is the start itself.
        (OFFICE, ams(2024, 3, 9, 12), timedelta(0), [], ams(2024, 3, 9, 12)),
    ],
)
def test_add_business_duration(calendar, start, duration, pauses, deadline):
    result = add_business_duration(calendar, start, duration, pauses)
    assert result == deadline
    assert result.tzinfo is UTC


@pytest.mark.parametrize(
    ("opened", "target", "breached"),
    [
        # Opened Thu 28 March 13:00 with 4 business hours: due Thu 17:00, so still open at
        # the end of March it is breached.
        (ams(2024, 3, 28, 13), 4 * HOUR, True),
        # Opened Thu 15:00: two hours on Thursday, then Good Friday, the weekend and Easter
        # Monday; due Tue 2 April 11:00, after the period, so not (yet) breached.
        (ams(2024, 3, 28, 15), 4 * HOUR, False),
        # Opened Thu 15:00 with 2 business hours: due Thu 17:00, breached.
        (ams(2024, 3, 28, 15), 2 * HOUR, True),
    ],
)
def test_incident_open_at_period_end_is_breached_once_past_its_target(opened, target, breached):
    _, period_end = period_bounds(2024, 3, AMSTERDAM)
    elapsed = business_duration(OFFICE, opened, period_end)
    deadline = add_business_duration(OFFICE, opened, target)
    assert (elapsed >= target) is breached
    assert (deadline <= period_end) is breached


# --- errors ---------------------------------------------------------------------------------


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        business_duration(OFFICE, datetime(2024, 3, 4, 9), ams(2024, 3, 4, 17))
    with pytest.raises(ValueError):
        add_business_duration(OFFICE, datetime(2024, 3, 4, 9), HOUR)


def test_end_before_start_is_refused():
    with pytest.raises(ValueError):
        business_duration(OFFICE, ams(2024, 3, 4, 17), ams(2024, 3, 4, 9))


def test_negative_duration_is_refused():
    with pytest.raises(ValueError):
        add_business_duration(OFFICE, ams(2024, 3, 4, 9), -HOUR)


def test_deadline_needs_business_hours():
    closed = BusinessCalendar.from_hours(AMSTERDAM, {})
    assert business_duration(closed, ams(2024, 3, 4), ams(2024, 3, 11)) == timedelta(0)
    with pytest.raises(ValueError):
        add_business_duration(closed, ams(2024, 3, 4), HOUR)


def test_deadline_needs_closed_pauses():
    with pytest.raises(ValueError):
        add_business_duration(OFFICE, ams(2024, 3, 4, 9), HOUR, [(ams(2024, 3, 4, 10), None)])


# --- calendar values ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00-17:00", TimeRange(time(9), time(17))),
        ("9:30 - 12:15", TimeRange(time(9, 30), time(12, 15))),
        ("00:00-24:00", TimeRange(time(0), time(0))),
        ("22:00-24:00", TimeRange(time(22), time(0))),
    ],
)
def test_time_range_parse(text, expected):
    assert TimeRange.parse(text) == expected


@pytest.mark.parametrize("text", ["17:00-09:00", "09:00-09:00", "9-17", "09:00-25:00", "09:60-10:00"])
def test_time_range_parse_refuses_bad_ranges(text):
    with pytest.raises(ValueError):
        TimeRange.parse(text)


def test_calendar_joins_overlapping_ranges():
    calendar = BusinessCalendar.from_hours(UTC, {0: ["13:00-17:00", "09:00-12:00", "11:00-13:00"]})
    assert calendar.weekly[0] == (TimeRange(time(9), time(17)),)
    assert calendar == BusinessCalendar.from_hours(UTC, {0: "09:00-17:00"})


def test_calendar_of_full_days_without_holidays_is_around_the_clock():
    assert BusinessCalendar.from_hours(AMSTERDAM, dict.fromkeys(range(7), "00:00-24:00")).is_around_the_clock
    assert not EVERY_DAY.is_around_the_clock
    with_holiday = BusinessCalendar.from_hours(
        UTC, dict.fromkeys(range(7), "00:00-24:00"), holidays=[date(2024, 1, 1)]
    )
    assert not with_holiday.is_around_the_clock
    assert business_duration(with_holiday, utc(2023, 12, 31), utc(2024, 1, 3)) == 48 * HOUR


def test_calendar_refuses_bad_weekdays():
    with pytest.raises(ValueError):
        BusinessCalendar.from_hours(UTC, {7: "09:00-17:00"})


def test_day_intervals_in_utc():
    # 1 April 2024 is Easter Monday; 2 April is a working day in CEST.
    assert OFFICE.day_intervals(date(2024, 4, 1)) == []
    assert OFFICE.day_intervals(date(2024, 4, 2)) == [(utc(2024, 4, 2, 7), utc(2024, 4, 2, 15))]


# --- public holidays ------------------------------------------------------------------------


def test_public_holidays_for_a_country():
    dutch = public_holidays("NL", [2024], extra=[date(2024, 12, 31)])
    assert {date(2024, 4, 1), date(2024, 12, 25), date(2024, 12, 26), date(2024, 12, 31)} <= dutch
    assert date(2024, 12, 24) not in dutch


def test_public_holidays_for_a_subdivision():
    # Epiphany is a holiday in Bavaria but not in Germany as a whole.
    assert date(2024, 1, 6) in public_holidays("DE", [2024], subdivision="BY")
    assert date(2024, 1, 6) not in public_holidays("DE", [2024])


def test_public_holidays_over_several_years():
    christmases = {date(year, 12, 25) for year in (2024, 2025)}
    assert christmases <= public_holidays("NL", range(2024, 2026))


# --- maintenance windows --------------------------------------------------------------------

SUNDAY_NIGHT = MaintenanceWindow(weekday=6, start=time(2), duration=2 * HOUR)


def test_maintenance_windows_in_march_in_amsterdam():
    start, end = period_bounds(2024, 3, AMSTERDAM)
    intervals = maintenance_intervals([SUNDAY_NIGHT], tz=AMSTERDAM, start=start, end=end)
    assert intervals == [
        # Sundays 02:00–04:00 CET are 01:00–03:00 UTC.
        (utc(2024, 3, 3, 1), utc(2024, 3, 3, 3)),
        (utc(2024, 3, 10, 1), utc(2024, 3, 10, 3)),
        (utc(2024, 3, 17, 1), utc(2024, 3, 17, 3)),
        (utc(2024, 3, 24, 1), utc(2024, 3, 24, 3)),
        # 02:00 is skipped on the 31st: the window opens at the jump (03:00 CEST) and
        # still lasts two hours.
        (utc(2024, 3, 31, 1), utc(2024, 3, 31, 3)),
    ]


def test_maintenance_window_on_the_autumn_night_opens_at_the_first_pass():
    intervals = maintenance_intervals(
        [SUNDAY_NIGHT], tz=AMSTERDAM, start=ams(2024, 10, 26), end=ams(2024, 10, 28)
    )
    # 02:00 CEST is 00:00 UTC; two hours later the clock shows 03:00 CET.
    assert intervals == [(utc(2024, 10, 27, 0), utc(2024, 10, 27, 2))]


def test_maintenance_windows_are_clipped_and_joined():
    late_saturday = MaintenanceWindow(weekday=5, start=time(23), duration=4 * HOUR)
    intervals = maintenance_intervals(
        [SUNDAY_NIGHT, late_saturday], tz=AMSTERDAM, start=ams(2024, 3, 9, 23, 30), end=ams(2024, 3, 10, 3)
    )
    # Sat 23:00 – Sun 03:00 and Sun 02:00 – 04:00 join; the range cuts both ends.
    assert intervals == [(ams(2024, 3, 9, 23, 30), ams(2024, 3, 10, 3))]


def test_maintenance_window_refuses_bad_values():
    with pytest.raises(ValueError):
        MaintenanceWindow(weekday=7, start=time(2), duration=HOUR)
    with pytest.raises(ValueError):
        MaintenanceWindow(weekday=6, start=time(2), duration=timedelta(0))


# --- a per-minute reference -----------------------------------------------------------------


def reference_minutes(
    *,
    tz: ZoneInfo,
    weekly: list[list[tuple[int, int]]],
    holidays: set[date],
    start: datetime,
    end: datetime,
    pauses: list[tuple[datetime, datetime | None]],
) -> int:
    """Business minutes in [start, end) by reading every minute on the local clock.

    ``weekly`` holds per weekday ranges in minutes from local midnight, end up to 1440.
    All inputs are whole minutes, and so are the zones' offsets, so sampling each minute
    at its first instant is exact.
    """
    paused = [(pause_start, end if pause_end is None else pause_end) for pause_start, pause_end in pauses]
    minutes = 0
    instant = start
    while instant < end:
        local = instant.astimezone(tz)
        minute_of_day = local.hour * 60 + local.minute
        if (
            local.date() not in holidays
            and any(low <= minute_of_day < high for low, high in weekly[local.weekday()])
            and not any(pause_start <= instant < pause_end for pause_start, pause_end in paused)
        ):
            minutes += 1
        instant += MINUTE
    return minutes


# Zones with the instants of their 2024 clock changes, so most examples cross one.
ZONE_CHANGES = [
    (ZoneInfo("Europe/Amsterdam"), [utc(2024, 3, 31, 1), utc(2024, 10, 27, 1)]),
    (ZoneInfo("America/New_York"), [utc(2024, 3, 10, 7), utc(2024, 11, 3, 6)]),
    # Santiago changes at midnight.
    (ZoneInfo("America/Santiago"), [utc(2024, 4, 7, 3), utc(2024, 9, 8, 4)]),
    # Lord Howe Island changes by half an hour.
    (ZoneInfo("Australia/Lord_Howe"), [utc(2024, 4, 6, 15), utc(2024, 10, 5, 15, 30)]),
    # No changes: a half-hour offset, and UTC.
    (ZoneInfo("Asia/Kolkata"), [utc(2024, 6, 15, 12)]),
    (ZoneInfo("UTC"), [utc(2024, 6, 15, 12)]),
]
ZONES = [tz for tz, _ in ZONE_CHANGES]
ZONES_NEAR_A_CHANGE = st.sampled_from(ZONE_CHANGES).flatmap(
    lambda zone: st.tuples(st.just(zone[0]), st.sampled_from(zone[1]))
)

# Range ends: often the wall-clock times at which the zones above change (00:00–03:00,
# 23:00–24:00), often whole half hours, sometimes any minute.
range_minutes = st.one_of(
    st.sampled_from([0, 60, 90, 120, 150, 180, 1380, 1410, 1440]),
    st.integers(0, 48).map(lambda half_hours: half_hours * 30),
    st.integers(0, 1440),
)


@st.composite
def weekly_hours(draw) -> list[list[tuple[int, int]]]:
    weekly = []
    for _ in range(7):
        ranges = []
        for _ in range(draw(st.integers(0, 3))):
            low, high = sorted((draw(range_minutes), draw(range_minutes)))
            if low < high:
                ranges.append((low, high))
        weekly.append(ranges)
    return weekly


def to_calendar(tz: ZoneInfo, weekly: list[list[tuple[int, int]]], holidays: set[date]) -> BusinessCalendar:
    def clock(minutes: int) -> time:
        return time(0) if minutes == 1440 else time(minutes // 60, minutes % 60)

    return BusinessCalendar(
        tz=tz,
        weekly=tuple(tuple(TimeRange(clock(low), clock(high)) for low, high in day) for day in weekly),
        holidays=frozenset(holidays),
    )


@st.composite
def scenarios(draw, *, max_days: int):
    """A calendar, an interval of up to ``max_days`` near a clock change, holidays
    around it, and pauses in and around it; all in whole minutes."""
    tz, change = draw(ZONES_NEAR_A_CHANGE)
    weekly = draw(weekly_hours())
    start = change + MINUTE * draw(st.integers(-2 * 1440, 1440))
    end = start + MINUTE * draw(st.integers(0, max_days * 1440))
    first_day = (start - timedelta(days=1)).date()
    holidays = set(draw(st.lists(st.integers(0, max_days + 2), max_size=4)))
    holiday_dates = {first_day + timedelta(days=offset) for offset in holidays}
    pauses = []
    for _ in range(draw(st.integers(0, 3))):
        pause_start = start + MINUTE * draw(st.integers(-1440, (max_days + 1) * 1440))
        length = draw(st.one_of(st.none(), st.integers(0, 3 * 1440)))
        pauses.append((pause_start, None if length is None else pause_start + MINUTE * length))
    return tz, weekly, holiday_dates, start, end, pauses


@settings(max_examples=200, deadline=None)
@given(scenario=scenarios(max_days=4))
def test_business_duration_matches_the_per_minute_reference(scenario):
    tz, weekly, holidays, start, end, pauses = scenario
    calendar = to_calendar(tz, weekly, holidays)
    expected = reference_minutes(tz=tz, weekly=weekly, holidays=holidays, start=start, end=end, pauses=pauses)
    assert business_duration(calendar, start, end, pauses) == expected * MINUTE


# --- properties -----------------------------------------------------------------------------

instants = st.integers(0, 60 * 24 * 3600 * 10**6).map(
    lambda microseconds: utc(2024, 2, 1) + timedelta(microseconds=microseconds)
)


@st.composite
def calendars(draw) -> BusinessCalendar:
    tz = draw(st.sampled_from(ZONES))
    holidays = set(draw(st.lists(st.dates(date(2024, 1, 25), date(2024, 4, 10)), max_size=6)))
    return to_calendar(tz, draw(weekly_hours()), holidays)


closed_pauses = st.lists(st.tuples(instants, instants).map(sorted).map(tuple), max_size=3)


@settings(max_examples=200, deadline=None)
@given(
    calendar=calendars(), points=st.lists(instants, min_size=3, max_size=3).map(sorted), pauses=closed_pauses
)
def test_business_duration_is_additive_over_split_intervals(calendar, points, pauses):
    first, middle, last = points
    whole = business_duration(calendar, first, last, pauses)
    parts = business_duration(calendar, first, middle, pauses) + business_duration(
        calendar, middle, last, pauses
    )
    assert whole == parts


@settings(max_examples=200, deadline=None)
@given(
    calendar=calendars(), points=st.lists(instants, min_size=2, max_size=2).map(sorted), pauses=closed_pauses
)
def test_business_duration_is_within_elapsed_time_and_pauses_only_lower_it(calendar, points, pauses):
    start, end = points
    unpaused = business_duration(calendar, start, end)
    assert timedelta(0) <= business_duration(calendar, start, end, pauses) <= unpaused <= end - start


@settings(max_examples=200, deadline=None)
@given(
    calendar=calendars(),
    start=instants,
    duration=st.integers(0, 20 * 24 * 3600 * 10**6).map(
        lambda microseconds: timedelta(microseconds=microseconds)
    ),
    pauses=closed_pauses,
)
def test_add_business_duration_inverts_business_duration(calendar, start, duration, pauses):
    weekly = sum(
        (time_range.end_offset - time_range.start_offset for day in calendar.weekly for time_range in day),
    )
    # Keep the deadline within a few months, whatever the calendar's hours.
    assume(0 < duration // timedelta(microseconds=1) <= 20 * weekly or not duration)
    deadline = add_business_duration(calendar, start, duration, pauses)
    assert deadline >= start
    assert business_duration(calendar, start, deadline, pauses) == duration
    # It is the earliest such instant.
    if duration:
        assert business_duration(calendar, start, deadline - timedelta(microseconds=1), pauses) < duration


@settings(max_examples=200, deadline=None)
@given(
    calendar=calendars(), points=st.lists(instants, min_size=2, max_size=2).map(sorted), pauses=closed_pauses
)
def test_deadline_of_the_business_time_so_far_is_not_after_now(calendar, points, pauses):
    start, end = points
    assume(any(calendar.weekly))
    elapsed = business_duration(calendar, start, end, pauses)
    assert add_business_duration(calendar, start, elapsed, pauses) <= end


@settings(max_examples=100, deadline=None)
@given(points=st.lists(instants, min_size=2, max_size=2).map(sorted), pauses=closed_pauses)
def test_around_the_clock_counts_elapsed_time_less_paused_time(points, pauses):
    start, end = points
    paused = sum(
        (
            max(timedelta(0), min(pause_end, end) - max(pause_start, start))
            for pause_start, pause_end in pauses
        ),
        timedelta(0),
    )
    result = business_duration(AROUND_THE_CLOCK, start, end, pauses)
    # Overlapping pauses count once, so the sum over pauses is an upper bound on what is removed.
    assert end - start - paused <= result <= end - start
    if len(pauses) <= 1:
        assert result == end - start - paused
