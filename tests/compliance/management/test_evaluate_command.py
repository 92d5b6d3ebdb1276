"""manage.py evaluate: summary, JSON, and refusals."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from compliance.models import Evaluation
from contracts.models import AuditAction, AuditEvent, Contract
from tests.compliance.compliance_fixtures import PERIOD, published_contract, record_month

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(tenants):
    contract = published_contract(tenants)
    record_month(contract, tenants.provider_author)
    return contract


def _run(*args) -> str:
    out = StringIO()
    call_command("evaluate", *args, stdout=out)
    return out.getvalue()


def test_summary_names_missed_levels_credits_and_exclusions(contract):
    text = _run(contract.reference, "--period", PERIOD)
    assert "revision 1 (new)" in text
    assert "Availability: 99.8% (target 99.9%) MISSED" in text
    assert "error budget 44.58 min, used 60.00, left -15.42" in text
    assert "excluded outage OUT-99" in text and "clause 3, Customer responsibilities" in text
    assert "credits total 100.00 EUR, cap 500.00, due 100.00 EUR" in text
    assert Evaluation.objects.count() == 1


def test_json_is_the_stored_figures(contract):
    data = json.loads(_run(contract.reference, "--period", PERIOD, "--json"))
    assert data == Evaluation.objects.get().figures
    assert data["contract"] == contract.reference


def test_unknown_contract_and_bad_period_are_refused(contract):
    with pytest.raises(CommandError, match="No contract"):
        _run("SLA-0000-0000", "--period", PERIOD)
    with pytest.raises(CommandError, match="YYYY-MM"):
        _run(contract.reference, "--period", "March")


@pytest.mark.parametrize(
    ("start", "end", "period", "message"),
    [
        (
            date(2026, 4, 1),
            None,
            PERIOD,
            "March 2026 is before this contract's term, which started on 1 April 2026.",
        ),
        (
            date(2025, 1, 1),
            date(2026, 2, 28),
            PERIOD,
            "March 2026 is after this contract's term, which ended on 28 February 2026.",
        ),
        (date(2026, 1, 1), None, "2098-05", "May 2098 has not started yet."),
    ],
    ids=["before the term", "after the term", "not started"],
)
def test_month_without_figures_is_refused_and_nothing_stored(contract, start, end, period, message):
    Contract.objects.filter(pk=contract.pk).update(start_date=start, end_date=end)
    with pytest.raises(CommandError) as raised:
        _run(contract.reference, "--period", period)
    assert str(raised.value) == message
    assert not Evaluation.objects.exists()
    assert not AuditEvent.objects.filter(contract=contract, action=AuditAction.EVALUATED).exists()
