"""Zabbix's *Webhook* media type, read into an alert.

Zabbix posts whatever the media type's script sends; the portal reads the parameter set that
docs/import-formats.md recommends, sent as a JSON object::

    {"event_id": "{EVENT.ID}", "event_value": "{EVENT.VALUE}",
     "event_date": "{EVENT.DATE}", "event_time": "{EVENT.TIME}",
     "recovery_date": "{EVENT.RECOVERY.DATE}", "recovery_time": "{EVENT.RECOVERY.TIME}",
     "host": "{HOST.NAME}", "trigger": "{EVENT.NAME}", "severity": "{EVENT.SEVERITY}",
     "tags": "{EVENT.TAGSJSON}"}

``event_value`` is 1 for a problem and 0 for its recovery; a recovery message carries the
problem's ``{EVENT.ID}``, so both land on one outage. Zabbix writes dates as ``2026.03.04``
and times as ``09:15:00`` on the Zabbix server's clock (the source's time zone). A macro
Zabbix could not resolve arrives as its own text (``{EVENT.RECOVERY.DATE}`` in a problem
message) and counts as empty.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any

from compliance.services.payloads import (
    Alert,
    PayloadRefused,
    json_object,
    local_instant,
    safe_id,
    text_value,
)

_MACRO = re.compile(r"^\{[A-Z0-9_.]+(\(.*\))?\}$")
_PROBLEM = {"1", "problem"}
_RECOVERY = {"0", "ok", "resolved", "recovery"}
_FALSE = {"", "0", "false", "no", "n", "off"}


def _param(data: Mapping, name: str) -> str:
    """A parameter's text; empty when missing or left as an unresolved macro."""
    text = text_value(data.get(name))
    return "" if _MACRO.match(text) else text


def _moment(data: Mapping, date_name: str, time_name: str, zone: tzinfo, what: str) -> datetime | None:
    day, clock = _param(data, date_name), _param(data, time_name)
    if not day and not clock:
        return None
    if not day or not clock:
        missing = date_name if not day else time_name
        raise PayloadRefused(f"The event's {what} has no “{missing}”.")
    day = day.replace(".", "-") if re.fullmatch(r"\d{4}\.\d\d\.\d\d", day) else day
    return local_instant(f"{day}T{clock}", f"The event's {what} ({day} {clock})", zone)


def _tags(value: Any) -> dict[str, str]:
    """``{EVENT.TAGSJSON}``: ``[{"tag": …, "value": …}]``, as a list or as its JSON text."""
    if isinstance(value, str):
        if not value.strip() or _MACRO.match(value.strip()):
            return {}
        try:
            value = json.loads(value)
        except ValueError:
            raise PayloadRefused("The event's “tags” are not JSON; send {EVENT.TAGSJSON}.") from None
    if value is None:
        return {}
    if isinstance(value, Mapping):
        return {str(key): text_value(item) for key, item in value.items()}
    if not isinstance(value, list):
        raise PayloadRefused("The event's “tags” are not a list of {tag, value}.")
    tags = {}
    for item in value:
        if not isinstance(item, Mapping) or not text_value(item.get("tag")):
            raise PayloadRefused("The event's “tags” are not a list of {tag, value}.")
        tags[text_value(item["tag"])] = text_value(item.get("value"))
    return tags


def read_zabbix(data: Any, *, zone: tzinfo, maintenance_tag: str = "maintenance") -> Alert:
    """One Zabbix problem or recovery message as an alert (firing for a problem); dates and
    times are on ``zone``'s clock. A true ``maintenance`` parameter counts as the maintenance
    tag."""
    data = json_object(data, "The payload")
    value = _param(data, "event_value").lower()
    if value not in _PROBLEM | _RECOVERY:
        shown = value or "missing"
        raise PayloadRefused(
            f"The event's “event_value” is {shown}; "
            "expected 1 (problem) or 0 (recovery) from {EVENT.VALUE}."
        )
    problem = value in _PROBLEM
    event_id = safe_id(_param(data, "event_id"), "The event's “event_id”")
    starts_at = _moment(data, "event_date", "event_time", zone, "start")
    if starts_at is None:
        raise PayloadRefused("The event has no “event_date” and “event_time” ({EVENT.DATE}, {EVENT.TIME}).")
    ends_at = None
    if not problem:
        ends_at = _moment(data, "recovery_date", "recovery_time", zone, "recovery")
        if ends_at is None:
            raise PayloadRefused(
                "The recovery has no “recovery_date” and “recovery_time” "
                "({EVENT.RECOVERY.DATE}, {EVENT.RECOVERY.TIME})."
            )
        if ends_at < starts_at:
            raise PayloadRefused("The event recovers before it starts.")
    tags = _tags(data.get("tags"))
    if maintenance_tag and _param(data, "maintenance").lower() not in _FALSE:
        tags.setdefault(maintenance_tag, "1")
    host = _param(data, "host")
    trigger = _param(data, "trigger") or f"Event {event_id}"
    severity = _param(data, "severity")
    summary = f"{severity}: {trigger}" if severity else trigger
    return Alert(
        fingerprint=event_id,
        firing=problem,
        starts_at=starts_at,
        ends_at=ends_at,
        labels=tags,
        summary=(f"{summary} on {host}" if host else summary)[:2000],
        host=host,
    )
