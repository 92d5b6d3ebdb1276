"""Instants with their zone named: the abbreviation of the day (EST/EDT, CET/CEST) and the
zone's name, hand-checked across the 2026 daylight-saving changes."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template

from contracts.display_zone import shown_to, viewer_time_zone
from contracts.texts.formats import format_datetime


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("instant", "zone", "expected"),
    [
        # New York springs forward on Sunday 8 March 2026 at 02:00 EST = 07:00 UTC.
        (utc(2026, 3, 8, 6, 59), "America/New_York", "8 March 2026, 01:59 EST (America/New_York)"),
        (utc(2026, 3, 8, 7, 0), "America/New_York", "8 March 2026, 03:00 EDT (America/New_York)"),
        # ... and falls back on Sunday 1 November 2026 at 02:00 EDT = 06:00 UTC: 01:30 happens
        # twice, and only the abbreviation tells the two apart.
        (utc(2026, 11, 1, 5, 30), "America/New_York", "1 November 2026, 01:30 EDT (America/New_York)"),
        (utc(2026, 11, 1, 6, 30), "America/New_York", "1 November 2026, 01:30 EST (America/New_York)"),
        # Amsterdam: 29 March 2026 at 01:00 UTC, and 25 October 2026 at 01:00 UTC.
        (utc(2026, 3, 29, 0, 59), "Europe/Amsterdam", "29 March 2026, 01:59 CET (Europe/Amsterdam)"),
        (utc(2026, 3, 29, 1, 0), "Europe/Amsterdam", "29 March 2026, 03:00 CEST (Europe/Amsterdam)"),
        (utc(2026, 10, 25, 0, 30), "Europe/Amsterdam", "25 October 2026, 02:30 CEST (Europe/Amsterdam)"),
        (utc(2026, 10, 25, 1, 30), "Europe/Amsterdam", "25 October 2026, 02:30 CET (Europe/Amsterdam)"),
        # The date follows the zone: late evening in New York is the next day in UTC.
        (utc(2026, 12, 3, 2, 15), "America/New_York", "2 December 2026, 21:15 EST (America/New_York)"),
        (utc(2026, 12, 3, 8, 15), "Europe/London", "3 December 2026, 08:15 GMT (Europe/London)"),
        (utc(2026, 12, 3, 8, 15), "Asia/Kolkata", "3 December 2026, 13:45 IST (Asia/Kolkata)"),
        # No letters for the zone: its offset says it.
        (utc(2026, 12, 3, 8, 15), "Europe/Istanbul", "3 December 2026, 11:15 +03 (Europe/Istanbul)"),
        (utc(2026, 12, 3, 8, 15), "UTC", "3 December 2026, 08:15 UTC"),
        (utc(2026, 12, 3, 8, 15), "Etc/UTC", "3 December 2026, 08:15 UTC"),
        (utc(2026, 12, 3, 8, 15), "", "3 December 2026, 08:15 UTC"),
    ],
)
def test_an_instant_reads_with_its_zone(instant, zone, expected):
    assert format_datetime(instant, zone) == expected


def render(source: str, **context) -> str:
    return Template("{% load time_tags %}" + source).render(Context(context))


def test_in_zone_follows_the_viewer_and_on_clock_the_contract():
    at = utc(2026, 11, 30, 1, 39)
    page = "{{ at|in_zone:zone }} / {{ at|on_clock:zone }} / {{ at|in_zone }}"
    assert render(page, at=at, zone="Europe/Amsterdam") == (
        "30 November 2026, 02:39 CET (Europe/Amsterdam) / 30 November 2026, 02:39 CET (Europe/Amsterdam)"
        " / 30 November 2026, 01:39 UTC"
    )
    with shown_to("America/New_York"):
        assert render(page, at=at, zone="Europe/Amsterdam") == (
            "29 November 2026, 20:39 EST (America/New_York) / 30 November 2026, 02:39 CET (Europe/Amsterdam)"
            " / 29 November 2026, 20:39 EST (America/New_York)"
        )
    assert viewer_time_zone() == ""


def test_shown_to_reads_the_zone_once_and_only_when_a_time_is_shown():
    calls = []

    def zone():
        calls.append(1)
        return "Asia/Tokyo"

    with shown_to(zone):
        assert calls == []
        assert viewer_time_zone() == viewer_time_zone() == "Asia/Tokyo"
    assert calls == [1]
