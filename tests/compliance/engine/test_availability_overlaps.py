"""Availability when excluded and counted outages overlap: each outage's exclusions apply to
that outage only, so an excluded outage never hides another outage's downtime at the same
time, within one service or across services.

The contract of ``evaluation_support``: January 2026 on the Amsterdam clock, 31 days =
2,678,400 s; availability target 99.9 % with credits of 10 % of the EUR 1,000 fee below
99.9, 25 % below 99.0 and 100 % below 95.0 (capped at 50 %); Sunday maintenance window
02:00–04:00; "risky_behaviour" is a customer responsibility whose consequence is
"excluded from the service levels".
"""

from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.engine import availability as av
from compliance.engine.evaluation import evaluate
from compliance.engine.periods import period_bounds
from tests.compliance.evaluation_support import AMS, AVAILABILITY, D, inputs, local, outage

JANUARY = 2_678_400
EMAIL_ONLY = replace(AVAILABILITY, key="availability_email", name="Email availability", service="Email")
FILES_ONLY = replace(
    AVAILABILITY, key="availability_files", name="File server availability", service="File server"
)


def customer(external_id, start, end, service="Email", responsibility="risky_behaviour"):
    return outage(external_id, start, end, service=service, cause="customer", responsibility=responsibility)


# Planned maintenance inside Sunday's window, 02:00–04:00 on 11 January, and an unplanned
# outage of the same service from 02:30 to 03:30.
PLANNED_AND_UNPLANNED = (
    outage("PLAN", local(2026, 1, 11, 2), local(2026, 1, 11, 4), planned=True),
    outage("DOWN", local(2026, 1, 11, 2, 30), local(2026, 1, 11, 3, 30)),
)
# A planned outage half outside the window (03:30–04:30 on 18 January: 04:00–04:30 counts)
# and an unplanned one 04:15–05:00: together 04:00–05:00 counts, once.
PLANNED_PARTLY_OUTSIDE = (
    outage("PLAN2", local(2026, 1, 18, 3, 30), local(2026, 1, 18, 4, 30), planned=True),
    outage("DOWN2", local(2026, 1, 18, 4, 15), local(2026, 1, 18, 5)),
)
# The customer took Email down 10:00–12:00 on 5 January; the provider's own fault took it
# down 10:30–11:30 as well.
CUSTOMER_AND_PROVIDER = (
    customer("CUST", local(2026, 1, 5, 10), local(2026, 1, 5, 12)),
    outage("PROV", local(2026, 1, 5, 10, 30), local(2026, 1, 5, 11, 30)),
)
# Across services: the customer took the file server down 10:00–12:00 while Email was down
# through the provider's fault 10:00–11:00.
ACROSS_SERVICES = (
    customer("CUST-B", local(2026, 1, 5, 10), local(2026, 1, 5, 12), service="File server"),
    outage("PROV-A", local(2026, 1, 5, 10), local(2026, 1, 5, 11)),
)
# A whole day of the file server down by the customer, and ten hours of Email down by the
# provider inside it.
LONG_ACROSS_SERVICES = (
    customer("CUST-DAY", local(2026, 1, 7), local(2026, 1, 8), service="File server"),
    outage("PROV-10H", local(2026, 1, 7, 8), local(2026, 1, 7, 18)),
)


def case(outages, level, remove, breaches, unavailable, measured, shown, credit, id):
    return pytest.param(outages, level, remove, breaches, unavailable, measured, shown, credit, id=id)


@pytest.mark.parametrize(
    ("outages", "level", "remove", "breaches", "unavailable", "measured", "shown", "credit"),
    [
        # Planned + unplanned at the same hour: the unplanned hour counts (it used to be
        # erased by the window while still listed as a breach).
        # 100 × (2,678,400 − 3600) / 2,678,400 = 99.86559 % < 99.9: 10 % of EUR 1,000.
        case(
            PLANNED_AND_UNPLANNED,
            AVAILABILITY,
            False,
            {"DOWN": 60},
            3600,
            JANUARY,
            "99.8",
            "100.00",
            "planned",
        ),
        # Removing excluded time: of the window's 2 h only the hour without counted downtime
        # leaves: measured 2,674,800; 100 × 2,671,200 / 2,674,800 = 99.86541 %.
        case(
            PLANNED_AND_UNPLANNED,
            AVAILABILITY,
            True,
            {"DOWN": 60},
            3600,
            JANUARY - 3600,
            "99.8",
            "100.00",
            "planned-removed",
        ),
        # PLAN2's 30 counted minutes and DOWN2's 45 overlap: 04:00–05:00 counts once.
        case(
            PLANNED_PARTLY_OUTSIDE,
            AVAILABILITY,
            False,
            {"PLAN2": 30, "DOWN2": 45},
            3600,
            JANUARY,
            "99.8",
            "100.00",
            "planned-partly",
        ),
        # PLAN2's 30 minutes inside the window leave the measured time: 2,678,400 − 1800.
        # 100 × 2,673,000 / 2,676,600 = 99.86550 %.
        case(
            PLANNED_PARTLY_OUTSIDE,
            AVAILABILITY,
            True,
            {"PLAN2": 30, "DOWN2": 45},
            3600,
            JANUARY - 1800,
            "99.8",
            "100.00",
            "planned-partly-removed",
        ),
        # Customer-caused + provider-caused, one service: the provider's hour counts.
        # 99.86559 % (it used to be 100 %, met, no credit).
        case(
            CUSTOMER_AND_PROVIDER,
            AVAILABILITY,
            False,
            {"PROV": 60},
            3600,
            JANUARY,
            "99.8",
            "100.00",
            "customer",
        ),
        case(
            CUSTOMER_AND_PROVIDER,
            EMAIL_ONLY,
            False,
            {"PROV": 60},
            3600,
            JANUARY,
            "99.8",
            "100.00",
            "customer-email",
        ),
        # Removed: the customer's 2 h less the provider's hour under it: 2,674,800 measured,
        # 99.86541 %.
        case(
            CUSTOMER_AND_PROVIDER,
            EMAIL_ONLY,
            True,
            {"PROV": 60},
            3600,
            JANUARY - 3600,
            "99.8",
            "100.00",
            "customer-removed",
        ),
        # Across services, a level over every service: Email's hour counts (it used to be
        # hidden by the file server's customer-caused outage: 100 %). 99.86559 %.
        case(ACROSS_SERVICES, AVAILABILITY, False, {"PROV-A": 60}, 3600, JANUARY, "99.8", "100.00", "across"),
        # Removed: the customer's 2 h less the hour Email was down: 2,674,800 measured.
        case(
            ACROSS_SERVICES,
            AVAILABILITY,
            True,
            {"PROV-A": 60},
            3600,
            JANUARY - 3600,
            "99.8",
            "100.00",
            "across-removed",
        ),
        # Email's own level never sees the file server's outage, in either mode.
        case(
            ACROSS_SERVICES,
            EMAIL_ONLY,
            False,
            {"PROV-A": 60},
            3600,
            JANUARY,
            "99.8",
            "100.00",
            "across-email",
        ),
        case(
            ACROSS_SERVICES,
            EMAIL_ONLY,
            True,
            {"PROV-A": 60},
            3600,
            JANUARY,
            "99.8",
            "100.00",
            "across-email-removed",
        ),
        # The file server's level: nothing counts, 100 %; removed, its 2 h leave: 2,671,200.
        case(ACROSS_SERVICES, FILES_ONLY, False, {}, 0, JANUARY, "100.0", "0.00", "across-files"),
        case(
            ACROSS_SERVICES, FILES_ONLY, True, {}, 0, JANUARY - 7200, "100.0", "0.00", "across-files-removed"
        ),
        # Ten hours of Email inside the file server's customer-caused day: 36,000 s count.
        # 100 × 2,642,400 / 2,678,400 = 98.65591 % < 99.0: 25 % of EUR 1,000.
        case(
            LONG_ACROSS_SERVICES,
            AVAILABILITY,
            False,
            {"PROV-10H": 600},
            36_000,
            JANUARY,
            "98.6",
            "250.00",
            "long",
        ),
        # Removed: 86,400 − 36,000 = 50,400 s leave; 100 × 2,592,000 / 2,628,000 = 98.63014 %.
        case(
            LONG_ACROSS_SERVICES,
            AVAILABILITY,
            True,
            {"PROV-10H": 600},
            36_000,
            JANUARY - 50_400,
            "98.6",
            "250.00",
            "long-removed",
        ),
        # Two customer-caused outages and nothing else: 100 %, no credit; removed, the union
        # 10:00–13:00 leaves once.
        case(
            (
                customer("C1", local(2026, 1, 5, 10), local(2026, 1, 5, 12)),
                customer("C2", local(2026, 1, 5, 11), local(2026, 1, 5, 13), service="File server"),
            ),
            AVAILABILITY,
            True,
            {},
            0,
            JANUARY - 3 * 3600,
            "100.0",
            "0.00",
            "customer-only",
        ),
    ],
)
def test_excluded_outages_never_hide_counted_downtime(
    outages, level, remove, breaches, unavailable, measured, shown, credit
):
    level = replace(level, remove_excluded_from_measured=remove)
    figures = evaluate(inputs(outages=outages, levels=(level,)))
    (result,) = figures.levels
    assert result.availability.unavailable_seconds == unavailable
    assert result.availability.measured_seconds == measured
    assert _close(result.achieved, D(100) * (measured - unavailable) / measured)
    assert result.achieved_display == shown
    assert result.met is (unavailable == 0)
    assert figures.credits.capped_total == D(credit)
    # What the breach list shows is what the percentage counts.
    assert {b.external_id: b.minutes for b in result.breaches} == breaches


def _close(a, b) -> bool:
    """Equal to 20 decimals (the module divides with more digits than the default context)."""
    return a.quantize(D("1e-20")) == b.quantize(D("1e-20"))


def test_hand_checked_percentages():
    # The quotients behind the table above, to five decimals.
    assert round(D(100) * (JANUARY - 3600) / JANUARY, 5) == D("99.86559")
    assert round(D(100) * (JANUARY - 7200) / (JANUARY - 3600), 5) == D("99.86541")
    assert round(D(100) * (JANUARY - 1800 - 3600) / (JANUARY - 1800), 5) == D("99.86550")
    assert round(D(100) * (JANUARY - 36_000) / JANUARY, 5) == D("98.65591")
    assert round(D(100) * (JANUARY - 50_400 - 36_000) / (JANUARY - 50_400), 5) == D("98.63014")


def test_the_excluded_outage_is_still_listed_with_its_clause():
    figures = evaluate(inputs(outages=ACROSS_SERVICES))
    (exclusion,) = figures.exclusions
    assert (exclusion.external_id, exclusion.reason, exclusion.excluded_seconds) == (
        "CUST-B",
        "customer",
        7200,
    )
    assert [b.external_id for b in figures.levels[0].breaches] == ["PROV-A"]


def test_counted_downtime_takes_each_outages_own_exclusions_only():
    # Outage 1 [0, 10) with [0, 4) excluded; outage 2 [2, 6) with nothing excluded;
    # outage 3 [8, 12) wholly excluded: [2, 10) counts.
    assert av.counted_downtime([([(0, 10)], [(0, 4)]), ([(2, 6)], []), ([(8, 12)], [(8, 12)])]) == [(2, 10)]


# ---------------------------------------------------------------- properties

offsets = st.integers(0, JANUARY - 1)
lengths = st.integers(0, 3 * 86400)
services = st.sampled_from(["Email", "File server"])
START = period_bounds(2026, 1, AMS)[0]


def _at(offset: int):
    return (START + timedelta(seconds=offset)).astimezone(AMS)


@st.composite
def provider_outages(draw):
    start = draw(offsets)
    return outage(
        f"P{draw(st.integers(0, 10**6))}",
        _at(start),
        _at(start + draw(lengths)),
        service=draw(services),
        planned=draw(st.booleans()),
    )


@st.composite
def excluded_outages(draw):
    """An outage excluded in full: caused by the customer under any consequence, or planned
    maintenance inside a Sunday 02:00–04:00 window."""
    service = draw(services)
    if draw(st.booleans()):
        start = draw(offsets)
        responsibility = draw(st.sampled_from(["risky_behaviour", "licences"]))
        return customer("EXTRA", _at(start), _at(start + draw(lengths)), service, responsibility)
    sunday = local(2026, 1, draw(st.sampled_from([4, 11, 18, 25])), 2)
    begin = draw(st.integers(0, 7200))
    end = draw(st.integers(begin, 7200))
    return outage(
        "EXTRA",
        sunday + timedelta(seconds=begin),
        sunday + timedelta(seconds=end),
        service=service,
        planned=True,
    )


@given(
    outages=st.lists(provider_outages(), max_size=6, unique_by=lambda o: o.external_id),
    extra=excluded_outages(),
    remove=st.booleans(),
)
def test_an_extra_excluded_outage_leaves_the_counted_downtime_alone(outages, extra, remove):
    # The counted downtime of every level with an extra excluded outage equals the counted
    # downtime without it; measured over the whole period, so does the percentage, and with
    # excluded time removed the percentage can only go down (less time measured, the same
    # downtime), never because downtime disappeared.
    levels = tuple(
        replace(level, remove_excluded_from_measured=remove)
        for level in (AVAILABILITY, EMAIL_ONLY, FILES_ONLY)
    )
    before = evaluate(inputs(outages=tuple(outages), levels=levels))
    after = evaluate(inputs(outages=(*outages, extra), levels=levels))
    for was, now in zip(before.levels, after.levels, strict=True):
        assert now.availability.unavailable_seconds == was.availability.unavailable_seconds
        assert now.breaches == was.breaches
        if remove:
            assert now.availability.measured_seconds <= was.availability.measured_seconds
            assert now.achieved <= was.achieved
        else:
            assert now.achieved == was.achieved
    assert any(e.external_id == "EXTRA" for e in after.exclusions) or extra.start == extra.end


span_pairs = st.lists(
    st.tuples(
        st.lists(st.tuples(st.integers(0, 100), st.integers(0, 100)), max_size=3),
        st.lists(st.tuples(st.integers(0, 100), st.integers(0, 100)), max_size=3),
    ),
    max_size=5,
)


@given(outages=span_pairs, extra=st.lists(st.tuples(st.integers(0, 100), st.integers(0, 100)), max_size=3))
def test_counted_downtime_ignores_an_outage_excluded_in_full(outages, extra):
    assert av.counted_downtime([*outages, (extra, extra)]) == av.counted_downtime(outages)


@given(outages=span_pairs)
def test_counted_downtime_is_the_union_of_each_outage_less_its_own_exclusions(outages):
    # Brute force, point by point over the integers.
    points = {
        p
        for intervals, excluded in outages
        for start, end in intervals
        for p in range(start, end)
        if not any(a <= p < b for a, b in excluded)
    }
    counted = av.counted_downtime(outages)
    assert {p for start, end in counted for p in range(start, end)} == points
