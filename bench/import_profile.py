"""Import-profile throughput: rows per second for a ConnectWise-style export (US dates, a
profile time zone, priority and service values mapped), as CSV and as XLSX, next to the
cost of reading the file alone.

Builds a throw-away SQLite database (or uses DATABASE_URL when set — then on a scratch
database you can drop) and a contract with realistic terms; imports the export twice (the
second time every row is an update) and prints rows/s.

    .venv/bin/python bench/import_profile.py [--rows 100000] [--xlsx-rows 20000]
"""

import argparse
import io
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch import scratch_django  # noqa: E402

HEADER = [
    "Ticket #",
    "Company",
    "Type",
    "Priority",
    "Summary Description",
    "Date Entered",
    "Date Responded",
    "Date Resolved",
]
TYPES = ("E-mail", "Server", "Printing")
PRIORITIES = (
    "Priority 1 - Emergency Response",
    "Priority 2 - Quick Response",
    "Priority 3 - Normal Response",
    "Priority 4 - Schedule Maintenance",
)


def _rows(count: int):
    start = datetime(2026, 3, 1, 8, 0)
    for n in range(count):
        opened = start + timedelta(minutes=(n * 7) % (30 * 24 * 60))
        yield [
            str(100000 + n),
            "Bench customer",
            TYPES[n % 3],
            PRIORITIES[n % 4],
            f"Ticket {n}",
            opened.strftime("%m/%d/%Y %I:%M %p"),
            (opened + timedelta(minutes=20)).strftime("%m/%d/%Y %I:%M %p"),
            (opened + timedelta(hours=3)).strftime("%m/%d/%Y %I:%M %p"),
        ]


def _csv(count: int) -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(_rows(count))
    return buffer.getvalue().encode()


def _xlsx(count: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for row in _rows(count):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--xlsx-rows", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        scratch_django(data_dir)
        from compliance import services
        from compliance.engine.import_presets import PRESETS
        from compliance.engine.mapping import ColumnMapping
        from compliance.models import Incident
        from tests import factories

        provider = factories.organisation("Bench provider", is_provider=True)
        customer = factories.organisation("Bench customer")
        preset = PRESETS["connectwise"]
        mapping = ColumnMapping(
            kind="incidents",
            columns=preset.columns,
            date_format="us",
            time_zone="America/New_York",
            values={
                "priority": {k.casefold(): v for k, v in preset.priorities.items()},
                "service": {"e-mail": "Email", "server": "File server", "printing": "Copier"},
            },
        )
        for label, rows, data, name in (
            ("CSV", args.rows, _csv(args.rows), "export.csv"),
            ("XLSX", args.xlsx_rows, _xlsx(args.xlsx_rows), "export.xlsx"),
        ):
            contract = factories.contract(provider, customer, title=f"Bench {label}")
            factories.version_with_terms(contract)
            print(f"{label}: {rows:,} tickets, {len(data) / 1e6:.1f} MB")
            started = time.perf_counter()
            services.table_read(data=data, name=name)
            elapsed = time.perf_counter() - started
            print(f"  {'reading the file only':28} {elapsed:6.2f} s  {rows / elapsed:9,.0f} rows/s")
            for step in ("first import (inserts)", "same file again (updates)"):
                started = time.perf_counter()
                result = services.events_import_mapped(
                    contract=contract, user=None, mapping=mapping, data=data, name=name
                )
                elapsed = time.perf_counter() - started
                print(
                    f"  {step:28} {elapsed:6.2f} s  {rows / elapsed:9,.0f} rows/s  "
                    f"(created {result.created:,}, updated {result.updated:,})"
                )
            assert Incident.objects.filter(contract=contract).count() == rows


if __name__ == "__main__":
    main()
