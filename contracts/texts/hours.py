"""The wording of business hours in contract terms: ``"09:00-17:00"`` per range.

Contracts validate what authors type with it; the compliance engine builds its calendars
from the same parse, so a range the contract accepts is the range the engine measures.
"""

from __future__ import annotations

import re
from datetime import time

_TIME_RANGE_RE = re.compile(r"(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})")


def parse_time_range(text: str) -> tuple[time, time]:
    """``(start, end)`` of ``"HH:MM-HH:MM"``; ``24:00`` (the end of the day) is returned as
    ``time(0)``. Raises ``ValueError`` with a message for the author when the text is not a
    range, names an impossible time, or ends before it starts."""
    match = _TIME_RANGE_RE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"time range must look like 09:00-17:00, got {text!r}")
    start_hour, start_minute, end_hour, end_minute = (int(part) for part in match.groups())
    if (end_hour, end_minute) == (24, 0):
        end_hour = 0
    start, end = time(start_hour, start_minute), time(end_hour, end_minute)
    if end != time(0) and end <= start:
        raise ValueError(f"range must end after it starts: {start}–{end}")
    return start, end
