"""Sessions and signed-in people read from the database once while the data stands.

A kept page still needs the session and the person behind it: two queries on every request,
as many as the page itself once kept. Both are kept in the process's memory under the data's
state (``data_version.data_state``), like pages: a sign-in, a sign-out, a password or role
changed is a write, and the next request of every process reads them from the database
again. Keeping them in each process's own memory is safe for that reason: nothing kept can
outlive the data it was read from, and no process has to tell another.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.backends import db
from django.core.cache import caches
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from contracts.caching.data_version import data_state


def _memory():
    return caches["pages_memory"]


def _kept_key(kind: str, session_key: str | None) -> str | None:
    if settings.PAGE_CACHE_SECONDS <= 0 or not session_key:
        return None
    state = data_state()
    if not state:
        return None
    # The session key is a secret: kept under its hash, not in the clear.
    return f"{kind}:{state}:{hashlib.sha256(session_key.encode()).hexdigest()}"


class SessionStore(db.SessionStore):
    """Database sessions, each read kept in memory while the data stands (and never past
    the session's own expiry)."""

    _expires: datetime | None = None

    def load(self):
        key = _kept_key("session", self.session_key)
        if key is not None:
            kept = _memory().get(key)
            if kept is not None:
                return kept
        data = super().load()
        if key is not None and self.session_key is not None and self._expires is not None:
            seconds = min(settings.PAGE_CACHE_SECONDS, int((self._expires - timezone.now()).total_seconds()))
            if seconds > 0:
                _memory().set(key, data, seconds)
        return data

    def _get_session_from_db(self):
        stored = super()._get_session_from_db()
        self._expires = stored.expire_date if stored is not None else None
        return stored


def _kept_user(request):
    if not hasattr(request, "_cached_user"):
        # Read the session first (from memory or the database): an expired or removed one
        # loses its key, and then no kept person is looked for.
        signed_in = request.session.get(auth.SESSION_KEY) is not None
        key = _kept_key("user", request.session.session_key) if signed_in else None
        user = _memory().get(key) if key is not None else None
        if user is None:
            user = auth.get_user(request)
            if key is not None and user.is_authenticated:
                _memory().set(key, user, settings.PAGE_CACHE_SECONDS)
        request._cached_user = user
    return request._cached_user


class KeptUserMiddleware(AuthenticationMiddleware):
    """Django's ``AuthenticationMiddleware``, with the signed-in person kept in memory under
    the data's state and the session: checked once (the session's password hash included)
    until anything changes."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _kept_user(request))
