"""The order of a version's service levels: the texts, PDFs and reports list them in it."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from contracts.models import ServiceLevel, Version
from contracts.services.clauses import MOVE_DIRECTIONS
from contracts.services.drafts import ensure_draft


def _ordered(version: Version) -> list[ServiceLevel]:
    return list(ServiceLevel.objects.select_for_update().filter(version=version).order_by("position", "key"))


def _renumber(levels: Sequence[ServiceLevel]) -> None:
    for position, level in enumerate(levels, start=1):
        level.position = position
    ServiceLevel.objects.bulk_update(levels, ["position"])


@transaction.atomic
def service_level_move(*, service_level: ServiceLevel, direction: str) -> bool:
    """Swap a service level with its neighbour above (``direction`` "up") or below ("down").

    Positions stay 1..n. Returns False, changing nothing, when it is already first (up) or
    last (down)."""
    if direction not in MOVE_DIRECTIONS:
        raise ValidationError({"direction": "Move a service level up or down."})
    version = service_level.version
    ensure_draft(version)
    ordered = _ordered(version)
    index = next(i for i, level in enumerate(ordered) if level.pk == service_level.pk)
    target = index + MOVE_DIRECTIONS[direction]
    if not 0 <= target < len(ordered):
        return False
    ordered[index], ordered[target] = ordered[target], ordered[index]
    _renumber(ordered)
    service_level.position = target + 1
    return True


@transaction.atomic
def service_level_reorder(*, version: Version, level_ids: Sequence[int]) -> list[ServiceLevel]:
    """Put the version's service levels in the order of ``level_ids`` (all of them, each once)."""
    ensure_draft(version)
    levels = {level.pk: level for level in _ordered(version)}
    if sorted(level_ids) != sorted(levels):
        raise ValidationError("Give every service level of the version exactly once.")
    ordered = [levels[pk] for pk in level_ids]
    _renumber(ordered)
    return ordered
