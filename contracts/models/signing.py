"""Signing a frozen version: requests, the signers they name, signatures and the timeline.

A :class:`SignatureRequest` sends one frozen version's signable document (its PDF, rendered
once, with its SHA-256) to named signer slots of both parties, signed in ``order``. Each
:class:`Signature` is the legal record of one person signing; it is append-only: the
instance and its queryset refuse updates and deletes, and everything pointing at it is
``PROTECT``-ed, so no cascade removes one either.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

# Unambiguous upper-case letters and digits (no 0/O, 1/I/L) for codes people may type.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_verification_code() -> str:
    """``SLA-XXXX-XXXX-XXXX-XXXX``: 80 random bits, printed on the certificate page."""
    chars = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(16))
    return "SLA-" + "-".join(chars[i : i + 4] for i in range(0, 16, 4))


class SignatureAppendOnly(ValidationError):
    """An attempt to change or delete a recorded signature."""

    def __init__(self) -> None:
        super().__init__("A recorded signature cannot be changed or deleted.", code="signature_append_only")


class RequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    COMPLETED = "completed", "Completed"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXPIRED = "expired", "Expired"


class SealStatus(models.TextChoices):
    NONE = "", "Not sealed yet"
    PENDING = "pending", "Sealing"
    SEALED = "sealed", "Sealed"
    FAILED = "failed", "Sealing failed"


class Side(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    PROVIDER = "provider", "Provider"


class SignerStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    SIGNED = "signed", "Signed"
    DECLINED = "declined", "Declined"


class SignatureRequest(models.Model):
    """One frozen version sent for signature, with its signable document."""

    version = models.ForeignKey(
        "contracts.Version", on_delete=models.PROTECT, related_name="signature_requests"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    #: The signable document (both renderings of the version), stored once.
    document = models.FileField(max_length=255)
    document_sha256 = models.CharField(max_length=64)
    verification_code = models.CharField(max_length=24, unique=True, default=new_verification_code)
    closed_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    # Signers whose turn it is are reminded every this many days until signed (0: never);
    # the request expires unsigned at ``expires_at``.
    remind_every_days = models.PositiveSmallIntegerField(default=3)
    reminded_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    # The sealed signed PDF: the document plus its certificate page, sealed by the portal.
    seal_status = models.CharField(max_length=10, choices=SealStatus.choices, blank=True, default="")
    seal_error = models.TextField(blank=True)
    signed_document = models.FileField(max_length=255, blank=True)
    signed_sha256 = models.CharField(max_length=64, blank=True)
    sealed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version"],
                condition=models.Q(status="open"),
                name="one_open_signature_request_per_version",
            ),
        ]

    def __str__(self) -> str:
        return f"Signature request {self.pk} for {self.version}"

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN


class Signer(models.Model):
    """A slot for one person to sign for one party, in ``order`` (lowest first; equal orders
    may sign in any order among themselves). ``user`` is empty while an invited person has
    no account yet; they are matched by ``email`` then."""

    request = models.ForeignKey(SignatureRequest, on_delete=models.CASCADE, related_name="signers")
    organisation = models.ForeignKey("contracts.Organisation", on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=10, choices=Side.choices)
    order = models.PositiveIntegerField(default=1)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField()
    status = models.CharField(max_length=10, choices=SignerStatus.choices, default=SignerStatus.WAITING)
    invitation = models.ForeignKey(
        "contracts.Invitation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notified_at = models.DateTimeField(null=True, blank=True)
    signed_pdf_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "email"], name="one_slot_per_signer_per_request"),
        ]

    def __str__(self) -> str:
        return f"{self.email} for {self.organisation} ({self.get_side_display()})"

    @property
    def name(self) -> str:
        return self.user.display_name if self.user_id else self.email


class SignatureQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise SignatureAppendOnly()

    def delete(self):
        raise SignatureAppendOnly()

    def bulk_update(self, objs, fields, batch_size=None):
        raise SignatureAppendOnly()


class Signature(models.Model):
    """One person's signature: who, as whom, when, from where, on which exact document."""

    request = models.ForeignKey(SignatureRequest, on_delete=models.PROTECT, related_name="signatures")
    signer = models.OneToOneField(Signer, on_delete=models.PROTECT, related_name="signature")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("contracts.Organisation", on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=10, choices=Side.choices)
    typed_name = models.CharField(max_length=200)
    signed_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.TextField(blank=True)
    document_sha256 = models.CharField(max_length=64)
    consent_text = models.TextField()

    objects = SignatureQuerySet.as_manager()

    class Meta:
        ordering = ["signed_at", "id"]

    def __str__(self) -> str:
        return f"{self.typed_name} for {self.organisation} at {self.signed_at:%Y-%m-%d %H:%M} UTC"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise SignatureAppendOnly()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SignatureAppendOnly()


class EventKind(models.TextChoices):
    SENT = "sent", "Sent for signature"
    VIEWED = "viewed", "Viewed"
    SIGNED = "signed", "Signed"
    DECLINED = "declined", "Declined"
    REMINDED = "reminded", "Reminder sent"
    WITHDRAWN = "withdrawn", "Withdrawn"
    ACTIVATED = "activated", "Contract active"
    SEALED = "sealed", "Signed PDF sealed"
    SEAL_FAILED = "seal_failed", "Sealing failed"
    EXPIRED = "expired", "Expired unsigned"


class SigningEvent(models.Model):
    """One line of a request's timeline."""

    request = models.ForeignKey(SignatureRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"
