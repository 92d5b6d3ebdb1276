"""The editor's outline with each clause's status, collapsed clauses, moving clauses up and
down, and the next step offered once a version is published."""

import re

import pytest
from django.urls import reverse

from contracts import services
from contracts.models import AuditEvent, Clause
from tests import factories


@pytest.fixture
def draft(tenants):
    return factories.version_with_terms(tenants.contract, user=tenants.provider_author)


@pytest.fixture
def author(tenants, client_for):
    return client_for(tenants.provider_author)


def url(name, version, *extra):
    return reverse(f"contracts:{name}", args=[version.contract.reference, version.number, *extra])


def keys(version) -> list[str]:
    return list(Clause.objects.filter(version=version).order_by("position").values_list("key", flat=True))


def outline(body: str) -> str:
    return body[body.index('id="outline-list"') : body.index("</ol>", body.index('id="outline-list"'))]


def test_outline_links_every_clause_in_order_with_its_status(author, draft):
    body = author.get(url("version_edit", draft)).content.decode()
    part = outline(body)
    links = re.findall(r'<a href="#clause-([\w-]+)"', part)
    assert links == keys(draft)
    assert part.count("Ready") == 3
    # Clauses without errors start collapsed.
    assert body.count('class="card-body clause-details"') == 3
    assert not re.search(r'class="card-body clause-details"[^>]*\sopen', body)


def test_a_clause_with_an_unfilled_placeholder_is_flagged_and_open(author, draft):
    clause = draft.clauses.get(position=2)
    services.clause_update(clause=clause, data={"plain_text": clause.plain_text + " {{ nowhere }}"})
    body = author.get(url("version_edit", draft)).content.decode()
    assert re.search(r"\d+ unfilled placeholders?", outline(body))
    assert "error" in outline(body)
    opened = re.findall(r'id="cl(\d+)-details"[^>]*\sopen', body)
    assert opened == [str(clause.pk)]


def test_a_clause_edited_after_copying_from_the_library_says_so(author, tenants, draft):
    template = services.clause_template_create(
        owner=tenants.provider, heading="Licences", legal_text="You buy licences.", plain_text="Buy them."
    )
    copied = services.clause_add_from_template(version=draft, template=template)
    assert "Edited from the library" not in author.get(url("version_edit", draft)).content.decode()
    services.clause_update(clause=copied, data={"plain_text": "You buy them."})
    assert "Edited from the library" in outline(author.get(url("version_edit", draft)).content.decode())


def test_move_down_then_up_with_messages_and_activity(author, draft):
    first = draft.clauses.get(position=1)
    response = author.post(url("editor_clause_move", draft, first.pk), {"direction": "down"}, follow=True)
    assert f"Clause “{first.heading}” moved down to number 2." in response.content.decode()
    assert keys(draft)[:2] == ["service-levels-and-credits", "scope"]
    assert re.findall(r'<a href="#clause-([\w-]+)"', outline(response.content.decode())) == keys(draft)
    assert AuditEvent.objects.filter(summary__contains="moved down").count() == 1
    author.post(url("editor_clause_move", draft, first.pk), {"direction": "up"})
    assert keys(draft)[0] == "scope"


@pytest.mark.parametrize(("position", "direction", "where"), [(1, "up", "first"), (3, "down", "last")])
def test_first_up_and_last_down_change_nothing_and_say_so(author, draft, position, direction, where):
    clause = draft.clauses.get(position=position)
    before = keys(draft)
    response = author.post(url("editor_clause_move", draft, clause.pk), {"direction": direction}, follow=True)
    assert response.status_code == 200
    assert f"Clause “{clause.heading}” is already {where}: nothing moved." in response.content.decode()
    assert keys(draft) == before


def test_another_tenants_clause_cannot_be_moved(tenants, client_for, draft):
    clause = draft.clauses.get(position=1)
    outsider = client_for(tenants.outsider_admin)
    response = outsider.post(url("editor_clause_move", draft, clause.pk), {"direction": "down"})
    assert response.status_code == 404
    foreign_version = factories.version_with_terms(tenants.outsider_contract, user=None)
    foreign = foreign_version.clauses.get(position=1)
    author = client_for(tenants.provider_author)
    # The outsider's clause through the author's own version: not found either.
    assert author.post(url("editor_clause_move", draft, foreign.pk), {"direction": "down"}).status_code == 404
    assert keys(draft)[0] == "scope"
    assert keys(foreign_version)[0] == foreign.key


def test_publishing_offers_send_for_signature(author, draft):
    page = author.get(url("version_edit", draft)).content.decode()
    assert "Send for signature" not in page
    response = author.post(url("version_publish", draft), follow=True)
    body = response.content.decode()
    assert "Version 1 published" in body
    send = reverse("contracts:signing_send", args=[draft.contract.reference])
    assert f'href="{send}">Send for signature</a>' in body
