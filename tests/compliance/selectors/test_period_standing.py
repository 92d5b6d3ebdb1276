"""period_standing and period_check: which months of a contract can be evaluated.

A month has figures when it overlaps the contract's term by at least a day and has started
on the contract's clock. Evaluating any other month stores no revision and writes nothing
to the audit log.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError

from compliance.models import Evaluation
from compliance.selectors.evaluations import PeriodStanding, period_check, period_standing
from compliance.services.evaluations import evaluation_run, evaluations_run
from contracts import services as contract_services
from contracts.models import AuditAction, AuditEvent, Contract
from tests import factories
from tests.compliance.compliance_fixtures import PERIOD, published_contract, record_month

# 12:00 UTC on 15 November 2026: November is running, October is over.
NOW = datetime(2026, 11, 15, 12, 0, tzinfo=UTC)
# 23:30 UTC on 30 November is already 1 December in Amsterdam.
AMSTERDAM_DECEMBER = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)


def term(start: date, end: date | None = None, time_zone: str = "Europe/Amsterdam") -> Contract:
    return Contract(start_date=start, end_date=end, time_zone=time_zone)


@dataclass(frozen=True)
class Case:
    name: str
    contract: Contract
    period: str
    now: datetime
    standing: PeriodStanding


MID_MONTH = term(date(2026, 1, 15), date(2027, 3, 10))
OPEN_ENDED = term(date(2026, 1, 1))

CASES = [
    Case("month before the start", MID_MONTH, "2025-12", NOW, PeriodStanding.BEFORE_TERM),
    Case("a year before the start", OPEN_ENDED, "2025-01", NOW, PeriodStanding.BEFORE_TERM),
    Case("start month, starting mid-month", MID_MONTH, "2026-01", NOW, PeriodStanding.OVER),
    Case("start month, starting on the 1st", OPEN_ENDED, "2026-01", NOW, PeriodStanding.OVER),
    Case(
        "last month of the term, over",
        MID_MONTH,
        "2027-03",
        datetime(2027, 4, 2, tzinfo=UTC),
        PeriodStanding.OVER,
    ),
    Case("last month of the term, ahead", MID_MONTH, "2027-03", NOW, PeriodStanding.NOT_STARTED),
    Case("month after the end", MID_MONTH, "2027-04", NOW, PeriodStanding.AFTER_TERM),
    Case(
        "month after the end, long past",
        MID_MONTH,
        "2027-04",
        datetime(2028, 1, 1, tzinfo=UTC),
        PeriodStanding.AFTER_TERM,
    ),
    Case("current month", OPEN_ENDED, "2026-11", NOW, PeriodStanding.RUNNING),
    Case("month before the current one", OPEN_ENDED, "2026-10", NOW, PeriodStanding.OVER),
    Case("next month", OPEN_ENDED, "2026-12", NOW, PeriodStanding.NOT_STARTED),
    Case("month far ahead", OPEN_ENDED, "2027-05", NOW, PeriodStanding.NOT_STARTED),
    Case(
        "future month before a future start",
        term(date(2027, 1, 1)),
        "2026-12",
        NOW,
        PeriodStanding.BEFORE_TERM,
    ),
    Case("start month of a future term", term(date(2027, 1, 1)), "2027-01", NOW, PeriodStanding.NOT_STARTED),
    # On the contract's clock December has begun, in UTC it has not.
    Case(
        "new month on the contract clock", OPEN_ENDED, "2026-12", AMSTERDAM_DECEMBER, PeriodStanding.RUNNING
    ),
    Case(
        "month just ended on the contract clock",
        OPEN_ENDED,
        "2026-11",
        AMSTERDAM_DECEMBER,
        PeriodStanding.OVER,
    ),
    Case(
        "new month not begun in UTC",
        term(date(2026, 1, 1), time_zone="UTC"),
        "2026-12",
        AMSTERDAM_DECEMBER,
        PeriodStanding.NOT_STARTED,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_period_standing(case):
    assert period_standing(contract=case.contract, period=case.period, now=case.now) is case.standing


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_only_started_months_within_the_term_pass_the_check(case):
    if case.standing.evaluable:
        assert period_check(contract=case.contract, period=case.period, now=case.now) is None
    else:
        with pytest.raises(ValidationError) as raised:
            period_check(contract=case.contract, period=case.period, now=case.now)
        assert raised.value.code == case.standing.value


def test_tuple_and_label_periods_agree():
    assert period_standing(contract=OPEN_ENDED, period=(2026, 12), now=NOW) is PeriodStanding.NOT_STARTED


@pytest.mark.parametrize(
    ("contract", "period", "message"),
    [
        (
            term(date(2027, 1, 1)),
            "2026-10",
            "October 2026 is before this contract's term, which starts on 1 January 2027.",
        ),
        (
            term(date(2026, 1, 1)),
            "2025-11",
            "November 2025 is before this contract's term, which started on 1 January 2026.",
        ),
        (
            term(date(2025, 1, 1), date(2026, 2, 28)),
            "2026-03",
            "March 2026 is after this contract's term, which ended on 28 February 2026.",
        ),
        (
            term(date(2026, 1, 1), date(2027, 6, 30)),
            "2027-07",
            "July 2027 is after this contract's term, which ends on 30 June 2027.",
        ),
        (term(date(2026, 1, 1)), "2026-12", "December 2026 has not started yet."),
        (term(date(2026, 1, 1)), "2027-05", "May 2027 has not started yet."),
    ],
)
def test_the_refusal_says_why(contract, period, message):
    with pytest.raises(ValidationError) as raised:
        period_check(contract=contract, period=period, now=NOW)
    assert raised.value.messages == [message]


def test_a_malformed_period_is_refused_as_such():
    with pytest.raises(ValidationError) as raised:
        period_check(contract=OPEN_ENDED, period="2026-13", now=NOW)
    assert "month must be 1..12" in raised.value.messages[0]


# ---------------------------------------------------------------- evaluating


@pytest.fixture
def contract(tenants):
    contract = published_contract(tenants)
    record_month(contract, tenants.provider_author)
    return contract


def _nothing_written(contract) -> bool:
    evaluated = AuditEvent.objects.filter(contract=contract, action=AuditAction.EVALUATED)
    return not Evaluation.objects.filter(contract=contract).exists() and not evaluated.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "period", "code"),
    [
        (date(2026, 4, 1), None, PERIOD, "before_term"),
        (date(2025, 1, 1), date(2026, 2, 28), PERIOD, "after_term"),
        (date(2026, 1, 1), None, "2026-12", "not_started"),
    ],
)
def test_evaluating_a_month_without_figures_stores_and_records_nothing(contract, start, end, period, code):
    Contract.objects.filter(pk=contract.pk).update(start_date=start, end_date=end)
    contract.refresh_from_db()
    with pytest.raises(ValidationError) as raised:
        evaluation_run(contract=contract, period=period, now=NOW)
    assert raised.value.code == code
    assert _nothing_written(contract)


@pytest.mark.django_db
def test_the_first_and_last_months_of_the_term_are_evaluated(contract):
    Contract.objects.filter(pk=contract.pk).update(start_date=date(2026, 3, 31), end_date=date(2026, 3, 31))
    contract.refresh_from_db()
    run = evaluation_run(contract=contract, period=PERIOD, now=NOW)
    assert run.stored and run.created
    assert AuditEvent.objects.filter(contract=contract, action=AuditAction.EVALUATED).count() == 1


@pytest.mark.django_db
def test_many_contracts_leave_out_those_outside_their_term(tenants, contract):
    later = published_contract_of_other(tenants)
    Contract.objects.filter(pk=later.pk).update(start_date=date(2026, 4, 1))
    later.refresh_from_db()
    runs = evaluations_run(contracts=[contract, later], period=PERIOD, now=NOW)
    assert list(runs) == [contract.pk]
    assert list(Evaluation.objects.values_list("contract_id", flat=True)) == [contract.pk]
    assert _nothing_written(later)


def published_contract_of_other(tenants):
    """A second published contract of the same provider and customer."""
    other = factories.contract(tenants.contract.provider, tenants.contract.customer)
    version = factories.version_with_terms(other, user=tenants.provider_author)
    contract_services.version_publish(version=version, user=tenants.provider_author)
    return other
