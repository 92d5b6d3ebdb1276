"""What happened under a contract: incidents (tickets and requests), outages and work logs.

Events belong to a contract, not to a version: services and customer responsibilities are
stored by name and key (checked against the version in force when written), so recorded
events outlive new versions of the contract. Every timestamp is stored in UTC.

Each kind has an external id, unique per contract: the id of the ticket, monitoring alert
or time entry in the tool it came from. Sending the same id again updates the event.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

from contracts.models.terms import Priority as LevelPriority

EXTERNAL_ID_MAX = 100


# An incident's priority: one a service level can name (contracts' priorities without "all").
Priority = models.TextChoices(
    "Priority", [(choice.name, (choice.value, choice.label)) for choice in LevelPriority if choice.value]
)


# The columns of each kind of event, in the order forms, files, the API and the import show
# them: one vocabulary for every path that reads or writes events.
INCIDENT_FIELDS = (
    "external_id",
    "service",
    "priority",
    "opened_at",
    "first_response_at",
    "resolved_at",
    "reopened",
    "cause",
    "responsibility",
    "summary",
)
OUTAGE_FIELDS = ("external_id", "service", "start", "end", "planned", "cause", "responsibility", "summary")
WORKLOG_FIELDS = ("external_id", "date", "hours", "person", "description", "billable")
EVENT_FIELDS = {"incidents": INCIDENT_FIELDS, "outages": OUTAGE_FIELDS, "worklogs": WORKLOG_FIELDS}


class Cause(models.TextChoices):
    PROVIDER = "provider", "Provider"
    CUSTOMER = "customer", "Customer (breached responsibility)"
    THIRD_PARTY = "third_party", "Third party"
    OUT_OF_SCOPE = "out_of_scope", "Out-of-scope system"


class Event(models.Model):
    """Fields every kind of event has."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.CASCADE, related_name="+")
    external_id = models.CharField(
        max_length=EXTERNAL_ID_MAX, help_text="The id in the tool the event came from; unique per contract."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True


class CausedEvent(Event):
    """An event that can count against the provider, or be attributed elsewhere."""

    service = models.CharField(max_length=120, help_text="A service named in the contract's scope.")
    cause = models.CharField(max_length=20, choices=Cause.choices, default=Cause.PROVIDER)
    responsibility = models.CharField(
        max_length=60,
        blank=True,
        help_text="The customer responsibility breached, when the cause is the customer.",
    )
    summary = models.TextField(blank=True)
    source = models.ForeignKey(
        "compliance.EventSource",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The monitoring or ticketing tool that sent the event; empty when recorded here.",
    )

    class Meta:
        abstract = True


class Incident(CausedEvent):
    """A ticket or request: opened, first answered, resolved; the clock pauses while the
    provider waits on the customer."""

    priority = models.CharField(max_length=2, choices=Priority.choices)
    opened_at = models.DateTimeField()
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    reopened = models.BooleanField(default=False)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "external_id"], name="incident_external_id_unique"),
            models.CheckConstraint(
                condition=models.Q(resolved_at__isnull=True)
                | models.Q(resolved_at__gte=models.F("opened_at")),
                name="incident_resolved_after_opened",
            ),
            models.CheckConstraint(
                condition=models.Q(first_response_at__isnull=True)
                | models.Q(first_response_at__gte=models.F("opened_at")),
                name="incident_response_after_opened",
            ),
            models.CheckConstraint(
                condition=~models.Q(cause="customer") | ~models.Q(responsibility=""),
                name="incident_customer_cause_names_responsibility",
            ),
        ]
        indexes = [models.Index(fields=["contract", "opened_at"], name="incident_contract_opened")]

    def __str__(self) -> str:
        return f"{self.external_id} ({self.priority} {self.service})"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class IncidentPause(models.Model):
    """A stretch of time the provider waited on the customer; ``end`` empty while waiting."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="pauses")
    start = models.DateTimeField()
    end = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["incident", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="pause_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M}–{self.end:%Y-%m-%d %H:%M}" if self.end else f"{self.start} –"


class Outage(CausedEvent):
    """A service down from ``start`` to ``end`` (empty while ongoing); planned outages are
    maintenance."""

    start = models.DateTimeField()
    end = models.DateTimeField(null=True, blank=True)
    planned = models.BooleanField(default=False, help_text="Planned maintenance.")

    class Meta:
        ordering = ["-start", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "external_id"], name="outage_external_id_unique"),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="outage_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(cause="customer") | ~models.Q(responsibility=""),
                name="outage_customer_cause_names_responsibility",
            ),
        ]
        indexes = [models.Index(fields=["contract", "start"], name="outage_contract_start")]

    def __str__(self) -> str:
        return f"{self.external_id} ({self.service})"


class WorkLog(Event):
    """Hours of work delivered on a day, for the hours bank."""

    date = models.DateField(help_text="The day in the contract's time zone.")
    hours = models.DecimalField(max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])
    person = models.CharField("who", max_length=120)
    description = models.TextField(blank=True)
    billable = models.BooleanField(
        "billable outside the contract",
        default=False,
        help_text="Work outside the contract's scope, invoiced separately; not counted in the hours bank.",
    )

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "external_id"], name="worklog_external_id_unique"),
            models.CheckConstraint(condition=models.Q(hours__gte=0), name="worklog_hours_not_negative"),
        ]
        indexes = [models.Index(fields=["contract", "date"], name="worklog_contract_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.hours} h {self.person}"
