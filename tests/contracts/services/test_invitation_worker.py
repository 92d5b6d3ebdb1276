"""With a broker configured, invitation emails are sent by a real Celery worker over SMTP."""

import time

import pytest

from contracts import services
from contracts.models import Invitation

pytestmark = [pytest.mark.worker]


def test_real_worker_sends_the_invitation_once(celery_worker_process, smtp_server, tenants):
    invitation = services.invitation_create(
        organisation=tenants.customer,
        email="worker@harbour.example",
        role="viewer",
        receives_reports=True,
        invited_by=tenants.customer_admin,
    )
    messages = smtp_server.wait_for(1)
    assert len(messages) == 1
    assert messages[0]["X-Envelope-To"] == "worker@harbour.example"
    assert "Harbour Dental" in messages[0]["Subject"]
    # The worker records the send after the SMTP server has accepted the message.
    deadline = time.monotonic() + 20
    invitation.refresh_from_db()
    while invitation.email_sent_at is None and time.monotonic() < deadline:
        time.sleep(0.05)
        invitation.refresh_from_db()
    assert invitation.email_sent_at is not None

    # Running the task again (a redelivery) does not send a second email.
    from contracts.tasks import invitation_send_email

    assert invitation_send_email.delay(invitation.pk).get(timeout=20) is False
    assert len(smtp_server.messages) == 1
    assert Invitation.objects.count() == 1
