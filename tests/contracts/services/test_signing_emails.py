"""Signing emails and the seal are done once: a task delivered twice, retried, or running
next to another copy of itself sends each email once and records one signed PDF."""

import errno

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.files.storage import default_storage

from contracts.documents import sealing
from contracts.documents.sealing import SealingFailed
from contracts.documents.verification import signed_pdf_verify
from contracts.models import EventKind, SealStatus, Signer, SigningEvent
from contracts.services import emails, signing
from contracts.tasks import signature_email_signer, signature_seal
from tests.contracts.signing_support import fast_document, sealing_key_files, send, sign, signing_settings  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing_settings", "fast_document")]

real_email_send = emails.email_send


def smtp_down(**kwargs):
    raise ConnectionRefusedError("SMTP server unreachable")


def _customer_slot(request) -> Signer:
    return request.signers.get(side="customer")


def _completed(tenants, django_capture_on_commit_callbacks):
    """A request every party has signed, not sealed yet: the seal task was not run."""
    request = send(tenants)
    sign(request, tenants.customer_signer)
    with django_capture_on_commit_callbacks(execute=False):
        sign(request, tenants.provider_admin)
    mail.outbox.clear()
    return request


def _sealed(tenants, django_capture_on_commit_callbacks):
    """A sealed request whose signed PDF has not been emailed yet."""
    request = _completed(tenants, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False):
        assert signing.signature_request_seal(request_id=request.pk) is True
    request.refresh_from_db()
    return request


# ---------------------------------------------------------------- the signing link


def test_signer_email_is_sent_once_when_another_copy_runs_during_the_send(tenants, monkeypatch):
    request = send(tenants)  # its email task was not run: the send is still to do
    slot = _customer_slot(request)
    copies = []

    def send_while_another_copy_runs(**kwargs):
        if not copies:
            copies.append(signing.signer_email_send(signer_id=slot.pk))
        real_email_send(**kwargs)

    monkeypatch.setattr(emails, "email_send", send_while_another_copy_runs)
    assert signing.signer_email_send(signer_id=slot.pk) is True
    assert copies == [False]
    assert [m.to for m in mail.outbox] == [[tenants.customer_signer.email]]


def test_a_redelivered_signer_email_task_sends_nothing(tenants, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = send(tenants)
    assert len(mail.outbox) == 1
    assert signature_email_signer.apply(args=(_customer_slot(request).pk,)).get() is False
    assert len(mail.outbox) == 1


def test_failed_signer_email_is_not_counted_and_the_retry_sends_it(tenants, monkeypatch):
    request = send(tenants)
    slot = _customer_slot(request)
    monkeypatch.setattr(emails, "email_send", smtp_down)
    with pytest.raises(ConnectionRefusedError):
        signing.signer_email_send(signer_id=slot.pk)
    slot.refresh_from_db()
    assert slot.notified_at is None  # not counted as sent

    monkeypatch.setattr(emails, "email_send", real_email_send)
    assert signing.signer_email_send(signer_id=slot.pk) is True
    slot.refresh_from_db()
    assert slot.notified_at is not None
    assert [m.to for m in mail.outbox] == [[tenants.customer_signer.email]]


def test_a_failed_reminder_keeps_the_first_email_recorded(
    tenants, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = send(tenants)
    slot = _customer_slot(request)
    notified_at = Signer.objects.get(pk=slot.pk).notified_at
    monkeypatch.setattr(emails, "email_send", smtp_down)
    with pytest.raises(ConnectionRefusedError):
        signing.signer_email_send(signer_id=slot.pk, reminder=True)
    assert Signer.objects.get(pk=slot.pk).notified_at == notified_at


# ---------------------------------------------------------------- the signed PDF


def test_signed_pdf_email_is_sent_once_when_another_copy_runs_during_the_send(
    tenants, monkeypatch, django_capture_on_commit_callbacks
):
    request = _sealed(tenants, django_capture_on_commit_callbacks)
    slot = _customer_slot(request)
    copies = []

    def send_while_another_copy_runs(**kwargs):
        if not copies:
            copies.append(signing.signed_pdf_email_send(signer_id=slot.pk))
        real_email_send(**kwargs)

    monkeypatch.setattr(emails, "email_send", send_while_another_copy_runs)
    assert signing.signed_pdf_email_send(signer_id=slot.pk) is True
    assert copies == [False]
    assert [m.to for m in mail.outbox] == [[tenants.customer_signer.email]]
    assert signing.signed_pdf_email_send(signer_id=slot.pk) is False
    assert len(mail.outbox) == 1


def test_failed_signed_pdf_email_is_not_counted_and_the_retry_sends_it(
    tenants, monkeypatch, django_capture_on_commit_callbacks
):
    request = _sealed(tenants, django_capture_on_commit_callbacks)
    slot = _customer_slot(request)
    monkeypatch.setattr(emails, "email_send", smtp_down)
    with pytest.raises(ConnectionRefusedError):
        signing.signed_pdf_email_send(signer_id=slot.pk)
    assert Signer.objects.get(pk=slot.pk).signed_pdf_sent_at is None

    monkeypatch.setattr(emails, "email_send", real_email_send)
    assert signing.signed_pdf_email_send(signer_id=slot.pk) is True
    assert Signer.objects.get(pk=slot.pk).signed_pdf_sent_at is not None
    ((filename, content, _mimetype),) = mail.outbox[0].attachments
    assert signed_pdf_verify(content).valid


# ---------------------------------------------------------------- the seal


def _kinds(request):
    return list(SigningEvent.objects.filter(request=request).values_list("kind", flat=True))


def test_two_copies_sealing_at_once_record_and_mail_one_signed_pdf(
    tenants, monkeypatch, django_capture_on_commit_callbacks
):
    request = _completed(tenants, django_capture_on_commit_callbacks)
    real_seal_pdf = sealing.seal_pdf
    started, copies = [], []

    def seal_while_another_copy_seals(data, **kwargs):
        if not started:
            started.append(True)
            copies.append(signing.signature_request_seal(request_id=request.pk))
        return real_seal_pdf(data, **kwargs)

    monkeypatch.setattr(sealing, "seal_pdf", seal_while_another_copy_seals)
    with django_capture_on_commit_callbacks(execute=True):
        assert signing.signature_request_seal(request_id=request.pk) is False
    assert copies == [True]
    request.refresh_from_db()
    assert request.seal_status == SealStatus.SEALED
    assert _kinds(request).count(EventKind.SEALED) == 1
    with default_storage.open(request.signed_document.name, "rb") as stored:
        sealed = stored.read()
    # The losing copy's file is not left behind.
    _dirs, files = default_storage.listdir("signing")
    assert sorted(files) == sorted(
        name.split("/")[-1] for name in (request.document.name, request.signed_document.name)
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [tenants.customer_signer.email, tenants.provider_admin.email]
    )
    for message in mail.outbox:
        ((_filename, content, _mimetype),) = message.attachments
        assert content == sealed
    assert signed_pdf_verify(sealed).valid


def test_a_copy_that_fails_after_another_sealed_does_not_mark_the_seal_failed(
    tenants, monkeypatch, django_capture_on_commit_callbacks
):
    request = _completed(tenants, django_capture_on_commit_callbacks)
    real_seal_pdf = sealing.seal_pdf
    started, copies = [], []

    def fail_after_another_copy_sealed(data, **kwargs):
        if not started:
            started.append(True)
            copies.append(signing.signature_request_seal(request_id=request.pk))
            raise SealingFailed("the timestamp authority http://tsa.example could not be used")
        return real_seal_pdf(data, **kwargs)

    monkeypatch.setattr(sealing, "seal_pdf", fail_after_another_copy_sealed)
    with django_capture_on_commit_callbacks(execute=False):
        assert signing.signature_request_seal(request_id=request.pk) is False
    request.refresh_from_db()
    assert (request.seal_status, request.seal_error) == (SealStatus.SEALED, "")
    assert EventKind.SEAL_FAILED not in _kinds(request)


def test_an_unreachable_timestamp_authority_makes_the_task_retry(
    tenants, settings, monkeypatch, django_capture_on_commit_callbacks
):
    request = _completed(tenants, django_capture_on_commit_callbacks)
    settings.SIGNING_TSA_URL = "http://127.0.0.1:9/tsa"  # discard port: nothing answers
    retried = []

    def retry(*, exc, **kwargs):
        retried.append(exc)
        return Retry(exc=exc)

    monkeypatch.setattr(signature_seal, "retry", retry)
    with pytest.raises(Retry):
        signature_seal(request.pk)
    assert len(retried) == 1 and isinstance(retried[0], SealingFailed)
    assert "http://127.0.0.1:9/tsa" in str(retried[0])
    request.refresh_from_db()
    assert request.seal_status == SealStatus.FAILED and not request.signed_document


def test_a_full_disk_while_storing_the_signed_pdf_is_recorded_and_retried(
    tenants, monkeypatch, django_capture_on_commit_callbacks
):
    request = _completed(tenants, django_capture_on_commit_callbacks)

    def disk_full(name, content, max_length=None):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(default_storage, "save", disk_full)
    with pytest.raises(SealingFailed, match="No space left"):
        signing.signature_request_seal(request_id=request.pk)
    request.refresh_from_db()
    assert request.seal_status == SealStatus.FAILED
    assert "No space left" in request.seal_error
    assert EventKind.SEAL_FAILED in _kinds(request)
