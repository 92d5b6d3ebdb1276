"""How long to wait before attempting a failed webhook delivery again."""

from __future__ import annotations

FIRST_WAIT = 30  # seconds after the first failure
FACTOR = 4  # each wait is this many times the previous one ...
LONGEST_WAIT = 8 * 60 * 60  # ... up to eight hours
# Attempts in all (the first and its retries): 30 s, 2 min, 8 min, 32 min, 2 h 8 min, then
# every 8 hours, so a delivery keeps being attempted for about 35 hours, beyond the day of
# failures after which a subscription is disabled.
ATTEMPTS = 10


def retry_wait(failed_attempts: int) -> int | None:
    """Seconds to wait after the ``failed_attempts``-th failed attempt (1 for the first), or
    None when that was the last attempt."""
    if failed_attempts < 1:
        raise ValueError("failed_attempts counts from 1")
    if failed_attempts >= ATTEMPTS:
        return None
    return min(FIRST_WAIT * FACTOR ** (failed_attempts - 1), LONGEST_WAIT)
