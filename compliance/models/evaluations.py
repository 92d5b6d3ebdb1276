"""Stored evaluations: what was computed for one contract and one period, kept per revision.

A new revision is stored only when the inputs (terms and events) differ from the latest
one's, so a report always points at exactly the figures it showed, and older revisions stay.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class LargeJSONField(models.JSONField):
    """A JSONField for large documents written in bulk.

    On PostgreSQL, Django inserts several rows at once through ``UNNEST`` of one array per
    column; an array of large JSON texts is quoted element by element with regular
    expressions, which made storing a thousand evaluations several times slower than
    computing them. A field with ``get_placeholder`` keeps the plain multi-row ``VALUES``
    insert, whose parameters are sent as they are.
    """

    def get_placeholder(self, value, compiler, connection):
        return "%s"


class Evaluation(models.Model):
    """The figures of one contract for one period (``"YYYY-MM"``), one revision of them."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey("contracts.Version", on_delete=models.PROTECT, related_name="+")
    document_sha256 = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the version's signed document, when it has one."
    )
    period = models.CharField(max_length=7)
    revision = models.PositiveIntegerField()
    computed_at = models.DateTimeField(default=timezone.now)
    figures = LargeJSONField()
    inputs_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["contract", "-period", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "period", "revision"], name="evaluation_revision_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.figures.get('contract', self.contract_id)} {self.period} r{self.revision}"
