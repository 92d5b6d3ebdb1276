"""A generic JSON source: the admin says, by JSON path, where each value of an outage is.

The mapping names a path for the event's id, its state (with the values that mean open and
those that mean resolved), its start and end, and optionally its service, planned flag and
summary; times are ISO 8601 (without an offset: on the source's clock) or epoch seconds or
milliseconds. Nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from compliance.engine.json_paths import MISSING, PathSyntaxError, parse_path, path_value
from compliance.services.payloads import PayloadRefused, local_instant, safe_id, text_value

TIME_FORMATS = {
    "iso": "ISO 8601 (2026-03-04T09:15:00Z; without an offset, on the source's clock)",
    "epoch": "Epoch seconds (1772615700)",
    "epoch_ms": "Epoch milliseconds (1772615700000)",
}
# Every path of the mapping: its key, what it reads, and whether the mapping needs it.
PATHS = (
    ("id_path", "the event's id", True),
    ("state_path", "the state", True),
    ("start_path", "the start", True),
    ("end_path", "the end", True),
    ("service_path", "the service", False),
    ("planned_path", "the planned flag", False),
    ("summary_path", "the summary", False),
)
DEFAULT_MAPPING = {
    "id_path": "id",
    "state_path": "state",
    "open_values": ["open", "firing", "down", "problem"],
    "resolved_values": ["resolved", "ok", "up", "closed"],
    "start_path": "start",
    "end_path": "end",
    "service_path": "service",
    "planned_path": "planned",
    "summary_path": "summary",
    "time_format": "iso",
}
_PLANNED = {"1", "true", "yes", "y", "on", "planned", "maintenance"}


@dataclass(frozen=True)
class JsonEvent:
    """One outage as the payload describes it."""

    external_id: str
    open: bool
    start: datetime
    end: datetime | None
    service: str
    planned: bool
    summary: str


def state_values(value: Any) -> list[str]:
    """A list of state values from a list or comma-separated text, compared case-blind."""
    items = value if isinstance(value, list) else str(value or "").split(",")
    return [str(item).strip().lower() for item in items if str(item).strip()]


def json_mapping_errors(mapping: Mapping[str, Any]) -> dict[str, str]:
    """What is wrong with a generic JSON mapping, by key; empty when it can be used."""
    errors: dict[str, str] = {}
    for key, what, required in PATHS:
        text = str(mapping.get(key) or "").strip()
        if not text:
            if required:
                errors[key] = f"Give the path of {what}, e.g. {DEFAULT_MAPPING[key]}."
            continue
        try:
            parse_path(text)
        except PathSyntaxError as exc:
            errors[key] = str(exc)
    opened, resolved = state_values(mapping.get("open_values")), state_values(mapping.get("resolved_values"))
    if not opened:
        errors["open_values"] = "Name at least one state value that means open, e.g. firing."
    if not resolved:
        errors["resolved_values"] = "Name at least one state value that means resolved, e.g. resolved."
    both = sorted(set(opened) & set(resolved))
    if both:
        errors["resolved_values"] = f"{', '.join(both)} cannot mean both open and resolved."
    if mapping.get("time_format", "iso") not in TIME_FORMATS:
        errors["time_format"] = f"Choose a time format: {', '.join(TIME_FORMATS)}."
    return errors


def _at(data: Any, mapping: Mapping[str, Any], key: str) -> tuple[str, Any]:
    path = str(mapping.get(key) or "").strip()
    if not path:
        return "", MISSING
    return path, path_value(data, parse_path(path))


def _time(value: Any, path: str, time_format: str, zone: tzinfo) -> datetime | None:
    what = f"The value at {path}"
    if value is MISSING or value is None or value == "":
        return None
    if time_format in ("epoch", "epoch_ms"):
        try:
            number = float(value) if not isinstance(value, bool) else None
        except (TypeError, ValueError):
            number = None
        if number is None:
            unit = "milliseconds" if time_format == "epoch_ms" else "seconds"
            raise PayloadRefused(f"{what} is not a number of epoch {unit}: {value!r}.")
        seconds = number / 1000 if time_format == "epoch_ms" else number
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            raise PayloadRefused(f"{what} is not a time: {value!r}.") from None
    if not isinstance(value, str):
        raise PayloadRefused(f"{what} is not ISO 8601 text: {value!r}.")
    return local_instant(value, what, zone)


def _planned(value: Any) -> bool:
    if value is MISSING or value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    return text_value(value).lower() in _PLANNED


def read_json_event(data: Any, mapping: Mapping[str, Any], *, zone: tzinfo) -> JsonEvent:
    """The outage a payload describes by the source's mapping, or :class:`PayloadRefused`
    saying which value is missing or wrong."""
    errors = json_mapping_errors(mapping)
    if errors:
        raise PayloadRefused("The source's mapping is incomplete: " + " ".join(errors.values()))
    id_path, raw_id = _at(data, mapping, "id_path")
    if raw_id is MISSING or isinstance(raw_id, dict | list):
        raise PayloadRefused(f"The payload has no id at {id_path}.")
    external_id = safe_id(raw_id, f"The id at {id_path}")
    state_path, raw_state = _at(data, mapping, "state_path")
    if raw_state is MISSING or raw_state is None:
        raise PayloadRefused(f"The payload has no state at {state_path}.")
    state = text_value(raw_state).lower()
    opened = state_values(mapping.get("open_values"))
    resolved = state_values(mapping.get("resolved_values"))
    if state not in opened and state not in resolved:
        raise PayloadRefused(
            f"The state at {state_path} is “{state}”, which means neither open ({', '.join(opened)}) "
            f"nor resolved ({', '.join(resolved)}); add it to the source's state values."
        )
    time_format = mapping.get("time_format") or "iso"
    start_path, raw_start = _at(data, mapping, "start_path")
    start = _time(raw_start, start_path, time_format, zone)
    if start is None:
        raise PayloadRefused(f"The payload has no start at {start_path}.")
    end = None
    if state in resolved:
        end_path, raw_end = _at(data, mapping, "end_path")
        end = _time(raw_end, end_path, time_format, zone)
        if end is None:
            raise PayloadRefused(f"The event is resolved but has no end at {end_path}.")
        if end < start:
            raise PayloadRefused(f"The event ends ({end_path}) before it starts ({start_path}).")
    _, service = _at(data, mapping, "service_path")
    _, planned = _at(data, mapping, "planned_path")
    _, summary = _at(data, mapping, "summary_path")
    return JsonEvent(
        external_id=external_id,
        open=state in opened,
        start=start,
        end=end,
        service="" if service is MISSING or isinstance(service, dict | list) else text_value(service),
        planned=_planned(planned),
        summary="" if summary is MISSING or isinstance(summary, dict | list) else text_value(summary)[:2000],
    )
