"""Queue again the background work left pending (e.g. after Redis was down):
``manage.py requeue_pending [--older-than SECONDS] [--within-days DAYS] [--force]``."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from slaportal.requeue import requeue_pending


class Command(BaseCommand):
    help = (
        "Queue again the invitation and signing emails, seals, monthly reports and report emails "
        "whose task never reached a worker. Safe to repeat: each task does its work once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=settings.REQUEUE_PENDING_AFTER,
            help="only work pending for at least this many seconds (default REQUEUE_PENDING_AFTER)",
        )
        parser.add_argument(
            "--within-days",
            type=int,
            default=settings.REQUEUE_PENDING_WITHIN_DAYS,
            help="only work recorded in the last DAYS days (default REQUEUE_PENDING_WITHIN_DAYS)",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="queue even while the broker's queue is not empty or a worker holds the task",
        )

    def handle(self, *args, older_than: int, within_days: int, force: bool, **options):
        if older_than < 0 or within_days < 1:
            raise CommandError("--older-than must be 0 or more and --within-days 1 or more.")
        counts = requeue_pending(
            older_than=timedelta(seconds=older_than), within=timedelta(days=within_days), force=force
        )
        skipped, unqueued = counts.pop("skipped", 0), counts.pop("unqueued", 0)
        for name, n in sorted(counts.items()):
            self.stdout.write(f"{name}: {n}")
        self.stdout.write(f"Queued {sum(counts.values())} tasks, skipped {skipped}.")
        if unqueued:
            raise CommandError(f"{unqueued} tasks could not be queued: is the broker reachable?")
