"""A contract's term rows as the compliance engine's plain values.

Contracts store the terms; only compliance measures them, so the conversion lives here and
``contracts`` knows nothing of the engine. Each function needs the row alone (prefetched
relations are used when passed in).
"""

from __future__ import annotations

from datetime import time, timedelta, tzinfo

from compliance.engine import calendars as cal
from compliance.engine import credits as cr
from compliance.engine.hours_bank import HoursBankRules
from contracts.models import Calendar, CreditCap, CreditTier, HoursCommitment, MaintenanceWindow, ServiceLevel


def business_calendar(calendar: Calendar, tz: tzinfo, years) -> cal.BusinessCalendar:
    """The calendar in ``tz`` with the public holidays of ``years`` and its extra holidays."""
    extra = calendar.extra_holiday_dates
    if calendar.holiday_country:
        holidays = cal.public_holidays(
            calendar.holiday_country, years, subdivision=calendar.holiday_subdivision or None, extra=extra
        )
    else:
        holidays = frozenset(extra)
    if calendar.around_the_clock:
        return cal.BusinessCalendar(tz=tz, weekly=((cal.ALL_DAY,),) * 7, holidays=holidays)
    return cal.BusinessCalendar.from_hours(
        tz, {int(day): spec for day, spec in calendar.hours.items()}, holidays=holidays
    )


def maintenance_window(window: MaintenanceWindow) -> cal.MaintenanceWindow:
    start: time = window.start.replace(tzinfo=None)
    return cal.MaintenanceWindow(window.weekday, start, timedelta(minutes=window.duration_minutes))


def credit_tier(tier: CreditTier) -> cr.CreditTier:
    return cr.CreditTier(below=tier.below, kind=cr.CreditKind(tier.kind), value=tier.value)


def credit_tiers(level: ServiceLevel, tiers=None) -> list[cr.CreditTier]:
    """The level's credit tiers, highest threshold first; pass prefetched ``tiers`` to avoid a query."""
    rows = level.credit_tiers.all() if tiers is None else tiers
    return [credit_tier(row) for row in rows]


def credit_cap(cap: CreditCap) -> cr.CreditCap:
    return cr.CreditCap(kind=cr.CapKind(cap.kind), value=cap.value)


def hours_bank_rules(commitment: HoursCommitment) -> HoursBankRules:
    return HoursBankRules(
        deficit_carry_months=commitment.deficit_carry_months,
        surplus_carry_months=commitment.surplus_carry_months,
    )
