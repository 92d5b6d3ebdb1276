"""Terms: parameter types, calendars, credits and hours as compliance values, display."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from compliance.engine import calendars as cal
from compliance.engine import credits as cr
from compliance.engine.hours_bank import HoursBankRules
from compliance.selectors.contract_terms import (
    business_calendar,
    credit_cap,
    credit_tiers,
    hours_bank_rules,
    maintenance_window,
)
from contracts import services
from contracts.models import Calendar, Parameter, ServiceLevel
from contracts.models.terms import parse_parameter_value
from contracts.selectors.versions import version_render_values, version_rendered_clauses, version_terms
from contracts.texts.rendering import Block, render_clause
from contracts.texts.wording import RANGE_DASH
from tests import factories

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def version(tenants):
    return services.version_create_draft(contract=tenants.contract, user=None)


@pytest.fixture
def full(tenants):
    return factories.version_with_terms(tenants.contract)


# ---------------------------------------------------------------- parameter types


@pytest.mark.parametrize(
    ("kind", "raw", "typed"),
    [
        ("percentage", "99.9", Decimal("99.9")),
        ("percentage", "99.95%", Decimal("99.95")),
        ("percentage", Decimal("0"), Decimal("0")),
        ("percentage", "100", Decimal("100")),
        ("duration", 240, 240),
        ("duration", "240", 240),
        ("duration", "4h", 240),
        ("duration", "1h 30m", 90),
        ("duration", "45 min", 45),
        ("duration", "1 day", 1440),
        ("duration", "1d 4h", 1680),
        ("duration", timedelta(hours=2), 120),
        ("money", "1,200", Decimal("1200.00")),
        ("money", Decimal("99.5"), Decimal("99.50")),
        ("date", "2026-01-01", date(2026, 1, 1)),
        ("date", date(2026, 3, 31), date(2026, 3, 31)),
        ("integer", "12", 12),
        ("integer", -3, -3),
        ("text", "  Amsterdam ", "Amsterdam"),
    ],
)
def test_parameter_values_parse_per_type(kind, raw, typed):
    assert parse_parameter_value(kind, raw) == typed


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        ("percentage", "100.1"),
        ("percentage", "-1"),
        ("percentage", "ninety"),
        ("percentage", 99.9),
        ("duration", "0"),
        ("duration", "-5"),
        ("duration", "4 weeks"),
        ("duration", ""),
        ("duration", timedelta(seconds=90)),
        ("money", "-1"),
        ("money", "1.005"),
        ("money", "NaN"),
        ("date", "1/1/2026"),
        ("date", "2026-02-30"),
        ("integer", "1.5"),
        ("integer", True),
        ("text", "   "),
        ("colour", "red"),
    ],
)
def test_invalid_parameter_values_are_refused(kind, raw):
    with pytest.raises(ValidationError):
        parse_parameter_value(kind, raw)


@pytest.mark.parametrize(
    ("kind", "value", "business_time", "display"),
    [
        ("percentage", "99.9", False, "99.9%"),
        ("duration", 240, True, "4 business hours"),
        ("duration", 60, True, "1 business hour"),
        ("duration", 90, False, "90 minutes"),
        ("money", "1200", False, "EUR 1,200.00"),
        ("date", "2026-01-01", False, "1 January 2026"),
        ("integer", "3", False, "3"),
        ("text", "Amsterdam", False, "Amsterdam"),
    ],
)
def test_parameter_display(version, kind, value, business_time, display):
    parameter = services.parameter_set(
        version=version, name="p", kind=kind, value=value, business_time=business_time
    )
    parameter.refresh_from_db()
    assert parameter.display(currency="EUR") == display


@pytest.mark.parametrize("name", ["Uptime", "1st", "up-time", "", "credit_table", "responsibility_x"])
def test_bad_or_reserved_parameter_names_are_refused(version, name):
    with pytest.raises(ValidationError):
        services.parameter_set(version=version, name=name, kind="text", value="x")


def test_parameter_set_updates_the_parameter_of_that_name(version):
    services.parameter_set(version=version, name="uptime_target", kind="percentage", value="99.9")
    services.parameter_set(version=version, name="uptime_target", kind="percentage", value="99.5")
    assert Parameter.objects.get(version=version).typed_value == Decimal("99.5")


def test_parameter_used_by_a_service_level_cannot_be_deleted(full):
    with pytest.raises(ValidationError, match="Availability"):
        services.parameter_delete(parameter=Parameter.objects.get(version=full, name="uptime_target"))
    services.parameter_delete(parameter=Parameter.objects.get(version=full, name="resolution_p1"))


def test_service_level_refuses_terms_of_another_version(full, tenants):
    other = services.version_create_draft(contract=tenants.outsider_contract, user=None)
    foreign = services.parameter_set(version=other, name="uptime_target", kind="percentage", value="99")
    with pytest.raises(ValidationError, match="own terms"):
        services.service_level_create(version=full, key="x", name="X", metric="availability", target=foreign)


# ---------------------------------------------------------------- calendars and maintenance


def test_business_hours_calendar_converts_with_public_holidays(full):
    calendar = Calendar.objects.get(version=full, name="Business hours")
    business = business_calendar(calendar, AMSTERDAM, [2026])
    nine_to_five = (cal.TimeRange(time(9), time(17)),)
    assert business.weekly == (nine_to_five,) * 5 + ((), ())
    assert date(2026, 4, 27) in business.holidays  # King's Day
    monday = datetime(2026, 4, 27, 7, tzinfo=UTC)
    assert cal.business_duration(business, monday, monday + timedelta(hours=12)) == timedelta(0)
    tuesday = datetime(2026, 4, 28, 6, tzinfo=UTC)
    assert cal.business_duration(business, tuesday, tuesday + timedelta(hours=24)) == timedelta(hours=8)


def test_around_the_clock_calendar_converts(full):
    business = business_calendar(Calendar.objects.get(version=full, name="24×7"), AMSTERDAM, [2026])
    assert business.is_around_the_clock


def test_extra_holidays_and_several_ranges_a_day(version):
    calendar = services.calendar_create(
        version=version,
        name="Split",
        hours={0: "08:00-12:00, 13:00-17:00"},
        extra_holidays=[date(2026, 12, 28)],
    )
    business = business_calendar(calendar, AMSTERDAM, [2026])
    assert business.weekly[0] == (cal.TimeRange(time(8), time(12)), cal.TimeRange(time(13), time(17)))
    assert business.holidays == frozenset({date(2026, 12, 28)})


@pytest.mark.parametrize(
    "fields",
    [
        {"hours": {0: "9-17"}},
        {"hours": {7: "09:00-17:00"}},
        {"hours": {0: "17:00-09:00"}},
        {"hours": {}},
        {"hours": {0: "09:00-17:00"}, "holiday_country": "XX"},
        {"hours": {0: "09:00-17:00"}, "holiday_country": "DE", "holiday_subdivision": "ZZ"},
        {"hours": {0: "09:00-17:00"}, "holiday_subdivision": "BY"},
        {"hours": {0: "09:00-17:00"}, "extra_holidays": ["next friday"]},
    ],
)
def test_invalid_calendars_are_refused(version, fields):
    with pytest.raises(ValidationError):
        services.calendar_create(version=version, name="Bad", **fields)


def test_calendar_in_use_cannot_be_deleted(full):
    with pytest.raises(ValidationError, match="calendar of"):
        services.calendar_delete(calendar=Calendar.objects.get(version=full, name="24×7"))


def test_maintenance_window_converts(version):
    window = services.maintenance_window_create(
        version=version, weekday=6, start=time(2), duration_minutes=120
    )
    assert maintenance_window(window) == cal.MaintenanceWindow(6, time(2), timedelta(hours=2))


# ---------------------------------------------------------------- credits and hours


def test_credit_tiers_and_cap_convert_to_compliance_values(full):
    terms = version_terms(full)
    availability = next(level for level in terms.service_levels if level.key == "availability")
    tiers = credit_tiers(availability, terms.tiers_of(availability))
    assert tiers == [
        cr.CreditTier(Decimal("99.9"), cr.CreditKind.PERCENT_OF_FEE, Decimal("10")),
        cr.CreditTier(Decimal("99.0"), cr.CreditKind.PERCENT_OF_FEE, Decimal("25")),
        cr.CreditTier(Decimal("95.0"), cr.CreditKind.PERCENT_OF_FEE, Decimal("100")),
    ]
    assert cr.applicable_tier(Decimal("98.5"), tiers).below == Decimal("99.0")
    summary = cr.period_credits(
        [cr.ServiceLevelOutcome("Availability", Decimal("90"), tiers)],
        monthly_fee=terms.contract.monthly_fee,
        cap=credit_cap(terms.credit_cap),
    )
    assert (summary.total, summary.capped_total) == (Decimal("1000.00"), Decimal("500.00"))


def test_hours_commitment_converts_to_bank_rules(full):
    rules = hours_bank_rules(version_terms(full).hours_commitment)
    assert rules == HoursBankRules(deficit_carry_months=3, surplus_carry_months=0)


@pytest.mark.parametrize(
    ("below", "kind", "value"), [("101", "percent_of_fee", "5"), ("99", "percent_of_fee", "150")]
)
def test_invalid_credit_tiers_are_refused(full, below, kind, value):
    level = ServiceLevel.objects.get(version=full, key="availability")
    with pytest.raises(ValidationError):
        services.credit_tier_create(service_level=level, below=below, kind=kind, value=value)


def test_duplicate_tier_threshold_is_refused(full):
    level = ServiceLevel.objects.get(version=full, key="availability")
    with pytest.raises(ValidationError):
        services.credit_tier_create(service_level=level, below="99.9", value="1")


# ---------------------------------------------------------------- texts


def test_render_values_show_terms_and_blocks(full):
    values = version_render_values(version_terms(full))
    assert values["uptime_target"] == "99.9%"
    assert values["response_p1"] == "1 business hour"
    assert values["monthly_fee"] == "EUR 1,000.00"
    assert values["credit_cap"] == "50% of the monthly fee"
    assert values["hours_per_month"] == "20 hours"
    assert values["start_date"] == "1 January 2026"
    assert "holds the provider harmless" in values["responsibility_licences"]
    assert isinstance(values["credit_table"], Block)
    assert "below 99.0%" in values["credit_table"].html
    assert "Copier — supported by the copier supplier" in values["scope_list"].text
    assert "Business hours" not in values["service_level_table"].html
    assert (
        f"Monday{RANGE_DASH}Friday 09:00{RANGE_DASH}17:00 (Europe/Amsterdam)"
        in values["service_level_table"].html
    )
    assert "95% within 1 business hour" in values["service_level_table"].text


def test_generated_blocks_escape_term_text(full):
    services.service_create(version=full, name="<script>alert(1)</script>")
    level = ServiceLevel.objects.get(version=full, key="availability")
    services.service_level_update(service_level=level, data={"name": "Up <b>time</b>"})
    values = version_render_values(version_terms(full))
    rendered = render_clause("{{ scope_list }}\n\n{{ credit_table }}", values)
    assert rendered.ok
    assert "<script>" not in rendered.html and "&lt;script&gt;" in rendered.html
    assert "Up &lt;b&gt;time&lt;/b&gt;" in rendered.html


def test_rendered_clauses_carry_both_renderings(full):
    rendered = version_rendered_clauses(version_terms(full))
    assert [r.clause.key for r in rendered] == [
        "scope",
        "service-levels-and-credits",
        "customer-responsibilities",
    ]
    assert all(r.ok for r in rendered)
    assert "99.9%" in rendered[1].legal.html and "99.9%" in rendered[1].plain.html
