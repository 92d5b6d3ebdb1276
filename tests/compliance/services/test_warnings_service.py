"""compliance.services.warnings: warnings stored and announced once, on fixed clocks."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from compliance import services
from compliance.engine.warnings import breach_warnings
from compliance.models import BreachWarning
from compliance.services import warnings
from compliance.signals import breach_warning
from contracts.models.contract import ContractStatus
from tests.compliance.compliance_fixtures import published_contract

AMS = ZoneInfo("Europe/Amsterdam")


def at(*args):
    return datetime(*args, tzinfo=AMS)


@pytest.fixture
def active(tenants):
    contract = published_contract(tenants)
    type(contract).objects.filter(pk=contract.pk).update(status=ContractStatus.ACTIVE)
    # A P1 opened Tuesday 3 March 09:00; its first response is due in 60 business minutes.
    services.events_upsert(
        kind="incidents",
        contract=contract,
        user=tenants.provider_author,
        rows=[
            {"external_id": "INC-1", "service": "Email", "priority": "P1", "opened_at": "2026-03-03T09:00"}
        ],
    )
    return contract


@pytest.fixture
def announced():
    received = []

    def receiver(sender, warning, **kwargs):
        received.append(warning.key)

    breach_warning.connect(receiver, dispatch_uid="test-warnings")
    yield received
    breach_warning.disconnect(dispatch_uid="test-warnings")


def _keys(rows):
    return sorted(row.key for row in rows)


@pytest.mark.django_db(transaction=True)
def test_each_warning_is_given_once_across_runs(active, announced, settings):
    settings.BREACH_WARNING_PACE_FROM = 2  # no hours-bank warning in this test
    assert warnings.breach_warnings_check(now=at(2026, 3, 3, 9, 44)) == []
    first = warnings.breach_warnings_check(now=at(2026, 3, 3, 9, 45))
    assert _keys(first) == ["incident:INC-1:response_p1:75"]
    assert warnings.breach_warnings_check(now=at(2026, 3, 3, 9, 50)) == []
    second = warnings.breach_warnings_check(now=at(2026, 3, 3, 10, 0))
    assert _keys(second) == ["incident:INC-1:response_p1:100"]
    assert warnings.breach_warnings_check(now=at(2026, 3, 3, 12, 0)) == []
    assert announced == ["incident:INC-1:response_p1:75", "incident:INC-1:response_p1:100"]
    row = BreachWarning.objects.get(key="incident:INC-1:response_p1:100")
    assert row.period == "2026-03" and row.subject == "INC-1" and row.deadline == at(2026, 3, 3, 10)


@pytest.mark.django_db(transaction=True)
def test_a_second_worker_finding_the_same_warnings_announces_only_its_own(active, announced, settings):
    settings.BREACH_WARNING_PACE_FROM = 2
    # Another worker stored the 75 % warning after this one read what was given: the bulk
    # insert fails on the unique row and the warnings are claimed one by one.
    real_filter = BreachWarning.objects.filter

    def stale_given(*args, **kwargs):
        found = real_filter(*args, **kwargs)
        if "contract_id__in" in kwargs:
            rows = list(found.values_list("contract_id", "period", "key"))
            other = warnings._row(
                active.pk,
                warnings.breach_warnings_due(now=at(2026, 3, 3, 9, 45))[active.pk][0],
                at(2026, 3, 3, 9, 45),
            )
            other.save()
            return type("Rows", (), {"values_list": lambda self, *a: rows})()
        return found

    BreachWarning.objects.filter = stale_given
    try:
        created = warnings.breach_warnings_check(now=at(2026, 3, 3, 10))
    finally:
        BreachWarning.objects.filter = real_filter
    assert _keys(created) == ["incident:INC-1:response_p1:100"]
    assert announced == ["incident:INC-1:response_p1:100"]
    assert BreachWarning.objects.count() == 2


def test_contracts_not_yet_signed_are_not_checked(tenants, settings):
    settings.BREACH_WARNING_PACE_FROM = 2
    contract = published_contract(tenants)  # published, not yet signed: not active
    services.events_upsert(
        kind="incidents",
        contract=contract,
        user=tenants.provider_author,
        rows=[
            {"external_id": "INC-1", "service": "Email", "priority": "P1", "opened_at": "2026-03-03T09:00"}
        ],
    )
    assert warnings.breach_warnings_check(now=at(2026, 3, 4, 9)) == []


def test_the_hours_bank_behind_pace(active):
    # Nothing was logged since January: March needs its 20 h plus the 40 h owed. March has
    # 743 hours on the Amsterdam clock (summer time from the 29th); by the 17th at 00:00
    # 384 of them have passed: 60 × 384/743 = 31.01 h.
    rows = warnings.breach_warnings_check(now=at(2026, 3, 17))
    hours = [row for row in rows if row.kind == "hours"]
    assert len(hours) == 1
    assert "behind the pace of 31.01 h" in hours[0].message and "60.00 h needed" in hours[0].message


def test_the_engine_and_the_service_agree(active):
    from compliance.selectors.evaluation_inputs import evaluation_inputs_for

    now = at(2026, 3, 3, 10, 30)
    loaded = evaluation_inputs_for([active], (2026, 3), now=now)[active.pk]
    expected = sorted(w.key for w in breach_warnings(loaded.inputs, now))
    assert _keys(warnings.breach_warnings_check(now=now)) == expected
