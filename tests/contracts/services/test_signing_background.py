"""Sending for signature with a worker: the click stores the request at once, the worker
renders the document to sign and only then are the signers emailed."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone

from contracts import requeue
from contracts.models import RequestStatus, SignatureRequest
from contracts.selectors.signing import signing_panel
from contracts.services import signing
from tests.contracts.signing_support import fast_document, sealing_key_files, send, sign, signing_settings  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing_settings", "fast_document")]


@pytest.fixture
def queued(monkeypatch):
    """A worker is configured: queued work is recorded here instead of running."""
    calls: list[tuple] = []
    monkeypatch.setattr(signing, "runs_in_background", lambda: True)
    monkeypatch.setattr(
        signing, "enqueue_on_commit", lambda task, *args, **kwargs: calls.append((task, args))
    )
    return calls


def test_send_with_a_worker_stores_the_request_and_queues_the_document(tenants, queued):
    request = send(tenants)
    assert request.document.name == "" and request.document_sha256 == ""
    assert queued == [("contracts.tasks.signature_document_prepare", (request.pk,))]
    assert request.signers.filter(notified_at__isnull=False).count() == 0
    panel = signing_panel(tenants.contract, tenants.provider_author, author=True)
    assert panel.preparing and panel.in_progress and not panel.sealing


def test_prepare_stores_the_document_then_emails_the_first_signer_once(tenants, queued):
    request = send(tenants)
    queued.clear()
    assert signing.signature_request_prepare(request_id=request.pk) is True
    request.refresh_from_db()
    assert default_storage.exists(request.document.name)
    assert len(request.document_sha256) == 64
    assert request.version.document_sha256 == request.document_sha256
    first = request.signers.get(order=1)
    assert queued == [("contracts.tasks.signature_email_signer", (first.pk, False))]
    # A second copy of the task (a requeue) does nothing.
    assert signing.signature_request_prepare(request_id=request.pk) is False
    assert len(queued) == 1
    assert not signing_panel(tenants.contract, tenants.provider_author, author=True).in_progress


def test_nobody_signs_or_is_reminded_before_the_document_is_ready(tenants, queued):
    request = send(tenants)
    with pytest.raises(ValidationError, match="still being prepared"):
        sign(request, tenants.customer_signer, shown_sha256="")
    with pytest.raises(ValidationError, match="still being prepared"):
        signing.signature_request_remind(request=request, user=tenants.provider_author)
    assert signing_panel(tenants.contract, tenants.customer_signer, author=False).my_slot is None


def test_a_withdrawn_request_is_not_prepared(tenants, queued):
    request = send(tenants)
    signing.signature_request_withdraw(request=request, user=tenants.provider_author)
    assert signing.signature_request_prepare(request_id=request.pk) is False
    assert SignatureRequest.objects.get(pk=request.pk).document.name == ""


def test_requeue_queues_a_document_still_to_prepare(tenants, queued):
    request = send(tenants)
    now = timezone.now()
    work = requeue.pending_work(now=now, cutoff=now + timedelta(minutes=1), since=now - timedelta(days=1))
    assert ("contracts.tasks.signature_document_prepare", (request.pk,)) in work
    assert request.status == RequestStatus.OPEN


def test_the_polled_panel_shows_the_progress_to_members_and_404_to_the_outsider(tenants, queued, client_for):
    send(tenants)
    url = f"/contracts/{tenants.contract.reference}/sign/panel/"
    body = client_for(tenants.provider_author).get(url).content.decode()
    assert "Preparing the document to sign" in body and f'hx-get="{url}"' in body
    assert "Read and sign" not in client_for(tenants.customer_signer).get(url).content.decode()
    assert client_for(tenants.outsider_admin).get(url).status_code == 404
    assert client_for(tenants.provider_author).post(url).status_code == 405
