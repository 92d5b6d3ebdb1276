"""A provider's subscription: a URL that is sent the events it chose, signed with its secret."""

from __future__ import annotations

import base64
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

SECRET_PREFIX = "whsec_"  # noqa: S105 - the specification's prefix, not a secret


def new_secret() -> str:
    """A signing secret in the Standard Webhooks form: ``whsec_`` and 32 random bytes, base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


class Subscription(models.Model):
    organisation = models.ForeignKey(
        "contracts.Organisation", on_delete=models.CASCADE, related_name="webhook_subscriptions"
    )
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    #: Event type names (``webhooks.events.EVENT_TYPES``); stored as names so that a new
    #: event type needs no migration.
    event_types = models.JSONField(default=list)
    # Kept to sign each delivery; shown to the provider once, when made or rotated.
    secret = models.CharField(max_length=100, default=new_secret)
    # After a rotation the previous secret signs too, for a day, so receivers can switch over.
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    # The first failed attempt since the last success; a day of failures disables.
    failing_since = models.DateTimeField(null=True, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    disabled_email_sent_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation_id", "url", "id"]
        indexes = [models.Index(fields=["organisation", "is_active"], name="webhook_sub_org_active")]

    def __str__(self) -> str:
        return self.url

    @property
    def secret_hint(self) -> str:
        """The start of the secret, to tell secrets apart without showing them."""
        return self.secret[: len(SECRET_PREFIX) + 4] + "…"

    def signing_secrets(self, now) -> list[str]:
        """The secrets each delivery is signed with now: the current one, and the previous
        one for a day after a rotation."""
        found = [self.secret]
        if self.previous_secret and self.previous_secret_expires_at and now < self.previous_secret_expires_at:
            found.append(self.previous_secret)
        return found

    def listens_to(self, event_type: str) -> bool:
        return event_type in self.event_types
