"""Notification emails through real Celery workers on Redis and a real SMTP server: each
person gets each notification, and each digest, exactly once even when the worker is killed
(SIGKILL) in the middle of sending and another one takes over."""

from __future__ import annotations

import time

import pytest

from contracts.models import Role
from notifications import services
from notifications.models import Delivery, Kind, Notification, Preference
from tests import factories
from tests.compliance.report_support import (
    report_key_files_fixture,  # noqa: F401 - fixture
    report_settings_fixture,  # noqa: F401 - fixture
)
from tests.compliance.services.test_monthly_run_worker import (
    SMTP_DELAY,
    STALE_AFTER,
    VISIBILITY_TIMEOUT,
    _wait,
)
from tests.compliance.services.test_monthly_run_worker import workers as workers  # noqa: F401 - fixture

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PEOPLE = 4


def _sending() -> bool:
    return Notification.objects.filter(email_claimed_at__isnull=False, emailed_at=None).exists()


def _all_emailed() -> bool:
    return not Notification.objects.exclude(delivery=Delivery.OFF).filter(emailed_at=None).exists()


def _distinct_emails(smtp_server) -> dict[tuple[str, str], int]:
    """Per (recipient, subject): how many distinct emails (by Message-ID) arrived. A copy the
    server took just as its worker died carries the same Message-ID: the same email."""
    seen: dict[tuple[str, str], set[str]] = {}
    for message in smtp_server.messages:
        key = (message["X-Envelope-To"], " ".join(message["Subject"].split()))
        seen.setdefault(key, set()).add(message["Message-ID"])
    return {key: len(ids) for key, ids in seen.items()}


def test_each_notification_and_digest_is_emailed_once_with_a_worker_killed_mid_send(
    tenants, workers, smtp_server
):
    people = [
        factories.member(tenants.provider, Role.AUTHOR, f"p{n}@brightline.example") for n in range(PEOPLE)
    ]
    digest_reader = factories.member(tenants.provider, Role.AUTHOR, "digest@brightline.example")
    Preference.objects.create(user=digest_reader, kind=Kind.WARNING, delivery=Delivery.DIGEST)
    smtp_server.delay = SMTP_DELAY
    worker = workers(NOTIFICATION_EMAIL_STALE_AFTER=str(STALE_AFTER))

    for n in range(2):
        services.notify(
            users=[*people, digest_reader],
            kind=Kind.WARNING,
            key=f"warning:test-{n}",
            contract=tenants.contract,
            title=f"{tenants.contract.reference}: warning {n}",
            body="A target is close.",
        )
    assert services.digests_send() == 1

    _wait(_sending, 60, "a notification email being sent", [worker.log_path])
    worker.kill()
    time.sleep(max(VISIBILITY_TIMEOUT, STALE_AFTER) + 1)
    worker = workers(NOTIFICATION_EMAIL_STALE_AFTER=str(STALE_AFTER))
    _wait(_all_emailed, 120, "every notification emailed", [worker.log_path])
    time.sleep(2 * SMTP_DELAY)  # nothing else arrives late

    received = _distinct_emails(smtp_server)
    assert set(received.values()) == {1}
    expected = {
        (person.email, f"{tenants.contract.reference}: warning {n}") for person in people for n in range(2)
    }
    assert expected <= set(received)
    digests = [key for key in received if key[0] == digest_reader.email]
    assert len(digests) == 1 and "2" in digests[0][1]  # one digest holding both
    assert len(received) == len(expected) + 1
