"""The signing lifecycle told: a decline to the sender and the provider's signers with the
reason; the last signature to the sender, the signers and both parties."""

import pytest
from django.core import mail

from contracts.services import signing
from notifications.models import Kind, Notification
from tests.contracts.signing_support import fast_document, sealing_key_files, send, sign, signing_settings  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing_settings", "fast_document")]


def _told(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def test_a_decline_reaches_the_sender_and_the_providers_signers(tenants, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = send(tenants)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        signing.signature_decline(
            request=request, user=tenants.customer_signer, reason="The fee is too high."
        )
    # The sender (an author) and the provider's admin, who signs for it.
    assert _told(Kind.SIGNATURE_DECLINED) == ["alice@brightline.example", "arthur@brightline.example"]
    emailed = {m.to[0]: m for m in mail.outbox}
    assert sorted(emailed) == ["alice@brightline.example", "arthur@brightline.example"]
    message = emailed["arthur@brightline.example"]
    assert "declined by" in message.subject and tenants.contract.reference in message.subject
    assert "Reason given: The fee is too high." in message.body
    assert "The fee is too high." in message.alternatives[0][0]
    assert not Notification.objects.filter(recipient=tenants.outsider_admin).exists()


def test_the_last_signature_tells_the_sender_and_both_parties(tenants, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = send(tenants)
        sign(request, tenants.customer_signer)
    assert _told(Kind.CONTRACT_SIGNED) == []
    with django_capture_on_commit_callbacks(execute=True):
        sign(request, tenants.provider_admin)
    assert _told(Kind.CONTRACT_SIGNED) == [
        "alice@brightline.example",
        "arthur@brightline.example",
        "hannah@harbour.example",
        "sam@harbour.example",
    ]
    # The signers have the sealed PDF by email: the others are emailed that it is signed.
    told = sorted(m.to[0] for m in mail.outbox if "signed by every party" in m.subject)
    assert told == ["arthur@brightline.example", "hannah@harbour.example"]


def test_a_request_to_sign_is_shown_to_the_signers(tenants, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(tenants)
    assert _told(Kind.SIGNATURE_REQUESTED) == ["alice@brightline.example", "sam@harbour.example"]
    # Their invitation to sign is the signing's own email: no second one.
    assert not any("awaits your signature" in m.subject for m in mail.outbox)
