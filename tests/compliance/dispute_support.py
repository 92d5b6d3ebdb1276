"""Shared set-up for the dispute and credit note tests: an issued report of March 2026 (see
``compliance_fixtures``: one excluded customer outage OUT-99, a missed availability level
owing 10 % of the 1,000.00 EUR fee), issued on 2 December 2026 so that its 14-day window
closes on 16 December 2026."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from compliance.models import Report
from compliance.services.evaluations import evaluation_run
from compliance.services.reports import _report_of
from tests.compliance.report_support import PERIOD

ISSUED_AT = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
IN_WINDOW = datetime(2026, 12, 16, 22, 0, tzinfo=UTC)  # 23:00 in Amsterdam: the last day
AFTER_WINDOW = datetime(2026, 12, 16, 23, 30, tzinfo=UTC)  # 00:30 on the 17th in Amsterdam


def report_of_month(contract, *, issued: bool = True) -> Report:
    """The stored report of the contract's March 2026 (no PDF rendered), issued or not."""
    run = evaluation_run(contract=contract, period=PERIOD)
    report = _report_of(run.evaluation)
    if issued:
        Report.objects.filter(pk=report.pk).update(issued_at=ISSUED_AT)
        report.refresh_from_db()
    return report


@pytest.fixture(name="issued_report")
def issued_report_fixture(active_contract):
    return report_of_month(active_contract)
