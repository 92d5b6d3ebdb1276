"""What each kind of source sends, read into plain values: alerts and ticket changes.

Nothing here touches the database. Every reader raises :class:`PayloadRefused` with a reason a
person can act on; the intake answers it as a 400 and writes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

_ID_UNSAFE = re.compile(r"[^\w.:@#+\-]")


class PayloadRefused(ValueError):
    """The payload cannot be applied; the message says why."""


@dataclass(frozen=True)
class Alert:
    fingerprint: str
    firing: bool
    starts_at: datetime
    ends_at: datetime | None
    labels: dict[str, str]
    summary: str
    # Zabbix: the host, which names the service when no tag does; generic JSON: the service.
    host: str = ""


@dataclass(frozen=True)
class TicketChange:
    ticket_id: str
    status: str
    priority: str
    service: str
    opened_at: datetime
    changed_at: datetime
    first_response_at: datetime | None
    summary: str


def instant(value: Any, what: str) -> datetime | None:
    """An aware UTC datetime from RFC 3339 text (any number of decimals, ``Z`` or an offset,
    also ``+0100``) or epoch milliseconds; None for empty and Go's zero time."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000, tz=UTC)
    if not isinstance(value, str):
        raise PayloadRefused(f"{what} is not a date and time: {value!r}.")
    text = value.strip()
    match = re.fullmatch(r"(.*T\d\d:\d\d:\d\d)\.(\d+)(.*)", text)
    if match:  # Go sends nanoseconds; Python reads up to microseconds
        text = f"{match[1]}.{match[2][:6].ljust(6, '0')}{match[3]}"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise PayloadRefused(f"{what} is not a date and time: “{value}”.") from None
    if moment.tzinfo is None:
        raise PayloadRefused(f"{what} has no time zone: “{value}” (send Z or an offset).")
    if moment.year < 1971:
        return None
    return moment.astimezone(UTC)


def local_instant(text: str, what: str, zone: tzinfo) -> datetime:
    """An aware UTC datetime from ISO 8601 text; without an offset it is a time on ``zone``'s
    clock (the source's time zone)."""
    cleaned = text.strip()
    match = re.fullmatch(r"(.*T\d\d:\d\d:\d\d)\.(\d+)(.*)", cleaned)
    if match:  # Python reads up to microseconds
        cleaned = f"{match[1]}.{match[2][:6].ljust(6, '0')}{match[3]}"
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        raise PayloadRefused(f"{what} is not a date and time: “{text}”.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


def text_value(value: Any) -> str:
    if isinstance(value, Mapping):
        value = value.get("name") or value.get("value") or ""
    return "" if value is None else str(value).strip()


def json_object(data: Any, what: str) -> Mapping:
    if not isinstance(data, Mapping):
        raise PayloadRefused(f"{what} is not a JSON object.")
    return data


def safe_id(value: Any, what: str) -> str:
    """An external id made of the characters the portal keeps (others become ``_``)."""
    text = text_value(value)
    if not text:
        raise PayloadRefused(f"{what} is missing.")
    return _ID_UNSAFE.sub("_", text)[:80]


# ---------------------------------------------------------------- alerts


def read_alerts(data: Any) -> list[Alert]:
    """The alerts of an Alertmanager webhook (payload version 4) or of Grafana alerting's
    webhook contact point, which sends the same shape."""
    data = json_object(data, "The payload")
    alerts = data.get("alerts")
    if not isinstance(alerts, list):
        raise PayloadRefused("The payload has no “alerts” list; is this an Alertmanager webhook (version 4)?")
    version = str(data.get("version", "4"))
    if version not in {"4", "1"}:
        raise PayloadRefused(f"Payload version {version} is not supported; Alertmanager sends version 4.")
    read = []
    for number, alert in enumerate(alerts, start=1):
        what = f"Alert {number}"
        alert = json_object(alert, what)
        status = alert.get("status")
        if status not in {"firing", "resolved"}:
            raise PayloadRefused(f"{what} has status {status!r}; expected firing or resolved.")
        labels = alert.get("labels") or {}
        if not isinstance(labels, Mapping):
            raise PayloadRefused(f"{what}: labels are not an object.")
        labels = {str(key): text_value(value) for key, value in labels.items()}
        fingerprint = alert.get("fingerprint") or ""
        if not isinstance(fingerprint, str) or not fingerprint:
            raise PayloadRefused(f"{what} has no fingerprint.")
        starts_at = instant(alert.get("startsAt"), f"{what} startsAt")
        if starts_at is None:
            raise PayloadRefused(f"{what} has no startsAt.")
        ends_at = instant(alert.get("endsAt"), f"{what} endsAt")
        if status == "resolved" and ends_at is None:
            raise PayloadRefused(f"{what} is resolved but has no endsAt.")
        if ends_at is not None and ends_at < starts_at:
            raise PayloadRefused(f"{what} ends before it starts.")
        annotations = alert.get("annotations") or {}
        summary = ""
        if isinstance(annotations, Mapping):
            summary = text_value(annotations.get("summary") or annotations.get("description"))
        read.append(
            Alert(
                fingerprint=safe_id(fingerprint, f"{what} fingerprint"),
                firing=status == "firing",
                starts_at=starts_at,
                ends_at=ends_at if status == "resolved" else None,
                labels=labels,
                summary=summary or labels.get("alertname", ""),
            )
        )
    return read


@dataclass(frozen=True)
class Heartbeat:
    monitor_id: str
    monitor: str
    down: bool
    at: datetime
    message: str


def read_uptime_kuma(data: Any) -> Heartbeat:
    """Uptime Kuma's webhook: ``{"heartbeat": {monitorID, status (0 down, 1 up), time (UTC,
    "YYYY-MM-DD HH:MM:SS.mmm"), msg}, "monitor": {id, name}, "msg": …}``."""
    data = json_object(data, "The payload")
    heartbeat, monitor = data.get("heartbeat"), data.get("monitor")
    if not isinstance(heartbeat, Mapping) or not isinstance(monitor, Mapping):
        raise PayloadRefused(
            "The payload has no “heartbeat” and “monitor”; is this Uptime Kuma's webhook? "
            "(Its test notification carries neither and is refused.)"
        )
    status = heartbeat.get("status")
    if status not in (0, 1):
        raise PayloadRefused(f"The heartbeat's status is {status!r}; expected 0 (down) or 1 (up).")
    time_text = heartbeat.get("time")
    if isinstance(time_text, str) and "T" not in time_text and "+" not in time_text:
        time_text = time_text.replace(" ", "T") + "Z"  # Uptime Kuma sends UTC without a zone
    at = instant(time_text, "The heartbeat's time")
    if at is None:
        raise PayloadRefused("The heartbeat has no time.")
    return Heartbeat(
        monitor_id=safe_id(heartbeat.get("monitorID") or monitor.get("id"), "The monitor id"),
        monitor=text_value(monitor.get("name")),
        down=status == 0,
        at=at,
        message=text_value(heartbeat.get("msg"))[:2000],
    )


# ---------------------------------------------------------------- tickets


def _ticket_change(
    *, ticket_id, status, priority, service, opened_at, changed_at, first_response_at, summary, what
) -> TicketChange:
    opened = instant(opened_at, f"{what} creation time")
    if opened is None:
        raise PayloadRefused(f"{what} has no creation time.")
    changed = instant(changed_at, f"{what} change time") or opened
    status = text_value(status)
    if not status:
        raise PayloadRefused(f"{what} has no status.")
    return TicketChange(
        ticket_id=safe_id(ticket_id, f"{what} id"),
        status=status,
        priority=text_value(priority),
        service=text_value(service),
        opened_at=opened,
        changed_at=changed,
        first_response_at=instant(first_response_at, f"{what} first response time"),
        summary=text_value(summary)[:2000],
    )


def read_generic_tickets(data: Any) -> list[TicketChange]:
    """``{"event": "created" | "updated", "ticket": {id, status, priority, service,
    created_at, updated_at, first_response_at, summary}}``, a bare ticket object, or
    ``{"tickets": [...]}``."""
    data = json_object(data, "The payload")
    if isinstance(data.get("tickets"), list):
        tickets = data["tickets"]
    elif isinstance(data.get("ticket"), Mapping):
        tickets = [data["ticket"]]
    else:
        tickets = [data]
    read = []
    for number, ticket in enumerate(tickets, start=1):
        what = f"Ticket {number}"
        ticket = json_object(ticket, what)
        read.append(
            _ticket_change(
                ticket_id=ticket.get("id"),
                status=ticket.get("status"),
                priority=ticket.get("priority"),
                service=ticket.get("service"),
                opened_at=ticket.get("created_at", ticket.get("opened_at")),
                changed_at=ticket.get("updated_at", ticket.get("changed_at")),
                first_response_at=ticket.get("first_response_at"),
                summary=ticket.get("summary", ticket.get("title")),
                what=what,
            )
        )
    return read


def read_zammad(data: Any) -> list[TicketChange]:
    """Zammad's webhook: ``{"ticket": {number, title, state, priority, group, created_at,
    updated_at, first_response_at, …}, "article": …}``; the service is the ticket's group."""
    data = json_object(data, "The payload")
    ticket = data.get("ticket")
    if not isinstance(ticket, Mapping):
        raise PayloadRefused("The payload has no “ticket” object; is this Zammad's webhook payload?")
    return [
        _ticket_change(
            ticket_id=ticket.get("number") or ticket.get("id"),
            status=ticket.get("state"),
            priority=ticket.get("priority"),
            service=ticket.get("group"),
            opened_at=ticket.get("created_at"),
            changed_at=ticket.get("updated_at"),
            first_response_at=ticket.get("first_response_at"),
            summary=ticket.get("title"),
            what="The ticket",
        )
    ]


def read_jira(data: Any) -> list[TicketChange]:
    """Jira's issue webhook (``jira:issue_created`` / ``jira:issue_updated``): the issue key,
    ``fields.status.name``, ``fields.priority.name``, the first component as the service,
    ``fields.created``; the change time is the webhook's ``timestamp``."""
    data = json_object(data, "The payload")
    issue = data.get("issue")
    if not isinstance(issue, Mapping) or not isinstance(issue.get("fields"), Mapping):
        raise PayloadRefused("The payload has no “issue” with “fields”; is this a Jira issue webhook?")
    fields = issue["fields"]
    components = fields.get("components") or []
    service = components[0] if isinstance(components, list) and components else ""
    return [
        _ticket_change(
            ticket_id=issue.get("key") or issue.get("id"),
            status=fields.get("status"),
            priority=fields.get("priority"),
            service=service,
            opened_at=fields.get("created"),
            changed_at=data.get("timestamp") or fields.get("updated"),
            first_response_at=None,
            summary=fields.get("summary"),
            what="The issue",
        )
    ]


TICKET_READERS = {"tickets": read_generic_tickets, "zammad": read_zammad, "jira": read_jira}

# Each preset's usual statuses and priorities, offered as the mapping of a new source.
PRESET_STATUSES = {
    "tickets": {"open": "open", "waiting": "waiting", "resolved": "resolved", "closed": "closed"},
    "zammad": {
        "new": "open",
        "open": "open",
        "pending reminder": "waiting",
        "pending close": "resolved",
        "closed": "closed",
        "merged": "closed",
    },
    "jira": {
        "waiting for support": "open",
        "in progress": "open",
        "escalated": "open",
        "waiting for customer": "waiting",
        "pending": "waiting",
        "resolved": "resolved",
        "done": "resolved",
        "closed": "closed",
        "canceled": "closed",
    },
}
PRESET_PRIORITIES = {
    "tickets": {"p1": "P1", "p2": "P2", "p3": "P3", "p4": "P4"},
    "zammad": {"3 high": "P1", "2 normal": "P2", "1 low": "P3"},
    "jira": {"highest": "P1", "high": "P2", "medium": "P3", "low": "P4", "lowest": "P4"},
}
