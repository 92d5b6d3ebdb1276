"""Numbered versions of a contract, and the guard that keeps frozen versions unchanged.

A contract has versions 1, 2, …; at most one of them is an editable draft, every other one
is frozen (sent for review or signature). A frozen version and every term and clause row
belonging to it refuse changes at the model level:

- ``save()`` and ``delete()`` on the instance raise :class:`VersionFrozen`;
- ``QuerySet.update()``, ``delete()``, ``bulk_create()`` and ``bulk_update()`` through the
  models' default managers raise it when any affected row belongs to a frozen version
  (many-to-many managers and the admin use these paths too).

Out of scope: raw SQL, ``QuerySet._raw_delete`` and Django's deletion collector updating
rows through ``_base_manager`` (``SET_NULL`` of a deleted user or clause template, which
only unlinks provenance, never changes agreed text or terms). The contract itself is
``PROTECT``-ed, so deleting a contract never cascades into frozen versions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class VersionFrozen(ValidationError):
    """A change to a frozen version, or to a term or clause of one."""

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message or "This version is frozen and cannot change: create a new draft version instead.",
            code="version_frozen",
        )


class VersionState(models.TextChoices):
    DRAFT = "draft", "Draft"
    FROZEN = "frozen", "Frozen"


class VersionQuerySet(models.QuerySet):
    def drafts(self) -> VersionQuerySet:
        return self.filter(state=VersionState.DRAFT)

    def frozen(self) -> VersionQuerySet:
        return self.filter(state=VersionState.FROZEN)

    def update(self, **kwargs):
        if set(kwargs) - Version.SIGNING_FIELDS and self.frozen().exists():
            raise VersionFrozen()
        return super().update(**kwargs)

    def delete(self):
        if self.frozen().exists():
            raise VersionFrozen("A frozen version cannot be deleted.")
        return super().delete()

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        if (
            set(fields) - Version.SIGNING_FIELDS
            and self.filter(pk__in=[obj.pk for obj in objs], state=VersionState.FROZEN).exists()
        ):
            raise VersionFrozen()
        return super().bulk_update(objs, fields, batch_size=batch_size)


class Version(models.Model):
    """One numbered state of a contract's text and terms.

    Drafts are edited; ``version_publish`` freezes a draft, after which only the signing
    record fields (:attr:`SIGNING_FIELDS`) may still be filled in, through
    ``save(update_fields=…)``; ``document_sha256`` is write-once.
    """

    #: Filled in by signing after the version is frozen; nothing else of a frozen row changes.
    SIGNING_FIELDS = frozenset({"signed_outside_portal", "in_force_from", "document_sha256"})

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=VersionState.choices, default=VersionState.DRAFT)
    note = models.TextField("change note", blank=True, help_text="What changed in this version, and why.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    frozen_at = models.DateTimeField(null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_outside_portal = models.BooleanField(
        default=False, help_text="Signed on paper or in another tool; the portal holds no signatures."
    )
    in_force_from = models.DateField(null=True, blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="version_number_unique_per_contract"),
            models.UniqueConstraint(
                fields=["contract"],
                condition=models.Q(state="draft"),
                name="one_draft_version_per_contract",
            ),
            models.CheckConstraint(
                condition=models.Q(state="draft") | models.Q(frozen_at__isnull=False),
                name="frozen_version_has_frozen_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract.reference} v{self.number}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            stored = Version.objects.filter(pk=self.pk).values("state", "document_sha256").first()
            if stored and stored["state"] == VersionState.FROZEN:
                update_fields = kwargs.get("update_fields")
                if update_fields is None or set(update_fields) - self.SIGNING_FIELDS:
                    raise VersionFrozen()
                if stored["document_sha256"] and stored["document_sha256"] != self.document_sha256:
                    raise VersionFrozen("The document hash of a frozen version is recorded once.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk is not None and Version.objects.filter(pk=self.pk, state=VersionState.FROZEN).exists():
            raise VersionFrozen("A frozen version cannot be deleted.")
        return super().delete(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.state == VersionState.DRAFT

    @property
    def is_frozen(self) -> bool:
        return self.state == VersionState.FROZEN


# ---------------------------------------------------------------- rows belonging to a version


#: Versions a service has just read to be drafts (``draft_confirmed``).
_confirmed_drafts: ContextVar[frozenset[int]] = ContextVar("confirmed_drafts", default=frozenset())


@contextmanager
def draft_confirmed(version_id: int) -> Iterator[None]:
    """While inside, rows of ``version_id`` do not read again whether it is frozen: the caller
    has just read that it is a draft (``contracts.services.drafts.ensure_draft``), so a
    row's clean() and save() would each ask the same question again."""
    marker = _confirmed_drafts.set(_confirmed_drafts.get() | {version_id})
    try:
        yield
    finally:
        _confirmed_drafts.reset(marker)


def _frozen_version_ids(version_ids) -> bool:
    ids = {pk for pk in version_ids if pk is not None} - _confirmed_drafts.get()
    return bool(ids) and Version.objects.filter(pk__in=ids, state=VersionState.FROZEN).exists()


class VersionPartQuerySet(models.QuerySet):
    """Refuses bulk writes touching rows of a frozen version."""

    def _touches_frozen(self) -> bool:
        return self.filter(version__state=VersionState.FROZEN).exists()

    def update(self, **kwargs):
        if self._touches_frozen():
            raise VersionFrozen()
        if "version" in kwargs or "version_id" in kwargs:
            target = kwargs.get("version_id", getattr(kwargs.get("version"), "pk", None))
            if _frozen_version_ids([target]):
                raise VersionFrozen()
        return super().update(**kwargs)

    def delete(self):
        if self._touches_frozen():
            raise VersionFrozen()
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if _frozen_version_ids(obj.version_id for obj in objs):
            raise VersionFrozen()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        stored = self.model._base_manager.filter(pk__in=[obj.pk for obj in objs]).values_list(
            "version_id", flat=True
        )
        if _frozen_version_ids([*stored, *(obj.version_id for obj in objs)]):
            raise VersionFrozen()
        return super().bulk_update(objs, fields, batch_size=batch_size)


class VersionPart(models.Model):
    """A term or clause row of one version: frozen with it.

    Concrete models declare ``version = ForeignKey(Version, on_delete=CASCADE, …)``.
    """

    objects = VersionPartQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if _frozen_version_ids(self._version_ids()):
            raise VersionFrozen()
        super().save(*args, **kwargs)
        self._stored_version_id = self.version_id

    def delete(self, *args, **kwargs):
        if _frozen_version_ids(self._version_ids()):
            raise VersionFrozen()
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        row = super().from_db(db, field_names, values)
        if "version_id" in row.__dict__:
            row._stored_version_id = row.version_id
        return row

    def _version_ids(self) -> set[int]:
        """The version the row belongs to and, for a stored row, the one it is stored under
        (as loaded; read when the row was not loaded with it)."""
        ids = {self.version_id}
        if self.pk is not None:
            stored = getattr(self, "_stored_version_id", None)
            if stored is None:
                stored = (
                    type(self)._base_manager.filter(pk=self.pk).values_list("version_id", flat=True).first()
                )
            ids.add(stored)
        return ids

    def clean(self) -> None:
        super().clean()
        if self.version_id is not None and _frozen_version_ids(self._version_ids()):
            raise VersionFrozen()
