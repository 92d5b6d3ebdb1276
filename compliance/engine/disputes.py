"""The dispute window of an issued report, and the report's standing with the customer.

Pure: plain values in, plain values out.

The window runs from the day the report was issued (on the contract's clock) for the
contract's ``dispute_window_days``: a report issued on 2 December 2026 with 14 days can be
acknowledged or disputed up to and including 16 December 2026, and is refused from
17 December on ("The dispute window closed on 16 December 2026.").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

NOT_ISSUED = "not_issued"
ISSUED = "issued"
ACKNOWLEDGED = "acknowledged"
DISPUTED = "disputed"
RESOLVED = "resolved"

STATE_LABELS = {
    NOT_ISSUED: "Not issued yet",
    ISSUED: "Issued",
    ACKNOWLEDGED: "Acknowledged",
    DISPUTED: "Disputed",
    RESOLVED: "Resolved",
}


def format_day(day: date) -> str:
    """``date(2026, 12, 16)`` → ``"16 December 2026"``."""
    return f"{day.day} {day:%B %Y}"


def window_closes_on(issued_at: datetime, days: int, time_zone: str) -> date:
    """The last day, on the contract's clock, on which the customer may dispute."""
    return issued_at.astimezone(ZoneInfo(time_zone)).date() + timedelta(days=days)


def window_open(issued_at: datetime, days: int, time_zone: str, now: datetime) -> bool:
    """Whether ``now`` is on or before the window's last day on the contract's clock."""
    return now.astimezone(ZoneInfo(time_zone)).date() <= window_closes_on(issued_at, days, time_zone)


def window_closed_message(closes_on: date) -> str:
    return f"The dispute window closed on {format_day(closes_on)}."


@dataclass(frozen=True)
class Standing:
    """Where an issued report stands with the customer."""

    state: str
    closes_on: date | None
    window_open: bool
    final: bool
    open_disputes: int

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


def standing(
    *,
    issued_at: datetime | None,
    days: int,
    time_zone: str,
    now: datetime,
    acknowledged: bool,
    disputes: int,
    open_disputes: int,
) -> Standing:
    """The report's state: not issued, issued, acknowledged, disputed (a dispute awaits
    the provider's answer) or resolved (every dispute answered); and whether the month is
    *final*: its window closed with no dispute waiting for an answer."""
    if issued_at is None:
        return Standing(NOT_ISSUED, None, False, False, 0)
    closes_on = window_closes_on(issued_at, days, time_zone)
    is_open = window_open(issued_at, days, time_zone, now)
    if open_disputes:
        state = DISPUTED
    elif acknowledged:
        state = ACKNOWLEDGED
    elif disputes:
        state = RESOLVED
    else:
        state = ISSUED
    return Standing(state, closes_on, is_open, not is_open and not open_disputes, open_disputes)
