"""Plain inputs for evaluation tests: a contract in Europe/Amsterdam with a 99.9 % availability
level and a P1 resolution level in business hours, and shorthand for events."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from compliance.engine import calendars as cal
from compliance.engine import credits as cr
from compliance.engine.evaluation import (
    ClauseRef,
    EvaluationInputs,
    HoursInput,
    IncidentInput,
    LevelInput,
    OutageInput,
    ResponsibilityInput,
    ServiceInput,
)
from compliance.engine.hours_bank import HoursBankRules

D = Decimal
AMS = ZoneInfo("Europe/Amsterdam")
BUSINESS = cal.BusinessCalendar.from_hours(AMS, dict.fromkeys(range(5), "09:00-17:00"))
TIERS = (
    cr.CreditTier(D("99.9"), cr.CreditKind.PERCENT_OF_FEE, D(10)),
    cr.CreditTier(D("99.0"), cr.CreditKind.PERCENT_OF_FEE, D(25)),
    cr.CreditTier(D("95.0"), cr.CreditKind.PERCENT_OF_FEE, D(100)),
)
SCOPE = ClauseRef(1, "Scope")
MAINTENANCE = ClauseRef(2, "Planned maintenance")
RESPONSIBILITIES = ClauseRef(4, "Customer responsibilities")

AVAILABILITY = LevelInput(
    key="availability", name="Availability", metric="availability", target=D("99.9"), tiers=TIERS
)
RESOLUTION = LevelInput(
    key="resolution_p1",
    name="P1 resolution",
    metric="resolution",
    target=D(240),
    priority="P1",
    share=D(95),
    calendar=BUSINESS,
    tiers=(cr.CreditTier(D(95), cr.CreditKind.FIXED_AMOUNT, D(150)),),
)


def local(*args) -> datetime:
    """An aware datetime on the Amsterdam clock."""
    return datetime(*args, tzinfo=AMS)


def inputs(period=(2026, 1), **changes) -> EvaluationInputs:
    base = EvaluationInputs(
        contract="SLA-TEST",
        period=period,
        tz=AMS,
        version=1,
        term_start=date(2025, 1, 1),
        term_end=None,
        monthly_fee=D("1000.00"),
        currency="EUR",
        services=(
            ServiceInput("Email"),
            ServiceInput("File server"),
            ServiceInput("Copier", in_scope=False, out_of_scope_reason="supported by the copier supplier"),
        ),
        levels=(AVAILABILITY,),
        responsibilities=(
            ResponsibilityInput(
                "risky_behaviour", "No defective applications", "exclude_from_sla", RESPONSIBILITIES
            ),
            ResponsibilityInput("licences", "Renew licences", "indemnify", RESPONSIBILITIES),
        ),
        maintenance_windows=(cal.MaintenanceWindow(6, time(2, 0), timedelta(hours=2)),),
        scope_clause=SCOPE,
        maintenance_clause=MAINTENANCE,
        cap=cr.CreditCap(cr.CapKind.PERCENT_OF_FEE, D(50)),
    )
    return replace(base, **changes)


def outage(external_id, start, end, service="Email", **fields) -> OutageInput:
    return OutageInput(external_id=external_id, service=service, start=start, end=end, **fields)


def incident(
    external_id, opened_at, resolved_at=None, service="Email", priority="P1", **fields
) -> IncidentInput:
    return IncidentInput(
        external_id=external_id,
        service=service,
        priority=priority,
        opened_at=opened_at,
        resolved_at=resolved_at,
        **fields,
    )


def hours(delivered: dict[str, str], committed=20, deficit_carry=3) -> HoursInput:
    return HoursInput(
        committed=D(committed),
        rules=HoursBankRules(deficit_carry_months=deficit_carry),
        first_period=(2026, 1),
        delivered={period: D(value) for period, value in delivered.items()},
    )


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)
