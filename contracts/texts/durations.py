"""Durations as people write them: ``240``, ``4h``, ``1h 30m``, ``90 min``, ``1 day``, ``1d 4h``.

Pure: no Django. A day is 24 hours of the clock; a duration counted in business hours is
written in hours, because a business day's length depends on the calendar.
"""

from __future__ import annotations

import re

_UNITS = {
    "d": 24 * 60,
    "day": 24 * 60,
    "days": 24 * 60,
    "h": 60,
    "hr": 60,
    "hrs": 60,
    "hour": 60,
    "hours": 60,
    "m": 1,
    "min": 1,
    "mins": 1,
    "minute": 1,
    "minutes": 1,
}
_PART = re.compile(r"(\d+)\s*([a-z]+)")
_WHOLE = re.compile(r"(?:\d+\s*[a-z]+\s*,?\s*(?:and\s+)?)+")
_ORDER = ("d", "h", "m")
_MAX_MINUTES = 366 * 24 * 60

EXAMPLES = "240, 90 min, 8h, 1h 30m, 1 day or 1d 4h"


class DurationError(ValueError):
    """The text is not a duration; the message says what to write."""


def parse_duration(text: str, *, business_time: bool = False) -> int:
    """The whole minutes ``text`` stands for; ``DurationError`` with a message a person can act on.

    Bare digits are minutes. Each unit appears once, largest first (``1d 4h``, not ``4h 1d``).
    """
    cleaned = " ".join(str(text).strip().lower().split())
    if not cleaned:
        raise DurationError(f"Give a duration, for example {EXAMPLES}.")
    if cleaned.isdigit():
        return _checked(int(cleaned))
    if not _WHOLE.fullmatch(cleaned):
        raise DurationError(f"“{text}” is not a duration; write it as {EXAMPLES}.")
    total, seen = 0, []
    for amount, unit in _PART.findall(cleaned):
        if unit not in _UNITS:
            raise DurationError(f"“{unit}” is not a unit of time; use days, hours or minutes ({EXAMPLES}).")
        key = unit[0]
        if key in seen or (seen and _ORDER.index(key) < _ORDER.index(seen[-1])):
            raise DurationError(f"“{text}” repeats or reorders its units; write it as {EXAMPLES}.")
        if key == "d" and business_time:
            raise DurationError(
                "A business day's length depends on the calendar: give business hours instead "
                "(for example 9h for one 09:00–18:00 day)."
            )
        seen.append(key)
        total += int(amount) * _UNITS[unit]
    return _checked(total)


def _checked(minutes: int) -> int:
    if minutes <= 0:
        raise DurationError("A duration is at least one minute.")
    if minutes > _MAX_MINUTES:
        raise DurationError("A duration is at most 366 days.")
    return minutes


def format_duration_short(minutes: int) -> str:
    """The short form ``parse_duration`` reads back: ``1530`` → ``"1d 1h 30m"``, ``45`` → ``"45m"``."""
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{days}d"] * bool(days) + [f"{hours}h"] * bool(hours) + [f"{mins}m"] * bool(mins)
    return " ".join(parts) or "0m"
