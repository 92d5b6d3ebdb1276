"""Event sources of a contract: added, changed, paused and resumed, their secret rotated.

The URL token and the secret are drawn from ``secrets``; the token names the source in its
URL and never changes, the secret proves the sender and can be rotated at any time (the old
one stops working at once).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.utils import timezone

from compliance.models import EventSource, SourceKind
from compliance.services.payloads import PRESET_PRIORITIES, PRESET_STATUSES
from compliance.services.payloads_json import DEFAULT_MAPPING, json_mapping_errors
from contracts.models import Contract

SECRET_PREFIX = "whsec_"  # noqa: S105 - a public marker, not a secret


def _new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(24)


def source_default_mapping(kind: str) -> dict[str, Any]:
    """The mapping a new source of ``kind`` starts with (the preset's statuses and priorities)."""
    if kind in SourceKind.ticket_kinds():
        return {
            "services": {},
            "default_service": "",
            "statuses": dict(PRESET_STATUSES[kind]),
            "priorities": dict(PRESET_PRIORITIES[kind]),
            "default_priority": "",
        }
    if kind == SourceKind.JSON:
        return {"services": {}, "default_service": "", **DEFAULT_MAPPING, "time_zone": ""}
    mapping = {
        "services": {},
        "default_service": "",
        "service_label": "service",
        "maintenance_label": "maintenance",
    }
    if kind == SourceKind.ZABBIX:
        mapping["time_zone"] = ""
    return mapping


def _holds_nul(value: Any) -> bool:
    """Whether a key or a text anywhere in ``value`` has a NUL character, which jsonb cannot
    store (walked without recursion: a mapping may nest deeply)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, Mapping):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return False


def _mapping_errors(kind: str, mapping: Mapping[str, Any]) -> list[str]:
    if _holds_nul(mapping):
        return ["Text in the mapping cannot contain NUL characters."]
    errors = []
    zone = mapping.get("time_zone") or ""
    if zone:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            errors.append(f"time_zone: “{zone}” is not a time zone (e.g. Europe/Amsterdam).")
    if kind == SourceKind.JSON:
        errors += [f"{key}: {message}" for key, message in json_mapping_errors(mapping).items()]
    return errors


def _check(name: str, kind: str, rate_limit: int, mapping: Mapping[str, Any] | None = None) -> None:
    errors: dict[str, Any] = {}
    if not name.strip():
        errors["name"] = "Name the source after what sends, e.g. “Production Alertmanager”."
    if kind not in SourceKind.values:
        errors["kind"] = f"“{kind}” is not a kind of source."
    if not 1 <= rate_limit <= 100_000:
        errors["rate_limit"] = "Allow between 1 and 100,000 deliveries a minute."
    mapping_errors = _mapping_errors(kind, mapping or {})
    if mapping_errors:
        errors["mapping"] = mapping_errors
    if errors:
        raise ValidationError(errors)


def source_create(
    *,
    contract: Contract,
    user,
    kind: str,
    name: str,
    mapping: Mapping[str, Any] | None = None,
    rate_limit: int = 600,
) -> EventSource:
    """A new source of ``contract``, with a fresh URL token and secret; ``mapping`` defaults to
    the preset of ``kind``."""
    mapping = dict(mapping) if mapping is not None else source_default_mapping(kind)
    return source_new(
        owner={"contract": contract}, user=user, kind=kind, name=name, mapping=mapping, rate_limit=rate_limit
    )


def source_new(
    *, owner: Mapping[str, Any], user, kind: str, name: str, mapping: Mapping[str, Any], rate_limit: int
) -> EventSource:
    """A new source of ``owner`` (``{"contract": …}`` or ``{"organisation": …}``) with a fresh
    URL token and secret, once its name, kind, rate limit and mapping are checked."""
    _check(name, kind, rate_limit, mapping)
    return EventSource.objects.create(
        **owner,
        kind=kind,
        name=name.strip()[:100],
        token=secrets.token_urlsafe(32),
        secret=_new_secret(),
        mapping=dict(mapping),
        rate_limit=rate_limit,
        created_by=user if getattr(user, "pk", None) else None,
    )


def source_update(
    *, source: EventSource, name: str, mapping: Mapping[str, Any], rate_limit: int
) -> EventSource:
    """Change a source's name, mapping and rate limit; its URL and secret stay."""
    _check(name, source.kind, rate_limit, mapping)
    source.name = name.strip()[:100]
    source.mapping = dict(mapping)
    source.rate_limit = rate_limit
    source.save(update_fields=["name", "mapping", "rate_limit"])
    return source


def source_pause(*, source: EventSource, paused: bool) -> EventSource:
    """Pause (deliveries are refused and logged, nothing is applied) or resume the source."""
    if source.paused != paused:
        source.paused = paused
        source.save(update_fields=["paused"])
    return source


def source_rotate_secret(*, source: EventSource) -> str:
    """Give the source a new secret and return it; the old one stops working at once."""
    source.secret = _new_secret()
    source.secret_rotated_at = timezone.now()
    source.save(update_fields=["secret", "secret_rotated_at"])
    return source.secret


def source_delete(*, source: EventSource) -> None:
    """Remove the source and its log; the events it sent stay, without their origin."""
    source.delete()
