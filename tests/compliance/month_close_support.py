"""Shared set-up for the month close tests: an active contract whose last complete month
(on the portal's clock) has a one-hour outage of Email (availability 99.9 % missed, the 10 %
credit tier), run through the monthly run and held for review or issued; and the late outage
that changes the month after it was issued (eight more hours: the 25 % tier)."""

from __future__ import annotations

import pytest

from compliance import services as event_services
from compliance.models import Report
from compliance.services import reports
from compliance.views.dashboards import last_complete_month
from tests.compliance.compliance_fixtures import published_contract
from tests.compliance.report_support import make_active, provider_copy


def last_month() -> str:
    year, month = last_complete_month()
    return f"{year:04d}-{month:02d}"


def outage(contract, user, external_id: str, *, day: int, hours: int) -> None:
    """An outage of Email in the last complete month, starting at 10:00 on ``day``."""
    event_services.events_upsert(
        kind="outages",
        contract=contract,
        user=user,
        rows=[
            {
                "external_id": external_id,
                "service": "Email",
                "start": f"{last_month()}-{day:02d}T10:00",
                "end": f"{last_month()}-{day:02d}T{10 + hours:02d}:00",
            }
        ],
    )


def closing_contract(tenants, *, automatically: bool = False):
    """The tenants' contract, active, with its last month's outage; reports held for review
    unless ``automatically``."""
    contract = published_contract(tenants)
    outage(contract, tenants.provider_author, "OUT-1", day=2, hours=1)
    make_active(contract, reports_issued_automatically=automatically)
    provider_copy(tenants)
    return contract


def run_month(capture, period: str | None = None):
    with capture(execute=True):
        return reports.report_run_start(period=period or last_month())


def late_outage(tenants, contract) -> None:
    """Recorded after the month was issued: eight more hours down (99.86 % → 98.79 %)."""
    outage(contract, tenants.provider_author, "OUT-LATE", day=9, hours=8)


@pytest.fixture(name="held_month")
def held_month_fixture(tenants, report_settings, smtp_server, django_capture_on_commit_callbacks):
    """The last month run for a contract whose reports are held: its report, not issued."""
    contract = closing_contract(tenants)
    run_month(django_capture_on_commit_callbacks)
    return Report.objects.get(contract=contract)


@pytest.fixture(name="issued_month")
def issued_month_fixture(held_month, tenants, django_capture_on_commit_callbacks):
    """The held month issued by the provider's author (the customer's emails sent)."""
    with django_capture_on_commit_callbacks(execute=True):
        assert reports.report_issue(report=held_month, user=tenants.provider_author)
    held_month.refresh_from_db()
    return held_month
