"""Connecting each event type to its domain signal (sent after commit): the provider's
subscribers of that type get a delivery."""

from __future__ import annotations

from webhooks import events


def _receiver(event_type: events.EventType):
    def receive(sender, **kwargs) -> None:
        made = event_type.make(**kwargs)
        if made is None:
            return
        organisation, data = made
        # Loaded here, not at start-up: every process connects these receivers, few publish.
        from webhooks import services

        services.event_publish(organisation=organisation, event_type=event_type.name, data=data)

    return receive


_RECEIVERS: list = []  # strong references: the signals hold weak ones to plain functions


def connect() -> None:
    if _RECEIVERS:
        return
    for event_type in events.EVENT_TYPES:
        receiver = _receiver(event_type)
        _RECEIVERS.append(receiver)
        event_type.signal.connect(receiver, weak=False, dispatch_uid=f"webhooks:{event_type.name}")
