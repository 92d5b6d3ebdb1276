"""``manage.py export_contract SLA-2026-0001 > contract.yaml``: a contract's latest version as YAML."""

from django.core.management.base import BaseCommand, CommandError

from contracts.contract_files.export import contract_file_text
from contracts.models import Contract
from contracts.selectors.versions import latest_version, version_terms


class Command(BaseCommand):
    help = "Write a contract and its latest version (terms and clauses) as a YAML contract file."

    def add_arguments(self, parser):
        parser.add_argument("reference", help="The contract's reference, e.g. SLA-2026-0001.")

    def handle(self, *args, reference: str, **options):
        contract = Contract.objects.select_related("provider", "customer").filter(reference=reference).first()
        if contract is None:
            raise CommandError(f"No contract has the reference {reference}.")
        version = latest_version(contract)
        terms = version_terms(version) if version else None
        self.stdout.write(contract_file_text(contract, terms), ending="")
