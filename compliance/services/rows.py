"""Checking one event as sent by a form, a CSV row or an API item.

Values arrive as text (CSV), JSON values (API) or already typed (forms); each cleaner turns
them into the model's field values or collects every problem of the row as
``{field: [message, …]}``. The services then write the clean rows; nothing here touches the
database, so a whole import is checked before anything is written.

Time rule: a timestamp with an offset (``2026-03-04T09:15+01:00``, ``…Z``) or a zone
(``2026-03-04T09:15 Europe/Amsterdam``, ``2026-03-04T09:15[Europe/Amsterdam]``) is taken as
given; a naive one is read on the contract's local clock. Everything is stored in UTC.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from compliance.engine.periods import local_to_utc
from compliance.models import Cause, Priority
from compliance.models.events import EXTERNAL_ID_MAX, INCIDENT_FIELDS, OUTAGE_FIELDS, WORKLOG_FIELDS
from compliance.selectors.events import EventTerms

Errors = dict[str, list[str]]

# Instants outside this range are typing mistakes (or fuzzing), not events.
_EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
_LATEST = datetime(2200, 1, 1, tzinfo=UTC)
_EXTERNAL_ID_RE = re.compile(rf"[\w.:@#+\-]{{1,{EXTERNAL_ID_MAX}}}")
_ZONE_SUFFIX_RE = re.compile(r"(.+?)(?:\s+|\[)([A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*)\]?")
# "start/end" pairs: the separator is the slash before a digit or at the end, so zone
# names (which contain slashes followed by letters) stay intact.
_PAUSE_SPLIT_RE = re.compile(r"/(?=\d|$)")
_TRUE = {"1", "true", "yes", "y", "t"}
_FALSE = {"", "0", "false", "no", "n", "f"}
_PRIORITIES = frozenset(Priority.values)
_CAUSES = frozenset(Cause.values)
_MAX_TEXT = 10_000
_MAX_HOURS = Decimal("1000")

# Rows of a batch: the event columns, and for incidents their pauses.
INCIDENT_ROW_FIELDS = (*INCIDENT_FIELDS, "pauses")


class Invalid(ValueError):
    """One field's value is wrong; the message says why."""


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# ---------------------------------------------------------------- single values


@lru_cache(maxsize=64)
def _zone(name: str) -> tzinfo:
    if name.upper() in {"UTC", "Z"}:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise Invalid(f"“{name}” is not a known time zone.") from exc


@lru_cache(maxsize=4096)
def _day_offset(tz: tzinfo, ordinal: int) -> timedelta | None:
    """The UTC offset of ``tz`` all day long on the local date ``ordinal``; None on a day
    the offset changes."""
    day = datetime.fromordinal(ordinal)
    start = local_to_utc(day, tz)
    end = local_to_utc(day + timedelta(days=1), tz)
    if end - start != timedelta(days=1):
        return None
    offset = day.replace(tzinfo=UTC) - start
    return (
        offset
        if offset
        == (day + timedelta(hours=23, minutes=59)).replace(tzinfo=UTC)
        - local_to_utc(day + timedelta(hours=23, minutes=59), tz)
        else None
    )


def _local_to_utc(wall: datetime, tz: tzinfo) -> datetime:
    # Imports carry many times of the same few days: the day's offset is looked up once
    # and the full rule (periods.local_to_utc) runs only on days the clock changes.
    offset = _day_offset(tz, wall.toordinal())
    if offset is None:
        return local_to_utc(wall, tz)
    return wall.replace(tzinfo=UTC) - offset


def parse_instant(value: Any, tz: tzinfo) -> datetime:
    """An aware UTC datetime from ISO 8601 text or a datetime; naive times are read in ``tz``."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        text = value.strip()
        zone = None
        if text.endswith("]") or " " in text.rstrip():
            match = _ZONE_SUFFIX_RE.fullmatch(text)
            if match and not match[2][0].isdigit():
                text, zone = match[1], _zone(match[2])
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise Invalid(
                f"“{value}” is not a date and time; write it as 2026-03-04T09:15, with +01:00 or a zone "
                "for another time zone than the contract's."
            ) from None
        if zone is not None:
            if moment.tzinfo is not None:
                raise Invalid(f"“{value}” has both an offset and a time zone; give one of them.")
            moment = moment.replace(tzinfo=zone) if zone is UTC else local_to_utc(moment, zone)
    else:
        raise Invalid("Give a date and time as text, e.g. 2026-03-04T09:15+01:00.")
    try:
        moment = _local_to_utc(moment, tz) if moment.tzinfo is None else moment.astimezone(UTC)
    except (OverflowError, ValueError):
        raise Invalid(f"“{value}” is out of range.") from None
    if not _EARLIEST <= moment < _LATEST:
        raise Invalid(f"“{value}” is out of range (1970–2199).")
    return moment


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        raise Invalid("Give a date without a time, e.g. 2026-03-04.")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            if 1970 <= day.year < 2200:
                return day
    raise Invalid(f"“{value}” is not a date; write it as YYYY-MM-DD.")


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise Invalid(f"“{value}” is not yes or no; write true or false.")


def parse_hours(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise Invalid("Give the hours as a number, e.g. 1.5.")
    try:
        hours = Decimal(str(value).strip())
    except InvalidOperation:
        raise Invalid(f"“{value}” is not a number of hours.") from None
    if not hours.is_finite() or not Decimal(0) < hours <= _MAX_HOURS:
        raise Invalid(f"Hours lie between 0 and {_MAX_HOURS}, not {value}.")
    if hours.as_tuple().exponent < -2:  # type: ignore[operator]
        raise Invalid("Hours have at most two decimals.")
    return hours.quantize(Decimal("0.01"))


def parse_text(value: Any, max_length: int = _MAX_TEXT) -> str:
    if not isinstance(value, str):
        raise Invalid("Give text.")
    text = value.strip()
    if len(text) > max_length:
        raise Invalid(f"At most {max_length} characters.")
    if "\x00" in text:
        raise Invalid("Text cannot contain NUL characters.")
    return text


def parse_external_id(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        # Within 64 bits, as the API's schema says; a larger number is sent as text.
        if not -(2**63) <= value < 2**63:
            raise Invalid(
                "An external id sent as a number is a whole number from -2^63 to 2^63-1; send it as text."
            )
        value = str(value)
    if not isinstance(value, str) or not _EXTERNAL_ID_RE.fullmatch(value.strip()):
        raise Invalid(
            f"An external id is 1–{EXTERNAL_ID_MAX} letters, digits and . : @ # + - _ (no spaces or slashes)."
        )
    return value.strip()


def parse_pauses(value: Any, tz: tzinfo) -> list[tuple[datetime, datetime | None]]:
    """Pauses from ``"start/end;start/end"`` text (an open pause: ``"start/"``) or a list of
    ``{"start": …, "end": …}`` objects."""
    if isinstance(value, str):
        items = []
        for part in value.split(";"):
            if not part.strip():
                continue
            pieces = _PAUSE_SPLIT_RE.split(part.strip(), maxsplit=1)
            if len(pieces) != 2:
                raise Invalid(
                    f"“{part.strip()}” is not a pause; write start/end, "
                    "e.g. 2026-03-04T10:00/2026-03-04T11:30."
                )
            items.append({"start": pieces[0], "end": pieces[1]})
    elif isinstance(value, list | tuple):
        items = value
    else:
        raise Invalid("Give the pauses as a list of {start, end}.")
    pauses = []
    for number, item in enumerate(items, start=1):
        if isinstance(item, tuple | list) and len(item) == 2:
            item = {"start": item[0], "end": item[1]}
        if not isinstance(item, Mapping) or _blank(item.get("start")):
            raise Invalid(f"Pause {number} needs a start.")
        try:
            start = parse_instant(item["start"], tz)
            end = None if _blank(item.get("end")) else parse_instant(item["end"], tz)
        except Invalid as exc:
            raise Invalid(f"Pause {number}: {exc}") from None
        if end is not None and end < start:
            raise Invalid(f"Pause {number} ends before it starts.")
        pauses.append((start, end))
    pauses.sort(key=lambda pause: pause[0])
    for (_, earlier_end), (later_start, _) in zip(pauses, pauses[1:], strict=False):
        if earlier_end is None or earlier_end > later_start:
            raise Invalid("Pauses overlap; each pause ends before the next starts.")
    return pauses


# ---------------------------------------------------------------- rows


class _Row:
    """Collects the clean values and the errors of one row."""

    __slots__ = ("data", "errors", "values")

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.values: dict[str, Any] = {}
        self.errors: Errors = {}

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def take(self, name: str, parse, *, required: bool = False, default: Any = None) -> None:
        raw = self.data.get(name)
        if raw is None or raw == "" or (raw.__class__ is str and raw.isspace()):
            if required:
                self.error(name, "This field is required.")
            else:
                self.values[name] = default
            return
        try:
            self.values[name] = parse(raw)
        except Invalid as exc:
            self.error(name, str(exc))


def _unknown_fields(row: _Row, known: tuple[str, ...]) -> None:
    for name in row.data:
        if name not in known:
            row.error(str(name), "Unknown field.")


def _service_and_cause(row: _Row, terms: EventTerms) -> None:
    row.take("service", parse_text, required=True)
    service = row.values.get("service")
    if service is not None and service not in terms.services:
        choices = ", ".join(sorted(terms.services)) or "none defined"
        row.error(
            "service", f"“{service}” is not a service of {terms.version_label} (choose from: {choices})."
        )
    row.take("cause", parse_text, default=Cause.PROVIDER)
    cause = row.values.get("cause")
    if cause is not None and cause not in _CAUSES:
        row.error("cause", f"“{cause}” is not a cause (choose from: {', '.join(Cause.values)}).")
    row.take("responsibility", parse_text, default="")
    key = row.values.get("responsibility")
    if key is None or cause is None:
        return
    if cause == Cause.CUSTOMER:
        if not key:
            row.error("responsibility", "Name the customer responsibility that was breached.")
        elif key not in terms.responsibilities:
            choices = ", ".join(sorted(terms.responsibilities)) or "none defined"
            row.error(
                "responsibility",
                f"“{key}” is not a responsibility of {terms.version_label} (choose from: {choices}).",
            )
    elif key:
        row.error("responsibility", "Name a responsibility only when the cause is the customer.")


def clean_incident(data: Mapping[str, Any], terms: EventTerms) -> tuple[dict[str, Any], Errors]:
    """The incident's field values (``pauses`` a sorted list of ``(start, end)``) and the
    problems found, ``{field: [message, …]}`` (empty when the row is fine)."""
    tz = terms.tz
    row = _Row(data)
    _unknown_fields(row, INCIDENT_ROW_FIELDS)
    row.take("external_id", parse_external_id, required=True)
    _service_and_cause(row, terms)
    row.take("priority", parse_text, required=True)
    if row.values.get("priority") is not None and row.values["priority"] not in _PRIORITIES:
        row.error("priority", f"“{row.values['priority']}” is not a priority (choose from: P1, P2, P3, P4).")

    def instant(value):
        return parse_instant(value, tz)

    row.take("opened_at", instant, required=True)
    row.take("first_response_at", instant)
    row.take("resolved_at", instant)
    row.take("reopened", parse_bool, default=False)
    row.take("summary", parse_text, default="")
    row.take("pauses", lambda value: parse_pauses(value, tz), default=[])
    values = row.values
    opened = values.get("opened_at")
    resolved = values.get("resolved_at")
    if opened is not None:
        if resolved is not None and resolved < opened:
            row.error("resolved_at", "An incident is resolved after it was opened.")
        if values.get("first_response_at") is not None and values["first_response_at"] < opened:
            row.error("first_response_at", "The first response comes after the incident was opened.")
        for start, end in values.get("pauses") or ():
            if start < opened:
                row.error("pauses", "A pause starts after the incident was opened.")
                break
            if resolved is not None and (end is None or end > resolved):
                row.error("pauses", "A pause ends before the incident was resolved.")
                break
    return values, row.errors


def clean_outage(data: Mapping[str, Any], terms: EventTerms) -> tuple[dict[str, Any], Errors]:
    """The outage's field values and the problems found (see :func:`clean_incident`)."""
    tz = terms.tz
    row = _Row(data)
    _unknown_fields(row, OUTAGE_FIELDS)
    row.take("external_id", parse_external_id, required=True)
    _service_and_cause(row, terms)
    row.take("start", lambda value: parse_instant(value, tz), required=True)
    row.take("end", lambda value: parse_instant(value, tz))
    row.take("planned", parse_bool, default=False)
    row.take("summary", parse_text, default="")
    start, end = row.values.get("start"), row.values.get("end")
    if start is not None and end is not None and end < start:
        row.error("end", "An outage ends after it starts.")
    return row.values, row.errors


def clean_worklog(data: Mapping[str, Any], terms: EventTerms) -> tuple[dict[str, Any], Errors]:
    """The work log's field values and the problems found (see :func:`clean_incident`)."""
    row = _Row(data)
    _unknown_fields(row, WORKLOG_FIELDS)
    row.take("external_id", parse_external_id, required=True)
    row.take("date", parse_date, required=True)
    row.take("hours", parse_hours, required=True)
    row.take("person", lambda value: parse_text(value, 120), required=True)
    row.take("description", parse_text, default="")
    row.take("billable", parse_bool, default=False)
    return row.values, row.errors


CLEANERS = {"incidents": clean_incident, "outages": clean_outage, "worklogs": clean_worklog}
FIELDS = {"incidents": INCIDENT_ROW_FIELDS, "outages": OUTAGE_FIELDS, "worklogs": WORKLOG_FIELDS}
