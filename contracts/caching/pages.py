"""Pages served again, byte for byte, while nothing they show can have changed.

``cached_page`` wraps a GET view (inside ``login_required``), ``cached_get`` the ``get`` of an
API view. The first answer is kept (``CACHES["pages"]``) under a key made of everything the
page depends on:

- the data: the token ``contracts.caching.data_version`` renews after every committed write
  (and, for a page asked for inside a transaction, this process's own count of writes), so any
  change to anything — a contract, an event, a person's role, a sign-in — makes every kept
  page stale at once;
- the person: who is signed in (and with which API token). Not their browser: the forms'
  CSRF tokens are cut out of a page when it is kept and the asking browser's own are put in
  when it is served, so a person's browsers (and tabs) share one copy of each page;
- the request: path and query, the htmx, ``Accept`` and ``Authorization`` headers, the
  language;
- the clock: the minute (each page's own, starting at a second of its own), so what is counted
  from now (a month so far, a deadline) moves on as it would, and a change made outside the
  portal's processes shows within a minute; ``PAGE_CACHE_SECONDS`` (60) may shorten that.

Kept pages are shared by the processes that share ``CACHES["pages"]`` (files under
``DATA_DIR`` on one machine, or Redis): what one gunicorn worker made, the others serve. Each
process also keeps the pages it served last in its own memory (``CACHES["pages_memory"]``),
which spares it reading and unpacking the shared copy each time.

Not kept: anything but a 200 that sets no cookie, asks for no-store, or is larger than
``PAGE_CACHE_MAX_BYTES``; a page shown with messages pending (they must be shown once).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from contracts.caching.data_version import data_state

_VARY_HEADERS = (
    "HTTP_ACCEPT",
    "HTTP_AUTHORIZATION",  # one person's tokens may differ in what they reach
    "HTTP_HX_REQUEST",
    "HTTP_HX_TARGET",
    "HTTP_HX_TRIGGER",
    "HTTP_HX_TRIGGER_NAME",
)
_settings_generation = 0


def cached_page(view):
    """Serve the function view ``view``'s answer again while its key stands."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return kept_or_made(request, lambda: view(request, *args, **kwargs))

    return wrapper


def cached_get(get):
    """``cached_page`` for the ``get`` method of a class-based (DRF) view: it runs after the
    view's authentication, permissions and throttling."""

    @wraps(get)
    def wrapper(self, request, *args, **kwargs):
        return kept_or_made(request, lambda: get(self, request, *args, **kwargs))

    return wrapper


def kept_or_made(request, make: Callable[[], HttpResponse]) -> HttpResponse:
    """The answer kept for ``request``, or ``make()``'s, kept once it is rendered."""
    key = page_key(request)
    if key is None:
        return make()
    memory, shared = caches["pages_memory"], caches["pages"]
    seconds = settings.PAGE_CACHE_SECONDS
    kept = memory.get(key)
    if kept is None:
        kept = shared.get(key)
        if kept is not None:
            memory.set(key, kept, seconds)
    if kept is not None:
        pieces, headers = kept
        return HttpResponse(_with_csrf_tokens(request, pieces), headers=headers)
    response = make()

    def keep(rendered: HttpResponse) -> None:
        if keepable(rendered):
            answer = (_CSRF_INPUT_VALUE.split(rendered.content), dict(rendered.items()))
            shared.set(key, answer, seconds)
            memory.set(key, answer, seconds)

    if getattr(response, "is_rendered", True):
        keep(response)
    else:  # a template or DRF response, rendered on its way out
        response.add_post_render_callback(keep)
    return response


#: The value of the hidden input ``{% csrf_token %}`` writes: the one place a page holds its
#: browser's CSRF token (a masked token is 64 letters and digits). Text from people is
#: escaped, so it cannot make this markup.
_CSRF_INPUT_VALUE = re.compile(
    rb'(?<=<input type="hidden" name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(?=">)'
)


def _with_csrf_tokens(request, pieces: list[bytes]) -> bytes:
    """A kept page's pieces joined by the asking browser's CSRF token. A browser without a
    CSRF cookie yet is given one with this answer (``get_token`` asks the middleware to)."""
    if len(pieces) == 1:
        return pieces[0]
    return get_token(request).encode().join(pieces)


def page_key(request) -> str | None:
    """The key ``request``'s answer is kept under; ``None`` when it must not be kept."""
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method != "GET":
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or _messages_pending(request):
        return None
    state = data_state()
    if not state:  # no write stored a token yet (an emptied database)
        return None
    parts = [
        request.get_full_path(),
        str(user.pk),
        translation.get_language() or "",
        *(request.META.get(name, "") for name in _VARY_HEADERS),
        state,
        str(_settings_generation),
    ]
    page = hashlib.sha256("\x1f".join(parts).encode()).digest()
    # Each page turns at its own second of the minute, so that the kept pages are not all
    # made anew at once when a minute begins.
    minute = (int(timezone.now().timestamp()) + page[0] % 60) // 60
    return f"page:{page.hex()}:{minute}"


def keepable(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "no-store" not in response.get("Cache-Control", "")
        and len(response.content) <= settings.PAGE_CACHE_MAX_BYTES
    )


def _messages_pending(request) -> bool:
    storage = getattr(request, "_messages", None)
    return bool(storage is not None and (storage._queued_messages or storage._loaded_messages))


def settings_changed(**kwargs) -> None:
    """``setting_changed`` receiver."""
    # Tests change settings that pages show; a page made before must not be served after.
    global _settings_generation
    _settings_generation += 1
