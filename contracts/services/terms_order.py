"""The order of a version's service levels: the texts, PDFs and reports list them in it."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from contracts.models import ServiceLevel, Version
from contracts.services.drafts import ensure_draft
from contracts.services.positions import move_step, put_in_order


def _ordered(version: Version) -> list[ServiceLevel]:
    return list(ServiceLevel.objects.select_for_update().filter(version=version).order_by("position", "key"))


@transaction.atomic
def service_level_move(*, service_level: ServiceLevel, direction: str) -> bool:
    """Swap a service level with its neighbour above (``direction`` "up") or below ("down").

    Positions stay 1..n. Returns False, changing nothing, when it is already first (up) or
    last (down)."""
    ensure_draft(service_level.version)
    return move_step(_ordered(service_level.version), service_level, direction, noun="service level")


@transaction.atomic
def service_level_reorder(*, version: Version, level_ids: Sequence[int]) -> list[ServiceLevel]:
    """Put the version's service levels in the order of ``level_ids`` (all of them, each once)."""
    ensure_draft(version)
    return put_in_order(_ordered(version), level_ids, noun="service level")
