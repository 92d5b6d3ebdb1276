"""Writes on clauses of a draft version, and on the provider's clause library."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from contracts.models import (
    AuditAction,
    Clause,
    ClauseCategory,
    ClauseTemplate,
    Organisation,
    User,
    Version,
    draft_confirmed,
)
from contracts.services.audit import audit_draft_change
from contracts.services.drafts import ensure_draft
from contracts.services.positions import move_step, put_in_order, renumber

_CLAUSE_FIELDS = ("key", "heading", "legal_text", "plain_text")


def _free_key(wanted: str, taken: set[str]) -> str:
    base = (slugify(wanted) or "clause")[:70]
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    return key


def _ordered(version: Version) -> list[Clause]:
    return list(Clause.objects.filter(version=version).order_by("position", "id"))


@transaction.atomic
def clause_add(
    *,
    version: Version,
    heading: str,
    legal_text: str,
    plain_text: str,
    template: ClauseTemplate | None = None,
    key: str = "",
    position: int | None = None,
) -> Clause:
    """Add a clause at ``position`` (1-based; default: at the end). ``key`` defaults to a
    slug of the heading, made unique within the version."""
    ensure_draft(version)
    clauses = _ordered(version)
    if template is not None and template.owner_id != version.contract.provider_id:
        raise ValidationError("Only templates from the provider's own library can be added.")
    taken = {c.key for c in clauses}
    key = key or _free_key(heading, taken)
    index = len(clauses) if position is None else min(max(position, 1), len(clauses) + 1) - 1
    clause = Clause(
        version=version,
        position=index + 1,
        key=key,
        heading=heading,
        legal_text=legal_text,
        plain_text=plain_text,
        template=template,
    )
    with draft_confirmed(version.pk):
        clause.full_clean()
        _renumber_around(clauses, index)
        clause.save()
    return clause


def _renumber_around(clauses: list[Clause], index: int) -> None:
    """Make room at ``index``: clauses from there on move one down."""
    moved = []
    for offset, clause in enumerate(clauses[index:], start=index + 2):
        if clause.position != offset:
            clause.position = offset
            moved.append(clause)
    if moved:
        Clause.objects.bulk_update(moved, ["position"])


def clause_add_from_template(
    *, version: Version, template: ClauseTemplate, position: int | None = None
) -> Clause:
    """Copy a library template into the draft as a new clause linked to it."""
    taken = set(Clause.objects.filter(version=version).values_list("key", flat=True))
    return clause_add(
        version=version,
        heading=template.heading,
        legal_text=template.legal_text,
        plain_text=template.plain_text,
        template=template,
        key=_free_key(template.key, taken),
        position=position,
    )


def clause_update(*, clause: Clause, data: Mapping[str, Any]) -> Clause:
    """Change a clause's key, heading or texts (``data``: field → value)."""
    unknown = set(data) - set(_CLAUSE_FIELDS)
    if unknown:
        raise TypeError(f"cannot change {', '.join(sorted(unknown))} of a clause")
    ensure_draft(clause.version)
    for name, value in data.items():
        setattr(clause, name, value)
    clause.full_clean()
    clause.save()
    return clause


@transaction.atomic
def clause_move_to(*, clause: Clause, position: int) -> Clause:
    """Move a clause to ``position`` (1-based, clamped), shifting the others."""
    ensure_draft(clause.version)
    others = [c for c in _ordered(clause.version) if c.pk != clause.pk]
    index = min(max(position, 1), len(others) + 1) - 1
    ordered = [*others[:index], clause, *others[index:]]
    renumber(ordered)
    return clause


@transaction.atomic
def clause_move(*, clause: Clause, direction: str, user: User | None) -> bool:
    """Swap a clause with its neighbour above (``direction`` "up") or below ("down").

    Positions stay 1..n. Returns False, changing nothing, when the clause is already first
    (up) or last (down); a move is recorded in the contract's activity."""
    version = clause.version
    ensure_draft(version)
    if not move_step(_ordered(version), clause, direction, noun="clause"):
        return False
    audit_draft_change(
        version=version,
        user=user,
        action=AuditAction.CLAUSE_EDITED,
        change=f"Clause “{clause.heading}” moved {direction} to position {clause.position}",
    )
    return True


@transaction.atomic
def clause_reorder(*, version: Version, clause_ids: Sequence[int]) -> list[Clause]:
    """Put the version's clauses in the order of ``clause_ids`` (all of them, each once)."""
    ensure_draft(version)
    return put_in_order(_ordered(version), clause_ids, noun="clause")


@transaction.atomic
def clause_delete(*, clause: Clause) -> None:
    """Delete a clause and close the gap in the numbering."""
    ensure_draft(clause.version)
    version = clause.version
    clause.delete()
    renumber(_ordered(version))


# ---------------------------------------------------------------- library


def _ensure_library_owner(owner: Organisation) -> None:
    if not owner.is_provider:
        raise ValidationError(f"{owner} does not provide services, so it keeps no clause library.")


def clause_category_create(*, owner: Organisation, name: str, position: int = 0) -> ClauseCategory:
    """A category of the owner's clause library."""
    _ensure_library_owner(owner)
    category = ClauseCategory(owner=owner, name=name, position=position)
    category.full_clean()
    category.save()
    return category


def clause_category_delete(*, category: ClauseCategory) -> None:
    """Delete a category; its templates stay, uncategorised."""
    category.delete()


def clause_template_create(
    *,
    owner: Organisation,
    heading: str,
    legal_text: str,
    plain_text: str,
    category: ClauseCategory | None = None,
    description: str = "",
    key: str = "",
    user: User | None = None,
) -> ClauseTemplate:
    """Add a standard clause to a provider's library; ``key`` defaults to a slug of the heading."""
    _ensure_library_owner(owner)
    if category is not None and category.owner_id != owner.pk:
        raise ValidationError({"category": "Choose one of the library's own categories."})
    if not key:
        key = _free_key(
            heading, set(ClauseTemplate.objects.filter(owner=owner).values_list("key", flat=True))
        )
    template = ClauseTemplate(
        owner=owner,
        category=category,
        key=key,
        heading=heading,
        legal_text=legal_text,
        plain_text=plain_text,
        description=description,
        created_by=user,
    )
    template.full_clean()
    template.save()
    return template


def clause_template_update(*, template: ClauseTemplate, data: Mapping[str, Any]) -> ClauseTemplate:
    """Change a template; clauses copied from it earlier keep their own text."""
    allowed = {*_CLAUSE_FIELDS, "category", "description"}
    unknown = set(data) - allowed
    if unknown:
        raise TypeError(f"cannot change {', '.join(sorted(unknown))} of a clause template")
    for name, value in data.items():
        setattr(template, name, value)
    if template.category_id is not None and template.category.owner_id != template.owner_id:
        raise ValidationError({"category": "Choose one of the library's own categories."})
    template.full_clean()
    template.save()
    return template


def clause_template_delete(*, template: ClauseTemplate) -> None:
    """Delete a template; clauses copied from it keep their text and lose only the link."""
    template.delete()


def clause_save_to_library(
    *,
    clause: Clause,
    user: User | None,
    category: ClauseCategory | None = None,
    description: str = "",
    key: str = "",
) -> ClauseTemplate:
    """Save a clause of any version as a new template in its contract's provider's library."""
    return clause_template_create(
        owner=clause.version.contract.provider,
        heading=clause.heading,
        legal_text=clause.legal_text,
        plain_text=clause.plain_text,
        category=category,
        description=description,
        key=key,
        user=user,
    )
