"""How calendars and instants read on pages, in the clause texts and in the PDFs."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.template import Context, Template

from contracts.texts.wording import RANGE_DASH, describe_calendar, format_datetime

WEEKDAYS = [str(day) for day in range(5)]
#: 01:39 UTC on 30 November 2026: 02:39 in Amsterdam (CET), still 29 November in New York.
NIGHT = datetime(2026, 11, 30, 1, 39, tzinfo=UTC)


def calendar(hours=None, *, around_the_clock=False, country="", subdivision="", extra=()):
    return SimpleNamespace(
        around_the_clock=around_the_clock,
        hours=hours or {},
        holiday_country=country,
        holiday_subdivision=subdivision,
        extra_holidays=list(extra),
    )


def joined(text: str) -> str:
    """``text`` with every en dash joined to what follows it, as the formatter writes it."""
    return text.replace("–", RANGE_DASH)


@pytest.mark.parametrize(
    ("cal", "time_zone", "expected"),
    [
        pytest.param(
            calendar(dict.fromkeys(WEEKDAYS, "08:00-18:00"), country="NL"),
            "Europe/Amsterdam",
            "Monday–Friday 08:00–18:00 (Europe/Amsterdam), except NL public holidays",
            id="five-equal-weekdays-with-holidays",
        ),
        pytest.param(
            calendar(dict.fromkeys(WEEKDAYS, "08:00-18:00")),
            "Europe/Amsterdam",
            "Monday–Friday 08:00–18:00 (Europe/Amsterdam)",
            id="five-equal-weekdays-without-holidays",
        ),
        pytest.param(
            calendar({**dict.fromkeys(WEEKDAYS[:4], "08:00-18:00"), "4": "08:00-16:00"}, country="NL"),
            "Europe/Amsterdam",
            "Monday–Thursday 08:00–18:00, Friday 08:00–16:00 (Europe/Amsterdam), except NL public holidays",
            id="mixed-hours",
        ),
        pytest.param(
            calendar({**dict.fromkeys(WEEKDAYS, "08:00-18:00"), "5": "10:00-14:00", "6": "10:00-14:00"}),
            "Europe/London",
            "Monday–Friday 08:00–18:00, Saturday–Sunday 10:00–14:00 (Europe/London)",
            id="weekend-days",
        ),
        pytest.param(
            calendar({"5": "09:00-13:00"}, country="DE", subdivision="BY"),
            "Europe/Berlin",
            "Saturday 09:00–13:00 (Europe/Berlin), except DE-BY public holidays",
            id="one-weekend-day",
        ),
        pytest.param(
            calendar({"0": "09:00-17:00", "2": "09:00-17:00", "4": "09:00-17:00"}),
            "UTC",
            "Monday 09:00–17:00, Wednesday 09:00–17:00, Friday 09:00–17:00 (UTC)",
            id="closed-days-break-a-run",
        ),
        pytest.param(
            calendar({"4": "9:00 - 17:00", "0": "09:00-17:00", "1": "09:00–17:00", "2": "09:00-17:00"}),
            "Europe/Amsterdam",
            "Monday–Wednesday 09:00–17:00, Friday 09:00–17:00 (Europe/Amsterdam)",
            id="hours-written-differently-compare-equal",
        ),
        pytest.param(
            calendar(dict.fromkeys(WEEKDAYS, "09:00-12:00, 13:00-17:00"), country="NL"),
            "Europe/Amsterdam",
            "Monday–Friday 09:00–12:00 and 13:00–17:00 (Europe/Amsterdam), except NL public holidays",
            id="split-days",
        ),
        pytest.param(
            calendar(dict.fromkeys(WEEKDAYS, "08:00-18:00"), country="NL"),
            "",
            "Monday–Friday 08:00–18:00, except NL public holidays",
            id="no-zone-given",
        ),
        pytest.param(
            calendar(around_the_clock=True),
            "Europe/Amsterdam",
            "24 hours a day, 7 days a week",
            id="24x7",
        ),
        pytest.param(
            calendar(around_the_clock=True, country="NL"),
            "Europe/Amsterdam",
            "24 hours a day, 7 days a week, except NL public holidays",
            id="24x7-with-holidays",
        ),
        pytest.param(
            calendar(
                dict.fromkeys(WEEKDAYS, "09:00-17:00"), country="GB", subdivision="ENG", extra=["2026-12-24"]
            ),
            "Europe/London",
            "Monday–Friday 09:00–17:00 (Europe/London), except GB-ENG public holidays and 24 December 2026",
            id="extra-holiday-after-the-public-ones",
        ),
        pytest.param(
            calendar(
                dict.fromkeys(WEEKDAYS, "09:00-17:00"), country="NL", extra=["2026-12-31", "2026-12-24"]
            ),
            "Europe/Amsterdam",
            "Monday–Friday 09:00–17:00 (Europe/Amsterdam), except NL public holidays, 24 December 2026 "
            "and 31 December 2026",
            id="extra-holidays-in-date-order",
        ),
        pytest.param(
            calendar(around_the_clock=True, extra=["2026-12-25"]),
            "Europe/Amsterdam",
            "24 hours a day, 7 days a week, except 25 December 2026",
            id="24x7-with-an-extra-holiday-only",
        ),
        pytest.param(
            calendar(dict.fromkeys(WEEKDAYS, "09:00-17:00"), extra=["2026-12-24", "2027-01-02"]),
            "",
            "Monday–Friday 09:00–17:00, except 24 December 2026 and 2 January 2027",
            id="extra-holidays-without-a-country",
        ),
    ],
)
def test_describe_calendar(cal, time_zone, expected):
    assert describe_calendar(cal, time_zone=time_zone) == joined(expected)


def test_calendar_ranges_do_not_wrap_after_a_dash():
    text = describe_calendar(
        calendar({**dict.fromkeys(WEEKDAYS[:4], "08:00-18:00"), "4": "08:00-16:00"}),
        time_zone="Europe/Amsterdam",
    )
    assert text.count("–") == 3
    assert text.count("–") == text.count(RANGE_DASH)
    # The joiner is invisible: the text reads as written.
    assert text.replace("\u2060", "") == "Monday–Thursday 08:00–18:00, Friday 08:00–16:00 (Europe/Amsterdam)"


@pytest.mark.parametrize(
    ("instant", "time_zone", "expected"),
    [
        (NIGHT, "Europe/Amsterdam", "30 November 2026, 02:39 CET (Europe/Amsterdam)"),
        (NIGHT, "UTC", "30 November 2026, 01:39 UTC"),
        (NIGHT, "America/New_York", "29 November 2026, 20:39 EST (America/New_York)"),
        # Summer time: two hours ahead of UTC.
        (
            datetime(2026, 7, 1, 1, 39, tzinfo=UTC),
            "Europe/Amsterdam",
            "1 July 2026, 03:39 CEST (Europe/Amsterdam)",
        ),
    ],
)
def test_format_datetime_names_the_zone(instant, time_zone, expected):
    assert format_datetime(instant, time_zone) == expected


@pytest.mark.parametrize(
    ("source", "context", "expected"),
    [
        (
            "{{ at|in_zone:zone }}",
            {"zone": "Europe/Amsterdam"},
            "30 November 2026, 02:39 CET (Europe/Amsterdam)",
        ),
        ("{{ at|in_zone }}", {}, "30 November 2026, 01:39 UTC"),
        ("{{ at|in_zone:zone }}", {"zone": "Not/AZone"}, "30 November 2026, 01:39 UTC"),
        ('{{ missing|in_zone|default:"never" }}', {}, "never"),
    ],
)
def test_in_zone_filter(source, context, expected):
    template = Template("{% load time_tags %}" + source)
    context = {"at": NIGHT, **context}
    assert template.render(Context(context)) == expected
