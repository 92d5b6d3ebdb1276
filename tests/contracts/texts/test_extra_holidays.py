"""Named extra holidays: reading what is stored (old bare dates too), and the form's lines."""

from datetime import date

import pytest

from contracts.texts.extra_holidays import (
    ExtraHoliday,
    extra_holidays_of,
    extra_holidays_text,
    parse_extra_holidays,
)
from contracts.texts.wording import RANGE_DASH, describe_calendar, extra_holiday_dates


class _Calendar:
    around_the_clock = False
    hours = {"0": "09:00-17:00"}
    holiday_country = "GB"
    holiday_subdivision = "ENG"

    def __init__(self, extra):
        self.extra_holidays = extra


def test_stored_bare_dates_from_before_names_read_as_unnamed_holidays():
    assert extra_holidays_of(["2026-12-31", {"date": "2026-12-24", "name": "Company day"}]) == [
        ExtraHoliday(date(2026, 12, 24), "Company day"),
        ExtraHoliday(date(2026, 12, 31)),
    ]


def test_one_holiday_per_date_and_a_named_one_wins():
    assert extra_holidays_of(["2026-12-24", ("2026-12-24", "Company day")]) == [
        ExtraHoliday(date(2026, 12, 24), "Company day")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-24 Company day", [ExtraHoliday(date(2026, 12, 24), "Company day")]),
        ("2026-12-24 - Company day\n\n", [ExtraHoliday(date(2026, 12, 24), "Company day")]),
        ("2026-12-24, 2026-12-31", [ExtraHoliday(date(2026, 12, 24)), ExtraHoliday(date(2026, 12, 31))]),
        (
            "2026-12-31\n2026-12-24 Company day",
            [ExtraHoliday(date(2026, 12, 24), "Company day"), ExtraHoliday(date(2026, 12, 31))],
        ),
        ("", []),
    ],
)
def test_form_lines_give_the_holidays_in_date_order(text, expected):
    assert parse_extra_holidays(text) == expected


@pytest.mark.parametrize("text", ["24/12/2026 Company day", "Company day 2026-12-24", "2026-02-30"])
def test_a_line_without_a_date_first_is_refused_naming_it(text):
    with pytest.raises(ValueError, match="Not a date and name: " + text.split()[0]):
        parse_extra_holidays(text)


def test_a_name_of_more_than_80_characters_is_refused():
    with pytest.raises(ValueError):
        parse_extra_holidays("2026-12-24 " + "x" * 81)


def test_the_form_lines_read_back_as_the_same_holidays():
    holidays = [ExtraHoliday(date(2026, 12, 24), "Company day"), ExtraHoliday(date(2026, 12, 31))]
    assert extra_holidays_text(holidays) == "2026-12-24 Company day\n2026-12-31"
    assert parse_extra_holidays(extra_holidays_text(holidays)) == holidays


def test_the_contract_text_names_the_holiday_and_the_engine_gets_dates_only():
    calendar = _Calendar([{"date": "2026-12-24", "name": "Company day"}, "2026-12-31"])
    assert describe_calendar(calendar) == (
        f"Monday 09:00{RANGE_DASH}17:00, except GB-ENG public holidays, "
        "24 December 2026 (Company day) and 31 December 2026"
    )
    assert extra_holiday_dates(calendar) == [date(2026, 12, 24), date(2026, 12, 31)]
