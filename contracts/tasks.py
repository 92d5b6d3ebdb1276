import logging

from celery import shared_task

import slaportal.celery  # noqa: F401  (the portal's app, so its tasks bind to it)
from contracts import services
from contracts.documents.contract_pdf import contract_pdf
from contracts.documents.sealing import SealingFailed
from contracts.models import Version
from contracts.selectors.reading import version_reading
from contracts.services import renewals, signing
from contracts.services.signing import (
    signature_request_prepare,
    signature_request_seal,
    signed_pdf_email_send,
    signer_email_send,
)

logger = logging.getLogger(__name__)


def _retry_later(task, exc: OSError) -> bool:
    """Retry an email that the mail server refused. Run in-process (no broker), the request
    that queued it has already committed its change: the email stays recorded as unsent
    (shown on its page, sent by ``requeue_pending``) rather than turning into an error page."""
    if task.request.is_eager:
        logger.warning(
            "%s%r: the email could not be sent (%s); it stays pending.", task.name, task.request.args, exc
        )
        return False
    raise task.retry(exc=exc) from exc


@shared_task(bind=True, max_retries=5, default_retry_delay=30, acks_late=True)
def invitation_send_email(self, invitation_id: int) -> bool:
    try:
        return services.invitation_email_send(invitation_id=invitation_id)
    except OSError as exc:  # SMTP connection problems: try again later
        return _retry_later(self, exc)


# ---------------------------------------------------------------- signing


@shared_task(bind=True, max_retries=5, default_retry_delay=30, acks_late=True)
def signature_email_signer(self, signer_id: int, reminder: bool = False) -> bool:

    try:
        return signer_email_send(signer_id=signer_id, reminder=reminder)
    except OSError as exc:  # SMTP connection problems: try again later
        return _retry_later(self, exc)


@shared_task(acks_late=True)
def contract_pdf_render(version_id: int, rendering: str) -> bool:
    """Render a version's PDF into the document cache, for the download page waiting on it."""
    version = Version.objects.select_related("contract").get(pk=version_id)
    contract_pdf(version_reading(version), rendering=rendering, cached=True)
    return True


@shared_task(acks_late=True)
def signature_document_prepare(request_id: int) -> bool:
    """Render and store the signable document of a request just sent, then email its signers."""
    return signature_request_prepare(request_id=request_id)


@shared_task(bind=True, max_retries=8, default_retry_delay=120, acks_late=True)
def signature_seal(self, request_id: int) -> bool:
    """Seal the signed PDF; a failure is recorded on the request by the service and retried."""

    try:
        return signature_request_seal(request_id=request_id)
    except SealingFailed as exc:
        if self.request.is_eager:  # in-process: the failure is recorded; a worker retries
            return False
        raise self.retry(exc=exc) from exc


@shared_task(bind=True, max_retries=5, default_retry_delay=30, acks_late=True)
def signature_email_signed_pdf(self, signer_id: int) -> bool:

    try:
        return signed_pdf_email_send(signer_id=signer_id)
    except OSError as exc:
        return _retry_later(self, exc)


@shared_task(acks_late=True)
def signature_requests_follow_up() -> dict:
    """Beat's entry, every hour: expire requests past their deadline, remind the others."""
    return signing.signature_requests_follow_up()


@shared_task(acks_late=True)
def contracts_renew_due() -> int:
    """Beat's entry, every RENEWALS_EVERY seconds: auto-renewing contracts whose end date has
    come on their own clock roll their term forward (once: the end date is the claim)."""
    return renewals.contracts_renew_due()
