"""Signing and invitation work still to do, read back from its records (see ``slaportal.requeue``):
an invitation still valid whose email was not sent, a request whose signable document is still
to be prepared, a signer whose turn it is and who was not emailed, a completed request still
waiting for its seal, a signer not yet sent the signed PDF."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Max

from contracts.models import Invitation, SignatureRequest, Signer
from contracts.models.signing import RequestStatus, SealStatus, SignerStatus
from contracts.services.signing import signers_at_turn


def pending_work(*, now: datetime, cutoff: datetime, since: datetime) -> list[tuple[str, tuple]]:
    """(task name, args) of the work recorded after ``since`` and pending since before ``cutoff``."""
    work: list[tuple[str, tuple]] = []
    invitations = Invitation.objects.filter(
        email_sent_at=None, accepted_at=None, revoked_at=None, expires_at__gt=now
    ).filter(created_at__lt=cutoff, created_at__gte=since)
    work += [
        ("contracts.tasks.invitation_send_email", (pk,)) for pk in invitations.values_list("pk", flat=True)
    ]

    # Signing: the request's last timeline event (sent, a signature, completion, a failed
    # seal) is when the current step began.
    requests = SignatureRequest.objects.annotate(last_event=Max("events__at")).filter(created_at__gte=since)
    for request in requests.filter(status=RequestStatus.OPEN):
        if not request.document and request.created_at < cutoff:
            work.append(("contracts.tasks.signature_document_prepare", (request.pk,)))
            continue
        if (request.last_event or request.created_at) < cutoff:
            work += [
                ("contracts.tasks.signature_email_signer", (s.pk, False))
                for s in signers_at_turn(request)
                if s.notified_at is None
            ]
    sealing = requests.filter(status=RequestStatus.COMPLETED, seal_status=SealStatus.PENDING)
    for request in sealing:
        if (request.last_event or request.closed_at or request.created_at) < cutoff:
            work.append(("contracts.tasks.signature_seal", (request.pk,)))
    unsent_pdfs = Signer.objects.filter(
        request__seal_status=SealStatus.SEALED,
        request__sealed_at__lt=cutoff,
        request__sealed_at__gte=since,
        status=SignerStatus.SIGNED,
        signed_pdf_sent_at=None,
    )
    work += [
        ("contracts.tasks.signature_email_signed_pdf", (pk,))
        for pk in unsent_pdfs.values_list("pk", flat=True)
    ]

    return work
