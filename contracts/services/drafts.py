"""The one rule every edit of a version's terms and clauses checks first: it is a draft."""

from __future__ import annotations

from contracts.models import Version, VersionFrozen, VersionState


def ensure_draft(version: Version) -> None:
    """Raise ``VersionFrozen`` (a ValidationError) unless the version is, in the database, a draft."""
    if not Version.objects.filter(pk=version.pk, state=VersionState.DRAFT).exists():
        raise VersionFrozen(
            f"Version {version.number} is frozen and cannot change: create a new draft version to change it."
        )
