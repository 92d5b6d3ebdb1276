"""Webhook intake: a delivery to ``/hooks/<token>/`` checked, applied and logged.

The order of the checks is the order of the answers: an unknown token is a 404 and leaves no
trace (it is nobody's source); a missing or wrong secret is a 401, a paused source a 409, a
source over its rate limit a 429, a payload that cannot be applied a 400 with the reason —
each logged as refused, and none of them writes an event. Only a payload whose every alert or
ticket can be applied is written, in one transaction, and logged as applied with the events it
created, updated or left unchanged. Repeating a delivery changes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from compliance.engine.tickets import STATUSES, ticket_timeline
from compliance.models import (
    DeliveryOutcome,
    EventSource,
    Incident,
    IncidentPause,
    Outage,
    Priority,
    SourceDelivery,
    SourceKind,
    TicketStatusChange,
)
from compliance.selectors.events import EventTerms, event_terms
from compliance.services.events import BatchInvalid, events_check
from compliance.services.payloads import (
    TICKET_READERS,
    Alert,
    Heartbeat,
    PayloadRefused,
    TicketChange,
    read_alerts,
    read_uptime_kuma,
)
from compliance.services.payloads_json import read_json_event
from compliance.services.payloads_zabbix import read_zabbix
from compliance.services.source_routes import (
    DEFAULT_ROUTE_FIELD,
    LABEL_ROUTED,
    route_match,
    routed,
    routes_of,
    value_at,
)
from contracts.models import AuditAction
from contracts.services.audit import audit_record

MAX_BODY_BYTES = 1024 * 1024
PAYLOAD_KEPT = 20_000
_TRUE = {"", "1", "true", "yes", "y", "on", "planned"}
_FALSE = {"0", "false", "no", "n", "off"}
_ALERT_PREFIX = {SourceKind.ALERTMANAGER: "am", SourceKind.GRAFANA: "gf"}
_OUTAGE_KEEP = ("service", "start", "cause", "responsibility", "summary")
_INCIDENT_KEEP = ("cause", "responsibility")


@dataclass
class Receipt:
    """The answer to the sending tool: an HTTP status and a small JSON body."""

    status: int
    body: dict[str, Any] = field(default_factory=dict)


def _source_of(token: str) -> EventSource | None:
    if not token or len(token) > 64:
        return None
    return EventSource.objects.select_related("contract", "organisation").filter(token=token).first()


def _header(headers: Mapping[str, str], name: str) -> str:
    return (headers.get(name) or "").strip()


def source_authentic(source: EventSource, body: bytes, headers: Mapping[str, str]) -> bool:
    """Whether the request carries the source's secret: ``Authorization: Bearer <secret>``, or
    an HMAC of the body — ``X-Hub-Signature-256: sha256=<hex>`` (Jira, generic),
    ``X-Hub-Signature: sha1=<hex>`` (Zammad) or ``X-Grafana-Alerting-Signature: <hex>``."""
    key = source.secret.encode()
    authorization = _header(headers, "Authorization")
    if authorization[:7].lower() == "bearer ":
        return hmac.compare_digest(authorization[7:].strip().encode(), key)
    signatures = (
        ("X-Hub-Signature-256", "sha256=", hashlib.sha256),
        ("X-Hub-Signature", "sha1=", hashlib.sha1),
        ("X-Grafana-Alerting-Signature", "", hashlib.sha256),
    )
    for name, prefix, digest in signatures:
        given = _header(headers, name)
        if given:
            expected = prefix + hmac.new(key, body, digest).hexdigest()
            return hmac.compare_digest(given.lower().encode(), expected.encode())
    return False


def _log(source, now, outcome, status, reason="", events=(), body=b"") -> SourceDelivery:
    return SourceDelivery.objects.create(
        source=source,
        received_at=now,
        outcome=outcome,
        status_code=status,
        reason=reason,
        events=list(events),
        payload=body[:PAYLOAD_KEPT].decode("utf-8", "replace"),
    )


def _refuse(source, now, status: int, reason: str, body: bytes) -> Receipt:
    _log(source, now, DeliveryOutcome.REFUSED, status, reason, body=body)
    return Receipt(status, {"status": "refused", "reason": reason})


def delivery_receive(*, token: str, body: bytes, headers: Mapping[str, str]) -> Receipt:
    """Check, apply and log one delivery to the source with URL ``token`` (see the module)."""
    source = _source_of(token)
    if source is None:
        return Receipt(404, {"detail": "Not found."})
    now = timezone.now()
    if not source_authentic(source, body, headers):
        reason = "The secret is missing or wrong (send it as a bearer token or a signature)."
        return _refuse(source, now, 401, reason, b"")
    if source.paused:
        return _refuse(source, now, 409, "The source is paused; nothing was applied.", body)
    recent = SourceDelivery.objects.filter(source=source, received_at__gt=now - timedelta(minutes=1))
    if recent.exclude(status_code=429).count() >= source.rate_limit:
        receipt = _refuse(
            source, now, 429, f"More than {source.rate_limit} deliveries in a minute; try again shortly.", b""
        )
        receipt.body["retry_after"] = 60
        return receipt
    if len(body) > MAX_BODY_BYTES:
        return _refuse(source, now, 400, "The body is larger than 1 MB.", body[:PAYLOAD_KEPT])
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        return _refuse(source, now, 400, f"The body is not JSON: {exc}.", body)
    try:
        with transaction.atomic():
            # The log row is written first: on SQLite the transaction then holds the write
            # lock before it reads, so concurrent deliveries wait for each other instead of
            # failing to upgrade a read into a write.
            delivery = _log(source, now, DeliveryOutcome.APPLIED, 200, body=body)
            touched = source_apply(source=source, data=data)
            SourceDelivery.objects.filter(pk=delivery.pk).update(events=touched)
    except PayloadRefused as exc:
        return _refuse(source, now, 400, str(exc), body)
    counts: dict[str, int] = {}
    for event in touched:
        counts[event["change"]] = counts.get(event["change"], 0) + 1
    return Receipt(200, {"status": "applied", **counts})


def source_apply(*, source: EventSource, data: Any) -> list[dict[str, str]]:
    """Apply a parsed payload to the source's contract (a provider-wide source: to the
    contract each alert or ticket is routed to); the events touched, or
    :class:`PayloadRefused` with nothing written (call inside a transaction)."""
    if source.is_shared:
        return _apply_routed(source, data)
    terms = event_terms(source.contract)
    if source.is_tickets:
        return _apply_tickets(source, terms, TICKET_READERS[source.kind](data))
    if source.kind == SourceKind.UPTIME_KUMA:
        return _apply_heartbeat(source, terms, read_uptime_kuma(data))
    if source.kind == SourceKind.ZABBIX:
        return _apply_zabbix(source, terms, data)
    if source.kind == SourceKind.JSON:
        return _apply_json(source, terms, data)
    return _apply_alerts(source, terms, read_alerts(data))


def _apply_routed(source: EventSource, data: Any) -> list[dict[str, str]]:
    """Route a provider-wide source's payload: alerts one by one by their label, anything
    else whole by the value at the route field's path. Every alert or ticket must match a
    route before anything is applied; each touched event names its contract."""
    field = (source.mapping or {}).get("route_field") or DEFAULT_ROUTE_FIELD.get(source.kind, "contract")
    routes = routes_of(source)
    touched: list[dict[str, str]] = []
    if source.kind in LABEL_ROUTED:
        groups: dict[int, tuple] = {}
        for alert in read_alerts(data):
            alertname = alert.labels.get("alertname")
            what = f"Alert {alertname}" if alertname else f"Alert {alert.fingerprint}"
            route = route_match(routes, alert.labels.get(field, ""), field, what)
            groups.setdefault(route.pk, (route, []))[1].append(alert)
        for route, alerts in groups.values():
            view = routed(source, route)
            events = _apply_alerts(view, event_terms(route.contract), alerts)
            touched += [{**event, "contract": route.contract.reference} for event in events]
        return touched
    route = route_match(routes, value_at(data, field), field, "The payload")
    events = source_apply(source=routed(source, route), data=data)
    return [{**event, "contract": route.contract.reference} for event in events]


# ---------------------------------------------------------------- mapping


def _service(source: EventSource, terms: EventTerms, value: str, what: str) -> str:
    mapping = source.mapping or {}
    services = mapping.get("services") or {}
    mapped = services.get(value) or services.get(value.lower())
    if mapped:
        return mapped
    if value in terms.services:
        return value
    default = mapping.get("default_service") or ""
    if default:
        return default
    shown = f"“{value}”" if value else "no service"
    raise PayloadRefused(
        f"{what} names {shown}, which maps to no service of the contract; add it to the source's "
        "service mapping or choose a default service."
    )


def _batch_reason(exc: BatchInvalid, ids: list[str]) -> str:
    parts = []
    for index, errors in exc.rows:
        messages = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in errors.items())
        parts.append(f"{ids[index]}: {messages}")
    return "Cannot be applied — " + " | ".join(parts)


def _write(
    source: EventSource, terms: EventTerms, kind: str, rows: list[dict], changes: dict[str, str]
) -> None:
    """Check the rows as every other path does, then create or update them one by one.

    A delivery holds a few events; unlike a file import (``events_write``), it must not read
    every event of the contract, so it touches only its own rows. One audit entry per delivery.
    """
    contract = source.contract
    ids = [row["external_id"] for row in rows]
    try:
        cleaned = events_check(kind=kind, contract=contract, rows=rows, terms=terms)
    except BatchInvalid as exc:
        raise PayloadRefused(_batch_reason(exc, ids)) from None
    except ValidationError as exc:
        raise PayloadRefused(" ".join(exc.messages)) from None
    model = Incident if kind == "incidents" else Outage
    now = timezone.now()
    created = updated = 0
    for values in cleaned:
        pauses = values.pop("pauses", None)
        external_id = values.pop("external_id")
        if changes[external_id] == "created":
            event = model.objects.create(
                contract=contract,
                external_id=external_id,
                source=source,
                created_at=now,
                updated_at=now,
                **values,
            )
            created += 1
        else:
            event = model.objects.get(contract=contract, external_id=external_id)
            model.objects.filter(pk=event.pk).update(updated_at=now, **values)
            updated += 1
        if pauses is not None:
            if changes[external_id] != "created":
                IncidentPause.objects.filter(incident=event).delete()
            IncidentPause.objects.bulk_create(
                IncidentPause(incident=event, start=start, end=end) for start, end in pauses
            )
    noun = "incident" if kind == "incidents" else "outage"
    audit_record(
        contract=contract,
        action=AuditAction.EVENTS_IMPORTED,
        actor=None,
        summary=(
            f"{created + updated} {noun}{'' if created + updated == 1 else 's'} from the source "
            f"“{source.name}” ({created} new, {updated} updated)"
        ),
        details={"kind": kind, "via": "source", "source": source.pk, "created": created, "updated": updated},
    )


# ---------------------------------------------------------------- alerts


def _planned(source: EventSource, alert: Alert) -> bool:
    label = (source.mapping or {}).get("maintenance_label") or ""
    if not label or label not in alert.labels:
        return False
    return alert.labels[label].lower() not in _FALSE


def _alert_key(source: EventSource) -> Callable[[Alert], str]:
    prefix = _ALERT_PREFIX.get(source.kind, "am")
    return lambda alert: f"{prefix}-{alert.fingerprint}-{alert.starts_at:%Y%m%dT%H%M%SZ}"


def _alert_service(source: EventSource) -> Callable[[Alert], str]:
    label = (source.mapping or {}).get("service_label") or "service"
    return lambda alert: alert.labels.get(label, "")


def _apply_zabbix(source: EventSource, terms: EventTerms, data: Any) -> list[dict[str, str]]:
    """A Zabbix problem opens an outage keyed by its event id, the recovery (which carries the
    same id) ends it; the service is the service tag's value, else the host."""
    mapping = source.mapping or {}
    tag = mapping.get("service_label") or "service"
    alert = read_zabbix(
        data, zone=ZoneInfo(source.time_zone), maintenance_tag=mapping.get("maintenance_label") or ""
    )
    return _apply_alerts(
        source,
        terms,
        [alert],
        key=lambda alert: f"zbx-{alert.fingerprint}",
        service_of=lambda alert: alert.labels.get(tag) or alert.host,
    )


def _apply_json(source: EventSource, terms: EventTerms, data: Any) -> list[dict[str, str]]:
    """A generic JSON event read by the source's paths: open opens (or keeps) the outage keyed
    by its id, resolved ends it."""
    event = read_json_event(data, source.mapping or {}, zone=ZoneInfo(source.time_zone))
    alert = Alert(
        fingerprint=event.external_id,
        firing=event.open,
        starts_at=event.start,
        ends_at=event.end,
        labels={},
        summary=event.summary,
        host=event.service,
    )
    return _apply_alerts(
        source,
        terms,
        [alert],
        key=lambda alert: f"json-{alert.fingerprint}",
        service_of=lambda alert: alert.host,
        planned_of=lambda alert: event.planned,
    )


def _apply_alerts(
    source: EventSource,
    terms: EventTerms,
    alerts: list[Alert],
    *,
    key: Callable[[Alert], str] | None = None,
    service_of: Callable[[Alert], str] | None = None,
    planned_of: Callable[[Alert], bool] | None = None,
) -> list[dict[str, str]]:
    key = key or _alert_key(source)
    service_of = service_of or _alert_service(source)
    planned_of = planned_of or (lambda alert: _planned(source, alert))
    latest: dict[str, Alert] = {}
    for alert in alerts:
        external_id = key(alert)
        earlier = latest.get(external_id)
        # Within one payload a resolved notice wins over a firing one of the same alert.
        if earlier is None or earlier.firing or not alert.firing:
            latest[external_id] = alert
    stored = {
        outage.external_id: outage
        for outage in Outage.objects.filter(contract=source.contract, external_id__in=list(latest))
    }
    rows, changes = [], {}
    for external_id, alert in latest.items():
        alertname = alert.labels.get("alertname")
        what = f"Alert {alertname}" if alertname else f"Event {alert.fingerprint}"
        outage = stored.get(external_id)
        planned = planned_of(alert)
        if outage is None:
            row = {
                "external_id": external_id,
                "service": _service(source, terms, service_of(alert), what),
                "start": alert.starts_at,
                "end": alert.ends_at,
                "planned": planned,
                "summary": alert.summary,
            }
            changes[external_id] = "created"
        else:
            # A firing repeat after the resolved notice keeps the end it already has.
            end = alert.ends_at if alert.ends_at is not None else outage.end
            if end == outage.end and planned == outage.planned:
                changes[external_id] = "unchanged"
                continue
            row = {name: getattr(outage, name) for name in _OUTAGE_KEEP}
            row.update(external_id=external_id, end=end, planned=planned)
            changes[external_id] = "updated"
        rows.append(row)
    if rows:
        _write(source, terms, "outages", rows, changes)
    return [{"kind": "outages", "external_id": key, "change": change} for key, change in changes.items()]


def _apply_heartbeat(source: EventSource, terms: EventTerms, beat: Heartbeat) -> list[dict[str, str]]:
    """Down opens an outage of the monitor's service (unless one from this source is already
    open); up ends the open one. A repeated heartbeat changes nothing."""
    prefix = f"kuma-{beat.monitor_id}-"
    ongoing = (
        Outage.objects.filter(
            contract=source.contract, source=source, external_id__startswith=prefix, end__isnull=True
        )
        .order_by("-start")
        .first()
    )
    if beat.down:
        if ongoing is not None:
            return [{"kind": "outages", "external_id": ongoing.external_id, "change": "unchanged"}]
        external_id = f"{prefix}{beat.at:%Y%m%dT%H%M%SZ}"
        if Outage.objects.filter(contract=source.contract, external_id=external_id).exists():
            return [{"kind": "outages", "external_id": external_id, "change": "unchanged"}]
        row = {
            "external_id": external_id,
            "service": _service(source, terms, beat.monitor, f"Monitor {beat.monitor or beat.monitor_id}"),
            "start": beat.at,
            "end": None,
            "summary": beat.message,
        }
        _write(source, terms, "outages", [row], {external_id: "created"})
        return [{"kind": "outages", "external_id": external_id, "change": "created"}]
    if ongoing is None or beat.at < ongoing.start:
        return []
    row = {name: getattr(ongoing, name) for name in (*_OUTAGE_KEEP, "planned")}
    row.update(external_id=ongoing.external_id, end=beat.at)
    _write(source, terms, "outages", [row], {ongoing.external_id: "updated"})
    return [{"kind": "outages", "external_id": ongoing.external_id, "change": "updated"}]


# ---------------------------------------------------------------- tickets


def _status(source: EventSource, change: TicketChange) -> str:
    statuses = {key.lower(): value for key, value in ((source.mapping or {}).get("statuses") or {}).items()}
    status = statuses.get(change.status.lower())
    if status is None and change.status.lower() in STATUSES:
        status = change.status.lower()
    if status not in STATUSES:
        raise PayloadRefused(
            f"Ticket {change.ticket_id} has status “{change.status}”, which the source's status mapping "
            "does not name; map it to open, waiting, resolved or closed."
        )
    return status


def _priority(source: EventSource, change: TicketChange) -> str:
    mapping = source.mapping or {}
    priorities = {key.lower(): value for key, value in (mapping.get("priorities") or {}).items()}
    priority = priorities.get(change.priority.lower())
    if priority is None and change.priority.upper() in Priority.values:
        priority = change.priority.upper()
    priority = priority or mapping.get("default_priority") or ""
    if priority not in Priority.values:
        raise PayloadRefused(
            f"Ticket {change.ticket_id} has priority “{change.priority}”, which the source's priority "
            "mapping does not name; map it to P1–P4 or choose a default priority."
        )
    return priority


def _apply_tickets(
    source: EventSource, terms: EventTerms, tickets: list[TicketChange]
) -> list[dict[str, str]]:
    latest: dict[str, TicketChange] = {}
    history: list[TicketStatusChange] = []
    for change in tickets:
        status = _status(source, change)
        latest[change.ticket_id] = change
        history.append(
            TicketStatusChange(
                source=source, external_id=change.ticket_id, at=change.changed_at, status=status
            )
        )
    resolved = {
        change.ticket_id: (
            _service(source, terms, change.service, f"Ticket {change.ticket_id}"),
            _priority(source, change),
        )
        for change in latest.values()
    }
    TicketStatusChange.objects.bulk_create(history, ignore_conflicts=True)
    timelines: dict[str, list] = {key: [] for key in latest}
    for external_id, at, status in TicketStatusChange.objects.filter(
        source=source, external_id__in=list(latest)
    ).values_list("external_id", "at", "status"):
        timelines[external_id].append((at, status))
    stored = {
        incident.external_id: incident
        for incident in Incident.objects.filter(
            contract=source.contract, external_id__in=list(latest)
        ).prefetch_related("pauses")
    }
    rows, changes = [], {}
    for external_id, change in latest.items():
        incident = stored.get(external_id)
        opened_at = incident.opened_at if incident is not None else change.opened_at
        opened_at = min(opened_at, change.opened_at)
        timeline = ticket_timeline(opened_at, timelines[external_id])
        service, priority = resolved[external_id]
        first_response = change.first_response_at or (incident.first_response_at if incident else None)
        row = {
            "external_id": external_id,
            "service": service,
            "priority": priority,
            "opened_at": opened_at,
            "first_response_at": first_response,
            "resolved_at": timeline.resolved_at,
            "reopened": timeline.reopened,
            "summary": change.summary or (incident.summary if incident else ""),
            "pauses": timeline.pauses,
        }
        if incident is None:
            changes[external_id] = "created"
        else:
            row.update({name: getattr(incident, name) for name in _INCIDENT_KEEP})
            stored_pauses = [(pause.start, pause.end) for pause in incident.pauses.all()]
            same = all(getattr(incident, name) == row[name] for name in row if name != "pauses")
            if same and stored_pauses == row["pauses"]:
                changes[external_id] = "unchanged"
                continue
            changes[external_id] = "updated"
        rows.append(row)
    if rows:
        _write(source, terms, "incidents", rows, changes)
    return [{"kind": "incidents", "external_id": key, "change": change} for key, change in changes.items()]
