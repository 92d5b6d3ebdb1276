"""Fixtures and helpers shared by the terms page tests (tests/contracts/views/test_terms_views*.py)."""

from __future__ import annotations

from html import unescape

from django.urls import reverse

from contracts.models import (
    Calendar,
    CreditCap,
    CreditTier,
    HoursCommitment,
    MaintenanceWindow,
    Parameter,
    Responsibility,
    Service,
    ServiceLevel,
)

TERM_MODELS = (
    Parameter,
    Service,
    Calendar,
    MaintenanceWindow,
    ServiceLevel,
    CreditTier,
    CreditCap,
    HoursCommitment,
    Responsibility,
)


def url(name: str, version, **kwargs) -> str:
    return reverse(
        f"contracts:{name}",
        kwargs={"reference": version.contract.reference, "number": version.number, **kwargs},
    )


def snapshot(version) -> list:
    """Every term row of the version, to show that a refused post changed nothing."""
    return [list(model.objects.filter(version=version).order_by("pk").values()) for model in TERM_MODELS]


def text(response) -> str:
    return unescape(response.content.decode())


def tier_data(rows, *, initial: int) -> dict:
    """POST data of the credit tier formset: ``rows`` of (below, value, kind[, delete])."""
    data = {
        "tiers-TOTAL_FORMS": str(len(rows)),
        "tiers-INITIAL_FORMS": str(initial),
        "tiers-MIN_NUM_FORMS": "0",
        "tiers-MAX_NUM_FORMS": "20",
    }
    for index, row in enumerate(rows):
        below, value, kind, *rest = row
        data[f"tiers-{index}-below"] = below
        data[f"tiers-{index}-value"] = value
        data[f"tiers-{index}-kind"] = kind
        if rest and rest[0]:
            data[f"tiers-{index}-DELETE"] = "on"
    return data
