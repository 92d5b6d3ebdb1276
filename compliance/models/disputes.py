"""What the customer says about an issued report: an acknowledgement, or disputes of its
items, each answered by the provider.

Both are written only while the contract's dispute window is open (see
``compliance.engine.disputes``). Each step emails the other party once: the timestamp
fields ``*_email_sent_at`` record the email and are claimed before it is sent
(``contracts.services.emails.email_send_once``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class DisputeKind(models.TextChoices):
    EXCLUSION = "exclusion", "An exclusion"
    EVENT_TIMES = "event_times", "An event's times"
    EVENT_CAUSE = "event_cause", "An event's cause"
    EVENT_PRIORITY = "event_priority", "An incident's priority"
    MISSING_EVENT = "missing_event", "A missing event"
    CREDIT = "credit", "The credit"


#: Kinds whose subject is an event of the contract, named by its external id.
EVENT_KINDS = (
    DisputeKind.EXCLUSION,
    DisputeKind.EVENT_TIMES,
    DisputeKind.EVENT_CAUSE,
    DisputeKind.EVENT_PRIORITY,
)


class DisputeStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class Dispute(models.Model):
    """One item of an issued report the customer disputes, with the reason, and the
    provider's answer (accepted: the event is corrected and an amendment follows; rejected,
    with the reason)."""

    report = models.ForeignKey("compliance.Report", on_delete=models.CASCADE, related_name="disputes")
    kind = models.CharField(max_length=20, choices=DisputeKind.choices)
    subject = models.CharField(
        max_length=200,
        blank=True,
        help_text="What is disputed: the external id of the event (or of the excluded event); "
        "for a missing event, how the customer knows it; empty for the credit.",
    )
    reason = models.TextField()
    status = models.CharField(max_length=10, choices=DisputeStatus.choices, default=DisputeStatus.OPEN)
    answer = models.TextField(blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    # An accepted dispute is corrected by the amended report that follows it: the first
    # revision of the month issued after the dispute was accepted.
    corrected_in = models.ForeignKey(
        "compliance.Report",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="corrected_disputes",
    )
    raised_email_sent_at = models.DateTimeField(null=True, blank=True)
    answer_email_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["report", "raised_at", "id"]
        indexes = [models.Index(fields=["report", "status"], name="dispute_report_status")]

    def __str__(self) -> str:
        return f"Dispute {self.pk} of report {self.report_id}: {self.get_kind_display()} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == DisputeStatus.OPEN

    @property
    def corrected_label(self) -> str:
        """``"corrected in revision 2"`` once the amendment that follows is issued."""
        if self.corrected_in_id is None:
            return ""
        return f"corrected in revision {self.corrected_in.revision}"

    @property
    def subject_label(self) -> str:
        """``"An exclusion: OUT-99"``; the credit has no subject."""
        label = self.get_kind_display()
        return f"{label}: {self.subject}" if self.subject else label


class ReportAcknowledgement(models.Model):
    """The customer accepts an issued report as it stands; one per report."""

    report = models.OneToOneField(
        "compliance.Report", on_delete=models.CASCADE, related_name="acknowledgement"
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Acknowledgement of report {self.report_id}"
