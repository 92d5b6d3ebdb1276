"""How terms read: the wording and number formats shared by clause texts, pages, PDFs and charts.

Values are display strings ("99.9%", "4 business hours", "EUR 1,200.00", "1 January 2026"),
in the formats of ``contracts.texts.formats``, which every page, PDF and email shares.
The generated blocks built from them (``credit_table``, ``scope_list``, …) are in
``contracts.blocks``.

The names a clause may use besides its parameters:

- contract values: ``provider_name``, ``customer_name``, ``contract_reference``,
  ``contract_title``, ``start_date``, ``end_date`` (when set), ``monthly_fee`` (unless a
  parameter of that name exists; a parameter always wins), ``currency``, ``time_zone``,
  ``dispute_window_days`` ("14 days": the days after a report is issued in which the
  customer may dispute it; no parameter may take the name, as the portal enforces it),
  ``notice_period`` ("90 days": notice to end the term is due that long before its end date;
  a parameter of that name still wins, with a warning) and ``renewal_term`` ("12 months":
  how long each renewal extends the term);
- term values: ``credit_cap``, ``hours_per_month``, ``hours_deficit_carry``,
  ``hours_surplus_carry`` (when there is a cap / an hours commitment), and
  ``responsibility_<key>`` for each customer responsibility (its duty and consequence);
- blocks, each alone on its own line: ``credit_table``, ``scope_list``,
  ``responsibilities_list``, ``maintenance_list``, ``service_level_table``.

Instants read the same way on every page, PDF and email (``format_datetime``, the
``in_zone`` and ``on_clock`` template filters), always with the zone named.

Pure: plain values in, strings out (term rows are read by attribute only).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from contracts.texts.extra_holidays import ExtraHoliday, extra_holidays_of
from contracts.texts.formats import (  # noqa: F401 - the clause texts' formats, shared
    format_date,
    format_datetime,
    format_duration,
    format_hours,
    format_money,
    format_percentage,
    trim,
)

BLOCK_NAMES = frozenset(
    {"credit_table", "scope_list", "responsibilities_list", "maintenance_list", "service_level_table"}
)
CONTRACT_VALUE_NAMES = frozenset(
    {
        "provider_name",
        "customer_name",
        "contract_reference",
        "contract_title",
        "start_date",
        "end_date",
        "monthly_fee",
        "currency",
        "time_zone",
        "dispute_window_days",
        "notice_period",
        "renewal_term",
    }
)
TERM_VALUE_NAMES = frozenset({"credit_cap", "hours_per_month", "hours_deficit_carry", "hours_surplus_carry"})
RESPONSIBILITY_PREFIX = "responsibility_"
#: Names a parameter may not take: they would hide a block or a term value.
RESERVED_PARAMETER_NAMES = BLOCK_NAMES | TERM_VALUE_NAMES | {"dispute_window_days", "renewal_term"}

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

#: What follows when a responsibility is not met, as the compliance evaluation applies it:
#: whatever the consequence, incidents and outages the customer causes never count against
#: the service levels; the consequence says what else follows.
_NEVER_COUNTS = "incidents and outages it causes do not count against the service levels"
CONSEQUENCE_TEXT = {
    "exclude_from_sla": _NEVER_COUNTS,
    "pause_clock": f"{_NEVER_COUNTS}, and time spent waiting on the customer pauses the service level clock",
    "billable": (
        f"{_NEVER_COUNTS}, and the work to resolve them is billable outside the contract and the hours bank"
    ),
    "indemnify": f"{_NEVER_COUNTS}, and the customer alone is responsible and holds the provider harmless",
}
METRIC_TEXT = {
    "availability": "Availability",
    "first_response": "First response",
    "resolution": "Resolution",
    "custom": "KPI",
}


# ---------------------------------------------------------------- single values


def format_threshold(value: Decimal) -> str:
    """A tier threshold with at least one decimal: ``99.9000`` → ``"99.9%"``, ``99`` → ``"99.0%"``."""
    text = f"{trim(value)}"
    return f"{text if '.' in text else text + '.0'}%"


def format_days(days: int) -> str:
    """``14`` → ``"14 days"``."""
    return f"{days} day{'' if days == 1 else 's'}"


def format_months(months: int | None, *, unlimited: str) -> str:
    if months is None:
        return unlimited
    return f"{months} month{'' if months == 1 else 's'}"


def format_parameter(kind: str, value, *, currency: str = "EUR", business_time: bool = False) -> str:
    """A typed parameter value (see ``Parameter.typed_value``) as the texts show it."""
    if kind == "percentage":
        return format_percentage(value)
    if kind == "duration":
        return format_duration(value, business_time=business_time)
    if kind == "money":
        return format_money(value, currency)
    if kind == "date":
        return format_date(value)
    return str(value)


def format_credit(kind: str, value: Decimal, currency: str) -> str:
    if kind == "percent_of_fee":
        return f"{format_percentage(trim(value))} of the monthly fee"
    if kind == "fixed_amount":
        return format_money(value, currency)
    return f"{format_hours(value)} of work"


def format_cap(kind: str, value: Decimal, currency: str) -> str:
    if kind == "percent_of_fee":
        return f"{format_percentage(trim(value))} of the monthly fee"
    return format_money(value, currency)


def describe_responsibility(duty: str, consequence: str) -> str:
    """The duty and, after it, what happens when it is not met."""
    duty = duty.strip().rstrip(".")
    return f"{duty}. If this is not met, {CONSEQUENCE_TEXT.get(consequence, consequence)}."


#: Joins what follows an en dash to it, so that "08:00–18:00" and "Monday–Friday" never wrap
#: after the dash, in the browser or in the PDF.
RANGE_DASH = "–\u2060"


def _range_text(part: str) -> str:
    """``"9:00 - 17:00"`` → ``"09:00–17:00"``: one way of writing a range, so equal hours compare equal."""
    ends = part.replace(" ", "").replace("–", "-").split("-")
    if len(ends) != 2:
        return part.strip()
    return RANGE_DASH.join(f"{end:0>5}" for end in ends)


def _hours_text(spec: str) -> str:
    """``"09:00-12:00,13:00-17:00"`` → ``"09:00–12:00 and 13:00–17:00"``."""
    return " and ".join(_range_text(part) for part in spec.split(",") if part.strip())


def describe_weekly_hours(hours: dict) -> str:
    """Weekday (``"0"`` = Monday) → ranges, as the texts show it, Monday first.

    Consecutive days with the same hours read as one run: ``"Monday–Friday 08:00–18:00"``,
    ``"Monday–Thursday 08:00–18:00, Friday 08:00–16:00"``. Days not given are closed and
    break a run.
    """
    days = {int(day): _hours_text(spec) for day, spec in hours.items()}
    runs: list[tuple[int, int, str]] = []
    for day in sorted(days):
        text = days[day]
        if runs and runs[-1][1] == day - 1 and runs[-1][2] == text:
            runs[-1] = (runs[-1][0], day, text)
        else:
            runs.append((day, day, text))
    return ", ".join(
        f"{WEEKDAYS[first]}{RANGE_DASH + WEEKDAYS[last] if last != first else ''} {text}"
        for first, last, text in runs
    )


def extra_holiday_dates(calendar) -> list[date]:
    """A calendar's extra holidays as dates, sorted; none when it has none."""
    return [holiday.day for holiday in extra_holidays_of(getattr(calendar, "extra_holidays", None))]


def format_extra_holiday(holiday: ExtraHoliday) -> str:
    """``"24 December 2026 (Company day)"``; an unnamed one is its date alone."""
    day = format_date(holiday.day)
    return f"{day} ({holiday.name})" if holiday.name else day


def _and_list(items: Sequence[str]) -> str:
    """``["a", "b", "c"]`` → ``"a, b and c"``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def describe_calendar(calendar, *, time_zone: str = "") -> str:
    """A calendar in one line: its hours in ``time_zone`` (when given), then the holidays.

    ``"Monday–Friday 08:00–18:00 (Europe/Amsterdam), except NL public holidays"``; a 24×7
    calendar reads ``"24 hours a day, 7 days a week"`` and names no zone. Extra holidays
    follow the public ones by date, with their names, as the clock measures them:
    ``"…, except NL public holidays, 24 December 2026 (Company day) and 31 December 2026"``.
    """
    if calendar.around_the_clock:
        text = "24 hours a day, 7 days a week"
    else:
        text = describe_weekly_hours(calendar.hours)
        if time_zone:
            text += f" ({time_zone})"
    closed = []
    if calendar.holiday_country:
        region = calendar.holiday_country + (
            f"-{calendar.holiday_subdivision}" if calendar.holiday_subdivision else ""
        )
        closed.append(f"{region} public holidays")
    extra = extra_holidays_of(getattr(calendar, "extra_holidays", None))
    closed.extend(format_extra_holiday(holiday) for holiday in extra)
    if closed:
        text += f", except {_and_list(closed)}"
    return text


def calendar_is_plain_24x7(calendar) -> bool:
    """Every minute counts: 24×7 without public or extra holidays, so there is nothing to spell out."""
    return bool(
        calendar.around_the_clock and not calendar.holiday_country and not extra_holiday_dates(calendar)
    )


def describe_window(window) -> str:
    return (
        f"Every {WEEKDAYS[window.weekday]} from {window.start:%H:%M} for "
        f"{format_duration(window.duration_minutes)}"
        + (f" ({window.description})" if window.description else "")
    )


# ---------------------------------------------------------------- blocks
