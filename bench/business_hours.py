"""Business-hours arithmetic throughput.

Times ``business_duration`` on random incidents (up to five days long, 30 % with a pause)
against Mon–Fri 09:00–17:00 in Europe/Amsterdam with Dutch holidays, and compares it with a
bare loop that only subtracts the same datetimes — the floor any implementation pays.

    .venv/bin/python bench/business_hours.py [--incidents 200000]
"""

import argparse
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from compliance.engine.calendars import BusinessCalendar, business_duration, public_holidays  # noqa: E402


def incidents(count: int, seed: int = 7):
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for _ in range(count):
        opened = start + timedelta(minutes=rng.randrange(365 * 24 * 60))
        resolved = opened + timedelta(minutes=rng.randrange(1, 5 * 24 * 60))
        pauses = ()
        if rng.random() < 0.3:
            pause_start = opened + (resolved - opened) / 3
            pauses = ((pause_start, pause_start + timedelta(hours=rng.randrange(1, 30))),)
        yield opened, resolved, pauses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=200_000)
    args = parser.parse_args()

    tz = ZoneInfo("Europe/Amsterdam")
    calendar = BusinessCalendar.from_hours(
        tz, dict.fromkeys(range(5), "09:00-17:00"), holidays=public_holidays("NL", range(2025, 2028))
    )
    rows = list(incidents(args.incidents))

    began = time.perf_counter()
    floor = timedelta()
    for opened, resolved, _ in rows:
        floor += resolved - opened
    bare = time.perf_counter() - began

    began = time.perf_counter()
    total = timedelta()
    for opened, resolved, pauses in rows:
        total += business_duration(calendar, opened, resolved, pauses)
    elapsed = time.perf_counter() - began

    print(f"incidents:                 {args.incidents:,}")
    print(f"business_duration:         {elapsed:.2f} s  ({args.incidents / elapsed:,.0f} calls/s)")
    print(f"bare subtraction loop:     {bare:.3f} s")
    print(f"ratio to bare loop:        {elapsed / bare:.1f}x")
    print(f"1,000,000 incidents would: {elapsed / args.incidents * 1_000_000:.1f} s")
    print(f"business share of elapsed: {total / floor:.1%}")


if __name__ == "__main__":
    main()
