"""The audit log: who did what, when, to which contract.

An :class:`AuditEvent` is written by the service that makes the change, inside the same
transaction, and never changes afterwards: ``save()`` of a stored row, ``delete()``, and the
queryset's ``update()``, ``delete()`` and ``bulk_update()`` raise :class:`AuditAppendOnly`
(the same guard as signatures). The contract is ``PROTECT``-ed, so its log outlives nothing
it describes; a deleted user or organisation only unlinks the row (``SET_NULL``) — the
actor's name stays in ``actor_name``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

#: How background work (no signed-in user) is named in the log.
SYSTEM_ACTOR = "SLA portal (automatic)"


class AuditAppendOnly(ValidationError):
    """An attempt to change or delete an audit event."""

    def __init__(self) -> None:
        super().__init__("The audit log is append-only: an event cannot change.", code="audit_append_only")


class AuditAction(models.TextChoices):
    CONTRACT_CREATED = "contract_created", "Contract created"
    CONTRACT_IMPORTED = "contract_imported", "Contract imported"
    TERMS_EDITED = "terms_edited", "Terms edited"
    CLAUSE_EDITED = "clause_edited", "Clause edited"
    DRAFT_STARTED = "draft_started", "Draft version started"
    VERSION_PUBLISHED = "version_published", "Version published"
    SENT_FOR_SIGNATURE = "sent_for_signature", "Sent for signature"
    SIGNATURE_WITHDRAWN = "signature_withdrawn", "Signature request withdrawn"
    SIGNATURE_EXPIRED = "signature_expired", "Signature request expired"
    SIGNED = "signed", "Signed"
    DECLINED = "declined", "Declined"
    CONTRACT_ACTIVATED = "contract_activated", "Contract activated"
    EVENTS_IMPORTED = "events_imported", "Events imported"
    EVENT_RECORDED = "event_recorded", "Event recorded"
    KPI_RECORDED = "kpi_recorded", "KPI value recorded"
    EVALUATED = "evaluated", "Evaluated"
    REPORT_SENT = "report_sent", "Report sent"
    REPORT_FAILED = "report_failed", "Report delivery failed"
    REPORT_ISSUED = "report_issued", "Report issued"
    AMENDMENT_DISCARDED = "amendment_discarded", "Amendment discarded"
    REPORT_SETTINGS = "report_settings", "Report issuing changed"
    REPORT_ACKNOWLEDGED = "report_acknowledged", "Report acknowledged"
    DISPUTE_RAISED = "dispute_raised", "Dispute raised"
    DISPUTE_ANSWERED = "dispute_answered", "Dispute answered"
    CREDIT_NOTE_ISSUED = "credit_note_issued", "Credit note issued"
    CREDIT_NOTE_APPLIED = "credit_note_applied", "Credit note applied"
    CREDIT_NOTE_SENT = "credit_note_sent", "Credit note sent"
    CREDIT_NOTE_FAILED = "credit_note_failed", "Credit note delivery failed"
    RENEWED = "renewed", "Renewed automatically"


#: The provider's work on a draft: like the draft itself, not shown to the customer.
DRAFT_WORK = (AuditAction.TERMS_EDITED, AuditAction.CLAUSE_EDITED, AuditAction.DRAFT_STARTED)


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditAppendOnly()

    def delete(self):
        raise AuditAppendOnly()

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditAppendOnly()


class AuditEvent(models.Model):
    """One thing that happened to a contract, as the log shows it."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="audit_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=200, help_text="Kept when the user is deleted.")
    organisation = models.ForeignKey(
        "contracts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The organisation the actor acted for.",
    )
    action = models.CharField(max_length=32, choices=AuditAction.choices)
    summary = models.CharField(max_length=300)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["contract", "-created_at"], name="audit_contract_newest")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name}: {self.summary}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AuditAppendOnly()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditAppendOnly()
