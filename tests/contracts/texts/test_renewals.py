"""A contract's term on its own clock: notice deadlines, reminders due, terms rolled forward.
Every date below was counted by hand on a calendar."""

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.texts import renewals
from contracts.texts.renewals import END, NOTICE, Reminder


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 11, 15), 3, date(2027, 2, 15)),
        (date(2026, 12, 31), -1, date(2026, 11, 30)),
        (date(2026, 12, 1), 1, date(2027, 1, 1)),
    ],
)
def test_add_months_stays_within_the_month(day, months, expected):
    assert renewals.add_months(day, months) == expected


@pytest.mark.parametrize(
    ("end", "months", "expected"),
    [
        (date(2026, 12, 31), 12, date(2027, 12, 31)),
        # A year from 1 March 2027 ends on the leap day.
        (date(2027, 2, 28), 12, date(2028, 2, 29)),
        (date(2027, 6, 30), 6, date(2027, 12, 31)),
        (date(2027, 1, 15), 1, date(2027, 2, 15)),
        (date(2026, 10, 25), 12, date(2027, 10, 25)),
    ],
)
def test_the_next_term_starts_the_day_after_the_end(end, months, expected):
    assert renewals.next_term_end(end, months) == expected


def test_notice_deadline_counts_back_from_the_end():
    assert renewals.notice_deadline(date(2026, 12, 31), 90) == date(2026, 10, 2)
    assert renewals.notice_deadline(date(2027, 6, 26), 90) == date(2027, 3, 28)
    assert renewals.notice_deadline(date(2027, 2, 22), 90) == date(2026, 11, 24)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 7, 3), []),
        (date(2026, 7, 4), [Reminder(NOTICE, date(2026, 10, 2), 90, 90)]),
        (date(2026, 8, 10), [Reminder(NOTICE, date(2026, 10, 2), 60, 53)]),
        (date(2026, 9, 2), [Reminder(NOTICE, date(2026, 10, 2), 30, 30)]),
        (
            date(2026, 10, 2),
            [Reminder(NOTICE, date(2026, 10, 2), 30, 0), Reminder(END, date(2026, 12, 31), 90, 90)],
        ),
        (date(2026, 10, 3), [Reminder(END, date(2026, 12, 31), 90, 89)]),
        (date(2026, 12, 31), [Reminder(END, date(2026, 12, 31), 30, 0)]),
        (date(2027, 1, 1), []),
    ],
)
def test_reminders_due_take_the_nearest_threshold_reached(today, expected):
    assert renewals.reminders_due(today=today, end_date=date(2026, 12, 31), notice_period_days=90) == expected


def test_without_notice_only_the_end_is_reminded_of():
    due = renewals.reminders_due(today=date(2026, 12, 1), end_date=date(2026, 12, 31), notice_period_days=0)
    assert due == [Reminder(END, date(2026, 12, 31), 30, 30)]


def test_the_thresholds_can_be_chosen():
    due = renewals.reminders_due(
        today=date(2026, 12, 24), end_date=date(2026, 12, 31), notice_period_days=0, thresholds=(14, 7)
    )
    assert due == [Reminder(END, date(2026, 12, 31), 7, 7)]


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Summer time ends on 25 October 2026 at 03:00 (CEST, UTC+2) in Amsterdam.
        (datetime(2026, 10, 24, 21, 59, tzinfo=UTC), date(2026, 10, 24)),
        (datetime(2026, 10, 24, 22, 30, tzinfo=UTC), date(2026, 10, 25)),
        # After the change the clock is an hour closer to UTC: 22:30 UTC is still the 25th.
        (datetime(2026, 10, 25, 22, 30, tzinfo=UTC), date(2026, 10, 25)),
        # Summer time starts on 28 March 2027 at 02:00 (CET, UTC+1).
        (datetime(2027, 3, 27, 22, 59, tzinfo=UTC), date(2027, 3, 27)),
        (datetime(2027, 3, 27, 23, 30, tzinfo=UTC), date(2027, 3, 28)),
    ],
)
def test_today_is_read_on_the_contracts_clock(now, expected):
    assert renewals.local_today(now, "Europe/Amsterdam") == expected


def test_a_term_is_renewed_from_its_end_date_on():
    assert renewals.renewed_term_ends(date(2026, 12, 31), 12, date(2026, 12, 30)) == []
    assert renewals.renewed_term_ends(date(2026, 12, 31), 12, date(2026, 12, 31)) == [date(2027, 12, 31)]


def test_missed_renewals_roll_the_term_forward_once_each():
    assert renewals.renewed_term_ends(date(2026, 10, 31), 6, date(2027, 5, 2)) == [
        date(2027, 4, 30),
        date(2027, 10, 31),
    ]


def test_window_holds_the_end_or_the_notice_deadline():
    end = date(2026, 12, 31)  # notice due 2 October 2026
    assert renewals.in_window(today=date(2026, 9, 2), end_date=end, notice_period_days=90, days=30)
    assert not renewals.in_window(today=date(2026, 9, 1), end_date=end, notice_period_days=90, days=30)
    assert not renewals.in_window(today=date(2026, 10, 3), end_date=end, notice_period_days=90, days=60)
    assert renewals.in_window(today=date(2026, 10, 3), end_date=end, notice_period_days=90, days=89)
    assert not renewals.in_window(today=date(2027, 1, 1), end_date=end, notice_period_days=90, days=365)


@given(
    end=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    months=st.integers(min_value=1, max_value=120),
)
def test_a_renewed_term_always_ends_later_and_in_the_right_month(end, months):
    following = renewals.next_term_end(end, months)
    assert following > end
    start = date.fromordinal(end.toordinal() + 1)
    assert (following.year * 12 + following.month) - (start.year * 12 + start.month) in (months - 1, months)


@given(
    today=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    end=st.dates(min_value=date(2020, 1, 1), max_value=date(2031, 12, 31)),
    notice=st.integers(min_value=0, max_value=730),
)
def test_at_most_one_reminder_per_milestone_and_never_after_it(today, end, notice):
    due = renewals.reminders_due(today=today, end_date=end, notice_period_days=notice)
    assert len({r.milestone for r in due}) == len(due) <= 2
    for reminder in due:
        assert 0 <= reminder.days_left <= reminder.threshold
