from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.engine.credits import (
    CapKind,
    CreditCap,
    CreditKind,
    CreditTier,
    ServiceLevelOutcome,
    applicable_tier,
    service_level_credit,
)
from compliance.engine.forecast import availability_forecast, format_day
from compliance.engine.periods import period_bounds

D = Decimal
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOVEMBER = period_bounds(2025, 11, AMSTERDAM)  # 30 days: 2,592,000 s; 99.9 % allows 2592 s
JANUARY = period_bounds(2026, 1, UTC)  # 31 days: 2,678,400 s; 99.9 % allows 2678.4 s
OCTOBER = period_bounds(2025, 10, AMSTERDAM)  # 745 hours: 2,682,000 s; 99.9 % allows 2682 s
DAY = timedelta(days=1)
FEE = D(4200)
TARGET = D("99.9")

SCHEDULE = (
    CreditTier(below=D("99.9"), kind=CreditKind.PERCENT_OF_FEE, value=D(10)),
    CreditTier(below=D("99.5"), kind=CreditKind.PERCENT_OF_FEE, value=D(25)),
    CreditTier(below=D("99.0"), kind=CreditKind.PERCENT_OF_FEE, value=D(50)),
)


def forecast(period=NOVEMBER, *, now, used, tiers=SCHEDULE, target=TARGET, tz=AMSTERDAM, cap=None):
    start, end = period
    return availability_forecast(
        period_start=start,
        period_end=end,
        now=now,
        tz=tz,
        unavailable_seconds_so_far=used,
        target=target,
        tiers=tiers,
        monthly_fee=FEE,
        currency="EUR",
        cap=cap,
    )


@dataclass(frozen=True)
class Case:
    name: str
    period: tuple[datetime, datetime]
    tz: ZoneInfo
    elapsed: timedelta
    used: int
    burn_minutes_per_day: Decimal
    projected_minutes: Decimal
    tier: Decimal | None
    amount: Decimal
    on: date | None
    reached: bool
    summary: str


CASES = [
    # 20 min in 10 days → 2 min/day → 60 min by the 30th → 99.861 %: the 99.9 tier. The
    # budget of 43.2 min is passed at day 43.2 / 2 = 21.6, i.e. 14:24 on the 22nd.
    Case(
        "30-day month, 2 min a day",
        NOVEMBER,
        AMSTERDAM,
        10 * DAY,
        1200,
        D(2),
        D(60),
        D("99.9"),
        D("420.00"),
        date(2025, 11, 22),
        False,
        "At this rate: 10% credit, EUR 420.00, from 22 November.",
    ),
    # 31 days: budget 44.64 min, passed at 44.64 / 2 = day 22.32 → the 23rd.
    Case(
        "31-day month, 2 min a day",
        JANUARY,
        UTC,
        10 * DAY,
        1200,
        D(2),
        D(62),
        D("99.9"),
        D("420.00"),
        date(2026, 1, 23),
        False,
        "At this rate: 10% credit, EUR 420.00, from 23 January.",
    ),
    # 864 s in 10 days projects exactly the 2592 s budget: 99.9 % is not below 99.9 %.
    Case(
        "projected exactly at the threshold",
        NOVEMBER,
        AMSTERDAM,
        10 * DAY,
        864,
        D("1.44"),
        D("43.2"),
        None,
        D("0.00"),
        None,
        False,
        "At this rate: 99.90% at period end, no availability credit.",
    ),
    # One second more: 2592 × 864000 / 865 = 2,589,003.5 s = day 29.97 → the 30th.
    Case(
        "one second over the threshold",
        NOVEMBER,
        AMSTERDAM,
        10 * DAY,
        865,
        D(865 * 86400) / D(864000 * 60),
        D(865 * 3) / D(60),
        D("99.9"),
        D("420.00"),
        date(2025, 11, 30),
        False,
        "At this rate: 10% credit, EUR 420.00, from 30 November.",
    ),
    # 50 min already used of 43.2: the 99.9 tier is certain from today (the 11th).
    Case(
        "budget already spent",
        NOVEMBER,
        AMSTERDAM,
        10 * DAY,
        3000,
        D(5),
        D(150),
        D("99.9"),
        D("420.00"),
        date(2025, 11, 11),
        True,
        "Already reached: 10% credit, EUR 420.00.",
    ),
    # 2000 s a day: 99.5 (budget 12,960 s) already passed; 99.0 (25,920 s) at day 12.96 → 13th.
    Case(
        "one tier reached, a deeper one projected",
        NOVEMBER,
        AMSTERDAM,
        10 * DAY,
        20000,
        D(2000) / D(60),
        D(1000),
        D("99.0"),
        D("2100.00"),
        date(2025, 11, 13),
        False,
        "At this rate: 50% credit, EUR 2,100.00, from 13 November (25% credit already reached).",
    ),
    # 1200 s in 2 days → 10 min/day → 300 min by the 30th → 99.31 %: the 99.5 tier. The
    # 99.9 budget (2592 s) is passed at day 4.32 → the 5th, the 99.5 budget (12,960 s) at
    # day 21.6 → the 22nd. The next tier is named before the one the month would end in.
    Case(
        "two tiers ahead",
        NOVEMBER,
        AMSTERDAM,
        2 * DAY,
        1200,
        D(10),
        D(300),
        D("99.5"),
        D("1050.00"),
        date(2025, 11, 22),
        False,
        "At this rate: 10% credit, EUR 420.00, from 5 November; 25% credit, EUR 1,050.00, from 22 November.",
    ),
    # 745 hours: 893 s in 10 days crosses 2682 s at 2682 × 864000 / 893 = 2,594,902 s after
    # 1 October 00:00 (+02:00) = 30 October 22:48 UTC = 23:48 local (+01:00 since the 26th).
    # Counting in local wall-clock days would say the 31st.
    Case(
        "crossing late on a day after the clocks went back",
        OCTOBER,
        AMSTERDAM,
        10 * DAY,
        893,
        D(893 * 86400) / D(864000 * 60),
        D(893 * 2682000) / D(864000 * 60),
        D("99.9"),
        D("420.00"),
        date(2025, 10, 30),
        False,
        "At this rate: 10% credit, EUR 420.00, from 30 October.",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_forecast_hand_checked(case):
    start, _ = case.period
    result = forecast(case.period, now=start + case.elapsed, used=case.used, tz=case.tz)
    assert result.burn_rate_minutes_per_day == pytest.approx(case.burn_minutes_per_day, abs=D("1e-20"))
    assert result.projected_unavailable_minutes == pytest.approx(case.projected_minutes, abs=D("1e-20"))
    assert (result.tier and result.tier.below) == case.tier
    assert result.credit_amount == case.amount
    assert result.credit_from == case.on
    assert (result.milestone is not None and result.milestone.reached) == case.reached
    assert result.summary() == case.summary


def test_thirty_day_example_figures():
    result = forecast(now=NOVEMBER[0] + 10 * DAY, used=1200)
    assert result.period_seconds == 2_592_000
    assert result.elapsed_fraction == pytest.approx(D(1) / D(3), abs=D("1e-25"))
    assert result.budget.allowed_minutes == D("43.2")
    assert result.budget.used_minutes == D(20)
    assert result.budget.left_minutes == D("23.2")
    assert result.projected_unavailable_seconds == D(3600)
    assert result.projected_achieved == pytest.approx(D(100) - D(3600 * 100) / D(2_592_000), abs=D("1e-25"))
    assert str(result.projected_achieved).startswith("99.8611111")
    assert result.target_missed_on == date(2025, 11, 22)
    assert result.next_milestone == result.milestone


def test_next_milestone_is_the_first_tier_not_reached_yet():
    result = forecast(now=NOVEMBER[0] + 2 * DAY, used=1200)
    assert [m.tier.below for m in result.milestones] == [D("99.9"), D("99.5")]
    assert result.next_milestone.tier.below == D("99.9")
    assert result.next_milestone.on == date(2025, 11, 5)
    assert result.next_milestone.amount == D("420.00")


def test_thirty_one_day_month_budget_is_44_64_minutes():
    result = forecast(JANUARY, now=JANUARY[0] + DAY, used=0, tz=UTC)
    assert result.budget.allowed_minutes == D("44.64")


def test_october_period_is_745_hours():
    assert forecast(OCTOBER, now=OCTOBER[0], used=0).period_seconds == 745 * 3600


def test_target_crossing_is_reported_apart_from_the_tiers():
    # Target 99.95 but the first credit tier only below 99.9: the target is missed sooner.
    result = forecast(now=NOVEMBER[0] + 10 * DAY, used=1200, target=D("99.95"))
    # Budget at 99.95 is 1296 s, passed at 1296 / 120 = day 10.8 → the 11th.
    assert result.target_missed_on == date(2025, 11, 11)
    assert result.credit_from == date(2025, 11, 22)


def test_fixed_amount_and_hours_tiers():
    fixed = (CreditTier(below=D("99.9"), kind=CreditKind.FIXED_AMOUNT, value=D(500)),)
    hours = (CreditTier(below=D("99.9"), kind=CreditKind.HOURS, value=D(4)),)
    now = NOVEMBER[0] + 10 * DAY
    assert forecast(now=now, used=1200, tiers=fixed).summary() == (
        "At this rate: EUR 500.00 credit, from 22 November."
    )
    in_hours = forecast(now=now, used=1200, tiers=hours)
    assert in_hours.credit_hours == D(4)
    assert in_hours.credit_amount == D("0.00")
    assert in_hours.summary() == "At this rate: 4 hours credit, from 22 November."


def test_cap_limits_the_forecast_credit():
    cap = CreditCap(kind=CapKind.PERCENT_OF_FEE, value=D(20))
    result = forecast(now=NOVEMBER[0] + 10 * DAY, used=20000, cap=cap)
    assert result.credit_amount == D("840.00")


def test_no_downtime_gives_no_credit():
    result = forecast(now=NOVEMBER[0] + 10 * DAY, used=0)
    assert result.milestones == ()
    assert result.projected_achieved == 100
    assert result.burn_rate_seconds_per_day == 0
    assert result.target_missed_on is None
    assert result.summary() == "No downtime so far: no availability credit at this rate."


@pytest.mark.parametrize("now", [NOVEMBER[0], NOVEMBER[0] - DAY])
def test_before_the_period_nothing_is_forecast(now):
    result = forecast(now=now, used=0)
    assert not result.started
    assert result.elapsed_seconds == 0
    assert result.burn_rate_seconds_per_day is None
    assert result.milestones == ()
    assert result.summary() == "The period has not started yet."


@pytest.mark.parametrize("now", [NOVEMBER[1], NOVEMBER[1] + 5 * DAY])
def test_after_the_period_the_projection_is_the_final_figure(now):
    result = forecast(now=now, used=3000)
    assert result.complete
    assert result.projected_unavailable_seconds == 3000
    # The period's last local day, not a day after it.
    assert result.credit_from == date(2025, 11, 30)
    assert result.summary() == "Period ended: 10% credit, EUR 420.00."


def test_period_ended_without_credit():
    assert forecast(now=NOVEMBER[1], used=60).summary() == "Period ended at 99.99%: no availability credit."


@pytest.mark.parametrize(
    ("now", "used", "error"),
    [
        (NOVEMBER[0], 1, ValueError),  # downtime before anything elapsed
        (NOVEMBER[0] + timedelta(seconds=59), 60, ValueError),
        (NOVEMBER[0] + DAY, -1, ValueError),
        (NOVEMBER[0] + DAY, 1.5, TypeError),
        (datetime(2025, 11, 10), 0, ValueError),  # naive
    ],
)
def test_bad_input_is_refused(now, used, error):
    with pytest.raises(error):
        forecast(now=now, used=used)


def test_empty_period_is_refused():
    with pytest.raises(ValueError, match="not after"):
        forecast((NOVEMBER[0], NOVEMBER[0]), now=NOVEMBER[0], used=0)


def test_format_day():
    assert format_day(date(2025, 11, 22)) == "22 November"


# --- properties -----------------------------------------------------------------------------

PERIOD_SECONDS = 2_592_000
elapsed_seconds = st.integers(min_value=1, max_value=PERIOD_SECONDS + 86_400)
thresholds = st.lists(
    st.decimals(min_value=D("90"), max_value=D("100"), places=3),
    min_size=1,
    max_size=4,
    unique=True,
)


def schedule(values):
    return tuple(CreditTier(below=value, kind=CreditKind.PERCENT_OF_FEE, value=D(5)) for value in values)


@given(elapsed=elapsed_seconds, data=st.data())
def test_projection_is_never_less_than_used_nor_more_than_the_period(elapsed, data):
    used = data.draw(st.integers(min_value=0, max_value=min(elapsed, PERIOD_SECONDS)))
    result = forecast(now=NOVEMBER[0] + timedelta(seconds=elapsed), used=used)
    assert used <= result.projected_unavailable_seconds <= PERIOD_SECONDS
    assert 0 <= result.projected_achieved <= 100


@given(elapsed=elapsed_seconds, values=thresholds)
def test_no_downtime_never_forecasts_a_credit(elapsed, values):
    result = forecast(now=NOVEMBER[0] + timedelta(seconds=elapsed), used=0, tiers=schedule(values))
    assert result.milestones == ()
    assert result.credit_amount == 0
    assert result.credit_from is None


@given(elapsed=elapsed_seconds, values=thresholds, data=st.data())
def test_more_downtime_never_makes_a_crossing_later(elapsed, values, data):
    bound = min(elapsed, PERIOD_SECONDS)
    less = data.draw(st.integers(min_value=0, max_value=bound))
    more = data.draw(st.integers(min_value=less, max_value=bound))
    now = NOVEMBER[0] + timedelta(seconds=elapsed)
    fewer = {m.tier.below: m.on for m in forecast(now=now, used=less, tiers=schedule(values)).milestones}
    worse = {m.tier.below: m.on for m in forecast(now=now, used=more, tiers=schedule(values)).milestones}
    for below, on in fewer.items():
        assert below in worse
        assert worse[below] <= on


@given(elapsed=elapsed_seconds, values=thresholds, data=st.data())
def test_forecast_tier_is_the_one_the_evaluation_would_apply(elapsed, values, data):
    used = data.draw(st.integers(min_value=0, max_value=min(elapsed, PERIOD_SECONDS)))
    now = NOVEMBER[0] + timedelta(seconds=elapsed)
    result = forecast(now=now, used=used, tiers=schedule(values))
    assert result.tier == applicable_tier(result.projected_achieved, schedule(values))
    credit = service_level_credit(
        ServiceLevelOutcome(name="x", achieved=result.projected_achieved, tiers=schedule(values)),
        monthly_fee=FEE,
    )
    assert result.credit_amount == credit.amount
    today = min(now, NOVEMBER[1] - timedelta(seconds=1)).astimezone(AMSTERDAM).date()
    for milestone in result.milestones:
        assert date(2025, 11, 1) <= milestone.on <= date(2025, 11, 30)
        assert (milestone.on == today) if milestone.reached else (milestone.on >= today)
