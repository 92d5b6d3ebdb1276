"""Event list exports: seconds to export a contract's incidents as CSV and as XLSX.

Builds a throw-away SQLite database (or uses DATABASE_URL when set — then on a scratch
database you can drop), a contract with realistic terms and ``--rows`` incidents with one pause
each, then times the export the *Incidents* page serves (queryset, rows, file), unfiltered
and filtered to one priority.

    .venv/bin/python bench/export_events.py [--rows 20000]
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
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        scratch_django(data_dir)
        from compliance import services
        from compliance.forms.event_filters import IncidentFilter
        from compliance.selectors import events
        from slaportal import exports
        from tests.compliance.event_fixtures import incident_csv

        contract = bench_contract()
        services.events_import_csv(
            kind="incidents", contract=contract, user=None, source=incident_csv(args.rows).encode()
        )
        header = events.EXPORT_HEADERS["incidents"]
        for label, data in (("all incidents", {}), ("priority P1 only", {"priority": "P1"})):
            for file_format in ("csv", "xlsx"):
                started = time.perf_counter()
                found = IncidentFilter(
                    data,
                    events.incidents_of(contract),
                    services=events.event_services(contract, "incidents"),
                    sources=events.event_sources(contract),
                    breached_ids=events.breached_ids(contract),
                )
                rows = events.export_rows(
                    "incidents", found.qs, contract=contract, breached=found.breached_ids
                )
                if file_format == "csv":
                    body = exports.to_csv(header, rows)
                else:
                    body = exports.to_xlsx(header, rows, title="Incidents")
                elapsed = time.perf_counter() - started
                print(
                    f"{label:18} {file_format:4} {len(rows):7,} rows {elapsed:6.2f} s  "
                    f"{len(rows) / elapsed:9,.0f} rows/s  {len(body) / 1e6:5.1f} MB"
                )


if __name__ == "__main__":
    main()
