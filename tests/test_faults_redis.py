"""Redis (the Celery broker) unavailable: the web app keeps working, background work stays
pending in the database and is queued again once the broker is back."""

import logging
import os
import time
from contextlib import contextmanager
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from compliance.models import ItemStatus, ReportRunItem
from compliance.services import reports
from contracts.models import Invitation
from slaportal.celery import app
from slaportal.queueing import enqueue, enqueue_on_commit
from slaportal.requeue import requeue_pending

CLOSED_PORT_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def _reset_pools() -> None:
    # Dropped, not closed: kombu keeps one pool per broker URL and hands it out again.
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


@contextmanager
def broker_at(url: str):
    """The web process publishes to ``url`` (not eagerly) inside the block."""
    # Celery reads the CELERY_BROKER_URL environment variable before its configuration.
    previous = app.conf.broker_url, app.conf.task_always_eager, os.environ.get("CELERY_BROKER_URL")
    _reset_pools()
    os.environ["CELERY_BROKER_URL"] = url
    app.conf.broker_url, app.conf.task_always_eager = url, False
    try:
        yield
    finally:
        _reset_pools()
        app.conf.broker_url, app.conf.task_always_eager, environ_url = previous
        if environ_url is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = environ_url


def invite(client, org, email):
    data = {"email": email, "role": "viewer", "receives_reports": "on"}
    return client.post(reverse("contracts:invitation_create", args=[org.slug]), data)


# ---------------------------------------------------------------- broker down, web up


def test_publish_to_an_unreachable_broker_is_quick_logged_and_not_raised(caplog):
    from contracts.tasks import invitation_send_email

    with broker_at(CLOSED_PORT_BROKER), caplog.at_level(logging.WARNING, "slaportal.queueing"):
        started = time.monotonic()
        assert enqueue(invitation_send_email, 12345) is False
        assert time.monotonic() - started < 5
    assert "Could not queue contracts.tasks.invitation_send_email(12345,)" in caplog.text
    assert "broker unreachable" in caplog.text


@pytest.mark.django_db
def test_invitation_is_saved_and_answered_quickly_while_redis_is_down(
    tenants, client_for, caplog, django_capture_on_commit_callbacks
):
    client = client_for(tenants.provider_admin)
    with broker_at(CLOSED_PORT_BROKER), caplog.at_level(logging.WARNING, "slaportal.queueing"):
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = invite(client, tenants.provider, "new@provider.example")
        elapsed = time.monotonic() - started
        assert response.status_code == 302
        assert elapsed < 5
        # The page showing the invitation renders, and says the email has not gone out.
        page = client.get(reverse("contracts:organisation_detail", args=[tenants.provider.slug]))
    assert page.status_code == 200
    assert "new@provider.example" in page.content.decode()
    assert "email not sent yet" in page.content.decode()
    invitation = Invitation.objects.get(email="new@provider.example")
    assert invitation.email_sent_at is None
    assert "Could not queue contracts.tasks.invitation_send_email" in caplog.text
    assert mail.outbox == []


@pytest.mark.django_db
def test_pages_and_api_work_while_redis_is_down(tenants, client_for):
    client = client_for(tenants.provider_admin)
    contract = tenants.contract
    with broker_at(CLOSED_PORT_BROKER):
        for path in [
            reverse("compliance:dashboard"),
            reverse("contracts:organisation_detail", args=[tenants.provider.slug]),
            reverse("contracts:contract_detail", args=[contract.reference]),
            reverse("compliance:profile"),
            "/api/v1/contracts/",
        ]:
            started = time.monotonic()
            response = client.get(path)
            assert response.status_code == 200, path
            assert time.monotonic() - started < 5, path


@pytest.mark.django_db
def test_monthly_run_started_while_redis_is_down_stays_pending(
    tenants, caplog, django_capture_on_commit_callbacks
):
    with (
        broker_at(CLOSED_PORT_BROKER),
        caplog.at_level(logging.WARNING, "slaportal.queueing"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        run = reports.report_run_start(period="2026-01", contracts=[tenants.contract])
    assert list(run.items.values_list("status", flat=True)) == [ItemStatus.PENDING]
    assert "Could not queue compliance.tasks.report_make" in caplog.text


@pytest.mark.django_db
def test_task_errors_still_propagate_without_a_broker(django_capture_on_commit_callbacks):
    """Eager (no broker): only broker errors are absorbed, a task's own error is not."""
    from celery import shared_task

    @shared_task(name="tests.faults.boom")
    def boom():
        raise ValueError("the task's own error")

    with pytest.raises(ValueError), django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(boom)


# ---------------------------------------------------------------- requeue


def _pending_invitation(tenants, email="late@harbour.example", age=timedelta(minutes=10)) -> Invitation:
    """An invitation whose email task was lost (as if the broker was down)."""
    invitation = Invitation.objects.create(
        organisation=tenants.customer,
        email=email,
        role="viewer",
        invited_by=tenants.customer_admin,
        expires_at=timezone.now() + timedelta(days=7),
    )
    Invitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - age)
    return invitation


@pytest.mark.django_db
def test_requeue_sends_pending_work_once_and_leaves_recent_work_alone(tenants):
    old = _pending_invitation(tenants)
    recent = _pending_invitation(tenants, "recent@harbour.example", age=timedelta(seconds=10))
    item = ReportRunItem.objects.create(
        run=reports.ReportRun.objects.create(
            period="2026-01", started_at=timezone.now() - timedelta(hours=1), contracts_total=1
        ),
        contract=tenants.contract,
    )

    counts = requeue_pending()
    assert counts["contracts.tasks.invitation_send_email"] == 1
    assert counts["compliance.tasks.report_make"] == 1
    assert [m.to for m in mail.outbox] == [["late@harbour.example"]]
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.email_sent_at is not None and recent.email_sent_at is None
    item.refresh_from_db()
    assert item.status != ItemStatus.PENDING

    # Again: nothing more to do, nothing sent twice.
    assert requeue_pending().get("contracts.tasks.invitation_send_email", 0) == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_requeue_leaves_withdrawn_expired_and_very_old_invitations(tenants):
    withdrawn = _pending_invitation(tenants, "withdrawn@harbour.example")
    Invitation.objects.filter(pk=withdrawn.pk).update(revoked_at=timezone.now())
    expired = _pending_invitation(tenants, "expired@harbour.example")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    _pending_invitation(tenants, "ancient@harbour.example", age=timedelta(days=60))
    assert requeue_pending() == {}
    assert mail.outbox == []


@pytest.mark.django_db
def test_requeue_command(tenants):
    _pending_invitation(tenants)
    out = StringIO()
    call_command("requeue_pending", "--older-than", "60", stdout=out)
    assert "contracts.tasks.invitation_send_email: 1" in out.getvalue()
    assert "Queued 1 tasks, skipped 0." in out.getvalue()
    assert len(mail.outbox) == 1


def test_requeue_runs_on_beat_and_is_known_to_workers():
    entry = settings.CELERY_BEAT_SCHEDULE["requeue-pending-work"]
    assert entry["task"] == "slaportal.requeue.requeue_pending_work"
    assert entry["schedule"] == float(settings.REQUEUE_PENDING_AFTER)
    app.loader.import_default_modules()
    assert "slaportal.requeue.requeue_pending_work" in app.tasks


# ---------------------------------------------------------------- with a real worker


@pytest.mark.worker
def test_invitation_made_while_redis_was_down_is_sent_once_when_it_is_back(
    celery_worker_process, smtp_server, tenants, client_for, caplog
):
    client = client_for(tenants.provider_admin)
    with broker_at(CLOSED_PORT_BROKER), caplog.at_level(logging.WARNING, "slaportal.queueing"):
        started = time.monotonic()
        response = invite(client, tenants.provider, "back@provider.example")
        assert response.status_code == 302
        assert time.monotonic() - started < 5
    assert "Could not queue contracts.tasks.invitation_send_email" in caplog.text
    invitation = Invitation.objects.get(email="back@provider.example")
    assert invitation.email_sent_at is None
    time.sleep(1)
    assert smtp_server.messages == []

    # Redis is back (the real broker): the beat task queues the lost work again.
    counts = requeue_pending(older_than=timedelta(0))
    assert counts["contracts.tasks.invitation_send_email"] == 1
    messages = smtp_server.wait_for(1)
    assert [m["X-Envelope-To"] for m in messages] == ["back@provider.example"]
    deadline = time.monotonic() + 20
    while invitation.email_sent_at is None and time.monotonic() < deadline:
        time.sleep(0.05)
        invitation.refresh_from_db()
    assert invitation.email_sent_at is not None

    # A second round finds nothing pending; nothing is sent twice.
    assert requeue_pending(older_than=timedelta(0)).get("contracts.tasks.invitation_send_email", 0) == 0
    time.sleep(1)
    assert len(smtp_server.messages) == 1
