"""The monthly run through real Celery workers on Redis and a real SMTP server: every
recipient gets exactly one email with the right PDF, even when a worker is killed (SIGKILL)
in the middle of the run and another one takes over; issuing, amending and resending a
month, with its credit notes, stay exactly-once with a worker killed in the middle of
sending."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from compliance.engine.display import achieved_text
from compliance.models import (
    CreditNote,
    CreditNoteDelivery,
    Delivery,
    DeliveryStatus,
    ItemStatus,
    Report,
    ReportRunItem,
)
from compliance.selectors import report_runs
from compliance.services import reports
from compliance.services.amendments import amendment_issue
from contracts.models import Contract, Membership, Role
from tests import factories
from tests.compliance.month_close_support import closing_contract, last_month, late_outage
from tests.compliance.report_support import (
    PERIOD,
    active_contract_fixture,  # noqa: F401 - fixture
    attachment,
    more_contracts,
    pdf_text,
    report_key_files_fixture,  # noqa: F401 - fixture
    report_settings_fixture,  # noqa: F401 - fixture
    stored_pdf,
)
from tests.compliance.services.test_report_disk_full import tiny_disk  # noqa: F401 - fixture
from tests.services import require_broker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# Short enough that a killed worker's task comes back within the test; tasks here take
# about a second, far below it.
VISIBILITY_TIMEOUT = 3


class Worker:
    """A Celery worker process (solo pool) on the test database, SMTP server and media."""

    def __init__(self, directory: Path, env: dict[str, str]) -> None:
        self.directory = directory
        self.env = env
        self.process: subprocess.Popen | None = None
        self.log_path = directory / "worker.log"

    def start(self) -> Worker:
        from slaportal.celery import app

        self.directory.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "w")  # noqa: SIM115 - the process owns it
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "slaportal",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                f"--hostname=reports-{self.directory.name}@%h",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Celery worker exited early:\n{self.log_path.read_text()}")
            # A solo worker busy with tasks answers no ping: its log says when it is ready.
            if f"reports-{self.directory.name}@" in self.log_path.read_text() and " ready." in (
                self.log_path.read_text()
            ):
                return self
            if app.control.ping(
                destination=[f"reports-{self.directory.name}@{os.uname().nodename}"], timeout=0.5
            ):
                return self
        raise RuntimeError(f"Celery worker did not answer:\n{self.log_path.read_text()}")

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, no acknowledgement, the running task is lost with it."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture
def workers(report_settings, smtp_server, tmp_path):
    """Start workers with ``workers()``; each is stopped at the end of the test."""
    broker = require_broker()
    from django.db import connection

    from slaportal.celery import app

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        database_url = f"sqlite:///{db['NAME']}"
    else:
        database_url = (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker,
        "CELERY_RESULT_BACKEND": broker,
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "REPORT_STORE_RETRY_DELAY": "1",
        "EMAIL_HOST": smtp_server.host,
        "EMAIL_PORT": str(smtp_server.port),
        "SECURE_HTTPS": "0",
        "SITE_URL": report_settings.SITE_URL,
        "MEDIA_ROOT": str(report_settings.MEDIA_ROOT),
        "SIGNING_KEY_FILE": str(report_settings.SIGNING_KEY_FILE),
        "SIGNING_CERT_FILE": str(report_settings.SIGNING_CERT_FILE),
    }
    app.control.purge()
    started: list[Worker] = []

    def _start(**extra_env: str) -> Worker:
        n = len(started) + 1
        worker = Worker(
            tmp_path / f"w{n}", {**env, "DATA_DIR": str(tmp_path / f"w{n}" / "data"), **extra_env}
        )
        started.append(worker)
        return worker.start()

    yield _start
    for worker in started:
        worker.stop()


def _wait(condition, timeout: float, what: str, worker_logs=()) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    logs = "\n".join(Path(p).read_text()[-3000:] for p in worker_logs)
    raise AssertionError(f"timed out waiting for {what}\n{logs}")


def _finished(run) -> bool:
    return report_runs.run_progress(run, Contract.objects.all()).finished


def _assert_exactly_once(smtp_server, contracts) -> None:
    expected = {}
    for contract in contracts:
        for recipient in report_runs.report_recipients(contract):
            expected[(recipient.email, contract.reference)] = 1
    received: dict[tuple[str, str], int] = {}
    for message in smtp_server.reports:
        reference = message["Subject"].split()[0]
        key = (message["X-Envelope-To"], reference)
        received[key] = received.get(key, 0) + 1
    assert received == expected
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    # The months' credit notes: never one twice.
    notes: dict[tuple[str, str], int] = {}
    for message in smtp_server.credit_notes:
        key = (message["X-Envelope-To"], message["Subject"].split()[0])
        notes[key] = notes.get(key, 0) + 1
    assert set(notes.values()) <= {1}
    assert Report.objects.count() == len(contracts)


def test_real_worker_runs_the_month_and_each_recipient_gets_one_email(
    tenants,
    active_contract,
    workers,
    smtp_server,
):
    contracts = [active_contract, *more_contracts(tenants, 2)]
    worker = workers()
    run = reports.report_run_start(period=PERIOD)
    _wait(lambda: _finished(run), 120, "the run to finish", [worker.log_path])
    progress = report_runs.run_progress(run, Contract.objects.all())
    assert (progress.done, progress.failed, progress.pending) == (3, 0, 0)
    smtp_server.wait_for(5)
    _assert_exactly_once(smtp_server, contracts)
    for message in smtp_server.reports:
        reference = message["Subject"].split()[0]
        report = Report.objects.get(contract__reference=reference)
        _, pdf = attachment(message)
        assert pdf == stored_pdf(report)
        level = report.evaluation.figures["service_levels"][0]
        text = " ".join(pdf_text(pdf).split())
        assert f"Availability 99.9% {achieved_text(level)} Missed" in text

    # Beat starting the month again: a new run, nothing sent twice.
    again = reports.report_run_start(period=PERIOD)
    _wait(lambda: _finished(again), 60, "the second run", [worker.log_path])
    _assert_exactly_once(smtp_server, contracts)


def test_a_worker_killed_mid_run_loses_nothing_and_sends_nothing_twice(
    tenants,
    active_contract,
    workers,
    smtp_server,
):
    contracts = [active_contract, *more_contracts(tenants, 4)]
    first = workers()
    run = reports.report_run_start(period=PERIOD)
    items = ReportRunItem.objects.filter(run=run)
    # Mid-run: some reports made, one being made right now.
    _wait(
        lambda: (
            items.filter(status=ItemStatus.DONE).count() >= 2
            and items.filter(status=ItemStatus.RUNNING).exists()
        ),
        120,
        "the run to be half done",
        [first.log_path],
    )
    first.kill()
    killed_at = time.monotonic()
    interrupted = list(items.filter(status=ItemStatus.RUNNING).values_list("pk", flat=True))
    assert not _finished(run)
    # The task the dead worker held comes back once its visibility timeout has passed.
    time.sleep(max(0.0, VISIBILITY_TIMEOUT + 1 - (time.monotonic() - killed_at)))
    second = workers()
    _wait(
        lambda: _finished(run),
        120,
        "the run to finish on the second worker",
        [first.log_path, second.log_path],
    )
    progress = report_runs.run_progress(run, Contract.objects.all())
    assert (progress.done, progress.failed, progress.pending) == (5, 0, 0)
    # The report being made when the worker died was made again by the second worker.
    assert interrupted and all(
        a >= 2 for a in items.filter(pk__in=interrupted).values_list("attempts", flat=True)
    )
    smtp_server.wait_for(len(smtp_server.reports))
    _assert_exactly_once(smtp_server, contracts)


def test_a_full_disk_is_retried_by_the_worker_and_the_report_sent_once(
    tiny_disk,  # noqa: F811 - fixture
    tenants,
    active_contract,
    workers,
    smtp_server,
):
    tiny_disk.fill()
    worker = workers()
    run = reports.report_run_start(period=PERIOD)
    item = ReportRunItem.objects.filter(run=run)
    _wait(
        lambda: item.filter(status=ItemStatus.PENDING, error__contains="No space left on device").exists(),
        60,
        "the full disk to be reported",
        [worker.log_path],
    )
    report = Report.objects.get(contract=active_contract)
    assert report.status == "failed" and "No space left on device" in report.error
    assert smtp_server.messages == []

    tiny_disk.free()  # the worker's next try finds space
    _wait(lambda: _finished(run), 60, "the retried report", [worker.log_path])
    assert item.get().status == ItemStatus.DONE
    smtp_server.wait_for(len(report_runs.report_recipients(active_contract)))
    _assert_exactly_once(smtp_server, [active_contract])


# A claim older than this is taken up again by the next task for it (a worker that died
# while sending); above the time one email takes here (SMTP_DELAY), below the wait after a kill.
STALE_AFTER = 3
SMTP_DELAY = 1.0


def _sending() -> bool:
    return (
        Delivery.objects.filter(status=DeliveryStatus.SENDING).exists()
        or CreditNoteDelivery.objects.filter(status=DeliveryStatus.SENDING).exists()
    )


def _all_sent(reports_expected: int, notes_expected: int) -> bool:
    return (
        Delivery.objects.filter(status=DeliveryStatus.SENT).count() == reports_expected
        and CreditNoteDelivery.objects.filter(status=DeliveryStatus.SENT).count() == notes_expected
    )


def _kill_mid_send(worker: Worker, workers) -> Worker:
    """Kill ``worker`` while an email is being sent; a new worker takes over once the dead
    worker's tasks come back (the visibility timeout) and its claims are stale."""
    _wait(_sending, 60, "an email being sent", [worker.log_path])
    worker.kill()
    time.sleep(max(VISIBILITY_TIMEOUT, STALE_AFTER) + 1)
    return workers(REPORT_DELIVERY_STALE_AFTER=str(STALE_AFTER))


def _one_email_each(smtp_server) -> dict[tuple[str, str], int]:
    """Per (recipient, subject): how many distinct emails arrived. A copy of an email the
    server took just as its worker died carries the same Message-ID (see
    ``delivery_message_id``), so it is the same email."""
    seen: dict[tuple[str, str], set[str]] = {}
    for message in smtp_server.messages:
        key = (message["X-Envelope-To"], " ".join(message["Subject"].split()))
        seen.setdefault(key, set()).add(message["Message-ID"])
    return {key: len(ids) for key, ids in seen.items()}


def test_issuing_amending_and_resending_stay_exactly_once_with_a_worker_killed_mid_send(
    tenants, workers, smtp_server
):
    contract = closing_contract(tenants, automatically=True)
    smtp_server.delay = SMTP_DELAY
    worker = workers(REPORT_DELIVERY_STALE_AFTER=str(STALE_AFTER))

    # Issuing: the run issues the month; its report and credit note go to both recipients.
    reports.report_run_start(period=last_month())
    worker = _kill_mid_send(worker, workers)
    _wait(lambda: _all_sent(2, 2), 120, "the issued month's emails", [worker.log_path])

    # Amending: a late outage, the amended revision rendered and issued by a worker, with
    # its own credit note.
    late_outage(tenants, contract)
    revision = amendment_issue(contract=contract, period=last_month(), user=tenants.provider_author)
    assert revision.revision == 2
    worker = _kill_mid_send(worker, workers)
    _wait(lambda: _all_sent(4, 4), 120, "the amended month's emails", [worker.log_path])

    # Resending: a recipient added since gets the amended report and its credit note;
    # nobody else gets anything again.
    newcomer = factories.member(tenants.customer, Role.VIEWER, email="ivan@harbour.example")
    Membership.objects.filter(user=newcomer).update(receives_reports=True)
    revision.refresh_from_db()  # rendered and issued by a worker since
    assert reports.report_resend(report=revision, user=tenants.provider_author) == 1
    worker = _kill_mid_send(worker, workers)
    _wait(lambda: _all_sent(5, 5), 120, "the resent emails", [worker.log_path])
    time.sleep(2 * SMTP_DELAY)  # nothing else arrives late

    assert CreditNote.objects.count() == 2
    received = _one_email_each(smtp_server)
    assert set(received.values()) == {1}
    recipients = {"alice@brightline.example", "hannah@harbour.example"}
    by_recipient: dict[str, int] = {}
    for email, _subject in received:
        by_recipient[email] = by_recipient.get(email, 0) + 1
    # Two report revisions and two credit notes each; the newcomer, the amended pair.
    assert by_recipient == {**dict.fromkeys(recipients, 4), "ivan@harbour.example": 2}
    assert len(smtp_server.reports) >= 5 and len(smtp_server.credit_notes) >= 5
