"""compliance.engine.evaluation: hand-checked figures for one contract and one period."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from compliance.engine.evaluation import LevelInput, evaluate, shown_to_precision
from compliance.engine.evaluation_json import figures_json, inputs_hash
from tests.compliance.evaluation_support import (
    AMS,
    AVAILABILITY,
    BUSINESS,
    MAINTENANCE,
    RESOLUTION,
    RESPONSIBILITIES,
    SCOPE,
    D,
    hours,
    incident,
    inputs,
    local,
    outage,
    utc,
)

JANUARY = 31 * 24 * 3600  # seconds in January on the Amsterdam clock (no DST change)


def _availability(figures):
    return next(level for level in figures.levels if level.metric == "availability")


def _close(a: Decimal, b: Decimal) -> bool:
    """Equal to 20 decimals (the module divides with more digits than the default context)."""
    return a.quantize(D("1e-20")) == b.quantize(D("1e-20"))


def _level(figures, key):
    return next(level for level in figures.levels if level.key == key)


# ---------------------------------------------------------------- availability


@pytest.mark.parametrize(
    ("outages", "unavailable_seconds", "shown", "met"),
    [
        # A 31-day month at 99.9 % allows 44.64 minutes.
        ([], 0, "100.0", True),
        ([outage("A", local(2026, 1, 10, 10), local(2026, 1, 10, 10, 30))], 1800, "99.9", True),
        # Overlapping outages count once: 10:00–11:00.
        (
            [
                outage("A", local(2026, 1, 10, 10), local(2026, 1, 10, 10, 30)),
                outage("B", local(2026, 1, 10, 10, 20), local(2026, 1, 10, 11)),
            ],
            3600,
            "99.8",
            False,
        ),
        # Outages of different in-scope services overlap too: a level over all services.
        (
            [
                outage("A", local(2026, 1, 10, 10), local(2026, 1, 10, 10, 30)),
                outage("B", local(2026, 1, 10, 10, 15), local(2026, 1, 10, 10, 45), service="File server"),
            ],
            2700,
            "99.8",
            False,
        ),
        # Across the month boundary only January's 30 minutes count.
        ([outage("A", local(2026, 1, 31, 23, 30), local(2026, 2, 1, 0, 45))], 1800, "99.9", True),
        # Across the start of the month too.
        ([outage("A", local(2025, 12, 31, 23, 0), local(2026, 1, 1, 0, 10))], 600, "99.9", True),
    ],
)
def test_availability_in_a_31_day_month(outages, unavailable_seconds, shown, met):
    level = _availability(evaluate(inputs(outages=tuple(outages))))
    assert level.availability.period_seconds == JANUARY
    assert level.availability.unavailable_seconds == unavailable_seconds
    assert _close(level.achieved, D(100) * (JANUARY - unavailable_seconds) / JANUARY)
    assert level.achieved_display == shown
    assert level.met is met
    assert level.error_budget.allowed_minutes == D("44.64")
    assert level.error_budget.used_seconds == unavailable_seconds


def test_error_budget_used_and_left():
    figures = evaluate(inputs(outages=(outage("A", local(2026, 1, 10, 10), local(2026, 1, 10, 10, 30)),)))
    budget = figures_json(figures)["error_budgets"][0]
    assert budget == {
        "service_level": "availability",
        "allowed_minutes": "44.64",
        "used_minutes": "30.00",
        "left_minutes": "14.64",
        "exhausted": False,
    }


def test_outage_across_the_month_boundary_counts_in_each_month():
    spanning = (outage("A", local(2026, 1, 31, 23, 30), local(2026, 2, 1, 0, 45)),)
    february = _availability(evaluate(inputs(period=(2026, 2), outages=spanning)))
    assert february.availability.unavailable_seconds == 45 * 60
    # 28 days at 99.9 %: 40.32 minutes.
    assert february.error_budget.allowed_minutes == D("40.32")


def test_march_in_amsterdam_is_743_hours():
    level = _availability(evaluate(inputs(period=(2026, 3))))
    assert level.availability.period_seconds == 743 * 3600
    assert level.error_budget.allowed_minutes == D("44.58")


def test_ongoing_outage_runs_to_the_period_end():
    level = _availability(evaluate(inputs(outages=(outage("A", local(2026, 1, 31, 23), None),))))
    assert level.availability.unavailable_seconds == 3600
    assert level.breaches[0].open


def test_ongoing_outage_runs_to_as_of_in_the_current_period():
    figures = evaluate(
        inputs(outages=(outage("A", local(2026, 1, 10, 10), None),), as_of=local(2026, 1, 10, 10, 20))
    )
    assert _availability(figures).availability.unavailable_seconds == 1200
    assert not figures.final


# ---------------------------------------------------------------- exclusions


EXCLUSION_EVENTS = (
    # Caused by the customer against a duty that excludes from the SLA: 60 min excluded.
    outage(
        "CUST",
        local(2026, 1, 5, 10),
        local(2026, 1, 5, 11),
        cause="customer",
        responsibility="risky_behaviour",
    ),
    # A customer cause under a responsibility whose consequence is "indemnify": excluded too,
    # 30 min (it used to count: only "exclude_from_sla" excluded, against the rule that what
    # the customer caused by breaching a responsibility never counts against the provider).
    outage(
        "LIC", local(2026, 1, 6, 10), local(2026, 1, 6, 10, 30), cause="customer", responsibility="licences"
    ),
    # Out of scope: not part of any level.
    outage("COPY", local(2026, 1, 7, 10), local(2026, 1, 7, 12), service="Copier"),
    # Planned, inside Sunday's 02:00–04:00 window: excluded.
    outage("MAINT", local(2026, 1, 11, 2, 30), local(2026, 1, 11, 3, 30), planned=True),
    # Planned, half inside the window: 30 min excluded, 30 min count.
    outage("MAINT2", local(2026, 1, 18, 3, 30), local(2026, 1, 18, 4, 30), planned=True),
    # Unplanned inside the window: counts (only planned maintenance is excluded): 10 min.
    outage("NIGHT", local(2026, 1, 25, 2, 0), local(2026, 1, 25, 2, 10)),
)


def test_exclusions_carry_reason_and_clause():
    figures = evaluate(inputs(outages=EXCLUSION_EVENTS))
    found = {(e.external_id, e.reason, e.clause, e.excluded_seconds, e.partial) for e in figures.exclusions}
    assert found == {
        ("CUST", "customer", RESPONSIBILITIES, 3600, False),
        ("LIC", "customer", RESPONSIBILITIES, 1800, False),
        ("COPY", "out_of_scope", SCOPE, 7200, False),
        ("MAINT", "maintenance", MAINTENANCE, 3600, False),
        ("MAINT2", "maintenance", MAINTENANCE, 1800, True),
    }
    level = _availability(figures)
    # MAINT2 30 + NIGHT 10 minutes (LIC's 30 minutes used to count too).
    assert level.availability.unavailable_seconds == 30 * 60 + 10 * 60
    assert {b.external_id for b in level.breaches} == {"MAINT2", "NIGHT"}
    # The level over all services lists the out-of-scope outage too.
    assert {e.external_id for e in level.exclusions} == {"CUST", "LIC", "COPY", "MAINT", "MAINT2"}


@pytest.mark.parametrize(
    ("remove", "measured"),
    [
        # Default: excluded downtime counts as available.
        (False, JANUARY),
        # Removed from the measured time: CUST 60 + LIC 30 + MAINT 60 + MAINT2 30 minutes
        # (LIC, a customer cause under "indemnify", used to count: JANUARY − 9000).
        (True, JANUARY - 10800),
    ],
)
def test_both_availability_modes(remove, measured):
    level = replace(AVAILABILITY, remove_excluded_from_measured=remove)
    result = _availability(evaluate(inputs(outages=EXCLUSION_EVENTS, levels=(level,))))
    assert result.availability.measured_seconds == measured
    # MAINT2 30 + NIGHT 10 minutes count (4200 s while LIC's 30 minutes counted too).
    assert _close(result.achieved, D(100) * (measured - 2400) / measured)
    assert result.error_budget.allowed_seconds == D(measured) / 1000


def test_outside_the_term():
    events = {
        "outages": (outage("EDGE", local(2026, 1, 14, 23), local(2026, 1, 15, 1)),),
        "incidents": (
            incident("EARLY", local(2026, 1, 10, 10), local(2026, 1, 10, 11)),
            incident("UNKNOWN", local(2026, 1, 20, 10), local(2026, 1, 20, 11), service="Fax"),
        ),
    }
    figures = evaluate(inputs(term_start=date(2026, 1, 15), levels=(AVAILABILITY, RESOLUTION), **events))
    found = {(e.external_id, e.reason, e.partial, e.clause) for e in figures.exclusions}
    assert found == {
        ("EDGE", "outside_term", True, None),
        ("EARLY", "outside_term", False, None),
        ("UNKNOWN", "unknown_service", False, SCOPE),
    }
    assert _availability(figures).availability.unavailable_seconds == 3600
    assert _level(figures, "resolution_p1").counted == 0
    # With excluded time removed, only the term's part of the month is measured.
    removing = replace(AVAILABILITY, remove_excluded_from_measured=True)
    result = _availability(
        evaluate(inputs(term_start=date(2026, 1, 15), levels=(removing,), outages=events["outages"]))
    )
    assert result.availability.measured_seconds == 17 * 24 * 3600


def test_term_that_ended_excludes_later_incidents():
    figures = evaluate(
        inputs(
            term_end=date(2026, 1, 20),
            levels=(RESOLUTION,),
            incidents=(incident("LATE", local(2026, 1, 21, 10), local(2026, 1, 30, 10)),),
        )
    )
    assert [e.reason for e in figures.exclusions] == ["outside_term"]
    assert _level(figures, "resolution_p1").met is True


# ---------------------------------------------------------------- response and resolution


def _resolution(target=240, calendar=BUSINESS, share=None):
    return LevelInput(
        key="resolution_p1",
        name="P1 resolution",
        metric="resolution",
        target=D(target),
        priority="P1",
        share=share,
        calendar=calendar,
    )


@pytest.mark.parametrize(
    ("period", "level", "event", "minutes", "within"),
    [
        # Friday 16:00 → Monday 10:00 over the spring DST change: 60 + 60 business minutes.
        (
            (2026, 3),
            _resolution(120),
            incident("DST", local(2026, 3, 27, 16), local(2026, 3, 30, 10)),
            None,
            True,
        ),
        (
            (2026, 3),
            _resolution(119),
            incident("DST", local(2026, 3, 27, 16), local(2026, 3, 30, 10)),
            "120.00",
            False,
        ),
        # Friday 16:00 → Tuesday 10:00 with King's Day (Monday 27 April) a holiday.
        (
            (2026, 4),
            _resolution(119, replace(BUSINESS, holidays=frozenset({date(2026, 4, 27)}))),
            incident("HOL", local(2026, 4, 24, 16), local(2026, 4, 28, 10)),
            "120.00",
            False,
        ),
        (
            (2026, 4),
            _resolution(120, replace(BUSINESS, holidays=frozenset({date(2026, 4, 27)}))),
            incident("HOL", local(2026, 4, 24, 16), local(2026, 4, 28, 10)),
            None,
            True,
        ),
        # Tuesday 16:00 → Wednesday 11:00, waiting on the customer 16:30 → 09:30: the pause
        # removes only its 30 + 30 business minutes, 180 − 60 = 120.
        (
            (2026, 3),
            _resolution(119),
            incident(
                "PAUSE",
                local(2026, 3, 3, 16),
                local(2026, 3, 4, 11),
                pauses=((local(2026, 3, 3, 16, 30), local(2026, 3, 4, 9, 30)),),
            ),
            "120.00",
            False,
        ),
        # 24×7 when the level has no calendar: 19 hours.
        (
            (2026, 3),
            _resolution(240, None),
            incident("NIGHT", local(2026, 3, 3, 16), local(2026, 3, 4, 11)),
            "1140.00",
            False,
        ),
    ],
)
def test_business_time_of_an_incident(period, level, event, minutes, within):
    result = _level(evaluate(inputs(period=period, levels=(level,), incidents=(event,))), "resolution_p1")
    assert result.within == int(within)
    assert [str(b.minutes) for b in result.breaches] == ([] if within else [minutes])
    assert result.met is within


def test_incident_open_at_period_end():
    figures = evaluate(
        inputs(
            period=(2026, 3),
            levels=(RESOLUTION,),
            incidents=(
                # Tuesday 31 March 14:00: 180 business minutes by the period end, within 240.
                incident("PENDING", local(2026, 3, 31, 14)),
                # Monday 30 March 09:00: 960 business minutes by the period end.
                incident("LATE", local(2026, 3, 30, 9)),
            ),
        )
    )
    level = _level(figures, "resolution_p1")
    assert (level.counted, level.within, level.pending) == (1, 0, 1)
    (breach,) = level.breaches
    assert (breach.external_id, breach.open, str(breach.minutes)) == ("LATE", True, "960.00")
    # The deadline: 240 business minutes after Monday 09:00 CEST.
    assert breach.deadline == utc(2026, 3, 30, 11)
    assert level.met is False
    assert figures.credits.lines[0].amount == D("150.00")


def test_share_exactly_at_the_target_is_met():
    within = [incident(f"OK{n}", local(2026, 1, 6, 9), local(2026, 1, 6, 10)) for n in range(19)]
    late = incident("LATE", local(2026, 1, 6, 9), local(2026, 1, 6, 15))
    other_priority = incident("P2", local(2026, 1, 6, 9), local(2026, 1, 9, 15), priority="P2")
    level = _level(
        evaluate(inputs(levels=(RESOLUTION,), incidents=(*within, late, other_priority))), "resolution_p1"
    )
    assert (level.counted, level.within, level.achieved, level.met) == (20, 19, D(95), True)


def test_custom_kpi_is_listed_as_not_measured():
    kpi = LevelInput(key="csat", name="Satisfaction", metric="custom", target=D(90))
    (level,) = evaluate(inputs(levels=(kpi,))).levels
    assert (level.measured, level.met, level.achieved) == (False, None, None)


# ---------------------------------------------------------------- credits


@pytest.mark.parametrize(
    ("down_seconds", "tier", "amount"),
    [
        (2678, None, "0.00"),  # 99.90002 %: met
        # Exactly 99.0 % is not below 99.0: the 99.9 tier.
        (26784, D("99.9"), "100.00"),
        (26785, D("99.0"), "250.00"),
        # Exactly 95.0 %.
        (133920, D("99.0"), "250.00"),
        (133921, D("95.0"), "1000.00"),
    ],
)
def test_tier_boundaries(down_seconds, tier, amount):
    start = local(2026, 1, 10)
    figures = evaluate(
        inputs(cap=None, outages=(outage("A", start, start + timedelta(seconds=down_seconds)),))
    )
    lines = figures.credits.lines
    assert (lines[0].tier.below if lines else None) == tier
    assert str(figures.credits.total) == amount


def test_cap_limits_the_total():
    figures = evaluate(
        inputs(
            levels=(AVAILABILITY, RESOLUTION),
            # Two days down: 93.5 %, below 95 → 100 % of the fee.
            outages=(outage("A", local(2026, 1, 10), local(2026, 1, 12)),),
            incidents=(incident("LATE", local(2026, 1, 6, 9), local(2026, 1, 6, 15)),),
        )
    )
    credits = figures.credits
    assert [str(line.amount) for line in credits.lines] == ["1000.00", "150.00"]
    assert (credits.total, credits.cap, credits.capped_total) == (D("1150.00"), D("500.00"), D("500.00"))
    assert credits.cap_applied
    assert figures_json(figures)["credits"]["capped_total"] == "500.00"


# ---------------------------------------------------------------- hours bank


def test_three_month_hours_bank_with_a_deficit_made_up_in_the_third_month():
    bank = hours({"2026-01": "15", "2026-02": "20", "2026-03": "25"})
    figures = evaluate(inputs(period=(2026, 3), hours=bank))
    ledger = [(r.period, r.brought_forward, r.made_up, r.carried_forward) for r in figures.hours_ledger]
    assert ledger == [
        ("2026-01", D(0), D(0), D(-5)),
        ("2026-02", D(-5), D(0), D(-5)),
        ("2026-03", D(-5), D(5), D(0)),
    ]
    assert figures_json(figures)["hours_bank"]["carried_on"] == "0"
    assert evaluate(inputs(period=(2026, 2), hours=bank)).hours.carried_forward == D(-5)


def test_no_hours_bank_before_the_first_month():
    assert evaluate(inputs(period=(2025, 12), hours=hours({}))).hours is None


# ---------------------------------------------------------------- display and hashing


@pytest.mark.parametrize(
    ("value", "reference", "shown"),
    [
        (D("99.8999"), D("99.9"), "99.8"),
        (D("99.95"), D("99.95"), "99.95"),
        (D("99.999"), D("99.90"), "99.9"),
        (D("100"), D("99.9"), "100.0"),
        (D("97.5"), D("95"), "97"),
    ],
)
def test_shown_to_the_precision_of_the_target(value, reference, shown):
    assert str(shown_to_precision(value, reference)) == shown


def test_inputs_hash_ignores_event_order_and_sees_changes():
    a = outage("A", local(2026, 1, 10, 10), local(2026, 1, 10, 10, 30))
    b = outage("B", local(2026, 1, 11, 10), local(2026, 1, 11, 10, 30))
    assert inputs_hash(inputs(outages=(a, b))) == inputs_hash(inputs(outages=(b, a)))
    assert inputs_hash(inputs(outages=(a,))) != inputs_hash(inputs(outages=(a, b)))
    assert inputs_hash(inputs()) != inputs_hash(inputs(), extra={"document_sha256": "x"})


def test_figures_json_has_what_the_api_promises():
    data = figures_json(evaluate(inputs(levels=(AVAILABILITY, RESOLUTION), hours=hours({}))))
    assert {
        "contract",
        "period",
        "version",
        "service_levels",
        "error_budgets",
        "credits",
        "hours_bank",
    } <= set(data)
    level = data["service_levels"][0]
    assert {"name", "metric", "target", "achieved", "met", "breaches", "excluded_events"} <= set(level)
    assert {"total", "cap", "capped_total", "currency"} <= set(data["credits"])
    assert {"committed", "delivered", "brought_forward", "carried_on"} <= set(data["hours_bank"])


def test_maintenance_window_follows_the_contract_clock_across_dst():
    # Sunday 29 March 2026, 02:00 does not exist in Amsterdam: the window opens at the jump
    # (03:00 CEST = 01:00 UTC) and lasts its two hours of real time.
    planned = outage("M", utc(2026, 3, 29, 1), utc(2026, 3, 29, 3), planned=True)
    figures = evaluate(inputs(period=(2026, 3), outages=(planned,)))
    (exclusion,) = figures.exclusions
    assert (exclusion.reason, exclusion.excluded_seconds, exclusion.partial) == ("maintenance", 7200, False)
    assert AMS.key == "Europe/Amsterdam"
