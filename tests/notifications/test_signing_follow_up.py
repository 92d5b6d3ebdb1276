"""Reminders every N days until signed, and the deadline after which a request expires and
its sender is told; on fixed clocks."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from contracts.models import RequestStatus, SigningEvent
from contracts.models.contract import ContractStatus
from contracts.services import signing
from notifications.models import Kind, Notification
from tests import factories
from tests.contracts.signing_support import fast_document, sealing_key_files, send, signing_settings  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing_settings", "fast_document")]


def _reminders():
    return [m for m in mail.outbox if "sam@harbour.example" in m.to]


def test_signers_are_reminded_every_n_days_until_the_deadline(tenants, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = send(tenants)
    sent = request.created_at
    assert request.remind_every_days == 3 and request.expires_at - sent == timedelta(days=14)
    assert len(_reminders()) == 1  # the request itself
    for days, expected in ((2, 1), (3, 2), (3.5, 2), (6, 3), (9, 4), (12, 5), (13.9, 5)):
        with django_capture_on_commit_callbacks(execute=True):
            signing.signature_requests_follow_up(now=sent + timedelta(days=days, seconds=1))
        assert len(_reminders()) == expected, days
    assert SigningEvent.objects.filter(request=request, kind="reminded").count() == 4
    # Only the signer at turn: the provider's admin signs second and is not reminded.
    assert not [m for m in mail.outbox if "alice@brightline.example" in m.to]


def test_a_request_expires_at_its_deadline_and_the_sender_is_told(
    tenants, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = send(tenants)
    type(request).objects.filter(pk=request.pk).update(remind_every_days=0)  # reminders tested above
    mail.outbox.clear()
    deadline = request.expires_at
    with django_capture_on_commit_callbacks(execute=True):
        assert signing.signature_requests_follow_up(now=deadline - timedelta(seconds=1))["expired"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert signing.signature_requests_follow_up(now=deadline) == {"expired": 1, "reminded": 0}
    request.refresh_from_db()
    tenants.contract.refresh_from_db()
    assert request.status == RequestStatus.EXPIRED
    assert tenants.contract.status == ContractStatus.DRAFT
    told = Notification.objects.get(kind=Kind.SIGNATURE_EXPIRED)
    assert told.recipient == tenants.provider_author and "expired unsigned" in told.title
    assert [m.to for m in mail.outbox] == [["arthur@brightline.example"]]
    assert "expired unsigned" in mail.outbox[0].subject and mail.outbox[0].alternatives
    # Expired: it cannot be signed, and a second run tells nobody again.
    with django_capture_on_commit_callbacks(execute=True):
        assert signing.signature_requests_follow_up(now=deadline + timedelta(days=1))["expired"] == 0
    assert len(mail.outbox) == 1


def test_the_sender_sets_the_interval_and_the_deadline(tenants, django_capture_on_commit_callbacks):
    version = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    with django_capture_on_commit_callbacks(execute=True):
        request = signing.signature_request_send(
            version=version,
            user=tenants.provider_author,
            signers=[
                signing.SignerSpec(
                    organisation=tenants.customer, side="customer", order=1, user=tenants.customer_signer
                ),
                signing.SignerSpec(
                    organisation=tenants.provider, side="provider", order=2, user=tenants.provider_admin
                ),
            ],
            remind_every_days=0,
            deadline_days=30,
        )
    assert request.expires_at - request.created_at == timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        signing.signature_requests_follow_up(now=timezone.now() + timedelta(days=29))
    assert len(_reminders()) == 1


def test_bad_intervals_are_refused(tenants):
    version = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    for changes in ({"remind_every_days": -1}, {"deadline_days": 0}):
        with pytest.raises(Exception) as raised:
            signing.signature_request_send(
                version=version, user=tenants.provider_author, signers=[], **changes
            )
        assert "days" in str(raised.value)
