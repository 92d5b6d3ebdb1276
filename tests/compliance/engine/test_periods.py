from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.engine.periods import (
    format_period,
    local_to_utc,
    next_period,
    parse_period,
    period_bounds,
    period_of,
    previous_period,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NEW_YORK = ZoneInfo("America/New_York")
SANTIAGO = ZoneInfo("America/Santiago")
HOUR = timedelta(hours=1)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("year", "month", "tz", "start", "end", "hours"),
    [
        # January in CET (+01:00): 31 days × 24 h.
        (2024, 1, AMSTERDAM, utc(2023, 12, 31, 23), utc(2024, 1, 31, 23), 744),
        # Leap February: 29 × 24.
        (2024, 2, AMSTERDAM, utc(2024, 1, 31, 23), utc(2024, 2, 29, 23), 696),
        # March loses the hour skipped on the 31st (02:00 CET → 03:00 CEST): 744 − 1.
        (2024, 3, AMSTERDAM, utc(2024, 2, 29, 23), utc(2024, 3, 31, 22), 743),
        # October gains the hour repeated on the 27th (03:00 CEST → 02:00 CET): 744 + 1.
        (2024, 10, AMSTERDAM, utc(2024, 9, 30, 22), utc(2024, 10, 31, 23), 745),
        # 2023 had its changes on 26 March and 29 October.
        (2023, 3, AMSTERDAM, utc(2023, 2, 28, 23), utc(2023, 3, 31, 22), 743),
        (2023, 10, AMSTERDAM, utc(2023, 9, 30, 22), utc(2023, 10, 31, 23), 745),
        # New York changes on 10 March and 3 November 2024.
        (2024, 3, NEW_YORK, utc(2024, 3, 1, 5), utc(2024, 4, 1, 4), 743),
        (2024, 11, NEW_YORK, utc(2024, 11, 1, 4), utc(2024, 12, 1, 5), 721),
        # December crosses into the next year.
        (2024, 12, UTC, utc(2024, 12, 1), utc(2025, 1, 1), 744),
    ],
)
def test_period_bounds(year, month, tz, start, end, hours):
    assert period_bounds(year, month, tz) == (start, end)
    assert (end - start) / HOUR == hours


def test_period_bounds_are_utc():
    start, end = period_bounds(2024, 7, AMSTERDAM)
    assert start.tzinfo is UTC
    assert end.tzinfo is UTC


@pytest.mark.parametrize(
    ("text", "period"),
    [("2024-01", (2024, 1)), ("2024-12", (2024, 12)), (" 1999-07 ", (1999, 7))],
)
def test_parse_period(text, period):
    assert parse_period(text) == period


@pytest.mark.parametrize("text", ["2024-13", "2024-00", "2024-1", "24-01", "2024/01", "2024-01-01", ""])
def test_parse_period_rejects_other_text(text):
    with pytest.raises(ValueError):
        parse_period(text)


def test_format_period_pads():
    assert format_period(2024, 3) == "2024-03"


def test_next_and_previous_period_cross_years():
    assert next_period(2024, 12) == (2025, 1)
    assert previous_period(2025, 1) == (2024, 12)
    assert next_period(2024, 3) == (2024, 4)


@pytest.mark.parametrize(
    ("instant", "period"),
    [
        # 23:30 UTC on 31 January is already 00:30 on 1 February in Amsterdam.
        (utc(2024, 1, 31, 23, 30), (2024, 2)),
        (utc(2024, 1, 31, 22, 59), (2024, 1)),
    ],
)
def test_period_of_reads_the_local_date(instant, period):
    assert period_of(instant, AMSTERDAM) == period


@pytest.mark.parametrize(
    ("wall", "tz", "expected"),
    [
        # An ordinary time.
        (datetime(2024, 6, 1, 12), AMSTERDAM, utc(2024, 6, 1, 10)),
        # 02:30 is skipped on 31 March 2024: the clock jumps at 01:00 UTC.
        (datetime(2024, 3, 31, 2, 30), AMSTERDAM, utc(2024, 3, 31, 1)),
        # 02:30 is shown twice on 27 October 2024: first pass, still CEST (+02:00).
        (datetime(2024, 10, 27, 2, 30), AMSTERDAM, utc(2024, 10, 27, 0, 30)),
        # Santiago skips midnight on 8 September 2024 (00:00 −04 → 01:00 −03).
        (datetime(2024, 9, 8, 0, 0), SANTIAGO, utc(2024, 9, 8, 4)),
        (datetime(2024, 9, 7, 23, 59), SANTIAGO, utc(2024, 9, 8, 3, 59)),
    ],
)
def test_local_to_utc_takes_the_first_instant_showing_the_time(wall, tz, expected):
    assert local_to_utc(wall, tz) == expected


def test_local_to_utc_refuses_aware_datetimes():
    with pytest.raises(ValueError):
        local_to_utc(datetime(2024, 1, 1, tzinfo=UTC), AMSTERDAM)


ZONES = st.sampled_from(
    [ZoneInfo(key) for key in ("UTC", "Europe/Amsterdam", "America/New_York", "America/Santiago")]
)
MONTHS = st.tuples(st.integers(1971, 2037), st.integers(1, 12))


@given(period=MONTHS, tz=ZONES)
def test_consecutive_periods_tile_time(period, tz):
    _, end = period_bounds(*period, tz)
    start_of_next, _ = period_bounds(*next_period(*period), tz)
    assert end == start_of_next


@given(period=MONTHS, tz=ZONES)
def test_period_is_its_days_give_or_take_one_hour(period, tz):
    start, end = period_bounds(*period, tz)
    days = (datetime(*next_period(*period), 1) - datetime(*period, 1)).days
    assert abs(end - start - timedelta(days=days)) <= HOUR
    assert period_of(start, tz) == period
    assert period_of(end - timedelta(microseconds=1), tz) == period


@given(period=MONTHS)
def test_format_and_parse_round_trip(period):
    assert parse_period(format_period(*period)) == period
