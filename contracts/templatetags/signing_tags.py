"""``{% signing_panel %}``: the signing status, timeline and actions on the contract page;
``|in_zone``: an instant with its time zone named, as every page shows times."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import template

from ..selectors_signing import signing_panel as load_panel
from ..terms_display import format_datetime

register = template.Library()


@register.inclusion_tag("contracts/signing/_panel_body.html", takes_context=True)
def signing_panel(context):
    contract = context["contract"]
    reader = context.get("reader")
    user = context["request"].user
    author = bool(reader and reader.author)
    return {
        "contract": contract,
        "panel": load_panel(contract, user, author=author),
        "author": author,
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def in_zone(value, time_zone="UTC"):
    """``{{ version.frozen_at|in_zone:contract.time_zone }}`` → "30 November 2026, 02:28 (Europe/Amsterdam)".

    Times about a contract go in the contract's zone; others (tokens, runs across contracts)
    in UTC, the default: ``{{ token.created_at|in_zone }}`` → "30 November 2026, 01:28 UTC".
    No time gives "", so that ``|default:"never"`` applies.
    """
    if not value:
        return ""
    try:
        ZoneInfo(str(time_zone or "UTC"))
    except (ZoneInfoNotFoundError, ValueError):
        time_zone = "UTC"
    return format_datetime(value, str(time_zone or "UTC"))
