"""Renewals: an auto-renewing term rolls forward on its end date, on the contract's clock, once
and in the audit log; a renewal starts as the next version's draft."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from contracts import services, tasks
from contracts.models import AuditAction, AuditEvent, Contract, Version
from contracts.models.contract import ContractStatus
from contracts.services import renewals
from tests import factories

pytestmark = pytest.mark.django_db


def _active(contract, **fields) -> Contract:
    Contract.objects.filter(pk=contract.pk).update(status=ContractStatus.ACTIVE, **fields)
    contract.refresh_from_db()
    return contract


@pytest.fixture
def renewing(tenants) -> Contract:
    # Summer time ends in Amsterdam on the end date itself, 25 October 2026.
    return _active(tenants.contract, end_date=date(2026, 10, 25), auto_renew=True, renewal_months=12)


def _renewed(contract) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(contract=contract, action=AuditAction.RENEWED).order_by("pk"))


def test_not_renewed_before_the_end_date_on_the_contracts_clock(renewing):
    # 23:59 on 24 October in Amsterdam (UTC+2).
    assert renewals.contracts_renew_due(now=datetime(2026, 10, 24, 21, 59, tzinfo=UTC)) == 0
    renewing.refresh_from_db()
    assert renewing.end_date == date(2026, 10, 25)
    assert _renewed(renewing) == []


def test_renewed_on_the_end_date_and_said_so_in_the_audit_log(renewing):
    # 00:30 on 25 October in Amsterdam, while UTC still reads 24 October.
    assert renewals.contracts_renew_due(now=datetime(2026, 10, 24, 22, 30, tzinfo=UTC)) == 1
    renewing.refresh_from_db()
    assert renewing.end_date == date(2027, 10, 25)
    [event] = _renewed(renewing)
    assert event.summary == "Renewed automatically until 25 October 2027"
    assert event.actor is None and event.actor_name == "SLA portal (automatic)"
    assert event.details == {
        "previous_end_date": "2026-10-25",
        "end_date": "2027-10-25",
        "renewal_months": 12,
    }


def test_running_again_renews_nothing_more(renewing):
    now = datetime(2026, 10, 25, 6, 0, tzinfo=UTC)
    renewals.contracts_renew_due(now=now)
    assert renewals.contracts_renew_due(now=now) == 0
    stale = Contract.objects.get(pk=renewing.pk)
    stale.end_date = date(2026, 10, 25)  # a second worker still holding the old row
    assert renewals.contract_renew(contract=stale, now=now) == []
    renewing.refresh_from_db()
    assert renewing.end_date == date(2027, 10, 25)
    assert len(_renewed(renewing)) == 1


def test_missed_renewals_are_each_logged(tenants):
    contract = _active(tenants.contract, end_date=date(2026, 10, 31), auto_renew=True, renewal_months=6)
    renewals.contracts_renew_due(now=datetime(2027, 5, 2, 8, 0, tzinfo=UTC))
    contract.refresh_from_db()
    assert contract.end_date == date(2027, 10, 31)
    assert [e.summary for e in _renewed(contract)] == [
        "Renewed automatically until 30 April 2027",
        "Renewed automatically until 31 October 2027",
    ]


@pytest.mark.parametrize(
    "fields",
    [
        {"auto_renew": False},
        {"status": ContractStatus.TERMINATED},
        {"end_date": None},
    ],
)
def test_only_active_auto_renewing_contracts_with_an_end_roll_forward(tenants, fields):
    values = {"end_date": date(2026, 10, 25), "auto_renew": True, **fields}
    contract = _active(tenants.contract)
    Contract.objects.filter(pk=contract.pk).update(**values)
    assert renewals.contracts_renew_due(now=datetime(2026, 11, 1, 8, 0, tzinfo=UTC)) == 0
    contract.refresh_from_db()
    assert contract.end_date == values["end_date"]


def test_a_contract_in_new_york_renews_on_new_yorks_date(tenants):
    contract = _active(
        tenants.contract,
        end_date=date(2026, 12, 31),
        auto_renew=True,
        renewal_months=12,
        time_zone="America/New_York",
    )
    # 31 December 03:00 UTC is still 30 December, 22:00, in New York.
    assert renewals.contracts_renew_due(now=datetime(2026, 12, 31, 3, 0, tzinfo=UTC)) == 0
    assert renewals.contracts_renew_due(now=datetime(2026, 12, 31, 5, 0, tzinfo=UTC)) == 1
    contract.refresh_from_db()
    assert contract.end_date == date(2027, 12, 31)


def test_starting_a_renewal_drafts_the_next_version_from_the_current_one(tenants):
    contract = tenants.contract
    first = factories.version_with_terms(contract, user=tenants.provider_author)
    renewals_contract = _active(contract, end_date=date(2026, 12, 31))

    services.version_publish(version=first, user=tenants.provider_author)
    draft = renewals.renewal_start(contract=renewals_contract, user=tenants.provider_author)
    assert draft.number == 2 and draft.is_draft
    assert draft.note == "Renewal of the term ending 31 December 2026."
    assert sorted(draft.parameters.values_list("name", flat=True)) == sorted(
        first.parameters.values_list("name", flat=True)
    )
    assert draft.clauses.count() == first.clauses.count()
    with pytest.raises(ValidationError, match="still a draft"):
        renewals.renewal_start(contract=renewals_contract, user=tenants.provider_author)
    assert Version.objects.filter(contract=contract).count() == 2


def test_beats_task_renews_what_is_due_now(tenants):
    contract = _active(tenants.contract, end_date=date(2026, 1, 31), auto_renew=True, renewal_months=1)
    assert tasks.contracts_renew_due.delay().get() == 1
    contract.refresh_from_db()
    today = timezone.localdate(timezone=ZoneInfo(contract.time_zone))
    assert today <= contract.end_date <= today + timedelta(days=31)
