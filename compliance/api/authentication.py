"""Token authentication for the API: ``Authorization: Token <secret>`` (or ``Bearer``).

Tokens are created and revoked by their user on the profile page; only their hash is
stored (``compliance.services.tokens``).
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from compliance.services.tokens import api_token_used, api_token_user
from contracts.caching.sessions import kept_while_data_stands

KEYWORDS = (b"token", b"bearer")


class ApiTokenAuthentication(BaseAuthentication):
    """Authenticates a request by an API token; ``request.auth`` is the token row."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Send the header as “Authorization: Token <token>”.")
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed("Invalid token.") from None
        # Kept in memory while nothing is written: a revoked token or a deactivated person is
        # a write, so the next request reads the token from the database again.
        token = kept_while_data_stands("api-token", secret, lambda: api_token_user(secret))
        if token is None:
            raise AuthenticationFailed("Invalid or revoked token.")
        api_token_used(token)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Token realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "compliance.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <token>`; create a token on your profile page in the portal.",
        }
