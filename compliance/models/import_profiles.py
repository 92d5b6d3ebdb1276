"""Import profiles: how a provider reads another tool's export into its contracts' events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from compliance.engine.mapping import ColumnMapping


class ImportProfile(models.Model):
    """A saved mapping of an export's columns to the portal's fields, for one kind of event.

    It belongs to a provider organisation and serves all of its contracts: next month's
    export of the same tool is imported with it in one step.
    """

    organisation = models.ForeignKey(
        "contracts.Organisation", on_delete=models.CASCADE, related_name="import_profiles"
    )
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10)
    preset = models.CharField(max_length=20, blank=True)
    columns = models.JSONField(default=dict)  # portal field -> export column header
    date_format = models.CharField(max_length=20, default="iso")
    time_zone = models.CharField(max_length=64, blank=True)
    value_maps = models.JSONField(default=dict)  # portal field -> {export value (casefolded): portal value}
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "name"], name="import_profile_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def mapping(self) -> ColumnMapping:
        return ColumnMapping(
            kind=self.kind,
            columns=self.columns,
            date_format=self.date_format,
            time_zone=self.time_zone,
            values=self.value_maps,
        )
