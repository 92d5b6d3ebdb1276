"""What the customer caused by breaching a responsibility never counts against the provider,
whatever the responsibility's consequence; the consequence says what else follows, and the
exclusion carries it.

The contract of ``evaluation_support``: January 2026 on the Amsterdam clock (2,678,400 s),
availability 99.9 % with credits of 10 % of the EUR 1,000 fee below 99.9 and 25 % below
99.0; P1 resolution within 240 business minutes (09:00–17:00 on weekdays) for 95 % of
incidents, EUR 150 below 95 %.
"""

from dataclasses import replace

import pytest

from compliance.engine.evaluation import ClauseRef, ResponsibilityInput, evaluate
from compliance.engine.evaluation_json import figures_json
from tests.compliance.evaluation_support import (
    AVAILABILITY,
    RESOLUTION,
    D,
    hours,
    incident,
    inputs,
    local,
    outage,
)

JANUARY = 2_678_400
DUTIES = ClauseRef(4, "Customer responsibilities")
INDEMNITY = ClauseRef(5, "Licences and unauthorised software")
RESPONSIBILITIES = (
    ResponsibilityInput("risky_behaviour", "No defective applications", "exclude_from_sla", DUTIES),
    ResponsibilityInput("access", "Gives timely access to its systems", "pause_clock", DUTIES),
    ResponsibilityInput("backups", "Keeps its own backups", "billable", DUTIES),
    ResponsibilityInput("licences", "Renews its own software licences", "indemnify", INDEMNITY),
)
BY_CONSEQUENCE = {r.consequence: r for r in RESPONSIBILITIES}
CONSEQUENCES = ["exclude_from_sla", "pause_clock", "billable", "indemnify"]


def evaluated(**changes):
    return evaluate(inputs(responsibilities=RESPONSIBILITIES, levels=(AVAILABILITY, RESOLUTION), **changes))


def two_hour_outage(external_id="OUT", **fields):
    # Monday 5 January, 10:00–12:00: 7200 s.
    return outage(external_id, local(2026, 1, 5, 10), local(2026, 1, 5, 12), **fields)


def six_hour_incident(**fields):
    # P1 opened Monday 5 January 09:00, resolved 15:00: 360 business minutes > 240.
    return incident("INC", local(2026, 1, 5, 9), local(2026, 1, 5, 15), **fields)


def caused_by(consequence: str) -> dict:
    if consequence == "provider":
        return {}
    if consequence == "third_party":
        return {"cause": "third_party"}
    if consequence == "unknown":
        return {"cause": "customer", "responsibility": "not_in_this_version"}
    return {"cause": "customer", "responsibility": BY_CONSEQUENCE[consequence].key}


@pytest.mark.parametrize(
    ("cause", "unavailable", "achieved", "credit"),
    [
        # The provider's own two hours: 100 × (2,678,400 − 7200) / 2,678,400 = 99.73118 %
        # < 99.9: 10 % of EUR 1,000.
        ("provider", 7200, "99.7", "100.00"),
        # A third party: the provider answers for its suppliers.
        ("third_party", 7200, "99.7", "100.00"),
        # The customer named a responsibility the version does not have: no clause of the
        # version excludes it, so it counts.
        ("unknown", 7200, "99.7", "100.00"),
        # Caused by the customer under any consequence: nothing counts, 100 %, no credit
        # (pause_clock, billable and indemnify used to count: 99.73118 %, EUR 100.00).
        ("exclude_from_sla", 0, "100.0", "0.00"),
        ("pause_clock", 0, "100.0", "0.00"),
        ("billable", 0, "100.0", "0.00"),
        ("indemnify", 0, "100.0", "0.00"),
    ],
)
def test_a_customer_caused_outage_never_counts(cause, unavailable, achieved, credit):
    figures = evaluated(outages=(two_hour_outage(**caused_by(cause)),))
    availability = figures.levels[0]
    assert availability.availability.unavailable_seconds == unavailable
    assert availability.achieved_display == achieved
    assert figures.credits.capped_total == D(credit)
    assert round(D(100) * (JANUARY - 7200) / JANUARY, 5) == D("99.73118")


@pytest.mark.parametrize(
    ("cause", "counted", "achieved", "credit"),
    [
        # 360 business minutes against 240: 0 of 1 within target, below 95 %: EUR 150.
        ("provider", 1, "0", "150.00"),
        ("third_party", 1, "0", "150.00"),
        ("unknown", 1, "0", "150.00"),
        # Caused by the customer under any consequence: excluded, no incidents to measure,
        # met at 100 %, no credit (the last three used to count: 0 %, EUR 150.00).
        ("exclude_from_sla", 0, "100", "0.00"),
        ("pause_clock", 0, "100", "0.00"),
        ("billable", 0, "100", "0.00"),
        ("indemnify", 0, "100", "0.00"),
    ],
)
def test_a_customer_caused_incident_never_counts(cause, counted, achieved, credit):
    figures = evaluated(incidents=(six_hour_incident(**caused_by(cause)),))
    resolution = figures.levels[1]
    assert resolution.counted == counted
    assert resolution.achieved_display == achieved
    assert resolution.met is (counted == 0)
    assert figures.credits.capped_total == D(credit)


@pytest.mark.parametrize(
    ("consequence", "clause", "follows", "billable"),
    [
        ("exclude_from_sla", DUTIES, "", False),
        ("pause_clock", DUTIES, "; time spent waiting on the customer pauses the clock", False),
        (
            "billable",
            DUTIES,
            "; the work it caused is billable outside the contract and the hours bank",
            True,
        ),
        # Listed with the clause that explains the responsibility: the indemnity clause.
        ("indemnify", INDEMNITY, "; the customer holds the provider harmless", False),
    ],
)
def test_the_exclusion_carries_the_consequence(consequence, clause, follows, billable):
    figures = evaluated(
        outages=(two_hour_outage(**caused_by(consequence)),),
        incidents=(six_hour_incident(**caused_by(consequence)),),
    )
    duty = BY_CONSEQUENCE[consequence].duty
    assert [(e.kind, e.reason, e.consequence, e.clause, e.billable) for e in figures.exclusions] == [
        ("incident", "customer", consequence, clause, billable),
        ("outage", "customer", consequence, clause, billable),
    ]
    for exclusion in figures.exclusions:
        assert exclusion.explanation == f"caused by the customer, against the duty: {duty}{follows}"
    assert figures.exclusions[1].excluded_seconds == 7200
    data = figures_json(figures)["exclusions"]
    assert [(e["consequence"], e["billable"]) for e in data] == [(consequence, billable)] * 2
    assert [e["clause"]["heading"] for e in data] == [clause.heading] * 2
    # Billable events are listed for the report, for the provider to invoice.
    assert [e.external_id for e in figures.billable_exclusions] == (["INC", "OUT"] if billable else [])


def test_other_exclusions_carry_no_consequence():
    figures = evaluated(outages=(two_hour_outage(service="Copier"),))
    (exclusion,) = figures.exclusions
    assert (exclusion.reason, exclusion.consequence, exclusion.billable) == ("out_of_scope", "", False)
    assert figures_json(figures)["exclusions"][0]["consequence"] == ""


def test_a_paused_customer_caused_incident_is_excluded_not_just_paused():
    # Opened 09:00, waiting on the customer 10:00–14:00, resolved 15:00: 120 business
    # minutes would be within 240 even if it counted; under pause_clock it does not count.
    paused = six_hour_incident(
        **caused_by("pause_clock"), pauses=((local(2026, 1, 5, 10), local(2026, 1, 5, 14)),)
    )
    resolution = evaluated(incidents=(paused,)).levels[1]
    assert (resolution.counted, resolution.within, resolution.exclusions[0].consequence) == (
        0,
        0,
        "pause_clock",
    )


def test_billable_events_leave_the_hours_bank_to_the_work_logs():
    # Work logs are not linked to events: the hours bank counts the delivered hours it is
    # given (the work logs not marked billable), whatever the billable events of the month.
    bank = hours({"2026-01": "20"})
    without = evaluated(hours=bank)
    billable = evaluated(hours=bank, outages=(two_hour_outage(**caused_by("billable")),))
    assert billable.hours == without.hours
    assert [e.external_id for e in billable.billable_exclusions] == ["OUT"]


def test_a_level_lists_the_customer_caused_events_of_its_service():
    figures = evaluated(
        outages=(two_hour_outage(**caused_by("billable")), two_hour_outage("FILES", service="File server"))
    )
    email = evaluate(
        inputs(
            responsibilities=RESPONSIBILITIES,
            levels=(replace(AVAILABILITY, key="email", service="Email"),),
            outages=(two_hour_outage(**caused_by("billable")),),
        )
    )
    assert [e.consequence for e in email.levels[0].exclusions] == ["billable"]
    # The file server's two hours count for the level over every service.
    assert figures.levels[0].availability.unavailable_seconds == 7200
