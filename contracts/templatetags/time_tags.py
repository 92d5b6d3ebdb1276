"""``|in_zone`` and ``|on_clock``: an instant with its time zone named, as every page, PDF and
email shows times.

- ``{{ version.frozen_at|in_zone:contract.time_zone }}``: an instant people did something at,
  in the display time zone the viewer picked on their profile, or, when they picked none, in
  the zone given (the contract's on its pages); ``{{ token.created_at|in_zone }}`` falls back
  to UTC. → "30 November 2026, 02:28 CET (Europe/Amsterdam)", "30 November 2026, 01:28 UTC".
- ``{{ outage.start|on_clock:contract.time_zone }}``: a time on the contract's clock (events,
  and everything in a sealed PDF), always in that zone, whoever looks.

No time gives "", so that ``|default:"never"`` applies.
"""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import template

from contracts.display_zone import viewer_time_zone
from contracts.texts.formats import format_datetime

register = template.Library()


def _known(zone) -> str:
    zone = str(zone or "UTC")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):  # a zone the page got wrong: still a time
        return "UTC"
    return zone


@register.filter
def in_zone(value, time_zone="UTC"):
    """``value`` in the viewer's display time zone, else in ``time_zone``, with the zone named."""
    if not value:
        return ""
    return format_datetime(value, _known(viewer_time_zone() or time_zone))


@register.filter
def on_clock(value, time_zone="UTC"):
    """``value`` on the clock of ``time_zone`` (the contract's), with the zone named."""
    if not value:
        return ""
    return format_datetime(value, _known(time_zone))
