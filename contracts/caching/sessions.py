"""Sessions, signed-in people and API tokens read from the database once while the data stands.

A kept page still needs the session and the person behind it: two queries on every request,
as many as the page itself once kept. Both are kept in the process's memory under the data's
state (``data_version.data_state``), like pages: a sign-in, a sign-out, a password or role
changed is a write, and the next request of every process reads them from the database
again. Keeping them in each process's own memory is safe for that reason: nothing kept can
outlive the data it was read from, and no process has to tell another.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.backends import db
from django.core.cache import caches
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from contracts.caching.data_version import data_state

T = TypeVar("T")


def _memory():
    return caches["sessions_memory"]


def _kept_key(kind: str, secret: str | None) -> str | None:
    if settings.PAGE_CACHE_SECONDS <= 0 or not secret:
        return None
    state = data_state()
    if not state:
        return None
    # Session keys and API tokens are secrets: kept under their hash, not in the clear.
    return f"{kind}:{state}:{hashlib.sha256(secret.encode()).hexdigest()}"


def kept_while_data_stands(
    kind: str, secret: str | None, read: Callable[[], T | None], *, lasts: Callable[[T], int] | None = None
) -> T | None:
    """``read()``'s answer for ``secret`` (a session key, an API token), kept in this
    process's memory only while nothing was written since it was read, and for at most
    ``PAGE_CACHE_SECONDS`` (or ``lasts(answer)`` seconds, when that is less). ``None`` is not
    kept."""
    key = _kept_key(kind, secret)
    found = _memory().get(key) if key is not None else None
    if found is None:
        found = read()
        seconds = settings.PAGE_CACHE_SECONDS
        if lasts is not None and found is not None:
            seconds = min(seconds, lasts(found))
        if key is not None and found is not None and seconds > 0:
            _memory().set(key, found, seconds)
    return found


class SessionStore(db.SessionStore):
    """Database sessions, each read kept in memory while the data stands (and never past
    the session's own expiry)."""

    _expires: datetime | None = None

    def load(self):
        kept = kept_while_data_stands("session", self.session_key, self._stored, lasts=self._seconds_left)
        return {} if kept is None else kept

    def _stored(self) -> dict | None:
        """The session's data from the database; ``None`` when there is no such session (or
        it expired)."""
        data = super().load()
        return data if self.session_key is not None else None

    def _seconds_left(self, _data) -> int:
        return int((self._expires - timezone.now()).total_seconds()) if self._expires else 0

    def _get_session_from_db(self):
        stored = super()._get_session_from_db()
        self._expires = stored.expire_date if stored is not None else None
        return stored


def _kept_user(request):
    if not hasattr(request, "_cached_user"):
        # Read the session first (from memory or the database): an expired or removed one
        # loses its key, and then no kept person is looked for.
        user = None
        if request.session.get(auth.SESSION_KEY) is not None:
            user = kept_while_data_stands("user", request.session.session_key, lambda: _signed_in(request))
        request._cached_user = user or auth.get_user(request)
    return request._cached_user


def _signed_in(request):
    user = auth.get_user(request)
    return user if user.is_authenticated else None


class KeptUserMiddleware(AuthenticationMiddleware):
    """Django's ``AuthenticationMiddleware``, with the signed-in person kept in memory under
    the data's state and the session: checked once (the session's password hash included)
    until anything changes."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _kept_user(request))
