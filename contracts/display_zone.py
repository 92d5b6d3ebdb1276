"""The display time zone of the person a page or email is for, while it is rendered.

Each person may pick a display time zone on their profile (``User.display_time_zone``); one
who picks none sees their organisation's default (``Organisation.default_time_zone``, see
``contracts.selectors.display_zones``).
``DisplayTimeZoneMiddleware`` makes it the viewer's zone for the request, ``shown_to`` does the
same while an email to one person is rendered, and the ``in_zone`` template filter shows
instants in it (or, when the person picked none, in the zone the template names: the
contract's on a contract's pages, UTC elsewhere).

Django's own current time zone (``timezone.activate``) is left alone on purpose: services
take "today" from it (a version's in-force date, a contract's reference year) and forms and
the API read naive input in it, so activating a person's zone would change what is stored.
Only what is shown follows the person.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

# A callable rather than the name, so a page showing no time never loads the user for it.
_viewer_zone: ContextVar[Callable[[], str] | None] = ContextVar("viewer_zone", default=None)


def viewer_time_zone() -> str:
    """The zone the person being shown the page or email picked; "" when none (or nobody)."""
    zone = _viewer_zone.get()
    return zone() if zone else ""


@contextmanager
def shown_to(time_zone: str | Callable[[], str]) -> Iterator[None]:
    """While inside, ``viewer_time_zone()`` is ``time_zone`` ("" for the default)."""
    zone = time_zone if callable(time_zone) else (lambda: time_zone)
    token = _viewer_zone.set(cache(zone))
    try:
        yield
    finally:
        _viewer_zone.reset(token)


class DisplayTimeZoneMiddleware:
    """Shows the signed-in person's times in the display time zone they picked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        def zone() -> str:
            from contracts.selectors.display_zones import display_time_zone_of

            user = getattr(request, "user", None)
            return display_time_zone_of(user) if user is not None and user.is_authenticated else ""

        with shown_to(zone):
            return self.get_response(request)
