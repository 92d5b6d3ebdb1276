"""Monthly compliance reports: the sealed PDF of one evaluation, the runs that make them and
the email sent to each recipient.

Exactly-once rests on three keys: a report is unique per evaluation (so per contract, period
and evaluation revision); a run item is unique per (run, contract); a delivery is unique per
(report, recipient email) and is claimed with a conditional UPDATE before the email goes out,
so a retried, redelivered or doubly started task finds it taken and sends nothing.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def new_verification_code() -> str:
    """A code printed in the report and stored in its PDF, naming the report on /verify/."""
    return "R-" + secrets.token_hex(8).upper()


class ReportStatus(models.TextChoices):
    PENDING = "pending", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class Report(models.Model):
    """The compliance report of one contract for one period, from one evaluation revision."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=7)
    evaluation = models.OneToOneField(
        "compliance.Evaluation", on_delete=models.PROTECT, related_name="report"
    )
    revision = models.PositiveIntegerField(help_text="The evaluation revision the report shows.")
    document_sha256 = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the signed contract version measured against."
    )
    verification_code = models.CharField(max_length=20, unique=True, default=new_verification_code)
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.PENDING)
    error = models.TextField(blank=True)
    pdf = models.FileField(upload_to="reports/", blank=True, max_length=255)
    pdf_sha256 = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the sealed PDF file.")
    pdf_pages = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    rendered_at = models.DateTimeField(null=True, blank=True)
    # A ready report is held for the provider's review until it is issued; what a customer
    # sees of a month is its latest issued report.
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # An amended report (a later revision of an issued month) says why it was made.
    amendment_reason = models.TextField(blank=True)
    # The provider reviewed live figures that differ from this issued report and kept the
    # issued ones: the digest of those changes, so the amendment shows again only when the
    # figures change once more.
    amendment_discarded_digest = models.CharField(max_length=64, blank=True)
    amendment_discarded_at = models.DateTimeField(null=True, blank=True)
    amendment_discarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-period", "contract", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "period", "revision"], name="report_revision_unique"),
        ]
        indexes = [models.Index(fields=["contract", "period"], name="report_contract_period")]

    def __str__(self) -> str:
        return f"Report {self.period} r{self.revision} of contract {self.contract_id}"

    @property
    def is_ready(self) -> bool:
        return self.status == ReportStatus.READY

    @property
    def is_issued(self) -> bool:
        return self.issued_at is not None

    @property
    def filename(self) -> str:
        """``SLA-2026-0001-2026-03-r1.pdf``: references are letters, digits and hyphens only."""
        return f"{self.contract.reference}-{self.period}-r{self.revision}.pdf"


class RunTrigger(models.TextChoices):
    SCHEDULE = "schedule", "Schedule (1st of the month)"
    COMMAND = "command", "Command line"
    REGENERATE = "regenerate", "Regenerated on demand"


class ReportRun(models.Model):
    """One start of the monthly run (or of a regeneration): one item per contract."""

    period = models.CharField(max_length=7)
    trigger = models.CharField(max_length=12, choices=RunTrigger.choices, default=RunTrigger.COMMAND)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    contracts_total = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Run {self.pk} for {self.period}"


class ItemStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ReportRunItem(models.Model):
    """One contract of a run: evaluate → render → store → queue the emails."""

    run = models.ForeignKey(ReportRun, on_delete=models.CASCADE, related_name="items")
    contract = models.ForeignKey("contracts.Contract", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "contract"], name="run_item_contract_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.run} contract {self.contract_id}: {self.status}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class RecipientKind(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    PROVIDER_COPY = "provider_copy", "Provider (copy)"


class ClaimedEmail(models.Model):
    """An email to one recipient, recorded before it counts as sent: claimed pending →
    sending with a conditional UPDATE before it goes out, then marked sent or failed
    (``compliance.services.claimed_email``). A report's and a credit note's deliveries."""

    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=RecipientKind.choices, default=RecipientKind.CUSTOMER)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    reason = models.TextField(blank=True, help_text="Why the last attempt failed.")
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.email}: {self.status}"


class Delivery(ClaimedEmail):
    """The report emailed to one person; written before the email counts as sent."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="deliveries")

    class Meta:
        ordering = ["report", "kind", "email"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["report", "email"], name="delivery_recipient_unique"),
        ]
