"""The monthly report run: N active contracts (default 200), each with a month of events,
through the real pipeline — evaluate → render (WeasyPrint) → seal → store → email over SMTP
to a local aiosmtpd server in a process of its own — then bare WeasyPrint rendering of the
same report HTML.

Both renders start from a stack chunk of their own (``contracts.documents.pdf.with_stack_room``), as
the pipeline's does: on Python 3.11 a render's speed otherwise depends on the call depth it
starts at, by up to a fifth, which would make the ratio a matter of where each one is called.

The month is made in ``--slices`` runs (default 10, of 20 contracts each), each followed by
the bare renders of its own reports. On a shared machine whose speed drifts over minutes,
the two sides are then timed under the same conditions; one run of all 200 contracts
followed by 200 bare renders moved the ratio by up to a tenth between otherwise identical
runs. The per-report work is the same either way.

Prints reports per minute, seconds per report, the page count, and the ratio of the total
pipeline time to the bare rendering time (wall clock, its spread over the runs, and CPU
time of the process). Tasks run in-process (no broker), one after the other, so the ratio
compares like with like on one core.

    .venv/bin/python bench/monthly.py [--contracts 200] [--scale 0.1] [--incidents 30] [--slices 10]
"""

import argparse
import atexit
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch import scratch_django  # noqa: E402

PERIOD = "2026-03"


_SMTP_SINK = """
import sys, time
from aiosmtpd.controller import Controller

class Handler:
    async def handle_DATA(self, server, session, envelope):
        with open(sys.argv[2], "a") as log:
            log.write(f"{len(envelope.content)}\\n")
        return "250 OK"

Controller(Handler(), hostname="127.0.0.1", port=int(sys.argv[1])).start()
while True:
    time.sleep(3600)
"""


def _smtp(data_dir: str):
    """A local SMTP server in a process of its own, as a mail server is in production, so
    that its work is not counted as the pipeline's. Returns the process and a function
    giving the sizes of the messages it has received."""
    import socket
    import subprocess

    from django.conf import settings

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = Path(data_dir) / "smtp-received.log"
    log.touch()
    server = subprocess.Popen([sys.executable, "-c", _SMTP_SINK, str(port), str(log)])
    atexit.register(server.kill)
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the SMTP server did not start") from None
            time.sleep(0.1)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    return server, lambda: [int(line) for line in log.read_text().split()]


def _generate(contracts: int, incidents: int, seed: int = 7) -> list:
    from compliance.models import Incident, Outage, WorkLog
    from contracts import services as contract_services
    from contracts.models import Contract, Membership, Version
    from contracts.models.contract import ContractStatus
    from tests import factories

    rng = random.Random(seed)
    provider = factories.organisation("Bench provider", is_provider=True)
    owner = factories.member(provider, "admin", "owner@provider.example")
    Membership.objects.filter(user=owner).update(receives_reports=True)
    start = datetime(2026, 2, 28, 23, tzinfo=UTC)  # 1 March, 00:00 in Amsterdam
    made = []
    for n in range(contracts):
        customer = factories.organisation(f"Bench customer {n}")
        factories.member(customer, "admin", f"it{n}@customer{n}.example", receives_reports=True)
        contract = factories.contract(provider, customer, title=f"Bench {n}")
        version = factories.version_with_terms(contract)
        contract_services.version_publish(version=version, user=None)
        Version.objects.filter(pk=version.pk).update(document_sha256=f"{n:064x}")
        # Issued as soon as made, so that the run sends its emails (a new contract's reports
        # are otherwise held for the provider's review).
        Contract.objects.filter(pk=contract.pk).update(
            status=ContractStatus.ACTIVE, reports_issued_automatically=True
        )
        rows = []
        for i in range(incidents):
            opened = start + timedelta(seconds=rng.randrange(31 * 86400))
            response = opened + timedelta(minutes=rng.randrange(5, 120))
            rows.append(
                Incident(
                    contract=contract,
                    external_id=f"INC-{i}",
                    service=rng.choice(["Email", "File server"]),
                    priority=f"P{rng.randrange(1, 5)}",
                    opened_at=opened,
                    first_response_at=response,
                    resolved_at=response + timedelta(minutes=rng.randrange(10, 900)),
                )
            )
        Incident.objects.bulk_create(rows)
        outages = []
        for i in range(max(1, incidents // 10)):
            down = start + timedelta(seconds=rng.randrange(31 * 86400))
            outages.append(
                Outage(
                    contract=contract,
                    external_id=f"OUT-{i}",
                    service=rng.choice(["Email", "File server", "Copier"]),
                    start=down,
                    end=down + timedelta(minutes=rng.randrange(1, 40)),
                )
            )
        Outage.objects.bulk_create(outages)
        WorkLog.objects.create(
            contract=contract, external_id="WL-1", date=date(2026, 3, 5), hours=8, person="B"
        )
        made.append(contract)
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=200)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the number of contracts")
    parser.add_argument("--incidents", type=int, default=30, help="incidents per contract (outages: a tenth)")
    parser.add_argument(
        "--slices", type=int, default=10, help="runs the month is made in, each followed by its bare renders"
    )
    args = parser.parse_args()
    count = max(1, round(args.contracts * args.scale))
    with tempfile.TemporaryDirectory() as data_dir:
        scratch_django(data_dir)
        from django.conf import settings
        from weasyprint import HTML

        from compliance.models import CreditNote, CreditNoteDelivery, Delivery, DeliveryStatus, Report
        from compliance.reports.credit_note_pdf import credit_note_html
        from compliance.reports.data import report_data
        from compliance.reports.pdf import report_html
        from compliance.selectors import report_runs
        from compliance.services import reports
        from compliance.services.credit_notes import credit_note_data
        from contracts.documents.pdf import static_base_url, with_stack_room
        from contracts.documents.sealing import sealing_key_from_settings

        settings.MEDIA_ROOT = Path(data_dir) / "media"
        settings.SITE_URL = "https://sla.example"
        smtp_server, received = _smtp(data_dir)
        sealing_key_from_settings()  # the key is made once, not per report
        started = time.perf_counter()
        contracts = _generate(count, args.incidents)
        generated = time.perf_counter() - started
        print(f"{count} contracts × {args.incidents} incidents generated in {generated:.1f} s")

        # Warm-up outside the timings: imports (WeasyPrint, pyHanko), fonts, and Django's
        # URLconf and report templates, loaded on first use (~0.6 s in the first report).
        HTML(string="<p>warm</p>").write_pdf()
        import pyhanko.sign.signers  # noqa: F401
        from django.template.loader import get_template
        from django.urls import get_resolver

        get_resolver().url_patterns  # noqa: B018 - imports every app's urls (the API's too)
        for template in ("pdf/report.html", "emails/monthly_report.html", "emails/monthly_report.txt"):
            get_template(template)
        from slaportal.celery import freeze_startup_heap

        freeze_startup_heap()  # as each worker process does when it starts

        static = static_base_url()
        pipeline = pipeline_cpu = bare = bare_cpu = 0.0
        bare_times, pages, slice_ratios, notes = [], [], [], 0
        done = failed = pending = 0
        size = -(-count // max(1, min(args.slices, count)))
        for start in range(0, count, size):
            chosen = contracts[start : start + size]
            # The pipeline: one run over these contracts, as beat starts it.
            started, cpu_started = time.perf_counter(), time.process_time()
            run = reports.report_run_start(period=PERIOD, contracts=chosen)
            took, took_cpu = time.perf_counter() - started, time.process_time() - cpu_started
            progress = report_runs.run_progress(run, run.items.values("contract"))
            done, failed, pending = done + progress.done, failed + progress.failed, pending + progress.pending
            # Bare WeasyPrint: the same reports' HTML, rendered and written, nothing else.
            slice_bare = 0.0
            for report in Report.objects.filter(contract__in=chosen).order_by("pk"):
                html = report_html(report_data(report))
                t, cpu = time.perf_counter(), time.process_time()
                with_stack_room(HTML(string=html, base_url=static).write_pdf)
                bare_times.append(time.perf_counter() - t)
                bare_cpu += time.process_time() - cpu
                slice_bare += bare_times[-1]
                pages.append(report.pdf_pages)
            # A month that owes credits closes with a credit note, rendered and sealed beside
            # the report: its bare rendering belongs on this side too.
            for note in CreditNote.objects.filter(report__contract__in=chosen).order_by("pk"):
                html = credit_note_html(credit_note_data(note))
                t, cpu = time.perf_counter(), time.process_time()
                with_stack_room(HTML(string=html, base_url=static).write_pdf)
                slice_bare += time.perf_counter() - t
                bare_cpu += time.process_time() - cpu
                notes += 1
            pipeline, pipeline_cpu, bare = pipeline + took, pipeline_cpu + took_cpu, bare + slice_bare
            slice_ratios.append(took / slice_bare)
        assert Report.objects.filter(status="ready").count() == count, "not every report was made"
        sent = Delivery.objects.filter(status=DeliveryStatus.SENT).count()
        notes_sent = CreditNoteDelivery.objects.filter(status=DeliveryStatus.SENT).count()
        assert sent == 2 * count and notes_sent == 2 * notes, (sent, notes_sent, notes)
        assert len(received()) == sent + notes_sent, (sent, notes_sent, len(received()))
        smtp_server.terminate()

        print(
            f"runs: {len(slice_ratios)}; done {done}, failed {failed}, pending {pending}; "
            f"{sent} report emails; {notes} credit notes, {notes_sent} emails"
        )
        for label, seconds in (("pipeline       ", pipeline), ("bare WeasyPrint", bare)):
            print(
                f"{label} {seconds:8.1f} s  {count / seconds * 60:8.1f} reports/min  "
                f"{seconds / count:6.3f} s/report"
            )
        print(
            f"pages per report: median {statistics.median(pages):.0f}; bare report render median "
            f"{statistics.median(bare_times):.3f} s, max {max(bare_times):.3f} s"
        )
        print(f"ratio pipeline / bare rendering  {pipeline / bare:6.2f}")
        print(f"ratio per run                    {min(slice_ratios):6.2f} to {max(slice_ratios):.2f}")
        # CPU time of this process (tasks and SQLite run in it, the SMTP server does not): the
        # same ratio, less disturbed by whatever else the machine is doing.
        print(f"ratio in CPU time                {pipeline_cpu / bare_cpu:6.2f}")


if __name__ == "__main__":
    main()
