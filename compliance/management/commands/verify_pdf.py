"""Check a signed PDF: ``manage.py verify_pdf FILE`` exits 0 when valid, 1 when not."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compliance.reports.verification import verify_pdf_bytes  # reports, else signed contracts


class Command(BaseCommand):
    help = (
        "Check that a PDF was signed in this portal and is unaltered since it was sealed; prints the "
        "contract, version and signers. Exit status 0 when valid, 1 when not."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the PDF file to check")

    def handle(self, *args, file: Path, **options):
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror or exc}") from exc
        result = verify_pdf_bytes(data)
        self.stdout.write(result.report())
        if not result.valid:
            raise SystemExit(1)
