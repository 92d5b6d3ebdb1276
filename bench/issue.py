"""Issuing a month: N reports held for review, issued at once with ``reports_issue``.

Builds a throw-away SQLite database (or uses DATABASE_URL when set — then on a scratch
database you can drop) holding N ready reports of March 2026, each with the minimal valid
rows behind it (a contract, its version, a stored evaluation), written in bulk; the customer
has one member receiving reports and the provider's admin receives a copy, so each report
has two recipients. Then it times ``reports_issue`` over all of them: the conditional UPDATE,
the deliveries, the audit rows and queueing one email task per delivery.

Celery is not eager here, so what is measured is the queueing, not the sending: with
CELERY_BROKER_URL set the tasks are published to that broker; without one, publishing is
stubbed and counted. Prints the wall time and the rate; the target is under 5 s for 1,000.

    .venv/bin/python bench/issue.py [--reports 1000]
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch import scratch_django  # noqa: E402

PERIOD = "2026-03"
TARGET_SECONDS = 5.0


def _held_reports(count: int) -> list:
    """``count`` ready reports held for review, written in bulk."""
    from compliance.models import Evaluation, Report, ReportStatus
    from contracts.models import Contract, Version
    from contracts.models.contract import ContractStatus
    from contracts.models.versions import VersionState
    from tests import factories

    provider = factories.organisation("Bench provider", is_provider=True)
    customer = factories.organisation("Bench customer")
    factories.member(provider, "admin", "owner@provider.example", receives_reports=True)
    factories.member(customer, "admin", "finance@customer.example", receives_reports=True)
    contracts = Contract.objects.bulk_create(
        [
            Contract(
                reference=f"SLA-BENCH-{n:05d}",
                title=f"Bench {n}",
                provider=provider,
                customer=customer,
                start_date=date(2026, 1, 1),
                status=ContractStatus.ACTIVE,
            )
            for n in range(count)
        ]
    )
    versions = Version.objects.bulk_create(
        [Version(contract=c, number=1, state=VersionState.DRAFT) for c in contracts]
    )
    figures = {
        "period": PERIOD,
        "final": True,
        "service_levels": [],
        "credits": {"capped_total": "0.00", "hours": "0", "currency": "EUR", "lines": []},
    }
    evaluations = Evaluation.objects.bulk_create(
        [
            Evaluation(
                contract=c, version=v, period=PERIOD, revision=1, figures=figures, inputs_hash="0" * 64
            )
            for c, v in zip(contracts, versions, strict=True)
        ]
    )
    now = datetime.now(UTC)
    Report.objects.bulk_create(
        [
            Report(
                contract=e.contract,
                period=PERIOD,
                evaluation=e,
                revision=1,
                status=ReportStatus.READY,
                pdf=f"reports/bench-{e.contract_id}.pdf",
                rendered_at=now,
            )
            for e in evaluations
        ]
    )
    return list(Report.objects.filter(period=PERIOD, issued_at=None).select_related("contract"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as data_dir:
        scratch_django(data_dir)
        from django.db import connection

        from compliance.models import Delivery
        from compliance.services.reports import reports_issue
        from slaportal.celery import app

        app.conf.task_always_eager = False
        published: list[tuple] = []
        broker = bool(os.environ.get("CELERY_BROKER_URL"))
        if not broker:
            from celery.app.task import Task

            def counted(self, args=None, kwargs=None, **options):  # stands in for the broker
                published.append((self.name, args))

            Task.apply_async = counted

        reports = _held_reports(args.reports)
        # A running web or worker process has its task modules loaded; the first lookup by
        # name imports them (and runs Django's checks) once, which is not issuing's cost.
        from slaportal.queueing import task_named

        warm = time.perf_counter()
        task_named("compliance.tasks.report_deliver")
        warm = time.perf_counter() - warm
        started = time.perf_counter()
        if os.environ.get("BENCH_PROFILE"):
            import cProfile

            profile = cProfile.Profile()
            profile.enable()
        issued = reports_issue(reports=reports, user=None)  # autocommit: queued on return
        elapsed = time.perf_counter() - started
        if os.environ.get("BENCH_PROFILE"):
            profile.disable()
            profile.print_stats("cumulative")
        deliveries = Delivery.objects.count()

        queued = (
            sum(name == "compliance.tasks.report_deliver" for name, _ in published)
            if not broker
            else deliveries
        )
        credit_notes = sum(name == "compliance.tasks.credit_note_make" for name, _ in published)
        print(f"database: {connection.vendor}; broker: {'yes' if broker else 'none (publishing counted)'}")
        print(f"loading the task modules once, before timing: {warm:.3f} s")
        print(
            f"reports issued: {issued} of {len(reports)}; deliveries: {deliveries}; emails queued: {queued}"
            + ("" if broker else f"; credit notes queued: {credit_notes}")
        )
        print(
            f"reports_issue: {elapsed:.3f} s ({issued / elapsed:,.0f} reports/s, "
            f"{queued / elapsed:,.0f} emails queued/s); target < {TARGET_SECONDS:.0f} s: "
            f"{'met' if elapsed < TARGET_SECONDS else 'MISSED'}"
        )
        again = time.perf_counter()
        assert reports_issue(reports=reports, user=None) == 0
        print(f"issuing again: nothing issued, {time.perf_counter() - again:.3f} s")


if __name__ == "__main__":
    main()
