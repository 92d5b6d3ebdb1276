"""A ticket's clock from its status history: when it was resolved, whether it was reopened,
and the stretches it waited on the customer.

Statuses are the portal's four: ``open``, ``waiting`` (on the customer: the clock pauses),
``resolved`` and ``closed``. The history is read in time order whatever order it arrived in,
so a late or repeated delivery lands in its place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

OPEN, WAITING, RESOLVED, CLOSED = "open", "waiting", "resolved", "closed"
STATUSES = (OPEN, WAITING, RESOLVED, CLOSED)
_DONE = (RESOLVED, CLOSED)


@dataclass(frozen=True)
class Timeline:
    resolved_at: datetime | None
    reopened: bool
    pauses: list[tuple[datetime, datetime | None]] = field(default_factory=list)


def ticket_timeline(opened_at: datetime, changes: Iterable[tuple[datetime, str]]) -> Timeline:
    """The resolution, reopening and pauses of a ticket opened at ``opened_at`` whose status
    became ``status`` at each ``(at, status)`` of ``changes``.

    A ticket starts open. Waiting opens a pause, any other status ends it; resolved or closed
    resolves the ticket at the first of them in a row (closing a resolved ticket keeps its
    resolution time); open or waiting after that reopens it. A change before the opening
    counts at the opening; an empty pause (start = end) is dropped; a pause still running
    has no end.
    """
    state = OPEN
    resolved_at: datetime | None = None
    reopened = False
    pause_start: datetime | None = None
    pauses: list[tuple[datetime, datetime | None]] = []
    for at, status in sorted(changes, key=lambda change: change[0]):
        if status not in STATUSES:
            raise ValueError(f"{status!r} is not a ticket status")
        at = max(at, opened_at)
        if state in _DONE and status not in _DONE:
            reopened = True
            resolved_at = None
        if status == WAITING and pause_start is None:
            pause_start = at
        elif status != WAITING and pause_start is not None:
            if at > pause_start:
                pauses.append((pause_start, at))
            pause_start = None
        if status in _DONE and state not in _DONE:
            resolved_at = at
        state = status
    if pause_start is not None:
        pauses.append((pause_start, None))
    return Timeline(resolved_at=resolved_at, reopened=reopened, pauses=pauses)
