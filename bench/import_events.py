"""CSV import throughput: rows per second for a fresh import and for re-importing the same file.

Builds a throw-away SQLite database (or uses DATABASE_URL when set — then on a scratch
database you can drop), a contract with realistic terms, and a CSV file of incidents with one
pause each; imports it twice (the second time every row is an update) and prints rows/s.

    .venv/bin/python bench/import_events.py [--rows 100000]
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch import bench_contract, scratch_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        scratch_django(data_dir)
        from compliance import services
        from compliance.models import Incident, IncidentPause
        from tests.compliance.event_fixtures import incident_csv

        contract = bench_contract()
        text = incident_csv(args.rows).encode()
        print(f"{args.rows:,} incidents, {len(text) / 1e6:.1f} MB of CSV")
        for label in ("first import (inserts)", "same file again (updates)"):
            started = time.perf_counter()
            result = services.events_import_csv(kind="incidents", contract=contract, user=None, source=text)
            elapsed = time.perf_counter() - started
            print(
                f"{label:28} {elapsed:6.2f} s  {args.rows / elapsed:9,.0f} rows/s  "
                f"(created {result.created:,}, updated {result.updated:,})"
            )
        assert Incident.objects.count() == args.rows
        assert IncidentPause.objects.count() == args.rows


if __name__ == "__main__":
    main()
