"""The consistency checker, one finding code per case, over plain values."""

from decimal import Decimal

import pytest

from contracts import services
from contracts.selectors.versions import version_findings, version_terms
from contracts.texts.consistency import (
    ClauseInfo,
    ParameterInfo,
    ResponsibilityInfo,
    ServiceLevelInfo,
    check_version,
    errors,
)
from tests import factories

UPTIME = ParameterInfo("uptime_target", "percentage", value="99.9")
RESPONSE = ParameterInfo("response_p1", "duration", business_time=True, value="60")
SHARE = ParameterInfo("share", "percentage", value="95")
BASE_PARAMETERS = (UPTIME, RESPONSE, SHARE)
BASE_TEXT = "{{ uptime_target }} {{ response_p1 }} {{ share }}"
BASE_CLAUSE = ClauseInfo("levels", "Levels", BASE_TEXT, BASE_TEXT)
AVAILABILITY = ServiceLevelInfo(
    "availability", "Availability", "availability", "uptime_target", None, "24×7", True, True
)
RESPONSE_LEVEL = ServiceLevelInfo(
    "response", "Response", "first_response", "response_p1", "share", "Office", False, True
)
BLOCKS = {"credit_table", "responsibilities_list"}
CONTRACT_VALUES = {"provider_name", "customer_name"} | BLOCKS


def check(
    *,
    parameters=BASE_PARAMETERS,
    service_levels=(AVAILABILITY, RESPONSE_LEVEL),
    responsibilities=(),
    clauses=(BASE_CLAUSE,),
    fee=None,
):
    return check_version(
        parameters=parameters,
        service_levels=service_levels,
        responsibilities=responsibilities,
        clauses=clauses,
        available_names=CONTRACT_VALUES | {f"responsibility_{r.key}" for r in responsibilities},
        block_names=BLOCKS,
        contract_monthly_fee=fee,
    )


def clause(legal: str, plain: str = "In plain words.") -> tuple[ClauseInfo, ...]:
    return (BASE_CLAUSE, ClauseInfo("extra", "Extra", legal, plain))


def test_consistent_version_has_no_findings():
    assert check() == []


CASES = [
    ("invalid_placeholder", "error", {"clauses": clause("{% include 'x' %}")}),
    ("invalid_placeholder", "error", {"clauses": clause("{{ provider_name|upper }}")}),
    ("invalid_placeholder", "error", {"clauses": clause("{{ contract.provider }}")}),
    ("invalid_placeholder", "error", {"clauses": clause("{{ Uptime }}")}),
    ("unknown_placeholder", "error", {"clauses": clause("{{ uptime }}")}),
    ("block_not_alone", "error", {"clauses": clause("See {{ credit_table }} below")}),
    ("rendering_mismatch", "error", {"clauses": clause("{{ uptime_target }}", "at least 99.9%")}),
    (
        "service_level_without_calendar",
        "error",
        {
            "service_levels": (
                AVAILABILITY.__class__("a", "A", "availability", "uptime_target", has_credits=True),
            )
        },
    ),
    (
        "target_wrong_type",
        "error",
        {
            "service_levels": (
                ServiceLevelInfo("a", "A", "availability", "response_p1", None, "24×7", True, True),
            )
        },
    ),
    (
        "target_wrong_type",
        "error",
        {
            "service_levels": (
                ServiceLevelInfo("r", "R", "resolution", "uptime_target", None, "24×7", True, True),
            )
        },
    ),
    (
        "share_wrong_type",
        "error",
        {
            "service_levels": (
                ServiceLevelInfo("r", "R", "resolution", "response_p1", "response_p1", "O", False, True),
            )
        },
    ),
    (
        "responsibility_unexplained",
        "error",
        {"responsibilities": (ResponsibilityInfo("licences", "indemnify"),)},
    ),
    ("no_clauses", "error", {"clauses": (), "parameters": (), "service_levels": ()}),
    (
        "service_level_without_credits",
        "warning",
        {
            "service_levels": (
                ServiceLevelInfo("a", "A", "availability", "uptime_target", None, "24×7", True),
            )
        },
    ),
    (
        "duration_calendar_mismatch",
        "warning",
        {
            "service_levels": (
                ServiceLevelInfo("r", "R", "resolution", "response_p1", None, "24×7", True, True),
            )
        },
    ),
    (
        "monthly_fee_mismatch",
        "warning",
        {
            "parameters": (*BASE_PARAMETERS, ParameterInfo("monthly_fee", "money", value="900.00")),
            "clauses": clause("{{ monthly_fee }}", "{{ monthly_fee }}"),
            "fee": Decimal("1000.00"),
        },
    ),
    (
        "parameter_unused",
        "warning",
        {"parameters": (*BASE_PARAMETERS, ParameterInfo("spare", "integer", value="1"))},
    ),
]


@pytest.mark.parametrize(
    ("code", "level", "changes"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_each_finding_code(code, level, changes):
    findings = check(**changes)
    assert [(f.code, f.level) for f in findings] == [(code, level)]
    assert findings[0].message


def test_clause_findings_name_clause_and_field():
    [finding] = check(clauses=clause("{{ uptime_target }}", "99.9%"))
    assert (finding.clause, finding.field, finding.subject) == ("extra", "plain_text", "uptime_target")


@pytest.mark.parametrize(
    "text", ["{{ responsibility_licences }}", "Duties:\n\n{{ responsibilities_list }}"], ids=["named", "list"]
)
def test_responsibility_is_explained_by_its_placeholder_or_the_list(text):
    findings = check(
        responsibilities=(ResponsibilityInfo("licences", "indemnify"),), clauses=clause(text, text)
    )
    assert findings == []


def test_contract_values_may_differ_between_renderings():
    assert check(clauses=clause("{{ provider_name }} shall", "We will")) == []


def test_matching_monthly_fee_parameter_is_fine():
    findings = check(
        parameters=(*BASE_PARAMETERS, ParameterInfo("monthly_fee", "money", value="1000.00")),
        clauses=clause("{{ monthly_fee }}", "{{ monthly_fee }}"),
        fee=Decimal("1000"),
    )
    assert findings == []


def test_errors_keeps_only_errors():
    findings = check(
        parameters=(*BASE_PARAMETERS, ParameterInfo("spare", "text")), clauses=clause("{{ nope }}")
    )
    assert [f.code for f in errors(findings)] == ["unknown_placeholder"]


# ---------------------------------------------------------------- fed from the database


def test_factory_version_only_warns_about_the_uncredited_level(tenants):
    version = factories.version_with_terms(tenants.contract)
    findings = version_findings(version_terms(version))
    assert [(f.code, f.subject) for f in findings] == [("service_level_without_credits", "response_p1")]


def test_findings_follow_the_terms(tenants):
    version = factories.version_with_terms(tenants.contract)
    services.responsibility_create(
        version=version,
        key="access",
        duty="Give timely access",
        category="access_cooperation",
        consequence="pause_clock",
    )
    services.parameter_set(version=version, name="end_of_term", kind="date", value="2027-12-31")
    level = version.service_levels.get(key="availability")
    services.service_level_update(
        service_level=level, data={"target": version.parameters.get(name="response_p1"), "calendar": None}
    )
    findings = version_findings(version_terms(version))
    codes = {f.code for f in findings}
    assert codes >= {
        "parameter_unused",
        "target_wrong_type",
        "service_level_without_calendar",
    }
    # responsibilities_list explains every responsibility, including the new one
    assert "responsibility_unexplained" not in codes


@pytest.mark.parametrize(
    ("level", "thresholds", "gap"),
    [
        # Availability met from 99.9%: tiers from "below 99.9" leave no gap, "below 99.5" do.
        (AVAILABILITY, ("99.9", "99.0"), None),
        (AVAILABILITY, ("99.95",), None),
        (AVAILABILITY, ("99.5", "95"), ("99.9", "99.5")),
        # Response levels are met when 95% of incidents are within the target.
        (RESPONSE_LEVEL, ("95", "90"), None),
        (RESPONSE_LEVEL, ("90", "80"), ("95", "90")),
        # No tiers: that is the "without credits" warning, not a gap.
        (AVAILABILITY, (), None),
    ],
)
def test_credit_tiers_that_start_below_the_target_leave_a_gap(level, thresholds, gap):
    from dataclasses import replace

    level = replace(level, credit_thresholds=tuple(Decimal(t) for t in thresholds))
    others = [AVAILABILITY, RESPONSE_LEVEL]
    others[0 if level.key == "availability" else 1] = level
    found = [f for f in check(service_levels=others) if f.code == "credit_gap"]
    if gap is None:
        assert found == []
    else:
        assert [(f.level, f.subject) for f in found] == [("warning", level.key)]
        met_from, first_tier = gap
        assert f"met from {met_from}%" in found[0].message
        assert f"starts below {first_tier}%" in found[0].message
