from decimal import Decimal

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
    period_credits,
    service_level_credit,
    to_cents,
)

D = Decimal

# Below 99.99 → 5 %, below 99.0 → 10 %, below 95.0 → 25 % of the monthly fee.
SCHEDULE = (
    CreditTier(below=D("99.99"), kind=CreditKind.PERCENT_OF_FEE, value=D(5)),
    CreditTier(below=D("99.0"), kind=CreditKind.PERCENT_OF_FEE, value=D(10)),
    CreditTier(below=D("95.0"), kind=CreditKind.PERCENT_OF_FEE, value=D(25)),
)


@pytest.mark.parametrize(
    ("achieved", "threshold"),
    [
        (D(100), None),
        # Exactly at a threshold is not below it.
        (D("99.99"), None),
        (D("99.989"), D("99.99")),
        (D("99.0"), D("99.99")),
        (D("99.00"), D("99.99")),
        (D("98.999999"), D("99.0")),
        # Below 99.99 and 99.0 but not 95.0: the lowest threshold still above it wins.
        (D("98.5"), D("99.0")),
        (D("95.0"), D("99.0")),
        (D("94.99"), D("95.0")),
        (D(0), D("95.0")),
    ],
)
def test_applicable_tier_is_the_lowest_threshold_still_above(achieved, threshold):
    tier = applicable_tier(achieved, SCHEDULE)
    assert (tier.below if tier else None) == threshold


def test_tier_order_does_not_matter():
    assert applicable_tier(D("98.5"), reversed(SCHEDULE)) == SCHEDULE[1]


def test_tiers_with_the_same_threshold_are_refused():
    duplicate = CreditTier(below=D("99.0"), kind=CreditKind.FIXED_AMOUNT, value=D(100))
    with pytest.raises(ValueError):
        applicable_tier(D(90), [*SCHEDULE, duplicate])


@pytest.mark.parametrize(
    ("achieved", "fee", "amount"),
    [
        # 10 % of 1234.56 = 123.456 → 123.46.
        (D("98.5"), D("1234.56"), D("123.46")),
        # 5 % of 0.10 = 0.005 → 0.01: half rounds up.
        (D("99.5"), D("0.10"), D("0.01")),
        # 5 % of 0.09 = 0.0045 → 0.00.
        (D("99.5"), D("0.09"), D("0.00")),
        # 25 % of 1000.
        (D("90"), D(1000), D("250.00")),
        # Met: nothing.
        (D("99.995"), D(1000), D("0.00")),
    ],
)
def test_percentage_credit_is_rounded_to_cents_half_up(achieved, fee, amount):
    credit = service_level_credit(ServiceLevelOutcome("Availability", achieved, SCHEDULE), monthly_fee=fee)
    assert credit.amount == amount
    assert credit.amount.as_tuple().exponent == -2


def test_fixed_amount_and_hours_credits():
    tiers = [
        CreditTier(below=D(90), kind=CreditKind.FIXED_AMOUNT, value=D("150")),
        CreditTier(below=D(80), kind=CreditKind.HOURS, value=D("4")),
    ]
    fixed = service_level_credit(ServiceLevelOutcome("P1 resolution", D(85), tiers), monthly_fee=D(1000))
    assert (fixed.amount, fixed.hours) == (D("150.00"), D(0))
    hours = service_level_credit(ServiceLevelOutcome("P1 resolution", D(75), tiers), monthly_fee=D(1000))
    assert (hours.amount, hours.hours) == (D("0.00"), D(4))


def test_credits_are_summed_across_service_levels():
    # Fee 2000: availability at 98.5 → 10 % = 200.00; P1 resolution at 94 → 25 % = 500.00;
    # P2 resolution met → 0. Total 700.00, no cap.
    summary = period_credits(
        [
            ServiceLevelOutcome("Availability", D("98.5"), SCHEDULE),
            ServiceLevelOutcome("P1 resolution", D(94), SCHEDULE),
            ServiceLevelOutcome("P2 resolution", D(100), SCHEDULE),
        ],
        monthly_fee=D(2000),
    )
    assert [line.amount for line in summary.lines] == [D("200.00"), D("500.00"), D("0.00")]
    assert summary.lines[2].tier is None
    assert summary.total == D("700.00")
    assert summary.cap is None
    assert summary.capped_total == D("700.00")
    assert not summary.cap_applied


@pytest.mark.parametrize(
    ("cap", "cap_amount", "capped_total"),
    [
        # 30 % of 2000 = 600 caps the 700.
        (CreditCap(CapKind.PERCENT_OF_FEE, D(30)), D("600.00"), D("600.00")),
        # An amount cap.
        (CreditCap(CapKind.AMOUNT, D("650")), D("650.00"), D("650.00")),
        # A cap exactly at the total changes nothing.
        (CreditCap(CapKind.AMOUNT, D("700")), D("700.00"), D("700.00")),
        # A cap above the total changes nothing.
        (CreditCap(CapKind.PERCENT_OF_FEE, D(100)), D("2000.00"), D("700.00")),
    ],
)
def test_monthly_cap(cap, cap_amount, capped_total):
    summary = period_credits(
        [
            ServiceLevelOutcome("Availability", D("98.5"), SCHEDULE),
            ServiceLevelOutcome("P1 resolution", D(94), SCHEDULE),
        ],
        monthly_fee=D(2000),
        cap=cap,
    )
    assert summary.total == D("700.00")
    assert summary.cap == cap_amount
    assert summary.capped_total == capped_total
    assert summary.cap_applied is (capped_total < summary.total)


def test_cap_as_percentage_is_rounded_to_cents():
    # 12.5 % of 999.99 = 124.99875 → 125.00.
    assert CreditCap(CapKind.PERCENT_OF_FEE, D("12.5")).amount(monthly_fee=D("999.99")) == D("125.00")


def test_hours_credits_are_not_capped():
    tiers = [CreditTier(below=D(99), kind=CreditKind.HOURS, value=D(8))]
    summary = period_credits(
        [ServiceLevelOutcome("Availability", D(90), tiers)],
        monthly_fee=D(1000),
        cap=CreditCap(CapKind.AMOUNT, D(0)),
    )
    assert summary.hours == D(8)
    assert summary.capped_total == D("0.00")


@pytest.mark.parametrize("value", [99.9, float("nan"), "NaN", True])
def test_floats_and_non_numbers_are_refused(value):
    with pytest.raises((TypeError, ValueError)):
        CreditTier(below=value, kind=CreditKind.PERCENT_OF_FEE, value=D(5))


def test_strings_and_ints_are_read_as_decimals():
    tier = CreditTier(below="99.9", kind="percent_of_fee", value=10)
    assert tier == CreditTier(below=D("99.9"), kind=CreditKind.PERCENT_OF_FEE, value=D(10))


def test_negative_fee_is_refused():
    with pytest.raises(ValueError):
        period_credits([], monthly_fee=D(-1))


@pytest.mark.parametrize(
    ("amount", "cents"), [(D("0.005"), D("0.01")), (D("-0.005"), D("-0.01")), (D("2.675"), D("2.68"))]
)
def test_to_cents_rounds_half_up(amount, cents):
    assert to_cents(amount) == cents


# --- properties -----------------------------------------------------------------------------

percentages = st.decimals(min_value=0, max_value=100, places=3)
money = st.decimals(min_value=0, max_value=100_000, places=2)
tier_lists = st.lists(
    st.builds(
        CreditTier,
        below=percentages,
        kind=st.sampled_from(list(CreditKind)),
        value=st.decimals(min_value=0, max_value=100, places=2),
    ),
    max_size=5,
    unique_by=lambda tier: tier.below,
)


@given(achieved=percentages, tiers=tier_lists)
def test_applicable_tier_definition(achieved, tiers):
    tier = applicable_tier(achieved, tiers)
    below = [candidate for candidate in tiers if achieved < candidate.below]
    if tier is None:
        assert below == []
    else:
        assert achieved < tier.below
        assert all(tier.below <= candidate.below for candidate in below)


@given(
    outcomes=st.lists(st.builds(ServiceLevelOutcome, st.just("SLO"), percentages, tier_lists), max_size=4),
    fee=money,
    cap=st.one_of(st.none(), st.builds(CreditCap, st.sampled_from(list(CapKind)), money)),
)
def test_capped_total_is_the_smaller_of_total_and_cap(outcomes, fee, cap):
    summary = period_credits(outcomes, monthly_fee=fee, cap=cap)
    assert summary.total == sum((line.amount for line in summary.lines), D(0))
    assert summary.capped_total <= summary.total
    if summary.cap is not None:
        assert summary.capped_total == min(summary.total, summary.cap)
    assert summary.capped_total >= 0


@given(worse=percentages, better=percentages, fee=money)
def test_lower_achievement_never_earns_less_under_a_rising_schedule(worse, better, fee):
    # In SCHEDULE a lower threshold never carries a smaller credit.
    worse, better = sorted((worse, better))
    credit_worse = service_level_credit(ServiceLevelOutcome("SLO", worse, SCHEDULE), monthly_fee=fee)
    credit_better = service_level_credit(ServiceLevelOutcome("SLO", better, SCHEDULE), monthly_fee=fee)
    assert credit_worse.amount >= credit_better.amount
