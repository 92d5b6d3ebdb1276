"""The monthly run in-process (eager Celery) against a real SMTP server: one email per
recipient with the right PDF, nothing twice, SMTP failures recorded and resent once."""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from compliance.models import Delivery, DeliveryStatus, ItemStatus, Report, ReportRun, ReportRunItem
from compliance.selectors import report_runs
from compliance.services import reports
from compliance.tasks import REPORT_TIME_LIMIT, email_backoff, retry_countdown
from contracts.models import Contract
from contracts.texts.formats import format_percent
from tests.compliance.report_support import (
    PERIOD,
    active_contract_fixture,  # noqa: F401 - fixture
    attachment,
    body,
    more_contracts,
    pdf_text,
    report_key_files_fixture,  # noqa: F401 - fixture
    report_settings_fixture,  # noqa: F401 - fixture
    stored_pdf,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_month(django_capture_on_commit_callbacks):
    def _run(period=PERIOD):
        with django_capture_on_commit_callbacks(execute=True):
            return reports.report_run_start(period=period)

    return _run


def _by_recipient(messages) -> dict[str, list]:
    found: dict[str, list] = {}
    for message in messages:
        found.setdefault(message["X-Envelope-To"], []).append(message)
    return found


def test_each_recipient_gets_exactly_one_email_with_its_reports_pdf(
    tenants, active_contract, smtp_server, run_month
):
    other = more_contracts(tenants, 1)[0]
    run = run_month()
    assert report_runs.run_progress(run, Contract.objects.all()) == report_runs.RunProgress(2, 2, 0, 0)
    received = _by_recipient(smtp_server.reports)
    # The customer's members of each contract, and the provider's admin in copy of both.
    assert {k: len(v) for k, v in received.items()} == {
        "hannah@harbour.example": 1,
        "finance0@customer0.example": 1,
        "alice@brightline.example": 2,
    }
    for email, contract in (
        ("hannah@harbour.example", active_contract),
        ("finance0@customer0.example", other),
    ):
        message = received[email][0]
        report = Report.objects.get(contract=contract)
        assert (
            message["Subject"] == f"{contract.reference} {contract.title}: compliance report for March 2026"
        )
        filename, pdf = attachment(message)
        assert filename == f"{contract.reference}-2026-03-r1.pdf"
        assert pdf == stored_pdf(report)
        text = " ".join(pdf_text(pdf).split())
        level = report.evaluation.figures["service_levels"][0]
        assert f"Availability 99.9% {format_percent(level['achieved'])} Missed" in text
        text_part = body(message)
        assert "1 of 2 measured service levels were missed." in text_part
        assert f"https://sla.example/contracts/{contract.reference}/reports/{report.pk}/" in text_part
        assert "Read the report in the portal" in body(message, "text/html")
    assert "copy as an account owner" in body(received["alice@brightline.example"][0])
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_running_the_month_twice_sends_nothing_new(active_contract, smtp_server, run_month):
    run_month()
    assert len(smtp_server.reports) == 2
    second = run_month()
    assert len(smtp_server.reports) == 2
    assert Report.objects.count() == 1 and Delivery.objects.count() == 2
    assert report_runs.run_progress(second, Contract.objects.all()).done == 1


def test_a_redelivered_item_or_delivery_task_sends_nothing(active_contract, smtp_server, run_month):
    from compliance.tasks import report_deliver, report_make

    run = run_month()
    item = ReportRunItem.objects.get(run=run)
    assert report_make.delay(item.pk).get() == "already"
    for delivery in Delivery.objects.all():
        assert report_deliver.delay(delivery.pk).get() == "skipped"
    # Even an item processed again from scratch finds the report and deliveries made.
    ReportRunItem.objects.filter(pk=item.pk).update(status=ItemStatus.PENDING)
    assert reports.run_item_process(item_id=item.pk) == "done"
    assert len(smtp_server.reports) == 2 and Report.objects.count() == 1


def test_a_delivery_is_claimed_once_and_a_stale_claim_is_taken_up(
    active_contract, smtp_server, run_month, settings
):
    settings.EMAIL_PORT = 9  # nothing listens: every email of the run fails
    run_month()
    delivery = Delivery.objects.first()
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING, claimed_at=datetime.now(UTC)
    )
    settings.EMAIL_PORT = smtp_server.port
    assert reports.delivery_send(delivery_id=delivery.pk, final=True) == "skipped"  # someone is sending
    settings.REPORT_DELIVERY_STALE_AFTER = 0
    assert reports.delivery_send(delivery_id=delivery.pk, final=True) == "sent"  # the sender died
    assert reports.delivery_send(delivery_id=delivery.pk, final=True) == "skipped"
    assert len(smtp_server.reports) == 1


def test_requeue_takes_up_a_delivery_left_sending_by_a_dead_worker(
    active_contract, smtp_server, run_month, settings
):
    from datetime import timedelta

    from slaportal.requeue import requeue_pending

    settings.EMAIL_PORT = 9  # the run's emails fail and are left as a dead worker would
    run_month()
    delivery = Delivery.objects.first()
    claimed = datetime.now(UTC) - timedelta(seconds=60)
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENDING, claimed_at=claimed)
    Delivery.objects.exclude(pk=delivery.pk).update(status=DeliveryStatus.SENT)
    settings.EMAIL_PORT = smtp_server.port

    settings.REPORT_DELIVERY_STALE_AFTER = 600  # the claim may still be a live sender's
    assert requeue_pending(older_than=timedelta(0)).get("compliance.tasks.report_deliver", 0) == 0
    settings.REPORT_DELIVERY_STALE_AFTER = 30  # past it: the sender died
    assert requeue_pending(older_than=timedelta(0))["compliance.tasks.report_deliver"] == 1
    assert [m["X-Envelope-To"] for m in smtp_server.reports] == [delivery.email]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert requeue_pending(older_than=timedelta(0)).get("compliance.tasks.report_deliver", 0) == 0
    assert len(smtp_server.reports) == 1


def test_an_email_sent_again_after_a_dead_worker_keeps_its_message_id(
    active_contract, smtp_server, run_month, settings
):
    # The case SMTP cannot close: the server accepted the email, the worker died before
    # recording it, and the stale claim is taken up again.
    from datetime import timedelta

    from slaportal.requeue import requeue_pending

    run_month()
    first = {m["X-Envelope-To"]: m["Message-ID"] for m in smtp_server.reports}
    assert len(first) == Delivery.objects.count() == 2
    assert len(set(first.values())) == 2  # one per recipient
    assert all(
        re.fullmatch(r"<SLA-\d{4}-\d{4}\.\d{4}-\d{2}\.r1\.\d+\.[0-9a-f]{16}@[^>]+>", mid)
        for mid in first.values()
    )
    delivery = Delivery.objects.first()
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING, claimed_at=datetime.now(UTC) - timedelta(seconds=60)
    )
    settings.REPORT_DELIVERY_STALE_AFTER = 30
    requeue_pending(older_than=timedelta(0))
    again = smtp_server.reports[2:]
    assert [(m["X-Envelope-To"], m["Message-ID"]) for m in again] == [(delivery.email, first[delivery.email])]


def test_smtp_down_ends_failed_with_the_reason_and_resend_delivers_once(
    active_contract, smtp_server, run_month, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_PORT = 9
    run = run_month()
    deliveries = list(Delivery.objects.all())
    assert len(deliveries) == 2
    for delivery in deliveries:
        assert delivery.status == DeliveryStatus.FAILED
        assert delivery.attempts == django_settings.REPORT_EMAIL_RETRIES + 1
        assert "Connection refused" in delivery.reason
    assert report_runs.run_progress(run, Contract.objects.all()).failed == 1
    assert smtp_server.messages == []

    settings.EMAIL_PORT = smtp_server.port  # the server is back
    report = Report.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert reports.report_resend(report=report) == 2
    assert sorted(m["X-Envelope-To"] for m in smtp_server.reports) == [
        "alice@brightline.example",
        "hannah@harbour.example",
    ]
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    # The month's credit note failed the same way and goes with the report.
    assert sorted(m["X-Envelope-To"] for m in smtp_server.credit_notes) == [
        "alice@brightline.example",
        "hannah@harbour.example",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert reports.report_resend(report=report) == 0
    assert len(smtp_server.reports) == 2 and len(smtp_server.credit_notes) == 2
    assert report_runs.run_progress(run, Contract.objects.all()).done == 1


def test_email_retries_back_off(settings):
    settings.REPORT_EMAIL_BACKOFF = 60
    assert [email_backoff(n) for n in range(4)] == [60, 120, 240, 480]


def test_retry_waits_stay_below_the_visibility_timeout(settings):
    # A task waiting for its retry longer than the visibility timeout would be handed to a
    # second worker by Redis; a month ending hours later is waited for in shorter steps.
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    settings.REPORT_EMAIL_BACKOFF = 1000
    assert [email_backoff(n) for n in range(3)] == [1000, 1800, 1800]
    assert retry_countdown(10 * 3600) == 1800
    assert retry_countdown(0) == 1
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3}
    assert retry_countdown(120) == 1


def test_a_month_not_over_is_failed_with_the_reason(active_contract, smtp_server, run_month):
    running = f"{timezone.localtime(timezone.now(), ZoneInfo(active_contract.time_zone)):%Y-%m}"
    run = run_month(period=running)
    item = ReportRunItem.objects.get(run=run)
    assert item.status == ItemStatus.FAILED and "not over yet" in item.error
    assert smtp_server.messages == []


def test_a_month_not_started_is_failed_with_the_reason(active_contract, smtp_server, run_month):
    run = run_month(period="2099-01")
    item = ReportRunItem.objects.get(run=run)
    assert item.status == ItemStatus.FAILED and "January 2099 has not started yet." in item.error
    assert not Report.objects.exists()
    assert smtp_server.messages == []


def test_regenerate_makes_a_new_revision_only_when_the_month_changed(
    tenants, active_contract, smtp_server, run_month, django_capture_on_commit_callbacks
):
    from django.core.exceptions import ValidationError

    from compliance import services as event_services

    run_month()
    with pytest.raises(ValidationError, match="up to date"):
        reports.report_regenerate(contract=active_contract, period=PERIOD)
    event_services.events_upsert(
        kind="outages",
        contract=active_contract,
        user=tenants.provider_author,
        rows=[
            {
                "external_id": "OUT-LATE",
                "service": "Email",
                "start": "2026-03-25T10:00",
                "end": "2026-03-25T12:00",
            }
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = reports.report_regenerate(contract=active_contract, period=PERIOD, user=tenants.provider_author)
    assert run.trigger == "regenerate"
    assert list(Report.objects.order_by("revision").values_list("revision", flat=True)) == [1, 2]
    assert len(smtp_server.reports) == 4
    assert " ".join(smtp_server.reports[-1]["Subject"].split()).endswith("March 2026 (revision 2)")


def test_only_active_contracts_of_the_period_are_run(tenants, active_contract, run_month, smtp_server):
    run = run_month()
    assert list(ReportRunItem.objects.filter(run=run).values_list("contract", flat=True)) == [
        active_contract.pk
    ]
    assert run.contracts_total == 1


def test_run_monthly_command_starts_the_month(
    active_contract, smtp_server, capsys, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_monthly", "--period", PERIOD)
    assert "for 2026-03: 1 contracts" in capsys.readouterr().out
    assert len(smtp_server.reports) == 2
    with pytest.raises(CommandError):
        call_command("run_monthly", "--period", "2026-13")
    assert ReportRun.objects.count() == 1


def test_default_period_is_the_month_before():
    assert report_runs.default_report_period(datetime(2026, 4, 1, 6, tzinfo=UTC)) == "2026-03"
    assert report_runs.default_report_period(datetime(2026, 1, 1, 6, tzinfo=UTC)) == "2025-12"


def test_beat_starts_the_run_at_six_on_the_first_of_each_month():
    assert "django_celery_beat" in django_settings.INSTALLED_APPS
    from slaportal.celery import app

    entry = app.conf.beat_schedule["monthly-compliance-reports"]
    assert entry["task"] == "compliance.tasks.report_month_run"
    schedule = entry["schedule"]
    assert schedule.minute == {0} and schedule.hour == {6} and schedule.day_of_month == {1}
    assert django_settings.CELERY_TIMEZONE == django_settings.TIME_ZONE


def test_report_time_limits_stay_below_the_visibility_timeout():
    from compliance.tasks import report_make

    visibility = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert report_make.soft_time_limit < report_make.time_limit == REPORT_TIME_LIMIT < visibility
    assert django_settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    assert report_make.acks_late and django_settings.CELERY_TASK_REJECT_ON_WORKER_LOST


def test_the_email_names_credits_owed_in_hours_of_work(tenants, report_settings, smtp_server, run_month):
    from tests.compliance.compliance_fixtures import record_month
    from tests.compliance.hour_credits import hour_credit_contract
    from tests.compliance.report_support import make_active

    contract = hour_credit_contract(tenants)
    record_month(contract, tenants.provider_author, incidents=0)
    make_active(contract)
    run_month()
    message = _by_recipient(smtp_server.reports)["hannah@harbour.example"][0]
    assert "Credit due: EUR 0.00 and 1 hour of work." in body(message)
    assert "Credit due: EUR 0.00 and 1 hour of work." in " ".join(body(message, "text/html").split())
