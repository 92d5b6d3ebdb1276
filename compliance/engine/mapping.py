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
    days: tuple[str, ...]  # strptime patterns of the date part, tried in order
    times: tuple[str, ...] = ("%H:%M:%S", "%H:%M")


# Keys are stored in profiles: never rename one.
DATE_FORMATS: dict[str, DateFormat] = {
    "iso": DateFormat("ISO 8601 (2026-03-04T09:15 or 2026-03-04 09:15:00)", "2026-03-04 09:15", ()),
    "us": DateFormat(
        "US, month first (3/4/2026 9:15 AM)",
        "3/4/2026 9:15 AM",
        ("%m/%d/%Y",),
        ("%I:%M:%S %p", "%I:%M %p", "%H:%M:%S", "%H:%M"),
    ),
    "day_first": DateFormat("Day first (04/03/2026 09:15)", "04/03/2026 09:15", ("%d/%m/%Y",)),
    "dotted": DateFormat("Day first with dots (04.03.2026 09:15)", "04.03.2026 09:15", ("%d.%m.%Y",)),
    "jira": DateFormat(
        "Day, month name, year (04/Mar/26 9:15 AM)",
        "04/Mar/26 9:15 AM",
        ("%d/%b/%y", "%d/%b/%Y"),
        ("%I:%M %p", "%I:%M:%S %p", "%H:%M"),
    ),
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
    if not spec.days:
        try:
            return datetime.fromisoformat(text.replace(" ", "T", 1) if "T" not in text else text)
        except ValueError:
            raise Unreadable(f"“{text}” is not an ISO 8601 date and time (e.g. {spec.example}).") from None
    day_text, _, time_text = text.partition(" ")
    for day_pattern in spec.days:
        try:
            day = datetime.strptime(day_text, day_pattern)
        except ValueError:
            continue
        if not time_text:
            return day
        for time_pattern in spec.times:
            try:
                clock = datetime.strptime(time_text.upper(), time_pattern)
            except ValueError:
                continue
            return day.replace(hour=clock.hour, minute=clock.minute, second=clock.second)
    raise Unreadable(f"“{text}” does not match the date format {spec.label} (e.g. {spec.example}).")


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
