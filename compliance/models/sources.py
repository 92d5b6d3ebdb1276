"""Event sources: monitoring and ticketing tools that send a contract's events by webhook.

Each source has its own URL, ``/hooks/<token>/``, whose token is unguessable; a request to an
unknown token answers exactly like a source that does not exist. The sending tool proves
itself with the source's secret, as a bearer token or as an HMAC signature of the body.
Every delivery is kept in the source's log: applied (with the events it touched) or refused
(with the reason).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone


class SourceKind(models.TextChoices):
    ALERTMANAGER = "alertmanager", "Prometheus Alertmanager"
    GRAFANA = "grafana", "Grafana alerting"
    UPTIME_KUMA = "uptime_kuma", "Uptime Kuma"
    ZABBIX = "zabbix", "Zabbix"
    JSON = "json", "Generic JSON (fields chosen by path)"
    TICKETS = "tickets", "Ticket webhook (generic)"
    ZAMMAD = "zammad", "Zammad"
    JIRA = "jira", "Jira Service Management"

    @classmethod
    def ticket_kinds(cls) -> tuple[str, ...]:
        return (cls.TICKETS, cls.ZAMMAD, cls.JIRA)


class TicketStatus(models.TextChoices):
    """What a ticket's status means for the clock."""

    OPEN = "open", "Open"
    WAITING = "waiting", "Waiting on the customer (pauses the clock)"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


class EventSource(models.Model):
    """A tool that sends events of one contract, with how its values map to the contract's.

    ``mapping`` holds, by kind: ``services`` (the tool's value → a service of the contract),
    ``default_service``, ``service_field`` (the label or field that names the service),
    ``maintenance_label`` (alerts), ``priorities`` and ``statuses`` (tickets), ``time_zone``
    (Zabbix, generic JSON: the clock of times sent without an offset; empty for the
    contract's), and for generic JSON the paths of each value (``payloads_json.PATHS``), the
    ``open_values`` and ``resolved_values`` of its state and its ``time_format``.
    """

    # A source feeds one contract, or — provider-wide — every contract its organisation maps
    # in its routes (exactly one of the two is set).
    contract = models.ForeignKey(
        "contracts.Contract", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        "contracts.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The provider owning a provider-wide source.",
    )
    kind = models.CharField(max_length=20, choices=SourceKind.choices)
    name = models.CharField(max_length=100, help_text="What sends, e.g. “Production Alertmanager”.")
    token = models.CharField(max_length=64, unique=True, editable=False)
    secret = models.CharField(max_length=100, editable=False)
    secret_rotated_at = models.DateTimeField(null=True, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    paused = models.BooleanField(default=False)
    rate_limit = models.PositiveIntegerField(
        "deliveries per minute",
        default=600,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
        help_text="Deliveries beyond this in a minute are refused with 429; the tool retries.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["contract", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(contract__isnull=False, organisation__isnull=True)
                    | models.Q(contract__isnull=True, organisation__isnull=False)
                ),
                name="event_source_contract_xor_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def is_shared(self) -> bool:
        """Provider-wide: each delivery goes to the contract its route names."""
        return self.organisation_id is not None

    @property
    def is_tickets(self) -> bool:
        return self.kind in SourceKind.ticket_kinds()

    @property
    def time_zone(self) -> str:
        """The clock of the times the tool sends without an offset: the mapping's, else the
        contract's."""
        zone = (self.mapping or {}).get("time_zone")
        return zone or (self.contract.time_zone if self.contract_id else "UTC")

    @property
    def secret_hint(self) -> str:
        return f"{self.secret[:6]}…"


class SourceRoute(models.Model):
    """Which contract a provider-wide source's alert or ticket belongs to: the value of the
    source's route field (an Alertmanager label, a Zammad organisation, a Jira project key, an
    Uptime Kuma monitor name …) names the contract, with that contract's service mapping."""

    source = models.ForeignKey(EventSource, on_delete=models.CASCADE, related_name="routes")
    match_value = models.CharField(
        "value", max_length=200, help_text="The value of the route field that names this contract."
    )
    contract = models.ForeignKey("contracts.Contract", on_delete=models.CASCADE, related_name="+")
    # {"services": {tool value: service}, "default_service": service}
    mapping = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["source", "match_value", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "match_value"], name="source_route_value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.match_value} → {self.contract_id}"


class DeliveryOutcome(models.TextChoices):
    APPLIED = "applied", "Applied"
    REFUSED = "refused", "Refused"


class SourceDelivery(models.Model):
    """One request to a source's URL: what arrived, what it did or why it was refused."""

    source = models.ForeignKey(EventSource, on_delete=models.CASCADE, related_name="deliveries")
    received_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=10, choices=DeliveryOutcome.choices)
    status_code = models.PositiveSmallIntegerField()
    reason = models.TextField(blank=True)
    # [{"kind": "outages", "external_id": …, "change": "created" | "updated" | "unchanged"}]
    events = models.JSONField(default=list, blank=True)
    payload = models.TextField(blank=True, help_text="The body as received (first 20,000 characters).")

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["source", "received_at"], name="delivery_source_received")]

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d %H:%M:%S} {self.outcome}"

    @property
    def counts(self) -> dict[str, int]:
        tally: dict[str, int] = {}
        for event in self.events:
            tally[event["change"]] = tally.get(event["change"], 0) + 1
        return tally


class TicketStatusChange(models.Model):
    """A ticket's status as a ticket source reported it at a moment; an incident's pauses,
    resolution and reopening are rebuilt from these, so late or repeated deliveries land in
    their place."""

    source = models.ForeignKey(EventSource, on_delete=models.CASCADE, related_name="status_changes")
    external_id = models.CharField(max_length=100)
    at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=TicketStatus.choices)

    class Meta:
        ordering = ["source", "external_id", "at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id", "at", "status"], name="ticket_status_change_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.external_id} {self.status} at {self.at:%Y-%m-%d %H:%M}"
