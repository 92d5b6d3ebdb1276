"""Signing services: sending, the refusals of signature_record, completion, decline, withdraw."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone

from contracts import services
from contracts.documents.verification import signed_pdf_verify
from contracts.models import (
    Contract,
    EventKind,
    Invitation,
    RequestStatus,
    SealStatus,
    Side,
    Signature,
    SignatureAppendOnly,
    SigningEvent,
    Version,
)
from contracts.models.contract import ContractStatus
from contracts.services import signing
from tests import factories
from tests.contracts.signing_support import fast_document, sealing_key_files, send, sign, signing_settings  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing_settings", "fast_document")]


def _kinds(request):
    return list(SigningEvent.objects.filter(request=request).values_list("kind", flat=True))


def test_send_freezes_the_draft_stores_the_document_and_mails_the_first_signer(
    tenants, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = send(tenants)
    version = Version.objects.get(pk=request.version_id)
    assert version.is_frozen
    assert version.document_sha256 == request.document_sha256
    with default_storage.open(request.document.name, "rb") as stored:
        import hashlib

        assert hashlib.sha256(stored.read()).hexdigest() == request.document_sha256
    assert Contract.objects.get(pk=tenants.contract.pk).status == ContractStatus.AWAITING_SIGNATURE
    assert [(s.side, s.order) for s in request.signers.all()] == [("customer", 1), ("provider", 2)]
    assert _kinds(request) == [EventKind.SENT]
    # Only the customer's signer is asked now; the provider countersigns after.
    assert [m.to for m in mail.outbox] == [[tenants.customer_signer.email]]
    assert f"/sign/{request.pk}/" in mail.outbox[0].body


def test_send_is_refused_while_the_checker_reports_errors(tenants):
    version = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    services.clause_add(
        version=version, heading="Broken", legal_text="{{ nonsense }}", plain_text="{{ nonsense }}"
    )
    with pytest.raises(ValidationError):
        send(tenants, version=version)
    assert Version.objects.get(pk=version.pk).is_draft
    assert not signing.SignatureRequest.objects.exists()


def test_send_invites_a_customer_signer_without_an_account(tenants, django_capture_on_commit_callbacks):
    extra = [
        signing.SignerSpec(
            organisation=tenants.customer, side=Side.CUSTOMER, order=1, email="New.Signer@Harbour.example"
        )
    ]
    with django_capture_on_commit_callbacks(execute=True):
        request = send(tenants, extra=extra)
    invitation = Invitation.objects.get(email="new.signer@harbour.example")
    assert invitation.role == "signer"
    slot = request.signers.get(email="new.signer@harbour.example")
    assert slot.user is None
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["new.signer@harbour.example", "new.signer@harbour.example", tenants.customer_signer.email]
    )


def test_send_refuses_a_member_without_the_signer_role(tenants):
    with pytest.raises(ValidationError, match="not a signer"):
        send(tenants, provider_signer=tenants.provider_viewer)
    assert not signing.SignatureRequest.objects.exists()


# ---------------------------------------------------------------- refusals: nothing recorded


def test_signing_a_document_other_than_the_one_sent_is_refused(tenants):
    request = send(tenants)
    with pytest.raises(ValidationError, match="not the version sent for signature"):
        sign(request, tenants.customer_signer, shown_sha256="0" * 64)
    assert not Signature.objects.exists()


def test_signing_twice_is_refused(tenants):
    request = send(tenants)
    sign(request, tenants.customer_signer)
    with pytest.raises(ValidationError, match="already signed"):
        sign(request, tenants.customer_signer)
    assert Signature.objects.count() == 1


def test_signing_out_of_order_is_refused(tenants):
    request = send(tenants)
    with pytest.raises(ValidationError, match="must sign first"):
        sign(request, tenants.provider_admin)
    assert not Signature.objects.exists()


def test_signing_for_an_organisation_one_is_not_a_signer_of_is_refused(tenants):
    request = send(tenants)
    viewer = factories.member(tenants.customer, "viewer", "vera@harbour.example")
    with pytest.raises(ValidationError, match="not a signer for"):
        sign(request, viewer)
    with pytest.raises(ValidationError, match="not a signer for"):
        sign(request, tenants.outsider_admin)
    assert not Signature.objects.exists()


def test_a_signer_who_lost_the_role_cannot_sign(tenants):
    request = send(tenants)
    tenants.customer.memberships.filter(user=tenants.customer_signer).update(role="viewer")
    with pytest.raises(ValidationError, match="not a signer for"):
        sign(request, tenants.customer_signer)
    assert not Signature.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"agree": False}, "agree", "Tick the box"),
        ({"typed_name": "   "}, "typed_name", "Type your full name"),
        ({"typed_name": "Somebody Else"}, "typed_name", "as on your account"),
    ],
)
def test_signing_without_consent_or_own_name_is_refused(tenants, overrides, field, message):
    request = send(tenants)
    with pytest.raises(ValidationError) as caught:
        sign(request, tenants.customer_signer, **overrides)
    assert message in " ".join(caught.value.message_dict[field])
    assert not Signature.objects.exists()


# ---------------------------------------------------------------- completing


def test_the_last_signature_activates_the_contract_and_mails_the_sealed_pdf(
    tenants, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = send(tenants)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = sign(request, tenants.customer_signer)
    assert [m.to for m in mail.outbox] == [[tenants.provider_admin.email]]  # the provider's turn
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sign(request, tenants.provider_admin)
    request.refresh_from_db()
    assert request.status == RequestStatus.COMPLETED
    assert request.seal_status == SealStatus.SEALED
    contract = Contract.objects.get(pk=tenants.contract.pk)
    assert contract.status == ContractStatus.ACTIVE
    version = Version.objects.get(pk=request.version_id)
    assert version.in_force_from == max(date(2026, 1, 1), timezone.localdate())
    assert first.document_sha256 == request.document_sha256
    assert first.ip_address == "192.0.2.10" and first.user_agent == "pytest browser"
    assert "on behalf of Harbour Dental" in first.consent_text
    assert _kinds(request) == ["sent", "signed", "signed", "activated", "sealed"]
    sealed_mail = [m for m in mail.outbox if m.attachments]
    assert sorted(m.to[0] for m in sealed_mail) == sorted(
        [tenants.customer_signer.email, tenants.provider_admin.email]
    )
    # The sender and the parties' admins who did not sign are told too (without the PDF).
    told = sorted(m.to[0] for m in mail.outbox if not m.attachments)
    assert told == sorted([tenants.provider_author.email, tenants.customer_admin.email])
    with default_storage.open(request.signed_document.name, "rb") as stored:
        sealed = stored.read()
    for message in sealed_mail:
        ((filename, content, mimetype),) = message.attachments
        assert (filename, mimetype) == (
            f"{contract.reference}-v{version.number}-signed.pdf",
            "application/pdf",
        )
        assert content == sealed
    result = signed_pdf_verify(sealed)
    assert result.valid, result.report()
    assert result.request == request
    assert [s.typed_name for s in result.signatures] == ["Sam", "Alice"]


def test_sealing_fails_visibly_when_the_timestamp_authority_is_unreachable(
    tenants, settings, django_capture_on_commit_callbacks
):
    from contracts.documents.sealing import SealingFailed
    from contracts.tasks import signature_seal

    settings.SIGNING_TSA_URL = "http://127.0.0.1:9/tsa"  # discard port: nothing answers
    request = send(tenants)
    sign(request, tenants.customer_signer)
    with django_capture_on_commit_callbacks(execute=True):
        sign(request, tenants.provider_admin)
    request.refresh_from_db()
    assert request.seal_status == SealStatus.FAILED
    assert "timestamp authority http://127.0.0.1:9/tsa" in request.seal_error
    assert not request.signed_document
    assert EventKind.SEAL_FAILED in _kinds(request)
    # Outside the in-process mode the task asks Celery to retry.
    with pytest.raises(SealingFailed):
        signature_seal(request.pk)
    assert Contract.objects.get(pk=tenants.contract.pk).status == ContractStatus.ACTIVE


def test_a_failed_sealing_can_be_started_again(tenants, settings, django_capture_on_commit_callbacks):
    settings.SIGNING_TSA_URL = "http://127.0.0.1:9/tsa"
    request = send(tenants)
    sign(request, tenants.customer_signer)
    with django_capture_on_commit_callbacks(execute=True):
        sign(request, tenants.provider_admin)
    settings.SIGNING_TSA_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        signing.signature_request_seal_again(request=request)
    request.refresh_from_db()
    assert request.seal_status == SealStatus.SEALED and request.seal_error == ""


def test_decline_returns_the_contract_to_draft(tenants):
    request = send(tenants)
    with pytest.raises(ValidationError):
        signing.signature_decline(request=request, user=tenants.customer_signer, reason=" ")
    signing.signature_decline(request=request, user=tenants.customer_signer, reason="Fee too high")
    request.refresh_from_db()
    assert (request.status, request.decline_reason) == (RequestStatus.DECLINED, "Fee too high")
    assert Contract.objects.get(pk=tenants.contract.pk).status == ContractStatus.DRAFT
    with pytest.raises(ValidationError, match="declined"):
        sign(request, tenants.customer_signer)
    assert _kinds(request) == ["sent", "declined"]


def test_withdraw_and_remind(tenants, django_capture_on_commit_callbacks):
    request = send(tenants)
    with django_capture_on_commit_callbacks(execute=True):
        signing.signature_request_remind(request=request, user=tenants.provider_author)
    assert [m.subject.startswith("Reminder") for m in mail.outbox] == [True]
    signing.signature_request_withdraw(request=request, user=tenants.provider_author)
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN
    assert Contract.objects.get(pk=tenants.contract.pk).status == ContractStatus.DRAFT
    with pytest.raises(ValidationError):
        signing.signature_request_remind(request=request, user=tenants.provider_author)
    assert _kinds(request) == ["sent", "reminded", "withdrawn"]


def test_a_frozen_version_sent_again_reuses_its_document(tenants):
    first = send(tenants)
    signing.signature_request_withdraw(request=first, user=tenants.provider_author)
    again = send(tenants, version=first.version)
    assert (again.document.name, again.document_sha256) == (first.document.name, first.document_sha256)


def test_a_new_version_needs_new_signatures_and_the_signed_one_stays_in_force(tenants):
    request = send(tenants)
    sign(request, tenants.customer_signer)
    sign(request, tenants.provider_admin)
    with pytest.raises(ValidationError, match="signed already"):
        send(tenants, version=request.version)
    draft = services.version_create_draft(contract=tenants.contract, user=tenants.provider_author)
    second = send(tenants, version=draft)
    assert Contract.objects.get(pk=tenants.contract.pk).status == ContractStatus.ACTIVE
    signing.signature_decline(request=second, user=tenants.customer_signer, reason="No")
    assert Contract.objects.get(pk=tenants.contract.pk).status == ContractStatus.ACTIVE


def test_only_one_request_is_open_per_contract(tenants):
    request = send(tenants)
    with pytest.raises(ValidationError, match="already out for signature"):
        send(tenants, version=request.version)


# ---------------------------------------------------------------- append-only


def test_signatures_are_append_only(tenants):
    request = send(tenants)
    signature = sign(request, tenants.customer_signer)
    signature.typed_name = "Someone else"
    with pytest.raises(SignatureAppendOnly):
        signature.save()
    with pytest.raises(SignatureAppendOnly):
        signature.delete()
    with pytest.raises(SignatureAppendOnly):
        Signature.objects.filter(pk=signature.pk).update(typed_name="Forged")
    with pytest.raises(SignatureAppendOnly):
        Signature.objects.all().delete()
    with pytest.raises(SignatureAppendOnly):
        Signature.objects.bulk_update([signature], ["typed_name"])
    assert Signature.objects.get(pk=signature.pk).typed_name == "Sam"
