"""compliance.engine.warnings: every threshold on fixed clocks, with hand-checked times."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.engine import calendars as cal
from compliance.engine.evaluation import LevelInput
from compliance.engine.warnings import breach_warnings
from tests.compliance.evaluation_support import (
    AMS,
    BUSINESS,
    RESOLUTION,
    D,
    hours,
    incident,
    inputs,
    local,
    outage,
    utc,
)

# Monday to Friday 09:00–17:00 in Amsterdam, with Monday 21 December 2026 a holiday.
HOLIDAY_CALENDAR = cal.BusinessCalendar.from_hours(
    AMS, dict.fromkeys(range(5), "09:00-17:00"), holidays=[date(2026, 12, 21)]
)
SIXTEEN_HOURS = LevelInput(
    key="resolution_p1",
    name="P1 resolution",
    metric="resolution",
    target=D(960),
    priority="P1",
    calendar=HOLIDAY_CALENDAR,
)
RESPONSE_24X7 = LevelInput(
    key="response_p1", name="P1 first response", metric="first_response", target=D(240), priority="P1"
)


def _keys(found):
    return sorted(w.key for w in found)


def _december(*incidents):
    return inputs(period=(2026, 12), levels=(SIXTEEN_HOURS,), incidents=incidents)


# Opened Friday 18 December 15:00: Friday counts 2 h (15–17), the weekend none, Monday is a
# holiday, Tuesday 6 h (09–10 and 12–17, paused 10–12), so 8 h by Tuesday 17:00; 75 % (12 h)
# is reached on Wednesday at 13:00 and 100 % (16 h) on Wednesday at 17:00 (16:00 UTC).
WEEKEND_HOLIDAY_PAUSE = incident(
    "INC-1", local(2026, 12, 18, 15), pauses=((local(2026, 12, 22, 10), local(2026, 12, 22, 12)),)
)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (local(2026, 12, 21, 16), []),  # the holiday: still 2 h used
        (local(2026, 12, 23, 12, 59), []),
        (local(2026, 12, 23, 13), ["incident:INC-1:resolution_p1:75"]),
        (local(2026, 12, 23, 16, 59), ["incident:INC-1:resolution_p1:75"]),
        (local(2026, 12, 23, 17), ["incident:INC-1:resolution_p1:100", "incident:INC-1:resolution_p1:75"]),
        (local(2026, 12, 24, 9), ["incident:INC-1:resolution_p1:100", "incident:INC-1:resolution_p1:75"]),
    ],
)
def test_incident_across_weekend_holiday_and_pause(now, expected):
    assert _keys(breach_warnings(_december(WEEKEND_HOLIDAY_PAUSE), now)) == expected


def test_reached_times_and_deadline_are_hand_checked():
    found = {
        w.threshold: w for w in breach_warnings(_december(WEEKEND_HOLIDAY_PAUSE), local(2026, 12, 24, 10))
    }
    assert found["75"].reached_at == utc(2026, 12, 23, 12)
    assert found["100"].reached_at == utc(2026, 12, 23, 16)
    assert found["100"].deadline == utc(2026, 12, 23, 16)
    # Thursday 09:00–10:00 adds one hour: 17 of 16 hours.
    assert found["100"].used == D("106.2")
    assert "missed" in found["100"].message and "16 h" in found["100"].message
    assert found["75"].subject == "INC-1" and found["75"].period == "2026-12"


def test_an_open_pause_stops_the_clock():
    waiting = incident("INC-2", local(2026, 12, 18, 15), pauses=((local(2026, 12, 22, 10), None),))
    assert breach_warnings(_december(waiting), local(2026, 12, 31, 16)) == []


def test_resolved_or_excluded_incidents_are_never_warned_of():
    resolved = incident("INC-3", local(2026, 12, 18, 15), resolved_at=local(2026, 12, 18, 16))
    customer = incident("INC-4", local(2026, 12, 18, 15), cause="customer", responsibility="risky_behaviour")
    out_of_scope = incident("INC-5", local(2026, 12, 18, 15), service="Copier")
    other_priority = incident("INC-6", local(2026, 12, 18, 15), priority="P2")
    found = breach_warnings(
        _december(resolved, customer, out_of_scope, other_priority), local(2026, 12, 31, 16)
    )
    assert found == []


# Sunday 25 October 2026 the Amsterdam clocks go back from 03:00 CEST to 02:00 CET. Opened at
# 00:00 CEST (22:00 UTC the day before), a 4-hour target around the clock is 75 % used at
# 01:00 UTC (the second 02:00 on the wall clock) and reached at 02:00 UTC, 03:00 CET.
@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2026, 10, 25, 0, 59), []),
        (utc(2026, 10, 25, 1), ["75"]),
        (datetime(2026, 10, 25, 2, 59, tzinfo=AMS, fold=1), ["75"]),
        (local(2026, 10, 25, 3), ["100", "75"]),
    ],
)
def test_first_response_across_the_dst_change(now, expected):
    opened = incident("INC-7", local(2026, 10, 25, 0))
    found = breach_warnings(inputs(period=(2026, 10), levels=(RESPONSE_24X7,), incidents=(opened,)), now)
    assert sorted(w.threshold for w in found) == expected
    assert all(w.reached_at in (utc(2026, 10, 25, 1), utc(2026, 10, 25, 2)) for w in found)


def test_an_incident_of_a_month_that_is_over_is_still_warned_of():
    opened = incident("INC-8", local(2026, 11, 30, 23))
    found = breach_warnings(
        inputs(period=(2026, 11), levels=(RESPONSE_24X7,), incidents=(opened,)), local(2026, 12, 1, 3)
    )
    assert sorted(w.threshold for w in found) == ["100", "75"]
    assert {w.period for w in found} == {"2026-11"}


def test_shares_are_configurable():
    opened = incident("INC-9", local(2026, 10, 5, 0))
    found = breach_warnings(
        inputs(period=(2026, 10), levels=(RESPONSE_24X7,), incidents=(opened,)),
        local(2026, 10, 5, 2),
        shares=(50, 90),
    )
    assert [w.threshold for w in found] == ["50"]
    with pytest.raises(ValueError):
        breach_warnings(inputs(), local(2026, 1, 5), shares=(0,))


# ---------------------------------------------------------------- availability
# January has 31 days: at 99.9 % the error budget is 2678.4 s (44.64 min). On the 16th at
# 00:00 15/31 of the month has passed, so downtime so far burns the budget when
# downtime × 31/15 ≥ 2678.4 s, i.e. from 1296 s (21.6 min).


@pytest.mark.parametrize(
    ("minutes", "now", "expected"),
    [
        (10, local(2026, 1, 16), []),
        (22, local(2026, 1, 16), ["budget_burning"]),  # 1320 s × 31/15 = 2728 s
        (23, local(2026, 1, 16), ["budget_burning", "budget_half"]),  # 51.5 % used
        (44, local(2026, 1, 16), ["budget_burning", "budget_half"]),  # 98.5 %, not over
        (45, local(2026, 1, 16), ["budget_spent"]),  # 2700 s > 2678.4 s
        # Before a tenth of the month has passed a blip never extrapolates: 3/31 < 0.1.
        (6, local(2026, 1, 4), []),
        # 4/31 passed: 300 s × 31/4 = 2325 s, under; 360 s × 31/4 = 2790 s, over.
        (5, local(2026, 1, 5), []),
        (6, local(2026, 1, 5), ["budget_burning"]),
    ],
)
def test_error_budget(minutes, now, expected):
    down = outage("OUT-1", local(2026, 1, 1, 10), local(2026, 1, 1, 10) + timedelta(minutes=minutes))
    found = breach_warnings(inputs(outages=(down,)), now)
    assert sorted(w.threshold for w in found) == expected
    assert all(w.key == f"availability:availability:{w.threshold}" for w in found)


def test_a_month_that_is_over_warns_of_no_budget():
    down = outage("OUT-1", local(2026, 1, 1, 10), local(2026, 1, 1, 11))
    assert breach_warnings(inputs(outages=(down,)), local(2026, 2, 1, 9)) == []


# ---------------------------------------------------------------- hours bank
# 20 h a month; on 16 January 15/31 has passed: the pace is 9.68 h.


@pytest.mark.parametrize(
    ("period", "delivered", "now", "expected"),
    [
        ((2026, 1), {"2026-01": "9.5"}, local(2026, 1, 16), True),
        ((2026, 1), {"2026-01": "9.7"}, local(2026, 1, 16), False),
        ((2026, 1), {}, local(2026, 1, 5), False),  # 4/31 < a quarter of the month
        # January left 5 h owed: February needs 25 h, 12.5 h by the 15th (14/28).
        ((2026, 2), {"2026-01": "15", "2026-02": "12"}, local(2026, 2, 15), True),
        ((2026, 2), {"2026-01": "15", "2026-02": "12.5"}, local(2026, 2, 15), False),
        # January banked nothing (surplus does not carry): February needs 20 h, 10 h by now.
        ((2026, 2), {"2026-01": "30", "2026-02": "10"}, local(2026, 2, 15), False),
    ],
)
def test_hours_bank_pace(period, delivered, now, expected):
    found = breach_warnings(inputs(period=period, levels=(), hours=hours(delivered)), now)
    assert [w.key for w in found] == (["hours:bank:hours_behind"] if expected else [])


# ---------------------------------------------------------------- properties


@settings(max_examples=200, deadline=None)
@given(
    opened=st.integers(min_value=0, max_value=7 * 24 * 60),
    later=st.integers(min_value=1, max_value=7 * 24 * 60),
    share=st.sampled_from([25, 50, 75, 100, 150]),
)
def test_a_share_is_due_exactly_from_the_instant_it_is_reached(opened, later, share):
    opened_at = local(2026, 1, 5) + timedelta(minutes=opened)
    now = opened_at + timedelta(minutes=later)
    data = inputs(levels=(RESOLUTION,), incidents=(incident("INC", opened_at),))
    found = {w.threshold for w in breach_warnings(data, now, shares=(share,))}
    reached_at = cal.add_business_duration(BUSINESS, opened_at, timedelta(minutes=240 * share / 100))
    assert (str(share) in found) == (now >= reached_at)
