"""The live test on a source's page: what a sample payload would do, with nothing written.

The payload goes through exactly the path of a real delivery (``source_apply``), inside a
transaction that is always rolled back; what it would create, update or leave unchanged is
read before the rollback. No delivery is logged, the secret and the pause are not asked for.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from compliance.models import EventSource, Incident, Outage
from compliance.services.intake import MAX_BODY_BYTES, source_apply
from compliance.services.payloads import PayloadRefused

_OUTAGE_VALUES = ("external_id", "service", "start", "end", "planned", "summary")
_INCIDENT_VALUES = (
    "external_id",
    "service",
    "priority",
    "opened_at",
    "first_response_at",
    "resolved_at",
    "summary",
)


@dataclass
class Trial:
    """The outcome of a live test: the reason it would be refused, or the events it would
    touch, each ``{"kind", "change", and the event's values}``."""

    reason: str = ""
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.reason)


class _Undo(Exception):
    """Raised to roll the trial's transaction back."""


def _described(source: EventSource, touched: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Each touched event's values as they would be stored, with its contract's reference and
    zone (a provider-wide source's events name their contract; a contract source's are its own)."""
    own = source.contract.reference if source.contract_id else None
    described = []
    for kind, model, names in (
        ("outages", Outage, _OUTAGE_VALUES),
        ("incidents", Incident, _INCIDENT_VALUES),
    ):
        mine = [event for event in touched if event["kind"] == kind]
        if not mine:
            continue
        found = model.objects.filter(external_id__in=[event["external_id"] for event in mine])
        if own:
            found = found.filter(contract=source.contract)
        else:
            found = found.filter(
                contract__provider=source.organisation,
                contract__reference__in={e.get("contract") for e in mine},
            )
        rows = {
            (row["contract__reference"], row["external_id"]): row
            for row in found.values(*names, "contract__reference", "contract__time_zone")
        }
        for event in mine:
            row = rows.get((event.get("contract") or own, event["external_id"]))
            if row is not None:
                described.append(
                    {
                        "kind": kind,
                        "change": event["change"],
                        **{name: row[name] for name in names},
                        "contract": row["contract__reference"],
                        "time_zone": row["contract__time_zone"],
                    }
                )
    return described


def source_trial(*, source: EventSource, text: str) -> Trial:
    """What the payload ``text`` would do to the source's contract (or, for a provider-wide
    source, to the contracts it routes to); writes nothing."""
    body = text.encode("utf-8")
    if not text.strip():
        return Trial(reason="Paste a payload to test.")
    if len(body) > MAX_BODY_BYTES:
        return Trial(reason="The body is larger than 1 MB.")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return Trial(reason=f"The body is not JSON: {exc}.")
    trial = Trial()
    try:
        with transaction.atomic():
            trial.events = _described(source, source_apply(source=source, data=data))
            raise _Undo
    except _Undo:
        pass
    except PayloadRefused as exc:
        trial.reason = str(exc)
    return trial
