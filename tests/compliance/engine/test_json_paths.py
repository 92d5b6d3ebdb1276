"""JSON paths of a generic JSON source: parsed, evaluated, and refused with where it goes wrong."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.engine.json_paths import MISSING, PathSyntaxError, parse_path, path_value

ALERTMANAGER = {
    "status": "firing",
    "alerts": [
        {"labels": {"service": "Email", "alertname": "EmailDown"}, "startsAt": "2026-03-04T09:15:00Z"},
        {"labels": {"service": "File server"}, "startsAt": "2026-03-04T10:00:00Z"},
    ],
    "commonLabels": {"a.b": "dotted", "with space": 1},
}


@pytest.mark.parametrize(
    ("path", "steps"),
    [
        ("status", ("status",)),
        ("alerts[0].labels.service", ("alerts", 0, "labels", "service")),
        ("alerts[-1].startsAt", ("alerts", -1, "startsAt")),
        ("[1]", (1,)),
        ("matrix[0][2]", ("matrix", 0, 2)),
        ('commonLabels["a.b"]', ("commonLabels", "a.b")),
        ('commonLabels["with space"]', ("commonLabels", "with space")),
        ("  event.id  ", ("event", "id")),
        ("heartbeat.monitorID", ("heartbeat", "monitorID")),
        ("a-b.c_d.1", ("a-b", "c_d", "1")),
    ],
)
def test_a_path_is_read_into_its_steps(path, steps):
    assert parse_path(path) == steps


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("", "The path is empty."),
        ("   ", "The path is empty."),
        (".status", "Character 1: the path starts with a name"),
        ("alerts..labels", "Character 8: expected a name, found “.”"),
        ("alerts.", "Character 8: expected a name, found “the end”"),
        ("alerts[x]", "Character 7: write a list position as [0]"),
        ("alerts[0", "Character 7: write a list position as [0]"),
        ("alerts[]", "Character 7: write a list position as [0]"),
        ("alerts[0]labels", "Character 10: expected “.” or “[” before “l”"),
        ("a b", "Character 2: expected “.” or “[” before “ ”"),
        ("labels]", "Character 7: expected “.” or “[” before “]”"),
    ],
)
def test_a_bad_path_says_where_it_goes_wrong(path, message):
    with pytest.raises(PathSyntaxError) as caught:
        parse_path(path)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("status", "firing"),
        ("alerts[0].labels.service", "Email"),
        ("alerts[1].labels.service", "File server"),
        ("alerts[-1].startsAt", "2026-03-04T10:00:00Z"),
        ('commonLabels["a.b"]', "dotted"),
        ("alerts[0].labels", {"service": "Email", "alertname": "EmailDown"}),
        ("alerts[2].labels.service", MISSING),  # past the end
        ("alerts[-3]", MISSING),
        ("alerts.labels", MISSING),  # a name on a list
        ("status[0]", MISSING),  # a position on text
        ("alerts[0].labels.job", MISSING),
        ("nothing.here", MISSING),
    ],
)
def test_a_path_gives_its_value_or_missing(path, value):
    assert path_value(ALERTMANAGER, parse_path(path)) == value


def test_missing_is_falsy_and_distinct_from_null():
    assert not MISSING
    assert path_value({"end": None}, ("end",)) is None
    assert path_value({}, ("end",)) is MISSING


_names = st.text(
    alphabet=st.characters(blacklist_characters='.[]" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0'), min_size=1
)


@given(st.lists(st.one_of(_names, st.integers(-5, 5), st.text(min_size=1)), min_size=1, max_size=6))
def test_any_written_path_reads_back_as_its_steps(steps):
    # Plain names are written dotted, any other name as a JSON string in brackets.
    written = ""
    for step in steps:
        if isinstance(step, int):
            written += f"[{step}]"
        elif written and step.strip() == step and all(c not in '.[]" ' for c in step) and step.isprintable():
            written += f".{step}"
        else:
            written += f"[{json.dumps(step)}]"
    assert parse_path(written) == tuple(steps)
