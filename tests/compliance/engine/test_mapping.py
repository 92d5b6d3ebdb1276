"""Reading other tools' date formats and reshaping their rows (pure, no database)."""

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.engine.import_presets import PRESETS, presets_for
from compliance.engine.mapping import (
    DATE_FORMATS,
    ColumnMapping,
    Unreadable,
    cell_text,
    date_text,
    map_row,
    match_columns,
    parse_value_map,
    read_time,
    time_text,
    value_map_text,
)


@pytest.mark.parametrize(
    ("text", "date_format", "expected"),
    [
        ("2026-03-04T09:15", "iso", datetime(2026, 3, 4, 9, 15)),
        ("2026-03-04 09:15:30", "iso", datetime(2026, 3, 4, 9, 15, 30)),
        ("2026-03-04", "iso", datetime(2026, 3, 4)),
        ("3/4/2026 9:15 AM", "us", datetime(2026, 3, 4, 9, 15)),
        ("03/04/2026 12:30 PM", "us", datetime(2026, 3, 4, 12, 30)),
        ("03/04/2026 12:05 am", "us", datetime(2026, 3, 4, 0, 5)),
        ("3/14/2026 11:59:59 PM", "us", datetime(2026, 3, 14, 23, 59, 59)),
        ("3/4/2026 17:45", "us", datetime(2026, 3, 4, 17, 45)),
        ("3/4/2026", "us", datetime(2026, 3, 4)),
        ("04/03/2026 09:15", "day_first", datetime(2026, 3, 4, 9, 15)),
        ("31/12/2026 23:59:10", "day_first", datetime(2026, 12, 31, 23, 59, 10)),
        ("04.03.2026 09:15", "dotted", datetime(2026, 3, 4, 9, 15)),
        ("04/Mar/26 9:15 AM", "jira", datetime(2026, 3, 4, 9, 15)),
        ("05/Mar/26 4:45 PM", "jira", datetime(2026, 3, 5, 16, 45)),
        ("05/Mar/2026 16:45", "jira", datetime(2026, 3, 5, 16, 45)),
        ("  3/4/2026   9:15  AM ", "us", datetime(2026, 3, 4, 9, 15)),
    ],
)
def test_read_time_reads_each_format(text, date_format, expected):
    assert read_time(text, date_format) == expected


@pytest.mark.parametrize(
    ("text", "date_format"),
    [
        ("13/04/2026 09:15", "us"),  # no 13th month
        ("3/4/2026 9:15 AM", "iso"),
        ("2026-03-04 09:15", "us"),
        ("31/04/2026 09:15", "day_first"),  # April has 30 days
        ("04/03/2026 25:00", "day_first"),
        ("04/Mrz/26 9:15 AM", "jira"),
        ("yesterday", "dotted"),
    ],
)
def test_read_time_refuses_what_the_format_does_not_say(text, date_format):
    with pytest.raises(Unreadable, match=DATE_FORMATS[date_format].example):
        read_time(text, date_format)


def test_spreadsheet_cells_are_taken_as_they_are():
    assert read_time(datetime(2026, 3, 4, 9, 15), "us") == datetime(2026, 3, 4, 9, 15)
    assert read_time(date(2026, 3, 4), "jira") == datetime(2026, 3, 4)


@pytest.mark.parametrize(
    ("value", "date_format", "zone", "expected"),
    [
        ("3/4/2026 9:15 AM", "us", "", "2026-03-04T09:15"),
        ("3/4/2026 9:15 AM", "us", "America/New_York", "2026-03-04T09:15 America/New_York"),
        # The clock skips 02:00–03:00 on 8 March 2026 in New York; the portal's rule applies.
        ("3/8/2026 2:30 AM", "us", "America/New_York", "2026-03-08T02:30 America/New_York"),
        ("2026-03-04T09:15+01:00", "iso", "America/New_York", "2026-03-04T09:15+01:00"),
        ("2026-03-04 09:15:07", "iso", "UTC", "2026-03-04T09:15:07 UTC"),
        (datetime(2026, 10, 25, 2, 30), "iso", "Europe/Amsterdam", "2026-10-25T02:30 Europe/Amsterdam"),
    ],
)
def test_time_text_writes_iso_with_the_profile_zone(value, date_format, zone, expected):
    assert time_text(value, date_format, zone) == expected


def test_date_text_drops_the_time_of_day():
    assert date_text("3/4/2026 9:15 AM", "us") == "2026-03-04"
    assert date_text(datetime(2026, 3, 4, 23, 0), "iso") == "2026-03-04"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, ""), (2.0, "2"), (2.25, "2.25"), (48213, "48213"), (True, "true"), ("  x ", "x")],
)
def test_cell_text(value, expected):
    assert cell_text(value) == expected


def test_value_maps_read_lines_and_ignore_case():
    pairs = parse_value_map("# ConnectWise\nPriority 1 - Emergency Response = P1\n\nE-mail=Email\n")
    assert pairs == {"priority 1 - emergency response": "P1", "e-mail": "Email"}
    assert parse_value_map(value_map_text(pairs)) == pairs
    with pytest.raises(Unreadable, match="Line 2"):
        parse_value_map("A = B\nnot a pair")


def test_columns_match_without_regard_to_case_and_name_the_missing():
    positions, missing = match_columns(
        [" Ticket # ", "Date Entered", "priority"],
        {"external_id": "Ticket #", "opened_at": "date entered", "priority": "Priority", "service": "Type"},
    )
    assert positions == {"external_id": 0, "opened_at": 1, "priority": 2}
    assert missing == ["Type"]


def test_map_row_reshapes_a_connectwise_row():
    preset = PRESETS["connectwise"]
    header = [
        "Ticket #",
        "Type",
        "Priority",
        "Summary Description",
        "Date Entered",
        "Date Responded",
        "Date Resolved",
    ]
    mapping = ColumnMapping(
        kind="incidents",
        columns=preset.columns,
        date_format="us",
        time_zone="America/New_York",
        values={
            "priority": {key.casefold(): value for key, value in preset.priorities.items()},
            "service": {"e-mail": "Email"},
        },
    )
    positions, missing = match_columns(header, preset.columns)
    assert missing == []
    row, errors = map_row(
        [
            "48213",
            "E-mail",
            "Priority 1 - Emergency Response",
            "Mail down",
            "03/04/2026 09:15 AM",
            "",
            "13/04/2026",
        ],
        positions,
        mapping,
    )
    assert row == {
        "external_id": "48213",
        "service": "Email",
        "priority": "P1",
        "summary": "Mail down",
        "opened_at": "2026-03-04T09:15 America/New_York",
        "first_response_at": "",
    }
    assert list(errors) == ["resolved_at"]
    assert "does not match the date format" in errors["resolved_at"][0]


def test_a_short_row_reads_as_empty_cells():
    mapping = ColumnMapping(
        kind="worklogs", columns={"external_id": "Id", "date": "Day"}, date_format="day_first"
    )
    row, errors = map_row(["7"], {"external_id": 0, "date": 1}, mapping)
    assert row == {"external_id": "7", "date": ""}
    assert errors == {}


def test_every_preset_maps_the_required_fields_with_a_known_date_format():
    assert {preset.key for preset in presets_for("incidents")} == {
        "connectwise",
        "autotask",
        "halopsa",
        "zammad",
        "jira",
    }
    for preset in PRESETS.values():
        assert {"external_id", "service", "priority", "opened_at"} <= set(preset.columns)
        assert preset.date_format in DATE_FORMATS
        assert set(preset.priorities.values()) <= {"P1", "P2", "P3", "P4"}


@given(
    st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2199, 12, 31)).map(
        lambda d: d.replace(microsecond=0)
    )
)
def test_every_format_reads_back_what_it_writes(moment):
    written = {
        "iso": moment.isoformat(sep=" "),
        "us": moment.strftime("%m/%d/%Y %I:%M:%S %p"),
        "day_first": moment.strftime("%d/%m/%Y %H:%M:%S"),
        "dotted": moment.strftime("%d.%m.%Y %H:%M:%S"),
    }
    for key, text in written.items():
        assert read_time(text, key) == moment, key
    assert read_time(moment.strftime("%d/%b/%Y %I:%M %p"), "jira") == moment.replace(second=0)
