"""manage.py evaluate: summary, JSON, and refusals."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from compliance.models import Evaluation

from .compliance_fixtures import PERIOD, published_contract, record_month

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
