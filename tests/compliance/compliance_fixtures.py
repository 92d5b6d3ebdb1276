"""A published contract with a month of events (March 2026) for the compliance tests.

The availability level (99.9 %, 743-hour month: 44.58 minutes allowed) is missed by a
60-minute outage → the 99.9 tier, 10 % of the 1,000.00 EUR fee; a customer-caused outage
is excluded under the "Customer responsibilities" clause; one P1 incident is answered in
30 business minutes; 8 hours of work are logged.
"""

from __future__ import annotations

from compliance import services
from contracts import services as contract_services
from tests import factories

PERIOD = "2026-03"


def published_contract(tenants):
    contract = tenants.contract
    version = factories.version_with_terms(contract, user=tenants.provider_author)
    contract_services.version_publish(version=version, user=tenants.provider_author)
    return contract


def outage_row(n: int, **overrides) -> dict:
    row = {
        "external_id": f"OUT-{n}",
        "service": "Email",
        "start": f"2026-03-{1 + n % 28:02d}T10:00",
        "end": f"2026-03-{1 + n % 28:02d}T11:00",
    }
    row.update(overrides)
    return row


def record_month(contract, user, *, outages: int = 1, incidents: int = 1) -> None:
    services.events_upsert(
        kind="outages",
        contract=contract,
        user=user,
        rows=[
            *(outage_row(n) for n in range(outages)),
            outage_row(
                99,
                start="2026-03-20T10:00",
                end="2026-03-20T14:00",
                cause="customer",
                responsibility="risky_behaviour",
            ),
        ],
    )
    services.events_upsert(
        kind="incidents",
        contract=contract,
        user=user,
        rows=[
            {
                "external_id": f"INC-{n}",
                "service": "Email",
                "priority": "P1",
                "opened_at": "2026-03-03T09:00",
                "first_response_at": "2026-03-03T09:30",
                "pauses": [{"start": "2026-03-03T09:10", "end": "2026-03-03T09:15"}],
            }
            for n in range(incidents)
        ],
    )
    services.events_upsert(
        kind="worklogs",
        contract=contract,
        user=user,
        rows=[{"external_id": "WL-1", "date": "2026-03-05", "hours": "8", "person": "Arthur"}],
    )


def issue_month(contract, period: str = PERIOD):
    """The month evaluated, stored and issued as the provider would issue its report (the
    row only, no PDF): what the customer's pages then show of a month that is over."""
    from django.utils import timezone

    from compliance.models import Report, ReportStatus
    from compliance.services.evaluations import evaluation_run

    evaluation = evaluation_run(contract=contract, period=period).evaluation
    return Report.objects.create(
        contract=contract,
        period=evaluation.period,
        evaluation=evaluation,
        revision=evaluation.revision,
        status=ReportStatus.READY,
        issued_at=timezone.now(),
    )
