"""``|in_zone``: an instant with its time zone named, as every page and PDF shows times."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import template

from contracts.texts.wording import format_datetime

register = template.Library()


@register.filter
def in_zone(value, time_zone="UTC"):
    """``{{ version.frozen_at|in_zone:contract.time_zone }}`` → "30 November 2026, 02:28 (Europe/Amsterdam)".

    Times about a contract go in the contract's zone; others (tokens, runs across contracts)
    in UTC, the default: ``{{ token.created_at|in_zone }}`` → "30 November 2026, 01:28 UTC".
    No time gives "", so that ``|default:"never"`` applies.
    """
    if not value:
        return ""
    zone = str(time_zone or "UTC")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):  # a zone the page got wrong: still a time
        zone = "UTC"
    return format_datetime(value, zone)
