"""Payloads written from each tool's documentation, and a client that posts them."""

from __future__ import annotations

import hashlib
import hmac
import json


def alert(
    fingerprint="a1b2c3d4e5f60718",
    status="firing",
    starts="2026-03-04T09:15:00.123456789Z",
    ends="0001-01-01T00:00:00Z",
    **labels,
) -> dict:
    return {
        "status": status,
        "labels": {"alertname": "EmailDown", "service": "Email", "severity": "critical", **labels},
        "annotations": {"summary": "Email is down"},
        "startsAt": starts,
        "endsAt": ends,
        "generatorURL": "http://prometheus.example/graph?g0.expr=up",
        "fingerprint": fingerprint,
    }


def alertmanager(*alerts, status=None) -> dict:
    """An Alertmanager webhook body, payload version 4."""
    return {
        "version": "4",
        "groupKey": '{}:{alertname="EmailDown"}',
        "truncatedAlerts": 0,
        "status": status or ("firing" if any(a["status"] == "firing" for a in alerts) else "resolved"),
        "receiver": "sla-portal",
        "groupLabels": {"alertname": "EmailDown"},
        "commonLabels": {},
        "commonAnnotations": {},
        "externalURL": "http://alertmanager.example:9093",
        "alerts": list(alerts),
    }


def generic_ticket(
    ticket_id="T-1",
    status="open",
    changed="2026-03-04T09:00:00+01:00",
    created="2026-03-04T09:00:00+01:00",
    priority="P1",
    service="Email",
    event="updated",
) -> dict:
    return {
        "event": event,
        "ticket": {
            "id": ticket_id,
            "status": status,
            "priority": priority,
            "service": service,
            "created_at": created,
            "updated_at": changed,
            "summary": "Cannot send mail",
        },
    }


def zammad(
    number="31001",
    state="open",
    updated="2026-03-04T08:00:00.000Z",
    created="2026-03-04T08:00:00.000Z",
    priority="2 normal",
    group="Email",
) -> dict:
    """Zammad's default webhook payload (ticket with names of state, priority and group)."""
    return {
        "ticket": {
            "id": 7,
            "number": number,
            "title": "Mailbox full",
            "group": group,
            "state": state,
            "priority": priority,
            "customer": {"email": "nicole@harbour.example"},
            "created_at": created,
            "updated_at": updated,
            "first_response_at": None,
            "close_at": None,
        },
        "article": {"subject": "Mailbox full", "body": "Help", "internal": False},
    }


def jira(
    key="SD-12",
    status="Waiting for support",
    timestamp=1772611200000,
    created="2026-03-04T09:00:00.000+0100",
    priority="High",
    component="Email",
    event="jira:issue_updated",
) -> dict:
    """A Jira issue webhook as Jira Service Management sends it."""
    return {
        "timestamp": timestamp,
        "webhookEvent": event,
        "issue_event_type_name": "issue_generic",
        "issue": {
            "id": "10012",
            "key": key,
            "fields": {
                "summary": "VPN drops",
                "status": {"name": status, "statusCategory": {"key": "indeterminate"}},
                "priority": {"name": priority},
                "components": [{"name": component}] if component else [],
                "created": created,
                "updated": created,
                "resolutiondate": None,
            },
        },
    }


def zabbix(
    event_id="7001",
    value="1",
    date="2026.03.04",
    time="09:15:00",
    recovery_date="{EVENT.RECOVERY.DATE}",
    recovery_time="{EVENT.RECOVERY.TIME}",
    host="mail01",
    tags=None,
) -> dict:
    """What the recommended Zabbix Webhook media type posts: its parameters, with the macros a
    problem message cannot resolve left as their own text."""
    return {
        "event_id": event_id,
        "event_value": value,
        "event_date": date,
        "event_time": time,
        "recovery_date": recovery_date,
        "recovery_time": recovery_time,
        "host": host,
        "trigger": "Email is down",
        "severity": "High",
        "tags": [{"tag": "service", "value": "Email"}] if tags is None else tags,
    }


def post(client, source, payload, *, secret=None, sign=None):
    """POST ``payload`` to the source's URL with its secret as a bearer token (or ``sign``:
    "sha256" / "sha1" for an HMAC signature header)."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    key = secret if secret is not None else source.secret
    headers = {}
    if sign == "sha256":
        digest = hmac.new(key.encode(), body, hashlib.sha256).hexdigest()
        headers["HTTP_X_HUB_SIGNATURE_256"] = f"sha256={digest}"
    elif sign == "sha1":
        digest = hmac.new(key.encode(), body, hashlib.sha1).hexdigest()
        headers["HTTP_X_HUB_SIGNATURE"] = f"sha1={digest}"
    elif key:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client.post(f"/hooks/{source.token}/", body, content_type="application/json", **headers)
