"""Clauses of a version, and the provider's library of clause templates."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from contracts.models.parties import Organisation
from contracts.models.versions import Version, VersionPart

KEY_VALIDATOR = RegexValidator(
    r"^[a-z0-9][a-z0-9_-]*\Z",
    "Use lower-case letters, digits, hyphens and underscores (e.g. service-credits).",
)


class Clause(VersionPart):
    """One section of a version, in a legal and a plain-language rendering.

    Both texts are Markdown with ``{{ name }}`` placeholders (see ``contracts.texts.rendering``);
    ``key`` identifies the clause across versions, for redlines. ``template`` records the
    library template it was copied from, for provenance only.
    """

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="clauses")
    position = models.PositiveIntegerField()
    key = models.CharField(max_length=80, validators=[KEY_VALIDATOR])
    heading = models.CharField(max_length=200)
    legal_text = models.TextField(blank=True)
    plain_text = models.TextField(blank=True)
    template = models.ForeignKey(
        "ClauseTemplate", null=True, blank=True, on_delete=models.SET_NULL, related_name="clauses"
    )

    class Meta:
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="clause_key_unique_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.heading}"


class ClauseCategory(models.Model):
    """A heading of a provider's clause library (scope, service levels, liability, …)."""

    owner = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="clause_categories")
    name = models.CharField(max_length=80)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["owner", "position", "name"]
        verbose_name_plural = "clause categories"
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="clause_category_name_unique_per_owner"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def text(self) -> str:
        """The contract file, as a starter agreement offers it."""
        return self.document


class ClauseTemplate(models.Model):
    """A standard clause in a provider's library, copied into versions as a :class:`Clause`."""

    owner = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="clause_templates")
    category = models.ForeignKey(
        ClauseCategory, null=True, blank=True, on_delete=models.SET_NULL, related_name="templates"
    )
    key = models.CharField(max_length=80, validators=[KEY_VALIDATOR])
    heading = models.CharField(max_length=200)
    legal_text = models.TextField(blank=True)
    plain_text = models.TextField(blank=True)
    description = models.TextField(blank=True, help_text="When to use this clause; not part of the contract.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["owner", "category__position", "heading"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="clause_template_key_unique_per_owner"),
        ]

    def __str__(self) -> str:
        return self.heading


class AgreementTemplate(models.Model):
    """A provider's own agreement template: a whole contract (clauses in order and terms with
    their values) kept as a contract file, from which new contracts start."""

    owner = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="agreement_templates")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="When to use it; not part of the contract.")
    document = models.TextField(help_text="The contract file (YAML) the template holds.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["owner", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "name"], name="agreement_template_name_unique_per_owner"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def text(self) -> str:
        """The contract file, as a starter agreement offers it."""
        return self.document
