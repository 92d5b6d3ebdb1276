"""``manage.py import_contract contract.yaml``: a new contract from a YAML contract file."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from contracts.contract_files.export import ContractFileInvalid
from contracts.contract_files.parse import parse_contract_file
from contracts.models import Organisation, User
from contracts.services.imports import PartyChoice, contract_import


class Command(BaseCommand):
    help = (
        "Create a new contract from a YAML contract file (see docs/contract-format.md): version 1 "
        "as a draft, or, with --signed-outside-portal, published and in force."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The contract file.")
        parser.add_argument(
            "--create-parties",
            action="store_true",
            help="Create the provider and customer organisations when none has the file's name.",
        )
        parser.add_argument(
            "--signed-outside-portal",
            action="store_true",
            help="Signed on paper or in another tool: publish version 1 and put it in force.",
        )
        parser.add_argument("--signed-on", type=date.fromisoformat, help="Signing date, YYYY-MM-DD.")
        parser.add_argument("--user", help="Email address of the person recorded as importing it.")

    def handle(self, *args, file: str, create_parties: bool, signed_outside_portal: bool, **options):
        signed_on = options["signed_on"]
        if signed_outside_portal != (signed_on is not None):
            raise CommandError("Give --signed-outside-portal and --signed-on YYYY-MM-DD together.")
        user = None
        if options["user"]:
            user = User.objects.filter(email=options["user"].lower()).first()
            if user is None:
                raise CommandError(f"No user has the email address {options['user']}.")
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        everyone = Organisation.objects.all()
        choice = PartyChoice(everyone, create_missing=create_parties)
        try:
            contract = contract_import(
                document=parse_contract_file(text),
                provider=choice,
                customer=choice,
                user=user,
                file_name=path.name,
                signed_on=signed_on,
            )
        except ContractFileInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(f"{path.name}: {problem}")
            raise CommandError(
                f"{len(exc.problems)} problem(s) in {path.name}; nothing was imported.", returncode=1
            ) from exc
        state = f"signed outside the portal on {signed_on}, in force" if signed_on else "draft"
        self.stdout.write(
            self.style.SUCCESS(f"Created {contract.reference} “{contract.title}”, version 1 ({state}).")
        )
