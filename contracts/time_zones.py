"""The IANA time zone names this machine knows, read once per process.

``zoneinfo.available_timezones()`` walks the whole time zone database on every call (about
10 ms); validators and form choices ask for it on every contract, organisation and page.
"""

from functools import cache
from zoneinfo import available_timezones


@cache
def known_time_zones() -> frozenset[str]:
    """Every time zone name ``ZoneInfo`` accepts here."""
    return frozenset(available_timezones())


@cache
def time_zone_names() -> tuple[str, ...]:
    """The same names, sorted, for choices."""
    return tuple(sorted(known_time_zones()))
