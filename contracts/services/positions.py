"""Positions 1..n of a draft's ordered rows (clauses, service levels): move one, order all.

Callers lock and read the rows in their current order, inside their transaction."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import models

MOVE_DIRECTIONS = {"up": -1, "down": 1}


def renumber(rows: Sequence[models.Model]) -> None:
    """Positions 1..n in the given order, writing only the rows that moved."""
    moved = []
    for position, row in enumerate(rows, start=1):
        if row.position != position:
            row.position = position
            moved.append(row)
    if moved:
        type(moved[0]).objects.bulk_update(moved, ["position"])


def move_step(ordered: list[models.Model], row: models.Model, direction: str, *, noun: str) -> bool:
    """Swap ``row`` with its neighbour above (``direction`` "up") or below ("down").

    Returns False, changing nothing, when it is already first (up) or last (down); ``row``
    carries its new position otherwise."""
    if direction not in MOVE_DIRECTIONS:
        raise ValidationError({"direction": f"Move a {noun} up or down."})
    index = next(i for i, item in enumerate(ordered) if item.pk == row.pk)
    target = index + MOVE_DIRECTIONS[direction]
    if not 0 <= target < len(ordered):
        return False
    ordered[index], ordered[target] = ordered[target], ordered[index]
    renumber(ordered)
    row.position = target + 1
    return True


def put_in_order(ordered: Sequence[models.Model], ids: Sequence[int], *, noun: str) -> list[models.Model]:
    """The rows in the order of ``ids``, renumbered; every row's id must be given exactly once."""
    by_id = {row.pk: row for row in ordered}
    if sorted(ids) != sorted(by_id):
        raise ValidationError(f"Give every {noun} of the version exactly once.")
    in_order = [by_id[pk] for pk in ids]
    renumber(in_order)
    return in_order
