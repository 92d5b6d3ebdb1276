"""API tokens: a user's key for the REST API, stored only as a hash."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    """A secret a user hands to a tool that calls the API on their behalf.

    The token acts with the user's memberships as they are at each request; when
    ``organisation`` is set it reaches only contracts that organisation is a party to.
    Only the SHA-256 of the secret is kept; ``prefix`` (its first characters) tells tokens
    apart on the profile page.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What uses it, e.g. “Ticketing export”.")
    organisation = models.ForeignKey(
        "contracts.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Empty: all of the user's organisations.",
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
