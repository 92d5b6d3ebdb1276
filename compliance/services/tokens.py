"""API tokens: created and revoked by their user; only a hash of the secret is stored."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.utils import timezone

from compliance.models import ApiToken
from contracts.models import Organisation

TOKEN_PREFIX = "sla_"  # noqa: S105 - a public marker, not a secret
# last_used_at is written at most this often per token, not on every request.
_LAST_USED_RESOLUTION_SECONDS = 60


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_create(*, user, name: str, organisation: Organisation | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its secret, which is shown once and never stored.

    ``organisation`` limits the token to contracts that organisation is a party to; the
    user must be a member of it.
    """
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Name the token after what will use it."})
    if organisation is not None and not organisation.memberships.filter(user=user).exists():
        raise ValidationError({"organisation": "Choose one of your organisations."})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:100], organisation=organisation, key_hash=_hash(secret), prefix=secret[:10]
    )
    return token, secret


def api_token_revoke(*, token: ApiToken) -> None:
    """Stop the token working; it stays listed as revoked."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def api_token_user(secret: str) -> ApiToken | None:
    """The active token with this secret (with its user loaded), or None."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    try:  # key_hash is unique: no ordering to build on every API call
        token = ApiToken.objects.select_related("user", "organisation").get(
            key_hash=_hash(secret), revoked_at__isnull=True
        )
    except ApiToken.DoesNotExist:
        return None
    return token if token.user.is_active else None


def api_token_used(token: ApiToken) -> None:
    """Record that ``token`` was used now (to the minute: one write a minute at most)."""
    now = timezone.now()
    if (
        token.last_used_at is None
        or (now - token.last_used_at).total_seconds() > _LAST_USED_RESOLUTION_SECONDS
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
