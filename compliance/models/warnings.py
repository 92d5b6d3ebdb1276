"""Warnings given before a target is missed, one row per contract, period and warning key.

The row is the claim: the unique key makes a warning given once, whichever worker or run
finds it first, across restarts. Computed by ``compliance.engine.warnings``.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class WarningKind(models.TextChoices):
    INCIDENT = "incident", "Incident nearing its target"
    AVAILABILITY = "availability", "Error budget"
    HOURS = "hours", "Hours bank behind pace"


class BreachWarning(models.Model):
    """One warning given for an incident or a service level of a contract's period."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=7, help_text="The month, YYYY-MM, in the contract's time zone.")
    key = models.CharField(max_length=255, help_text="The incident or level and the threshold.")
    kind = models.CharField(max_length=20, choices=WarningKind.choices)
    level_key = models.CharField(max_length=60)
    level_name = models.CharField(max_length=200)
    threshold = models.CharField(max_length=20)
    subject = models.CharField(max_length=100, blank=True, help_text="The incident's external id.")
    used = models.DecimalField(max_digits=12, decimal_places=1, help_text="Percentage of the target used.")
    message = models.TextField()
    reached_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "period", "key"], name="breach_warning_once"),
        ]

    def __str__(self) -> str:
        return self.message
