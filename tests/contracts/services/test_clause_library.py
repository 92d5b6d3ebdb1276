"""Clauses of a draft (adding, ordering) and the provider's clause library."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from contracts import services
from contracts.models import Clause, ClauseTemplate
from contracts.selectors.versions import clause_template_for_user, clause_templates_for_user
from tests import factories


@pytest.fixture
def version(tenants):
    return services.version_create_draft(contract=tenants.contract, user=None)


@pytest.fixture
def template(tenants):
    category = services.clause_category_create(owner=tenants.provider, name="Liability")
    return services.clause_template_create(
        owner=tenants.provider,
        category=category,
        heading="Licences",
        legal_text="The Customer shall obtain all licences. {{ responsibility_licences }}",
        plain_text="You buy your own licences. {{ responsibility_licences }}",
        description="For every managed IT contract.",
        user=tenants.provider_author,
    )


def headings(version) -> list[str]:
    return list(Clause.objects.filter(version=version).order_by("position").values_list("heading", flat=True))


def add(version, *names: str) -> list[Clause]:
    return [services.clause_add(version=version, heading=n, legal_text=n, plain_text=n) for n in names]


# ---------------------------------------------------------------- clauses of a draft


def test_clauses_are_appended_with_unique_keys(version):
    first, second = add(version, "Scope", "Scope")
    assert (first.position, first.key) == (1, "scope")
    assert (second.position, second.key) == (2, "scope-2")


def test_clause_added_at_a_position_moves_the_rest_down(version):
    add(version, "A", "B", "C")
    services.clause_add(version=version, heading="Between", legal_text="", plain_text="", position=2)
    assert headings(version) == ["A", "Between", "B", "C"]
    assert list(
        Clause.objects.filter(version=version).order_by("position").values_list("position", flat=True)
    ) == [
        1,
        2,
        3,
        4,
    ]


def test_clause_move_and_reorder(version):
    a, b, c = add(version, "A", "B", "C")
    services.clause_move_to(clause=c, position=1)
    assert headings(version) == ["C", "A", "B"]
    services.clause_move_to(clause=c, position=99)
    assert headings(version) == ["A", "B", "C"]
    services.clause_reorder(version=version, clause_ids=[b.pk, c.pk, a.pk])
    assert headings(version) == ["B", "C", "A"]
    with pytest.raises(ValidationError, match="exactly once"):
        services.clause_reorder(version=version, clause_ids=[b.pk, c.pk])


def test_clause_delete_closes_the_gap(version):
    _, b, _ = add(version, "A", "B", "C")
    services.clause_delete(clause=b)
    assert list(Clause.objects.filter(version=version).values_list("heading", "position")) == [
        ("A", 1),
        ("C", 2),
    ]


def test_clause_update_changes_text(version):
    [clause] = add(version, "A")
    services.clause_update(clause=clause, data={"legal_text": "New", "heading": "Renamed"})
    clause.refresh_from_db()
    assert (clause.heading, clause.legal_text) == ("Renamed", "New")
    with pytest.raises(TypeError):
        services.clause_update(clause=clause, data={"version": None})


# ---------------------------------------------------------------- library


def test_template_is_copied_into_a_draft_and_linked(version, template):
    clause = services.clause_add_from_template(version=version, template=template)
    assert (clause.key, clause.heading, clause.template) == ("licences", "Licences", template)
    assert clause.plain_text == template.plain_text
    services.clause_template_update(template=template, data={"plain_text": "Changed"})
    clause.refresh_from_db()
    assert clause.plain_text != "Changed"


def test_first_version_can_start_from_templates(tenants, template):
    version = services.version_create_draft(contract=tenants.contract, user=None, templates=[template])
    assert headings(version) == ["Licences"]


def test_template_of_another_provider_is_refused(tenants, template):
    version = services.version_create_draft(contract=tenants.outsider_contract, user=None)
    with pytest.raises(ValidationError, match="provider's own library"):
        services.clause_add_from_template(version=version, template=template)


def test_clause_saved_back_to_the_library(tenants):
    version = factories.version_with_terms(tenants.contract)
    clause = version.clauses.get(key="scope")
    saved = services.clause_save_to_library(clause=clause, user=tenants.provider_author)
    assert (saved.owner, saved.key, saved.legal_text) == (tenants.provider, "scope", clause.legal_text)
    with pytest.raises(ValidationError):
        services.clause_save_to_library(clause=clause, user=None, key="scope")


def test_frozen_clause_can_be_saved_to_the_library(tenants):
    version = factories.version_with_terms(tenants.contract)
    services.version_publish(version=version, user=None)
    saved = services.clause_save_to_library(clause=version.clauses.first(), user=None)
    assert saved.pk


def test_only_providers_keep_a_library(tenants):
    with pytest.raises(ValidationError, match="no clause library"):
        services.clause_template_create(owner=tenants.customer, heading="X", legal_text="", plain_text="")


def test_category_must_belong_to_the_same_library(tenants):
    foreign = services.clause_category_create(owner=tenants.outsider, name="Other")
    with pytest.raises(ValidationError):
        services.clause_template_create(
            owner=tenants.provider, heading="X", legal_text="", plain_text="", category=foreign
        )


def test_deleting_a_template_keeps_the_clause_text(version, template):
    clause = services.clause_add_from_template(version=version, template=template)
    services.clause_template_delete(template=template)
    clause.refresh_from_db()
    assert clause.template is None and clause.heading == "Licences"


def test_library_is_visible_to_the_providers_authors_only(tenants, template):
    assert list(clause_templates_for_user(tenants.provider_author)) == [template]
    assert not clause_templates_for_user(tenants.provider_viewer).exists()
    assert not clause_templates_for_user(tenants.customer_admin).exists()
    with pytest.raises(Http404):
        clause_template_for_user(tenants.outsider_admin, template.pk)
    assert ClauseTemplate.objects.count() == 1
