"""Everything a person is told: one row per person and thing to tell, shown in the portal's
list and emailed as each person chose for its kind (at once, in a daily digest, or not).

The row's unique key per recipient makes each notification made once, whichever worker
handles the signal; its email is claimed (``email_claimed_at``) before it is sent and recorded
sent (``emailed_at``) after, so it goes out once: a claim left by a worker that died while
sending is taken up again only once stale, and the email keeps one Message-ID throughout.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Kind(models.TextChoices):
    WARNING = "warning", "Warnings before a breach"
    SIGNATURE_DECLINED = "signature_declined", "A contract declined"
    CONTRACT_SIGNED = "contract_signed", "A contract signed by every party"
    SIGNATURE_EXPIRED = "signature_expired", "A signature request expired"
    SIGNATURE_REQUESTED = "signature_requested", "Your signature awaited"
    REPORT_ISSUED = "report_issued", "A monthly report issued"
    DISPUTE_RAISED = "dispute_raised", "A report disputed"
    DISPUTE_ANSWERED = "dispute_answered", "A dispute answered"
    RENEWAL_REMINDER = "renewal_reminder", "A contract's notice deadline or end coming up"


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "Email at once"
    DIGEST = "digest", "Daily digest"
    OFF = "off", "No email"


# Emails by default: at once for what needs acting on; none for what already has its own
# email (the report, the dispute emails, the invitation to sign), shown in the portal only.
DEFAULT_DELIVERY = {
    Kind.WARNING: Delivery.IMMEDIATE,
    Kind.SIGNATURE_DECLINED: Delivery.IMMEDIATE,
    Kind.CONTRACT_SIGNED: Delivery.IMMEDIATE,
    Kind.SIGNATURE_EXPIRED: Delivery.IMMEDIATE,
    Kind.SIGNATURE_REQUESTED: Delivery.OFF,
    Kind.REPORT_ISSUED: Delivery.OFF,
    Kind.DISPUTE_RAISED: Delivery.OFF,
    Kind.DISPUTE_ANSWERED: Delivery.OFF,
    Kind.RENEWAL_REMINDER: Delivery.IMMEDIATE,
}
# Kinds of warning provider staff may choose from (compliance.models.WarningKind values).
WARNING_KINDS = (
    ("incident", "Incidents nearing their response or resolution target"),
    ("availability", "Error budgets half used, used up or burning fast"),
    ("hours", "Hours banks behind pace"),
)


class Notification(models.Model):
    """One thing told to one person, about one contract."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    contract = models.ForeignKey(
        "contracts.Contract", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    key = models.CharField(max_length=255, help_text="What it is about; one notification per person and key.")
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True, help_text="Where to act, a path in the portal.")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    email_claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker took the email to send; cleared when sending failed."
    )
    emailed_at = models.DateTimeField(null=True, blank=True, help_text="When the email was sent.")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_recipient"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Preference(models.Model):
    """How one person wants to hear of one kind of notification by email."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} by {self.delivery}"


class WarningSubscription(models.Model):
    """Which warnings a member of a provider's staff is told of: the kinds, and every contract
    or only the chosen ones. Without a row: every kind, every contract."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kinds = models.JSONField(default=list)
    all_contracts = models.BooleanField(default=True)
    contracts = models.ManyToManyField("contracts.Contract", blank=True, related_name="+")

    def __str__(self) -> str:
        return f"Warnings for {self.user}"
