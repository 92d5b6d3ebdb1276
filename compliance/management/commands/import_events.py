"""``manage.py import_events REF FILE.csv --kind incidents|outages|worklogs`` or
``manage.py import_events REF EXPORT.csv|.xlsx --profile NAME``.

All rows or none: a bad file prints every problem with its line number, writes nothing and
exits with status 1. The column layout, and import profiles for other tools' exports, are in
docs/import-formats.md.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from compliance import services
from compliance.models import ImportProfile
from contracts.models import Contract


class Command(BaseCommand):
    help = "Import incidents, outages or work logs of one contract from a CSV file (all rows or none)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("reference", help="The contract's reference, e.g. SLA-2026-0001.")
        parser.add_argument("file", help="Path of the CSV file (UTF-8, header line first).")
        parser.add_argument(
            "--kind", choices=sorted(services.KINDS), help="For a file in the portal's columns."
        )
        parser.add_argument(
            "--profile",
            help="Name or id of an import profile of the contract's provider (CSV or XLSX export).",
        )

    def _profile(self, contract: Contract, name: str) -> ImportProfile:
        profiles = ImportProfile.objects.filter(organisation=contract.provider_id)
        found = list(profiles.filter(pk=int(name)) if name.isdigit() else profiles.filter(name=name))
        if len(found) != 1:
            names = ", ".join(sorted(f"{p.name} ({p.kind})" for p in profiles)) or "none"
            raise CommandError(
                f"{contract.provider} has {'no' if not found else 'more than one'} import profile "
                f"“{name}” (its profiles: {names}); give its id."
            )
        return found[0]

    def handle(
        self, *args, reference: str, file: str, kind: str | None, profile: str | None, **options
    ) -> None:
        try:
            contract = Contract.objects.get(reference=reference)
        except Contract.DoesNotExist:
            raise CommandError(f"No contract with reference {reference}.") from None
        if bool(kind) == bool(profile):
            raise CommandError(
                "Give either --kind (the portal's columns) or --profile (another tool's export)."
            )
        chosen = self._profile(contract, profile) if profile else None
        kind = chosen.kind if chosen else kind
        started = time.perf_counter()
        try:
            with open(file, "rb") as source:
                if chosen:
                    result = services.events_import_mapped(
                        contract=contract,
                        user=None,
                        mapping=chosen.mapping,
                        data=source.read(),
                        name=file,
                        profile=chosen,
                    )
                else:
                    result = services.events_import_csv(
                        kind=kind, contract=contract, user=None, source=source
                    )
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
