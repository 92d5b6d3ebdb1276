"""Moving a clause one place up or down: contiguous order, no-ops at the ends, activity."""

import pytest
from django.core.exceptions import ValidationError

from contracts import services
from contracts.models import AuditEvent, Clause, VersionFrozen


@pytest.fixture
def version(tenants):
    version = services.version_create_draft(contract=tenants.contract, user=None)
    for heading in ("A", "B", "C", "D"):
        services.clause_add(version=version, heading=heading, legal_text=heading, plain_text=heading)
    return version


def order(version) -> list[tuple[int, str]]:
    clauses = Clause.objects.filter(version=version).order_by("position")
    return list(clauses.values_list("position", "heading"))


def clause(version, heading: str) -> Clause:
    return Clause.objects.get(version=version, heading=heading)


@pytest.mark.parametrize(
    ("heading", "direction", "expected"),
    [
        ("B", "up", "BACD"),
        ("B", "down", "ACBD"),
        ("D", "up", "ABDC"),
        ("A", "down", "BACD"),
    ],
)
def test_a_move_swaps_with_the_neighbour_and_keeps_positions_contiguous(
    version, tenants, heading, direction, expected
):
    moved = services.clause_move(
        clause=clause(version, heading), direction=direction, user=tenants.provider_author
    )
    assert moved is True
    assert order(version) == list(enumerate(expected, start=1))


@pytest.mark.parametrize(("heading", "direction"), [("A", "up"), ("D", "down")])
def test_first_up_and_last_down_change_nothing(version, tenants, heading, direction):
    before = AuditEvent.objects.count()
    moved = services.clause_move(
        clause=clause(version, heading), direction=direction, user=tenants.provider_author
    )
    assert moved is False
    assert order(version) == list(enumerate("ABCD", start=1))
    assert AuditEvent.objects.count() == before


def test_a_move_closes_gaps_left_in_the_numbering(version, tenants):
    Clause.objects.filter(version=version, heading="D").update(position=9)
    services.clause_move(clause=clause(version, "D"), direction="up", user=tenants.provider_author)
    assert order(version) == list(enumerate("ABDC", start=1))


def test_a_move_is_recorded_in_the_contracts_activity(version, tenants):
    services.clause_move(clause=clause(version, "C"), direction="up", user=tenants.provider_author)
    event = AuditEvent.objects.filter(contract=tenants.contract).latest("id")
    assert event.actor == tenants.provider_author
    assert event.summary == f"Clause “C” moved up to position 2 (version {version.number})"


def test_an_unknown_direction_is_refused(version, tenants):
    with pytest.raises(ValidationError):
        services.clause_move(clause=clause(version, "B"), direction="sideways", user=None)
    assert order(version) == list(enumerate("ABCD", start=1))


def test_a_frozen_version_refuses_moves(version, tenants):
    services.version_publish(version=version, user=tenants.provider_author)
    with pytest.raises(VersionFrozen):
        services.clause_move(clause=clause(version, "B"), direction="up", user=None)
    assert order(version) == list(enumerate("ABCD", start=1))
