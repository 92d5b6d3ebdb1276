"""Durations as people write them, read into whole minutes (hand-checked values)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.texts.durations import DurationError, format_duration_short, parse_duration


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("240", 240),
        ("90 min", 90),
        ("90min", 90),
        ("90 minutes", 90),
        ("1 minute", 1),
        ("8h", 480),
        ("8 hours", 480),
        ("1 hour", 60),
        ("1h 30m", 90),
        ("1h30m", 90),
        ("1 hour and 30 minutes", 90),
        ("1 day", 1440),
        ("1d", 1440),
        ("2 days", 2880),
        ("1d 4h", 1680),
        ("1 day, 2 hours, 5 minutes", 1565),
        ("  4 H  ", 240),
    ],
)
def test_written_durations_become_minutes(text, minutes):
    assert parse_duration(text) == minutes


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Give a duration"),
        ("soon", "is not a duration"),
        ("4 weeks", "“weeks” is not a unit of time"),
        ("4h 1d", "repeats or reorders"),
        ("1h 1h", "repeats or reorders"),
        ("0", "at least one minute"),
        ("0h", "at least one minute"),
        ("367 days", "at most 366 days"),
        ("-5", "is not a duration"),
        ("1.5h", "is not a duration"),
    ],
)
def test_what_is_not_a_duration_is_refused_with_what_to_write(text, message):
    with pytest.raises(DurationError, match=message):
        parse_duration(text)


def test_business_time_is_written_in_hours_not_days():
    assert parse_duration("9h", business_time=True) == 540
    with pytest.raises(DurationError, match="business day's length depends on the calendar"):
        parse_duration("1 day", business_time=True)


@pytest.mark.parametrize(("minutes", "text"), [(45, "45m"), (60, "1h"), (90, "1h 30m"), (1530, "1d 1h 30m")])
def test_the_short_form(minutes, text):
    assert format_duration_short(minutes) == text


@given(st.integers(min_value=1, max_value=366 * 24 * 60))
def test_the_short_form_reads_back_as_the_same_minutes(minutes):
    assert parse_duration(format_duration_short(minutes)) == minutes
