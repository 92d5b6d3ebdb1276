"""Every term the engine measures is shown by some clause of each rendering (``term_not_shown``)."""

import pytest

from contracts import services
from contracts.selectors.versions import version_findings, version_measured_terms, version_terms
from contracts.texts.consistency import ClauseInfo, MeasuredTermInfo, check_version
from tests import factories

CALENDAR = MeasuredTermInfo(
    "calendar “Office”",
    "the calendar “Office” (Monday–Friday 09:00–17:00, except NL public holidays and 24 December 2026)",
    ("service_level_table",),
)
WINDOWS = MeasuredTermInfo("maintenance windows", "the planned maintenance windows", ("maintenance_list",))
TIERS = MeasuredTermInfo("credit tiers", "the credit tiers of “Availability”", ("credit_table",))
CAP = MeasuredTermInfo(
    "credit cap", "the credit cap (50% of the monthly fee)", ("credit_cap", "credit_table")
)
HOURS = MeasuredTermInfo("hours commitment", "the hours commitment (20 hours a month)", ("hours_per_month",))
CARRY = MeasuredTermInfo(
    "hours carry rule",
    "the carry of hours not delivered (a shortfall carried for 3 months)",
    ("hours_deficit_carry",),
)
BANK = MeasuredTermInfo(
    "hours banking rule",
    "the banking of extra hours (extra hours banked for 2 months)",
    ("hours_surplus_carry",),
)
TERMS = (CALENDAR, WINDOWS, TIERS, CAP, HOURS, CARRY, BANK)
BLOCKS = {"service_level_table", "maintenance_list", "credit_table"}
VALUES = {"credit_cap", "hours_per_month", "hours_deficit_carry", "hours_surplus_carry"}


def text_with(name: str | None) -> str:
    if name is None:
        return "Nothing measured here."
    if name in BLOCKS:
        return f"As follows:\n\n{{{{ {name} }}}}"
    return f"Within {{{{ {name} }}}}."


def not_shown(term: MeasuredTermInfo, legal: str | None, plain: str | None):
    findings = check_version(
        parameters=(),
        service_levels=(),
        responsibilities=(),
        clauses=(ClauseInfo("terms", "Terms", text_with(legal), text_with(plain)),),
        available_names=BLOCKS | VALUES,
        block_names=BLOCKS,
        measured_terms=(term,),
    )
    assert all(f.code == "term_not_shown" and f.level == "error" for f in findings)
    return findings


CASES = [
    pytest.param(term, name, legal, plain, id=f"{term.subject}-{name}-{legal}-{plain}")
    for term in TERMS
    for name in term.shown_by
    for legal, plain in ((True, True), (True, False), (False, True), (False, False))
]


@pytest.mark.parametrize(("term", "name", "in_legal", "in_plain"), CASES)
def test_a_measured_term_must_be_shown_in_each_rendering(term, name, in_legal, in_plain):
    findings = not_shown(term, name if in_legal else None, name if in_plain else None)

    expected = [field for field, shown in (("legal_text", in_legal), ("plain_text", in_plain)) if not shown]
    assert [(f.field, f.subject) for f in findings] == [(field, term.subject) for field in expected]
    for finding in findings:
        rendering = finding.field.replace("_", " ")
        # Which term, from which rendering, and how to fix it.
        assert finding.message.startswith(f"No clause of the {rendering} shows {term.description},")
        assert f"{{{{ {name} }}}}" in finding.message
        assert f"to the {rendering} of a clause" in finding.message


def test_a_name_that_shows_another_term_does_not_count():
    findings = not_shown(CALENDAR, "maintenance_list", "credit_table")
    assert [f.field for f in findings] == ["legal_text", "plain_text"]


def test_the_term_may_be_shown_by_different_clauses_in_each_rendering():
    findings = check_version(
        parameters=(),
        service_levels=(),
        responsibilities=(),
        clauses=(
            ClauseInfo("a", "A", text_with("credit_cap"), text_with(None)),
            ClauseInfo("b", "B", text_with(None), text_with("credit_table")),
        ),
        available_names=BLOCKS | VALUES,
        block_names=BLOCKS,
        measured_terms=(CAP,),
    )
    assert findings == []


def test_an_unknown_name_shows_nothing():
    findings = check_version(
        parameters=(),
        service_levels=(),
        responsibilities=(),
        clauses=(ClauseInfo("a", "A", text_with("hours_per_month"), text_with("hours_per_month")),),
        available_names=BLOCKS,
        block_names=BLOCKS,
        measured_terms=(HOURS,),
    )
    assert [f.code for f in findings] == ["unknown_placeholder"] * 2 + ["term_not_shown"] * 2


# ---------------------------------------------------------------- fed from the database


@pytest.fixture
def measured_version(tenants):
    """The factory version with every measured term: extra holidays, a window, banked hours."""
    version = factories.version_with_terms(tenants.contract)
    services.calendar_update(
        calendar=version.calendars.get(name="Business hours"), data={"extra_holidays": ["2026-12-24"]}
    )
    services.maintenance_window_create(version=version, weekday=6, start="02:00", duration_minutes=240)
    services.hours_commitment_set(
        version=version, hours_per_month=20, deficit_carry_months=3, surplus_carry_months=2
    )
    services.clause_add(
        version=version,
        heading="Maintenance and banked hours",
        legal_text="Extra hours are banked for {{ hours_surplus_carry }}.\n\n{{ maintenance_list }}",
        plain_text="We keep extra hours for {{ hours_surplus_carry }}.\n\n{{ maintenance_list }}",
    )
    return version


def term_findings(version):
    return [
        (f.subject, f.field) for f in version_findings(version_terms(version)) if f.code == "term_not_shown"
    ]


def test_every_measured_term_shown_in_both_renderings(measured_version):
    assert term_findings(measured_version) == []
    subjects = [t.subject for t in version_measured_terms(version_terms(measured_version))]
    assert subjects == [
        "calendar “Business hours”",
        "maintenance windows",
        "credit tiers",
        "credit cap",
        "hours commitment",
        "hours carry rule",
        "hours banking rule",
    ]


@pytest.mark.parametrize("field", ["legal_text", "plain_text"])
@pytest.mark.parametrize(
    ("clause_heading", "name", "subjects"),
    [
        ("Service levels and credits", "service_level_table", ["calendar “Business hours”"]),
        ("Maintenance and banked hours", "maintenance_list", ["maintenance windows"]),
        ("Service levels and credits", "credit_table", ["credit tiers", "credit cap"]),
        ("Scope", "hours_per_month", ["hours commitment"]),
        ("Scope", "hours_deficit_carry", ["hours carry rule"]),
        ("Maintenance and banked hours", "hours_surplus_carry", ["hours banking rule"]),
    ],
)
def test_a_term_left_out_of_one_rendering_is_an_error_there(
    measured_version, clause_heading, name, subjects, field
):
    clause = measured_version.clauses.get(heading=clause_heading)
    services.clause_update(
        clause=clause, data={field: getattr(clause, field).replace(f"{{{{ {name} }}}}", "")}
    )

    assert term_findings(measured_version) == [(subject, field) for subject in subjects]


def test_extra_holidays_are_named_in_the_message(measured_version):
    clause = measured_version.clauses.get(heading="Service levels and credits")
    services.clause_update(
        clause=clause, data={"plain_text": clause.plain_text.replace("{{ service_level_table }}", "")}
    )
    [finding] = [f for f in version_findings(version_terms(measured_version)) if f.code == "term_not_shown"]
    assert finding.is_error
    assert "“Business hours”" in finding.message and "24 December 2026" in finding.message
    assert "add {{ service_level_table }} to the plain text of a clause" in finding.message


def test_calendars_no_service_level_uses_and_plain_24x7_need_no_showing(tenants):
    version = factories.version_with_terms(tenants.contract)
    services.calendar_create(version=version, name="Unused", hours=dict.fromkeys(range(5), "09:00-17:00"))
    terms = version_terms(version)
    subjects = [t.subject for t in version_measured_terms(terms)]
    # The 24×7 calendar of the availability level counts every minute; "Unused" measures nothing.
    assert [s for s in subjects if s.startswith("calendar")] == ["calendar “Business hours”"]


def test_a_24x7_calendar_with_extra_holidays_must_be_shown(tenants):
    version = factories.version_with_terms(tenants.contract)
    services.calendar_update(
        calendar=version.calendars.get(name="24×7"), data={"extra_holidays": ["2026-12-25"]}
    )
    subjects = [t.subject for t in version_measured_terms(version_terms(version))]
    assert "calendar “24×7”" in subjects


def test_without_credit_tiers_the_cap_and_tiers_need_no_showing(tenants):
    version = factories.version_with_terms(tenants.contract)
    services.credit_tiers_set(service_level=version.service_levels.get(key="availability"), tiers=[])
    subjects = [t.subject for t in version_measured_terms(version_terms(version))]
    assert "credit tiers" not in subjects and "credit cap" not in subjects


def test_hours_not_banked_need_no_banking_rule(tenants):
    version = factories.version_with_terms(tenants.contract)
    subjects = [t.subject for t in version_measured_terms(version_terms(version))]
    assert "hours carry rule" in subjects and "hours banking rule" not in subjects
