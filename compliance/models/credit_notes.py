"""Credit notes: the numbered, sealed statement of the credits an issued month owes.

Numbers run per provider and year (``CN-2026-0001``): the provider's counter row is locked
while a number is taken, and (provider, number) is unique, so two credit notes never share
a number. A report has at most one credit note (its one-to-one key), which makes making
one idempotent.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from compliance.models.reports import ClaimedEmail


def new_credit_note_code() -> str:
    """A code printed on the credit note and stored in its PDF, naming it on /verify/."""
    return "C-" + secrets.token_hex(8).upper()


class CreditNoteCounter(models.Model):
    """The last credit note number a provider issued in a year."""

    provider = models.ForeignKey("contracts.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "year"], name="credit_note_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id} {self.year}: {self.last_number}"


class CreditNoteStatus(models.TextChoices):
    ISSUED = "issued", "Issued"
    APPLIED = "applied", "Applied"


class CreditNote(models.Model):
    """The credits one issued report owes: lines per service level, cap, total, hours."""

    report = models.OneToOneField("compliance.Report", on_delete=models.PROTECT, related_name="credit_note")
    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey("contracts.Organisation", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=7)
    number = models.CharField(max_length=20)
    currency = models.CharField(max_length=3)
    #: ``[{"service_level", "tier", "amount", "hours"}]``, amounts as decimal strings.
    lines = models.JSONField(default=list)
    total = models.DecimalField(max_digits=12, decimal_places=2, help_text="Before the cap.")
    cap = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2, help_text="What is owed: the capped total.")
    hours = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    verification_code = models.CharField(max_length=20, unique=True, default=new_credit_note_code)
    pdf = models.FileField(upload_to="credit_notes/", blank=True, max_length=255)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        max_length=10, choices=CreditNoteStatus.choices, default=CreditNoteStatus.ISSUED
    )
    invoice_reference = models.CharField(max_length=100, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-period", "number"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "number"], name="credit_note_number_unique"),
        ]
        indexes = [models.Index(fields=["contract", "period"], name="credit_note_contract_period")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_applied(self) -> bool:
        return self.status == CreditNoteStatus.APPLIED

    @property
    def filename(self) -> str:
        return f"{self.number}.pdf"


class CreditNoteDelivery(ClaimedEmail):
    """The credit note emailed to one recipient of the contract's reports; written before
    the email counts as sent and claimed (pending → sending) before it goes out, like the
    report's deliveries."""

    credit_note = models.ForeignKey(CreditNote, on_delete=models.CASCADE, related_name="deliveries")

    class Meta:
        ordering = ["credit_note", "kind", "email"]
        verbose_name_plural = "credit note deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["credit_note", "email"], name="credit_note_delivery_recipient_unique"
            ),
        ]
