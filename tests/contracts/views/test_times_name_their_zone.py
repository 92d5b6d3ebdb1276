"""Every time on every page names its zone: a walk over the portal's pages as a person who
picked America/New_York, reading each page's text for times without a zone after them."""

import re
from html import unescape

import pytest

from contracts import services
from tests.contracts.test_tenancy_walk import _fill, _patterns, _url

# A time of day: 09:15 or 09:15:07.
_TIME = re.compile(r"(?<![\d:])(\d{1,2}:\d{2}(?::\d{2})?)(?![\d:])")
# What must follow it: UTC, an abbreviation (EST, CEST), or an offset (+03).
_ZONE = re.compile(r"\s*(UTC|[A-Z]{2,5}\b|[+\u2212-]\d{2}(?::?\d{2})?\b)")
# Times that are not instants: hours of a calendar (09:00–17:00, "from 02:00 for 2 hours"),
# written ranges and placeholders in help texts.
_NOT_AN_INSTANT = re.compile(r"(\d{1,2}:\d{2}\s*[–\-\u2060]+\s*\d{1,2}:\d{2}|from \d{1,2}:\d{2} for|HH:MM)")
# How to write times in an import file: the help texts' examples, all on 4 and 5 March 2026.
_FORMAT_EXAMPLE = re.compile(r"(2026-03-0[45][T ]|0?4[/.]03[/.]2026 |3/4/2026 )\d{1,2}:\d{2}(:\d{2})?")


def page_text(html: str) -> str:
    """What a reader sees: no scripts, styles, tags or attribute values."""
    html = re.sub(r"(?is)<(script|style|datalist|template)\b.*?</\1>", " ", html)
    html = re.sub(r"(?s)<[^>]*>", " ", html)
    return re.sub(r"\s+", " ", unescape(html))


def times_without_zone(text: str) -> list[str]:
    text = _FORMAT_EXAMPLE.sub(" ", _NOT_AN_INSTANT.sub(" ", text))
    return [
        text[max(0, m.start() - 40) : m.end() + 20]
        for m in _TIME.finditer(text)
        if not _ZONE.match(text, m.end())
    ]


def test_the_checker_finds_a_time_without_its_zone():
    assert times_without_zone("opened 2026-11-03 09:15 CET, closed 2026-11-03 10:15.")
    assert not times_without_zone("opened 3 November 2026, 09:15 CET (Europe/Amsterdam) and 08:15 UTC")
    assert not times_without_zone("Monday–Friday 09:00–\u206017:00, every Sunday from 02:00 for 2 hours")


@pytest.mark.django_db
def test_every_page_names_the_zone_of_every_time(tenants, client):
    values = _fill(tenants)
    services.user_display_time_zone_set(user=tenants.provider_admin, time_zone="America/New_York")
    client.force_login(tenants.provider_admin)
    missing, with_times = {}, set()
    checked = 0
    for name, pattern in _patterns():
        url = _url(name, pattern, values)
        if url.startswith("/api/") or name in {"logout"}:
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        checked += 1
        text = page_text(response.content.decode())
        if _TIME.search(text):
            with_times.add(name)
        found = times_without_zone(text)
        if found:
            missing[name] = found
    assert checked > 30
    # The walk's objects put times on these pages: the check above read them.
    assert {
        "compliance:profile",
        "compliance:incidents",
        "compliance:outages",
        "compliance:incident_edit",
        "compliance:report_detail",
        "compliance:report_run",
        "contracts:contract_activity",
        "contracts:organisation_activity",
        "contracts:organisation_detail",
        "contracts:signing_panel",
        "notifications:list",
    } <= with_times
    assert not missing, "\n".join(f"{name}: {found}" for name, found in missing.items())
