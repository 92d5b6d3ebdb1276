from django.core.management.base import BaseCommand

from compliance.management.demo import seed_demo_events, seed_demo_reports
from contracts.management.demo import DEMO_PASSWORD, OPERATOR_EMAIL, seed_demo


class Command(BaseCommand):
    help = "Create (or refresh) the demo organisations, users and contracts. Safe to run repeatedly."

    def handle(self, *args, **options):
        users = seed_demo()
        events = seed_demo_events()
        reports = seed_demo_reports()
        if events or reports:
            self.stdout.write(f"Recorded {events} demo events; made the reports of {reports} contracts.")
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at http://127.0.0.1:8000 with:"))
        for demo in users:
            self.stdout.write(f"  {demo.email:<32} {demo.role:<7} ({demo.organisation})")
        self.stdout.write(f"  {OPERATOR_EMAIL:<32} Django admin at /admin/")
        self.stdout.write(f"Password for every demo user: {DEMO_PASSWORD}")
