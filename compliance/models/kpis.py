"""Values of custom outcome KPIs: one figure per contract, service level and period.

Like events, a value belongs to the contract, not to a version: the service level is stored
by its key (checked against the version in force when recorded), so values outlive new
versions that keep the key. Recording a value again for the same period replaces it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class KpiValue(models.Model):
    """The value of a custom KPI service level for one period (``"YYYY-MM"``), compared
    with the level's target by the evaluation (higher is better)."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.CASCADE, related_name="+")
    service_level_key = models.CharField(max_length=60, help_text="The key of a custom KPI service level.")
    period = models.CharField(max_length=7, help_text="The month, YYYY-MM, in the contract's time zone.")
    value = models.DecimalField(max_digits=14, decimal_places=4)
    note = models.TextField(blank=True, help_text="Where the value comes from (e.g. the survey).")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["contract", "-period", "service_level_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "service_level_key", "period"], name="kpi_value_unique_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_level_key} {self.period} = {self.value}"
