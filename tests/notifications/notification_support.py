"""An active contract with an open P1 whose first response is 75 % used on 3 March 2026 at
09:45 (Amsterdam), and the check that gives the warning."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from compliance import services
from compliance.services import warnings
from contracts.models.contract import ContractStatus
from tests.compliance.compliance_fixtures import published_contract

AMS = ZoneInfo("Europe/Amsterdam")
WARNED_AT = datetime(2026, 3, 3, 9, 45, tzinfo=AMS)


@pytest.fixture(name="warned_contract")
def warned_contract_fixture(tenants, settings):
    settings.BREACH_WARNING_PACE_FROM = 2  # the hours bank is tested elsewhere
    contract = published_contract(tenants)
    type(contract).objects.filter(pk=contract.pk).update(status=ContractStatus.ACTIVE)
    services.events_upsert(
        kind="incidents",
        contract=contract,
        user=tenants.provider_author,
        rows=[
            {"external_id": "INC-1", "service": "Email", "priority": "P1", "opened_at": "2026-03-03T09:00"}
        ],
    )
    return contract


def give_warning(capture, now=WARNED_AT):
    with capture(execute=True):
        return warnings.breach_warnings_check(now=now)
