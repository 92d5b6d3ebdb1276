"""The event types a subscription may choose, and the domain signal each is made from.

Adding an event type is one line in ``EVENT_TYPES``: its name, its label, the signal it
follows and the function that turns the signal's arguments into the provider and the
event's ``data`` (see ``payloads``). Subscriptions store type names, so no migration is
needed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.dispatch import Signal

from compliance import signals as cs
from contracts import signals as ks
from webhooks import payloads as p


@dataclass(frozen=True)
class EventType:
    name: str
    label: str
    signal: Signal
    #: signal arguments → (provider organisation, data) or None when no event is due
    #: (see ``webhooks.payloads``).
    make: Callable[..., tuple | None]


EVENT_TYPES: tuple[EventType, ...] = (
    EventType("contract.activated", "Contract signed and active", ks.contract_activated, p.contract_activated),  # noqa: E501
    EventType("report.issued", "Report issued", cs.report_issued, p.report_issued),
    EventType("report.amended", "Report amended", cs.report_issued, p.report_amended),
    EventType("credit_note.issued", "Credit note issued", cs.credit_note_issued, p.credit_note_issued),
    EventType("dispute.opened", "Dispute opened", cs.dispute_raised, p.dispute_opened),
    EventType("dispute.resolved", "Dispute resolved", cs.dispute_answered, p.dispute_resolved),
    EventType("breach.warning", "Warning before a breach", cs.breach_warning, p.breach_warning),
)  # fmt: skip

#: Sent only by the *Send test event* button, to one subscription.
TEST_EVENT = "webhook.test"

BY_NAME = {event_type.name: event_type for event_type in EVENT_TYPES}
CHOICES = [(event_type.name, event_type.label) for event_type in EVENT_TYPES]


def label_of(name: str) -> str:
    if name == TEST_EVENT:
        return "Test event"
    event_type = BY_NAME.get(name)
    return event_type.label if event_type else name
