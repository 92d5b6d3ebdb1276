"""Reshaping the rows of another tool's export into the portal's event fields.

An import profile says which column of the export feeds each portal field, how the export
writes its dates (``DATE_FORMATS``), in which time zone its times are, and how its values of
priority and service translate into the contract's. Everything here takes and returns plain
values: the rows come out in the portal's own text format (ISO 8601 times, ``P1``…), ready
for the same checks as a CSV file in the portal's layout.

Times: a time read with a date format is a wall-clock time; with a profile time zone it is
written ``2026-03-04T09:15 America/New_York`` (so the portal's rule for clocks that skip or
repeat an hour applies), without one it stays naive and is read on the contract's clock.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

# Fields holding a moment (a date and time) and fields holding a day, per kind of event.
TIME_FIELDS = {
    "incidents": ("opened_at", "first_response_at", "resolved_at"),
    "outages": ("start", "end"),
    "worklogs": (),
}
DATE_FIELDS = {"incidents": (), "outages": (), "worklogs": ("date",)}
# Fields whose values are translated through the profile's value lists.
VALUE_MAPS = ("priority", "service")


@dataclass(frozen=True)
class DateFormat:
    label: str
    example: str
    day: str  # a regular expression with the groups y, m (or mon, a month's name) and d; "" for ISO 8601


# Keys are stored in profiles: never rename one.
DATE_FORMATS: dict[str, DateFormat] = {
    "iso": DateFormat("ISO 8601 (2026-03-04T09:15 or 2026-03-04 09:15:00)", "2026-03-04 09:15", ""),
    "us": DateFormat(
        "US, month first (3/4/2026 9:15 AM)",
        "3/4/2026 9:15 AM",
        r"(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})",
    ),
    "day_first": DateFormat(
        "Day first (04/03/2026 09:15)", "04/03/2026 09:15", r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})"
    ),
    "dotted": DateFormat(
        "Day first with dots (04.03.2026 09:15)",
        "04.03.2026 09:15",
        r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})",
    ),
    "jira": DateFormat(
        "Day, month name, year (04/Mar/26 9:15 AM)",
        "04/Mar/26 9:15 AM",
        r"(?P<d>\d{1,2})/(?P<mon>[A-Za-z]{3})/(?P<y>\d{4}|\d{2})",
    ),
}
# A time of day after the date: 24-hour, or 12-hour with AM/PM; seconds optional.
_TIME = r"(?:[ T]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?: ?(?P<p>[AaPp][Mm]))?)?"
_PATTERNS = {key: re.compile(spec.day + _TIME) for key, spec in DATE_FORMATS.items() if spec.day}
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
_SPACES_RE = re.compile(r"\s+")


class Unreadable(ValueError):
    """A value cannot be read with the profile's settings; the message says why."""


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds" if moment.second else "minutes")


def read_time(value: Any, date_format: str) -> datetime:
    """The wall-clock time a cell holds: a datetime cell as it is, text read with the format.

    ISO text may carry an offset (then the result is aware); every other format gives a
    naive datetime. A date alone means midnight.
    """
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    text = _SPACES_RE.sub(" ", str(value).strip())
    spec = DATE_FORMATS[date_format]
    if not spec.day:
        try:
            return datetime.fromisoformat(text.replace(" ", "T", 1) if "T" not in text else text)
        except ValueError:
            raise Unreadable(f"“{text}” is not an ISO 8601 date and time (e.g. {spec.example}).") from None
    match = _PATTERNS[date_format].fullmatch(text)
    try:
        if match is None:
            raise ValueError
        parts = match.groupdict()
        year = int(parts["y"])
        if len(parts["y"]) == 2:  # as strptime's %y: 69–99 are 1900s, 00–68 2000s
            year += 1900 if year >= 69 else 2000
        month = _MONTHS[parts["mon"].lower()] if parts.get("mon") else int(parts["m"])
        hour = int(parts["H"] or 0)
        if parts["p"]:
            if not 1 <= hour <= 12:
                raise ValueError
            hour = hour % 12 + (12 if parts["p"].lower() == "pm" else 0)
        return datetime(year, month, int(parts["d"]), hour, int(parts["M"] or 0), int(parts["S"] or 0))
    except (ValueError, KeyError):
        raise Unreadable(
            f"“{text}” does not match the date format {spec.label} (e.g. {spec.example})."
        ) from None


def time_text(value: Any, date_format: str, time_zone: str) -> str:
    """The portal's text for a time cell: ISO 8601, with the profile's zone when naive."""
    moment = read_time(value, date_format)
    if moment.tzinfo is not None or not time_zone:
        return _iso(moment)
    return f"{_iso(moment)} {time_zone}"


def date_text(value: Any, date_format: str) -> str:
    """The portal's text for a day cell (``YYYY-MM-DD``); a time of day in it is dropped."""
    return read_time(value, date_format).date().isoformat()


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a trailing ``.0``, nothing for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return _iso(value)
    return str(value).strip()


def parse_value_map(text: str) -> dict[str, str]:
    """``{export value: portal value}`` from lines ``export value = portal value``.

    Blank lines and lines starting with ``#`` are skipped; the export value is matched
    without regard to case. A line without ``=`` raises :class:`Unreadable` with its number.
    """
    pairs: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        source, sep, target = stripped.rpartition("=")
        if not sep or not source.strip() or not target.strip():
            raise Unreadable(f"Line {number} (“{stripped}”) is not written export value = portal value.")
        pairs[source.strip().casefold()] = target.strip()
    return pairs


def value_map_text(pairs: Mapping[str, str]) -> str:
    return "\n".join(f"{source} = {target}" for source, target in pairs.items())


@dataclass(frozen=True)
class ColumnMapping:
    """What a profile says, as plain values."""

    kind: str
    columns: Mapping[str, str]  # portal field -> export column (as its header reads)
    date_format: str = "iso"
    time_zone: str = ""  # empty: the contract's time zone
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # field -> {export: portal}


def match_columns(header: Sequence[str], columns: Mapping[str, str]) -> tuple[dict[str, int], list[str]]:
    """Positions of the mapped columns in ``header`` (matched without regard to case or
    surrounding spaces), and the mapped columns the header lacks."""
    where = {}
    for position, name in enumerate(header):
        where.setdefault(cell_text(name).casefold(), position)
    found: dict[str, int] = {}
    missing: list[str] = []
    for portal_field, column in columns.items():
        if not column:
            continue
        position = where.get(column.strip().casefold())
        if position is None:
            missing.append(column)
        else:
            found[portal_field] = position
    return found, missing


def map_row(
    cells: Sequence[Any], positions: Mapping[str, int], mapping: ColumnMapping
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """One export row as portal field texts, and the fields that could not be read."""
    row: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    times = TIME_FIELDS[mapping.kind]
    days = DATE_FIELDS[mapping.kind]
    for portal_field, position in positions.items():
        value = cells[position] if position < len(cells) else None
        text = cell_text(value)
        if not text:
            row[portal_field] = ""
            continue
        try:
            if portal_field in times:
                text = time_text(value, mapping.date_format, mapping.time_zone)
            elif portal_field in days:
                text = date_text(value, mapping.date_format)
        except Unreadable as exc:
            errors.setdefault(portal_field, []).append(str(exc))
            continue
        translation = mapping.values.get(portal_field)
        if translation:
            text = translation.get(text.casefold(), text)
        row[portal_field] = text
    return row, errors
