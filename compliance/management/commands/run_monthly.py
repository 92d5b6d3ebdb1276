"""``manage.py run_monthly [--period YYYY-MM]``: start the monthly reports by hand.

Queues one task per active contract (see ``compliance.services.reports``); with a broker the
workers do the work, without one it happens right here. Starting a month again sends
nothing twice.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from compliance.models import RunTrigger
from compliance.selectors.report_runs import default_report_period, run_progress
from compliance.services.reports import report_run_start
from contracts.models import Contract


class Command(BaseCommand):
    help = "Make, store and email the compliance reports of a month for every active contract."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--period", help="The month, YYYY-MM (default: the month just ended).")

    def handle(self, *args, period: str | None = None, **options) -> None:
        period = period or default_report_period()
        try:
            run = report_run_start(period=period, trigger=RunTrigger.COMMAND)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        progress = run_progress(run, Contract.objects.all())
        self.stdout.write(
            f"Run {run.pk} for {run.period}: {run.contracts_total} contracts; "
            f"done {progress.done}, failed {progress.failed}, pending {progress.pending}."
        )
