"""One claimed email: a PDF emailed to one recipient at most once, whatever the workers do.

Reports and credit notes are both sent through ``claimed_email_send``: their delivery rows
(``ClaimedEmail``) are written before the email counts as sent, and each send

1. claims its row with a conditional UPDATE pending → sending, and goes on only when that
   changed one row (a redelivered or doubly started task finds it taken and sends nothing).
   A claim left "sending" by a worker that died is taken up again only once older than
   ``REPORT_DELIVERY_STALE_AFTER``;
2. reads the PDF from storage and sends text and HTML parts with a Message-ID of its own,
   the same on every attempt (so the one duplicate SMTP cannot rule out, a worker dying
   between the server's acceptance and the record, shows once in the recipient's mailbox);
3. on a failure, puts the row back to pending with the reason and raises ``DeliveryRetry``,
   or on the ``final`` attempt marks it failed and audits that;
4. marks the row sent and audits it in one transaction — only the row this call claimed.

What differs between the two is said by a ``ClaimedEmailKind``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from compliance.models import DeliveryStatus
from compliance.models.reports import ClaimedEmail
from contracts.branding.brand import Branding
from contracts.services import emails

logger = logging.getLogger("slaportal.reports")


class DeliveryRetry(Exception):
    """Sending failed and will be tried again; the message is the reason."""


def failure_reason(exc: BaseException) -> str:
    """What went wrong, short enough to store and show: the error's class and message."""
    text = str(exc) or exc.__class__.__name__
    if isinstance(exc, ValidationError):
        text = " ".join(exc.messages)
    return f"{exc.__class__.__name__}: {text}"[:1000]


@dataclass(frozen=True)
class Outgoing:
    """The email of one claimed delivery: its templates' context, the PDF and Message-ID."""

    template: str
    context: dict
    filename: str
    pdf_name: str
    message_id: str
    #: The provider's logo and colour for the HTML part (see ``contracts.services.emails``).
    branding: Branding | None = None


@dataclass(frozen=True)
class ClaimedEmailKind:
    """What one kind of claimed email sends and records."""

    model: type[ClaimedEmail]
    #: Named in the log when an email fails for good ("Report email").
    label: str
    #: ``select_related`` of the claimed row, for ``outgoing`` and ``audit``.
    related: tuple[str, ...]
    outgoing: Callable[[ClaimedEmail], Outgoing]
    #: ``audit(delivery, sent, reason)``: the audit entry of a sent or failed email.
    audit: Callable[[ClaimedEmail, bool, str], None]
    #: What else a row must meet to be claimed (e.g. its PDF is ready).
    claimable: Q = field(default_factory=Q)


def claimed_email_send(*, kind: ClaimedEmailKind, delivery_id: int, final: bool) -> str:
    """Email one delivery of ``kind``, once: "sent"; "skipped" when the row is not pending
    (sent, being sent by another worker, failed) or not claimable yet; "failed" when
    sending failed on the ``final`` attempt (the reason kept). An earlier failure puts the
    row back to pending with the reason and raises ``DeliveryRetry``."""
    now = timezone.now()
    claim = kind.model.objects.filter(kind.claimable, pk=delivery_id)
    taken = claim.filter(status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not taken:
        stale = now - timedelta(seconds=settings.REPORT_DELIVERY_STALE_AFTER)
        taken = claim.filter(status=DeliveryStatus.SENDING, claimed_at__lt=stale).update(
            claimed_at=now, attempts=F("attempts") + 1
        )
    if not taken:
        return "skipped"
    delivery = kind.model.objects.select_related(*kind.related).get(pk=delivery_id)
    # Only the claim this call made: a worker that took a stale claim over owns the row now.
    mine = kind.model.objects.filter(pk=delivery_id, status=DeliveryStatus.SENDING, claimed_at=now)
    try:
        outgoing = kind.outgoing(delivery)
        with default_storage.open(outgoing.pdf_name, "rb") as handle:
            pdf = handle.read()
        emails.email_send(
            template=outgoing.template,
            context=outgoing.context,
            to=[delivery.email],
            attachments=[(outgoing.filename, pdf, "application/pdf")],
            headers={"Message-ID": outgoing.message_id},
            branding=outgoing.branding,
        )
    except OSError as exc:  # SMTP errors are OSErrors too
        reason = failure_reason(exc)
        with transaction.atomic():
            mine.update(status=DeliveryStatus.FAILED if final else DeliveryStatus.PENDING, reason=reason)
            if final:
                kind.audit(delivery, False, reason)
        if final:
            logger.warning("%s to %s failed for good: %s", kind.label, delivery.email, reason)
            return "failed"
        raise DeliveryRetry(reason) from exc
    with transaction.atomic():
        mine.update(status=DeliveryStatus.SENT, sent_at=timezone.now(), reason="")
        kind.audit(delivery, True, "")
    return "sent"
