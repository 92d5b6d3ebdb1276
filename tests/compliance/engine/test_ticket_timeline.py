"""A ticket's clock from its status history: hand-checked cases and properties."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.engine.tickets import STATUSES, ticket_timeline

T0 = datetime(2026, 3, 4, 8, 0, tzinfo=UTC)


def at(minutes):
    return T0 + timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("changes", "resolved", "reopened", "pauses"),
    [
        ([], None, False, []),
        ([(60, "resolved")], 60, False, []),
        ([(10, "waiting"), (40, "open"), (90, "resolved")], 90, False, [(10, 40)]),
        ([(10, "waiting"), (90, "resolved")], 90, False, [(10, 90)]),  # resolving ends the pause
        ([(10, "waiting")], None, False, [(10, None)]),  # still waiting
        ([(10, "waiting"), (20, "waiting"), (30, "open")], None, False, [(10, 30)]),  # repeat
        ([(60, "resolved"), (120, "closed")], 60, False, []),  # closing keeps the resolution
        ([(60, "resolved"), (90, "open"), (150, "closed")], 150, True, []),
        ([(60, "closed"), (90, "waiting"), (100, "open")], None, True, [(90, 100)]),
        ([(90, "resolved"), (10, "waiting"), (40, "open")], 90, False, [(10, 40)]),  # any order
        ([(-30, "waiting"), (15, "open")], None, False, [(0, 15)]),  # before the opening
        ([(10, "waiting"), (10, "open")], None, False, []),  # an empty pause is dropped
    ],
)
def test_hand_checked_histories(changes, resolved, reopened, pauses):
    timeline = ticket_timeline(T0, [(at(m), status) for m, status in changes])
    assert timeline.resolved_at == (None if resolved is None else at(resolved))
    assert timeline.reopened is reopened
    assert timeline.pauses == [(at(s), None if e is None else at(e)) for s, e in pauses]


def test_an_unknown_status_is_refused():
    with pytest.raises(ValueError, match="parked"):
        ticket_timeline(T0, [(at(1), "parked")])


history = st.lists(st.tuples(st.integers(-60, 10_000), st.sampled_from(STATUSES)), max_size=25)


@given(history)
def test_pauses_are_ordered_apart_and_within_the_ticket(changes):
    timeline = ticket_timeline(T0, [(at(m), status) for m, status in changes])
    previous_end = T0
    for index, (start, end) in enumerate(timeline.pauses):
        assert start >= previous_end
        assert end is None or end > start
        if end is None:
            assert index == len(timeline.pauses) - 1
            assert timeline.resolved_at is None
        elif timeline.resolved_at is not None:
            assert end <= timeline.resolved_at
        previous_end = end or start
    if timeline.resolved_at is not None:
        assert timeline.resolved_at >= T0


@given(history)
def test_order_of_arrival_and_repeats_do_not_matter(changes):
    stamped = [(at(m), status) for m, status in changes]
    # Distinct times: the history is a function of time (same-moment changes keep their order).
    seen, distinct = set(), []
    for moment, status in stamped:
        if moment not in seen:
            seen.add(moment)
            distinct.append((moment, status))
    once = ticket_timeline(T0, distinct)
    assert ticket_timeline(T0, list(reversed(distinct))) == once
    assert ticket_timeline(T0, distinct + distinct) == once
