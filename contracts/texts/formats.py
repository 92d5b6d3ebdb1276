"""How numbers, durations, money and months read to people, the same on every page, PDF,
email, chart and API display field.

- Percentages: what was measured, to two decimals at most, rounded **down** so a missed
  target never reads as equal to it, without trailing zeros: ``66.6667`` → ``"66.66%"``,
  ``100.00`` → ``"100%"``. A contract's own figures (targets, thresholds) keep the digits
  they were written with (``format_percentage``).
- Durations: the contract's words. A target reads ``"4 business hours"`` (or ``"4 hours"``
  when measured on the clock); a measured time ``"6 h 36 min"``, with ``"of business time"``
  when it was counted in business hours: ``"6 h 36 min of business time against 4 business
  hours"``.
- Money: the currency code first, thousands separated, two decimals: ``"EUR 4,200.00"``.
- Dates and months: ``"1 January 2026"``, ``"November 2026"`` (never ``"2026-11"`` for
  people), ``"Nov 2026"`` where room is short (chart axes).
- Times: never without their zone. An instant reads ``"3 December 2026, 09:15 CET
  (Europe/Amsterdam)"``, or ``"3 December 2026, 08:15 UTC"``: the abbreviation the zone used
  that day (CET in winter, CEST in summer) and the zone's name (``format_datetime``).
- Hours of work: ``"20 hours"``; in tables ``"20 h"``; an hours-bank balance says who owes
  whom: ``"9 hours still owed"``, ``"3.5 hours in hand"``.

Pure: plain values in (``Decimal``, ``int``, ``str`` as stored in the figures' JSON), strings
out. ``contracts.texts.wording`` builds the clause texts on these; the template filters are in
``contracts.templatetags.formats``.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

MINUS = "−"  # U+2212: a minus sign, not a hyphen, wherever a negative number is shown


def to_decimal(value) -> Decimal | None:
    """``"66.667"``, ``66``, ``Decimal("1.5")`` → a ``Decimal``; ``None``, ``""`` or junk → ``None``."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        value = repr(value)
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def trim(value: Decimal) -> Decimal:
    """``Decimal("99.9000")`` → ``Decimal("99.9")``, ``Decimal("100.00")`` → ``Decimal("100")``."""
    return Decimal(f"{value.normalize():f}")


def _signed(number: Decimal, text: str) -> str:
    return f"{MINUS}{text}" if number < 0 else text


# ---------------------------------------------------------------- percentages


def format_percentage(value: Decimal) -> str:
    """A contract's own percentage, digits as written: ``Decimal("99.9")`` → ``"99.9%"``."""
    return f"{value}%"


def format_percent(value, *, places: int = 2) -> str:
    """A measured share: at most ``places`` decimals, rounded down, no trailing zeros.

    ``"66.6667"`` → ``"66.66%"``, ``"99.95"`` → ``"99.95%"``, ``"100.000"`` → ``"100%"``,
    ``"99.999"`` → ``"99.99%"``; ``None`` → ``""``.
    """
    number = to_decimal(value)
    if number is None:
        return ""
    step = Decimal(1).scaleb(-places)
    shown = trim(abs(number).quantize(step, rounding=ROUND_DOWN))
    return _signed(number if shown else Decimal(0), f"{shown:f}%")


# ---------------------------------------------------------------- durations


def format_duration(minutes: int, *, business_time: bool = False) -> str:
    """A duration as a contract states it: ``240`` → ``"4 hours"`` (``"4 business hours"``);
    not whole hours: ``"90 minutes"`` (``"90 business minutes"``)."""
    business = "business " if business_time else ""
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} {business}hour{'' if hours == 1 else 's'}"
    return f"{minutes} {business}minute{'' if minutes == 1 else 's'}"


def format_elapsed(minutes, *, business_time: bool = False) -> str:
    """A measured time in whole minutes (half a minute rounds up), largest unit first.

    ``396`` → ``"6 h 36 min"``, ``45`` → ``"45 min"``, ``120`` → ``"2 h"``, ``0`` → ``"0 min"``,
    ``"0.40"`` → ``"less than 1 min"``. Clock time of a day or more names the days
    (``1530`` → ``"1 day 1 h 30 min"``); business time never does, as a business day's
    length depends on the calendar. Counted in business hours: ``"… of business time"``.
    ``None`` → ``""``.
    """
    number = to_decimal(minutes)
    if number is None:
        return ""
    whole = int(abs(number).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if whole == 0 and number != 0:
        text = "less than 1 min"
    else:
        days, rest = divmod(whole, 24 * 60) if not business_time else (0, whole)
        hours, mins = divmod(rest, 60)
        parts = [f"{days} day{'' if days == 1 else 's'}"] * bool(days)
        parts += [f"{hours} h"] * bool(hours) + [f"{mins} min"] * bool(mins)
        text = " ".join(parts) or "0 min"
    text = _signed(number if whole else Decimal(0), text)
    return f"{text} of business time" if business_time else text


def format_against(minutes, target_minutes, *, business_time: bool = False) -> str:
    """A measured time against its target, in the contract's words:
    ``396, 240, business_time=True`` → ``"6 h 36 min of business time against 4 business hours"``."""
    target = to_decimal(target_minutes)
    measured = format_elapsed(minutes, business_time=business_time)
    if target is None:
        return measured
    return f"{measured} against {format_duration(int(target), business_time=business_time)}"


# ---------------------------------------------------------------- money


def format_money(amount, currency: str) -> str:
    """``Decimal("4200")``, ``"EUR"`` → ``"EUR 4,200.00"``; ``"-10"`` → ``"−EUR 10.00"``;
    ``None`` → ``""``."""
    number = to_decimal(amount)
    if number is None:
        return ""
    cents = number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{abs(cents):,.2f}"
    return _signed(cents, f"{currency} {text}" if currency else text)


# ---------------------------------------------------------------- dates and months


def format_date(value: date) -> str:
    """``date(2026, 1, 1)`` → ``"1 January 2026"``."""
    return f"{value.day} {value:%B %Y}"


def zone_label(local: datetime) -> str:
    """The zone an aware ``local`` time is on, as people read it next to the time.

    ``"UTC"``; ``"CET (Europe/Amsterdam)"`` or ``"CEST (Europe/Amsterdam)"`` by the date, since
    the abbreviation alone is ambiguous (``"EST"`` is also Australian); zones without a letter
    abbreviation give their offset, ``"+03 (Europe/Istanbul)"``.
    """
    key = getattr(local.tzinfo, "key", None) or local.tzname() or "UTC"
    if key in ("UTC", "Etc/UTC", "Etc/Universal", "Universal", "Zulu", "Etc/Zulu", "UCT", "Etc/UCT"):
        return "UTC"
    return f"{local.tzname()} ({key})"


def format_datetime(value: datetime, time_zone: str = "UTC") -> str:
    """An instant as ``time_zone``'s clock shows it, with the zone named.

    ``"30 November 2026, 02:39 CET (Europe/Amsterdam)"``; in UTC ``"30 November 2026, 01:39 UTC"``.
    """
    local = value.astimezone(ZoneInfo(time_zone or "UTC"))
    return f"{format_date(local.date())}, {local:%H:%M} {zone_label(local)}"


def _year_month(period) -> tuple[int, int] | None:
    if isinstance(period, date):
        return period.year, period.month
    if isinstance(period, tuple) and len(period) == 2:
        return int(period[0]), int(period[1])
    try:
        year, month = (int(part) for part in str(period).split("-")[:2])
    except ValueError:
        return None
    return (year, month) if 1 <= month <= 12 else None


def format_month(period) -> str:
    """``"2026-11"`` (or ``(2026, 11)``, or a date in it) → ``"November 2026"``; not a month: as given."""
    found = _year_month(period)
    if found is None:
        return "" if period is None else str(period)
    return f"{calendar.month_name[found[1]]} {found[0]}"


def format_month_short(period) -> str:
    """``"2026-11"`` → ``"Nov 2026"``, for chart axes and narrow table columns."""
    found = _year_month(period)
    if found is None:
        return "" if period is None else str(period)
    return f"{calendar.month_abbr[found[1]]} {found[0]}"


# ---------------------------------------------------------------- hours of work


def format_hours(hours) -> str:
    """``Decimal("20.00")`` → ``"20 hours"``, ``"1"`` → ``"1 hour"``, ``"-1.50"`` → ``"−1.5 hours"``."""
    number = to_decimal(hours)
    if number is None:
        return ""
    shown = trim(abs(number))
    return _signed(number, f"{shown:f} hour{'' if shown == 1 else 's'}")


def format_hours_short(hours) -> str:
    """In a table: ``"20.00"`` → ``"20 h"``, ``"-9.50"`` → ``"−9.5 h"``, ``"0"`` → ``"0 h"``."""
    number = to_decimal(hours)
    if number is None:
        return ""
    return _signed(number, f"{trim(abs(number)):f} h")


def format_hours_balance(hours) -> str:
    """An hours-bank balance in words: who owes whom.

    ``"-9.00"`` → ``"9 hours still owed"`` (delivered short of the commitment, still to be
    made up), ``"3.50"`` → ``"3.5 hours in hand"`` (delivered beyond it, banked),
    ``"0"`` → ``"even"``.
    """
    number = to_decimal(hours)
    if number is None:
        return ""
    if number == 0:
        return "even"
    return f"{format_hours(abs(number))} {'still owed' if number < 0 else 'in hand'}"


# ---------------------------------------------------------------- keys


def format_key(key) -> str:
    """A stored key as words, where no label was given: ``"risky_behaviour"`` →
    ``"Risky behaviour"``, ``"resolution_p1"`` → ``"Resolution P1"``."""
    words = str(key or "").replace("_", " ").replace("-", " ").split()
    if not words:
        return ""
    words = [word.upper() if len(word) <= 3 and any(c.isdigit() for c in word) else word for word in words]
    return " ".join(words)[:1].upper() + " ".join(words)[1:]
