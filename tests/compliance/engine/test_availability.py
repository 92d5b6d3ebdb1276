from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.engine.availability import (
    achieved_percentage,
    clip_intervals,
    error_budget,
    measure_availability,
    merge_intervals,
    subtract_intervals,
)
from compliance.engine.periods import period_bounds

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
JANUARY = period_bounds(2024, 1, UTC)  # 31 days: 2,678,400 s
APRIL = period_bounds(2024, 4, UTC)  # 30 days: 2,592,000 s


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- interval helpers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("intervals", "merged"),
    [
        ([], []),
        ([(1, 3)], [(1, 3)]),
        # Overlapping, given out of order.
        ([(5, 8), (1, 3), (2, 6)], [(1, 8)]),
        # Touching intervals join; disjoint ones stay apart.
        ([(1, 2), (2, 3), (4, 5)], [(1, 3), (4, 5)]),
        # One inside another.
        ([(1, 10), (3, 4)], [(1, 10)]),
        # Empty intervals disappear.
        ([(3, 3), (5, 4)], []),
    ],
)
def test_merge_intervals(intervals, merged):
    assert merge_intervals(intervals) == merged


def test_clip_intervals():
    assert clip_intervals([(0, 5), (8, 12), (15, 20)], 3, 10) == [(3, 5), (8, 10)]


def test_subtract_intervals():
    assert subtract_intervals([(0, 10), (20, 30)], [(2, 4), (8, 22), (25, 26)]) == [
        (0, 2),
        (4, 8),
        (22, 25),
        (26, 30),
    ]


def test_merge_intervals_works_on_datetimes():
    assert merge_intervals(
        [(utc(2024, 1, 1, 11), utc(2024, 1, 1, 12)), (utc(2024, 1, 1, 10), utc(2024, 1, 1, 11))]
    ) == [(utc(2024, 1, 1, 10), utc(2024, 1, 1, 12))]


# --- availability: hand-checked cases -------------------------------------------------------


def test_no_outages_is_full_availability():
    assert achieved_percentage(*APRIL, []) == Decimal(100)


def test_overlapping_outages_count_once():
    # 10:00–10:30 and 10:15–10:43:12 join into 43 min 12 s = 2592 s, which is exactly
    # 0.1 % of April's 2,592,000 s.
    outages = [
        (utc(2024, 4, 10, 10), utc(2024, 4, 10, 10, 30)),
        (utc(2024, 4, 10, 10, 15), utc(2024, 4, 10, 10, 43, 12)),
    ]
    figures = measure_availability(*APRIL, outages)
    assert figures.unavailable_seconds == 2592
    assert figures.measured_seconds == 2_592_000
    assert figures.achieved == Decimal("99.9")


def test_outage_across_the_month_boundary_counts_only_inside_the_period():
    # 31 March 23:00 to 1 April 01:00 UTC: one hour falls in April.
    outages = [(utc(2024, 3, 31, 23), utc(2024, 4, 1, 1))]
    figures = measure_availability(*APRIL, outages)
    assert figures.unavailable_seconds == 3600
    # 100 × (1 − 3600 / 2,592,000) = 100 − 1/7.2 = 99.86111…
    assert figures.achieved.quantize(Decimal("0.00001")) == Decimal("99.86111")


def test_outage_across_the_month_boundary_in_a_time_zone():
    # April in Amsterdam starts at 31 March 22:00 UTC, so an outage from 21:00 to 23:00
    # UTC on the 31st counts one hour against April and one against March.
    outage = [(utc(2024, 3, 31, 21), utc(2024, 3, 31, 23))]
    assert measure_availability(*period_bounds(2024, 4, AMSTERDAM), outage).unavailable_seconds == 3600
    assert measure_availability(*period_bounds(2024, 3, AMSTERDAM), outage).unavailable_seconds == 3600


def test_open_outage_runs_to_the_period_end():
    # Still open at the end of April: 30 April 23:00 to 1 May 00:00, one hour.
    figures = measure_availability(*APRIL, [(utc(2024, 4, 30, 23), None)])
    assert figures.unavailable_seconds == 3600


def test_open_outage_after_the_period_does_not_count():
    assert measure_availability(*APRIL, [(utc(2024, 5, 2), None)]).unavailable_seconds == 0


def test_outage_over_the_whole_period_is_zero():
    assert achieved_percentage(*APRIL, [(utc(2024, 3, 1), utc(2024, 6, 1))]) == Decimal(0)


def test_excluded_downtime_counts_as_available_by_default():
    # Counted downtime 01:00–03:00 and excluded time 00:00–02:00 given with it. Excluded
    # time used to erase the counted hour 01:00–02:00 (1 h unavailable, 99.86111 %); it no
    # longer does: an exclusion belongs to its own outage, and the caller takes it off that
    # outage first (counted_downtime). So the two counted hours count, and only the hour of
    # excluded time without counted downtime (00:00–01:00) is excluded.
    outages = [(utc(2024, 4, 7, 1), utc(2024, 4, 7, 3))]
    maintenance = [(utc(2024, 4, 7, 0), utc(2024, 4, 7, 2))]
    figures = measure_availability(*APRIL, outages, maintenance)
    assert figures.unavailable_seconds == 7200
    assert figures.excluded_seconds == 3600
    assert figures.measured_seconds == 2_592_000
    # 100 × (2,584,800 / 2,592,000)
    assert figures.achieved.quantize(Decimal("0.00001")) == Decimal("99.72222")


def test_excluded_time_can_be_removed_from_measured_time():
    outages = [(utc(2024, 4, 7, 1), utc(2024, 4, 7, 3))]
    maintenance = [(utc(2024, 4, 7, 0), utc(2024, 4, 7, 2))]
    figures = measure_availability(*APRIL, outages, maintenance, remove_excluded_from_measured=True)
    # Only excluded time that no counted downtime overlaps leaves the measured time (it
    # used to be all 7200 s, and the counted hour inside it was erased: 99.86072 %).
    # Measured 2,592,000 − 3600 = 2,588,400 s; 7200 unavailable: 100 × 2,581,200 / 2,588,400.
    assert figures.measured_seconds == 2_588_400
    assert figures.unavailable_seconds == 7200
    assert figures.achieved.quantize(Decimal("0.00001")) == Decimal("99.72184")


def test_customer_caused_outage_is_excluded():
    # The provider's own outage of 2592 s plus a customer-caused outage of a day: only the
    # provider's counts, so the month is at exactly 99.9 %. The customer-caused outage is
    # given as excluded time only: given as counted downtime too it would now count (it
    # used to be erased by the excluded list, whatever outage it belonged to).
    provider = (utc(2024, 4, 10, 10), utc(2024, 4, 10, 10, 43, 12))
    customer = (utc(2024, 4, 20), utc(2024, 4, 21))
    assert achieved_percentage(*APRIL, [provider], [customer]) == Decimal("99.9")


def test_excluded_time_never_erases_counted_downtime():
    # A provider outage of 2592 s inside a day of excluded time: it counts in full.
    provider = (utc(2024, 4, 20, 10), utc(2024, 4, 20, 10, 43, 12))
    customer = (utc(2024, 4, 20), utc(2024, 4, 21))
    assert achieved_percentage(*APRIL, [provider], [customer]) == Decimal("99.9")
    # With excluded time removed: 2,592,000 − (86,400 − 2592) = 2,508,192 s measured,
    # 100 × (1 − 2592 / 2,508,192) = 99.89666...
    figures = measure_availability(*APRIL, [provider], [customer], remove_excluded_from_measured=True)
    assert figures.measured_seconds == 2_508_192
    assert figures.achieved.quantize(Decimal("0.00001")) == Decimal("99.89666")


def test_everything_excluded_from_measured_is_full_availability():
    # Excluded time only: given as counted downtime too it would now count (0 %).
    everything = [(APRIL[0], APRIL[1])]
    assert achieved_percentage(*APRIL, [], everything, True) == Decimal(100)


def test_sub_second_parts_are_dropped():
    outage = [(utc(2024, 4, 1) + timedelta(microseconds=900_000), utc(2024, 4, 1, 0, 0, 2))]
    assert measure_availability(*APRIL, outage).unavailable_seconds == 2


@pytest.mark.parametrize(
    "outages",
    [
        [(utc(2024, 4, 2), utc(2024, 4, 1))],  # ends before it starts
        [(datetime(2024, 4, 1), datetime(2024, 4, 2))],  # naive
    ],
)
def test_bad_outages_are_refused(outages):
    with pytest.raises(ValueError):
        measure_availability(*APRIL, outages)


# --- error budget ---------------------------------------------------------------------------


def test_error_budget_of_a_31_day_month_at_99_9():
    # 2,678,400 s × 0.1 % = 2678.4 s = 44.64 minutes.
    figures = measure_availability(*JANUARY, [(utc(2024, 1, 5, 10), utc(2024, 1, 5, 10, 30))])
    budget = figures.error_budget(Decimal("99.9"))
    assert budget.allowed_seconds == Decimal("2678.4")
    assert budget.allowed_minutes == Decimal("44.64")
    assert budget.used_seconds == 1800
    assert budget.left_seconds == Decimal("878.4")
    assert budget.left_minutes == Decimal("14.64")
    assert not budget.exhausted


def test_error_budget_overspent_is_negative():
    # 30-day month at 99.95 %: 1296 s allowed, 1 h used.
    budget = error_budget(measured_seconds=2_592_000, target=Decimal("99.95"), unavailable_seconds=3600)
    assert budget.allowed_seconds == Decimal("1296")
    assert budget.left_seconds == Decimal("-2304")
    assert budget.exhausted


def test_error_budget_exactly_used_is_not_exhausted():
    budget = error_budget(measured_seconds=2_592_000, target=Decimal("99.9"), unavailable_seconds=2592)
    assert budget.left_seconds == 0
    assert not budget.exhausted


def test_error_budget_refuses_float_targets():
    with pytest.raises(TypeError):
        error_budget(measured_seconds=2_592_000, target=99.9, unavailable_seconds=0)


# --- properties -----------------------------------------------------------------------------

seconds_in_period = st.integers(-86400, 2_592_000 + 86400)


def span_at(start: int, length: int | None) -> tuple[datetime, datetime | None]:
    begin = APRIL[0] + timedelta(seconds=start)
    return begin, None if length is None else begin + timedelta(seconds=length)


spans = st.builds(span_at, seconds_in_period, st.one_of(st.none(), st.integers(0, 5 * 86400)))
span_lists = st.lists(spans, max_size=6)


@given(outages=span_lists, excluded=span_lists, remove=st.booleans())
def test_availability_stays_between_0_and_100(outages, excluded, remove):
    figures = measure_availability(*APRIL, outages, excluded, remove)
    assert Decimal(0) <= figures.achieved <= Decimal(100)
    assert 0 <= figures.unavailable_seconds <= figures.measured_seconds <= figures.period_seconds


@given(outages=span_lists, excluded=span_lists, extra=spans)
def test_adding_an_excluded_outage_never_lowers_availability(outages, excluded, extra):
    # Measured over the whole period (the default), excluded downtime counts as available.
    # An excluded outage is excluded time only (it used to be given as counted downtime
    # too, and the excluded list erased it along with any other downtime under it): it
    # changes neither the downtime that counts nor the percentage.
    before = measure_availability(*APRIL, outages, excluded)
    after = measure_availability(*APRIL, outages, [*excluded, extra])
    assert after.unavailable_seconds == before.unavailable_seconds
    assert after.achieved == before.achieved


@given(outages=span_lists, excluded=span_lists, outage=spans, remove=st.booleans())
def test_excluding_an_outage_never_lowers_availability(outages, excluded, outage, remove):
    # Holds in both modes: reclassifying an outage from counted downtime to excluded time
    # can only help (the downtime and the measured time lose the same seconds). It used to
    # be given in both lists, which now counts it.
    counted = achieved_percentage(*APRIL, [*outages, outage], excluded, remove)
    excused = achieved_percentage(*APRIL, outages, [*excluded, outage], remove)
    assert excused >= counted


@given(outages=span_lists, extra=spans)
def test_more_outages_never_raise_availability(outages, extra):
    assert achieved_percentage(*APRIL, [*outages, extra]) <= achieved_percentage(*APRIL, outages)


small_intervals = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=8)


@given(intervals=small_intervals)
def test_merge_intervals_keeps_the_same_points_disjoint_and_sorted(intervals):
    merged = merge_intervals(intervals)
    points = {point for start, end in intervals for point in range(start, end)}
    assert {point for start, end in merged for point in range(start, end)} == points
    # Sorted with gaps between: touching intervals were joined.
    assert all(first[1] < second[0] for first, second in zip(merged, merged[1:], strict=False))
    assert merge_intervals(merged) == merged


@given(intervals=small_intervals, removed=small_intervals)
def test_subtract_intervals_removes_exactly_the_removed_points(intervals, removed):
    points = {point for start, end in intervals for point in range(start, end)}
    cut = {point for start, end in removed for point in range(start, end)}
    result = subtract_intervals(intervals, removed)
    assert {point for start, end in result for point in range(start, end)} == points - cut
