"""Reads of custom KPIs: the levels a value may be recorded for, and recorded values.

The contract is always one the caller got through ``contracts.selectors.tenancy``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from compliance.models import KpiValue
from compliance.selectors.events import version_in_force
from contracts.models import Contract, ServiceLevel, Version

CUSTOM = "custom"


@dataclass(frozen=True)
class KpiLevels:
    """The version in force (``None`` without one) and its service levels by key."""

    version: Version | None
    levels: dict[str, ServiceLevel]

    @property
    def custom(self) -> dict[str, ServiceLevel]:
        """The custom KPI levels: the only ones that take recorded values."""
        return {key: level for key, level in self.levels.items() if level.metric == CUSTOM}

    @property
    def version_label(self) -> str:
        return f"version {self.version.number}" if self.version else "the contract (it has no version yet)"


def kpi_levels(contract: Contract) -> KpiLevels:
    """The service levels of the contract's version in force, with their targets (two queries)."""
    version = version_in_force(contract)
    if version is None:
        return KpiLevels(version=None, levels={})
    levels = ServiceLevel.objects.filter(version=version).select_related("target").order_by("key")
    return KpiLevels(version=version, levels={level.key: level for level in levels})


def kpi_values_of(contract: Contract, period: str | None = None) -> QuerySet[KpiValue]:
    """The contract's recorded KPI values, those of ``period`` (``"YYYY-MM"``) when given."""
    values = KpiValue.objects.filter(contract=contract)
    if period is not None:
        values = values.filter(period=period)
    return values.order_by("-period", "service_level_key")
