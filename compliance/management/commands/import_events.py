"""``manage.py import_events REF FILE.csv --kind incidents|outages|worklogs``.

All rows or none: a bad file prints every problem with its line number, writes nothing and
exits with status 1. The column layout is in docs/import-formats.md.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from compliance import services
from contracts.models import Contract


class Command(BaseCommand):
    help = "Import incidents, outages or work logs of one contract from a CSV file (all rows or none)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("reference", help="The contract's reference, e.g. SLA-2026-0001.")
        parser.add_argument("file", help="Path of the CSV file (UTF-8, header line first).")
        parser.add_argument("--kind", required=True, choices=sorted(services.KINDS))

    def handle(self, *args, reference: str, file: str, kind: str, **options) -> None:
        try:
            contract = Contract.objects.get(reference=reference)
        except Contract.DoesNotExist:
            raise CommandError(f"No contract with reference {reference}.") from None
        started = time.perf_counter()
        try:
            with open(file, "rb") as source:
                result = services.events_import_csv(kind=kind, contract=contract, user=None, source=source)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from None
        except services.ImportInvalid as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(exc.messages[0]) from None
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"{contract.reference}: {result.created} {kind} created, {result.updated} updated "
                f"in {elapsed:.1f} s."
            )
        )
