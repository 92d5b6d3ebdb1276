"""The editor page: clauses side by side, live preview, add/delete/reorder, quick parameters."""

import pytest
from django.urls import reverse

from contracts import services
from contracts.models import Clause, ClauseTemplate
from tests import factories

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def draft(tenants):
    return factories.version_with_terms(tenants.contract, user=tenants.provider_author)


@pytest.fixture
def author(tenants, client_for):
    return client_for(tenants.provider_author)


def url(name, version, *extra):
    return reverse(f"contracts:{name}", args=[version.contract.reference, version.number, *extra])


def clause_data(clause, **changes):
    data = {
        "heading": clause.heading,
        "key": clause.key,
        "legal_text": clause.legal_text,
        "plain_text": clause.plain_text,
    }
    return {**data, **changes}


# ---------------------------------------------------------------- the page


def test_editor_shows_both_texts_side_by_side_with_renderings(author, draft):
    response = author.get(url("version_edit", draft))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('name="legal_text"') == 3 and body.count('name="plain_text"') == 3
    assert "Legal rendering" in body and "Plain rendering" in body
    # Placeholders are substituted in both renderings.
    assert "at least 99.9% per calendar month" in body
    assert "up at least 99.9% of the month" in body
    assert 'hx-trigger="keyup changed delay:400ms, change"' in body
    assert 'hx-trigger="terms-changed from:body"' in body
    assert "Consistency check" in body
    assert "Warnings (1)" in body and "Errors (" not in body
    assert "has no credit schedule" in body


def test_editor_labels_an_internal_sla(tenants, client_for):
    company = factories.organisation("Acme Manufacturing")
    it = factories.organisation("Acme IT", parent=company, is_provider=True)
    finance = factories.organisation("Acme Finance", parent=company)
    author = factories.member(it, "author")
    contract = factories.contract(it, finance, title="IT for Finance")
    version = services.version_create_draft(contract=contract, user=author)
    response = client_for(author).get(url("version_edit", version))
    assert "Internal SLA" in response.content.decode()


def test_editor_page_queries_do_not_grow_with_clauses(author, tenants, django_assert_max_num_queries):
    def version_with(n):
        contract = factories.contract(tenants.provider, tenants.customer)
        version = services.version_create_draft(contract=contract, user=tenants.provider_author)
        services.parameter_set(version=version, name="uptime_target", kind="percentage", value="99.9")
        for i in range(n):
            services.clause_add(
                version=version,
                heading=f"Clause {i}",
                legal_text="At least {{ uptime_target }}.",
                plain_text="Up {{ uptime_target }} {{ nope }}.",
            )
        return version

    small, large = version_with(3), version_with(30)
    author.get(url("version_edit", small))  # warm up sessions and caches
    with django_assert_max_num_queries(16) as captured:
        assert author.get(url("version_edit", small)).status_code == 200
    baseline = len(captured)
    with django_assert_max_num_queries(baseline):
        response = author.get(url("version_edit", large))
    assert response.content.decode().count('name="legal_text"') == 30


@pytest.mark.parametrize("who", ["outsider_admin", "customer_admin", "customer_signer", "provider_viewer"])
def test_non_authors_get_404(tenants, client_for, draft, who):
    client = client_for(getattr(tenants, who))
    clause = draft.clauses.first()
    assert client.get(url("version_edit", draft)).status_code == 404
    response = client.post(url("editor_clause_save", draft, clause.pk), clause_data(clause, heading="Hacked"))
    assert response.status_code == 404
    assert client.post(url("editor_preview", draft), {"legal_text": "x"}).status_code == 404
    assert client.get(url("editor_findings", draft)).status_code == 404
    clause.refresh_from_db()
    assert clause.heading == "Scope"


def test_clause_of_another_version_is_404(author, tenants, draft):
    other = services.version_create_draft(
        contract=factories.contract(tenants.provider, tenants.customer), user=None
    )
    foreign = services.clause_add(version=other, heading="Elsewhere", legal_text="", plain_text="")
    response = author.post(
        url("editor_clause_save", draft, foreign.pk), clause_data(foreign, heading="Moved")
    )
    assert response.status_code == 404


# ---------------------------------------------------------------- saving and previews


def test_save_clause_changes_it_and_returns_to_the_clause(author, draft):
    clause = draft.clauses.get(key="service-levels-and-credits")
    response = author.post(
        url("editor_clause_save", draft, clause.pk),
        clause_data(
            clause,
            heading="Availability",
            legal_text="Up {{ uptime_target }}.",
            plain_text="Up {{ uptime_target }}!",
        ),
    )
    assert response.status_code == 302
    assert response.url.endswith("#clause-service-levels-and-credits")
    clause.refresh_from_db()
    assert (clause.heading, clause.legal_text) == ("Availability", "Up {{ uptime_target }}.")


def test_save_clause_with_htmx_returns_the_clause_and_refreshes_the_panel(author, draft):
    clause = draft.clauses.first()
    response = author.post(
        url("editor_clause_save", draft, clause.pk),
        clause_data(clause, plain_text="We keep {{ uptime_target }} up.\n\n{{ scope_list }}"),
        **HTMX,
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "clause-saved"
    body = response.content.decode()
    assert f'id="cl{clause.pk}"' in body
    assert "We keep 99.9% up." in body
    assert "<html" not in body


def test_save_clause_with_bad_key_is_refused_and_changes_nothing(author, draft):
    clause = draft.clauses.first()
    response = author.post(
        url("editor_clause_save", draft, clause.pk), clause_data(clause, key="Not a key!", legal_text="typed")
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Use lower-case letters" in body
    assert "typed</textarea>" in body  # what the author typed is still there
    clause.refresh_from_db()
    assert clause.key == "scope" and clause.legal_text != "typed"


def test_save_clause_with_a_taken_key_shows_the_error_in_the_partial(author, draft):
    clause = draft.clauses.first()
    response = author.post(
        url("editor_clause_save", draft, clause.pk),
        clause_data(clause, key="customer-responsibilities"),
        **HTMX,
    )
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    clause.refresh_from_db()
    assert clause.key == "scope"


def test_preview_renders_both_texts_and_errors_without_saving(author, draft):
    clause = draft.clauses.first()
    before = (clause.legal_text, clause.plain_text)
    response = author.post(
        url("editor_preview", draft),
        {
            "legal_text": "At least **{{ uptime_target }}**.",
            "plain_text": "Up {{ uptime_targt }} of the time.",
        },
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "At least <strong>99.9%</strong>." in body
    assert "unknown parameter &#x27;uptime_targt&#x27;" in body or "unknown parameter 'uptime_targt'" in body
    assert 'class="placeholder-error"' in body
    assert "line 1, column 4" in body
    assert "is used in the legal text only" in body
    clause.refresh_from_db()
    assert (clause.legal_text, clause.plain_text) == before


def test_preview_of_a_clause_being_typed_checks_the_version_with_its_unsaved_text(author, draft):
    clause = draft.clauses.get(key="service-levels-and-credits")
    before = (clause.heading, clause.legal_text, clause.plain_text)
    typed = clause_data(clause, heading="Levels", plain_text=clause.plain_text + " {{ uptime_targt }}")
    response = author.post(url("editor_preview", draft), {**typed, "clause": clause.pk}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    panel = body[body.index('<div id="findings-list" hx-swap-oob="innerHTML">') :]
    assert "Errors (" in panel and "{{ uptime_targt }} in the plain text of clause “Levels”" in panel
    assert "Checked with the unsaved text of clause “Levels”." in panel
    clause.refresh_from_db()
    assert (clause.heading, clause.legal_text, clause.plain_text) == before  # nothing saved
    # Fixed while still unsaved: the panel clears.
    response = author.post(url("editor_preview", draft), {**clause_data(clause), "clause": clause.pk}, **HTMX)
    panel = response.content.decode().split('hx-swap-oob="innerHTML">', 1)[1]
    assert "Errors (" not in panel and "Warnings (1)" in panel


def test_preview_without_a_clause_of_the_draft_leaves_the_panel_alone(tenants, author, draft, client_for):
    clause = draft.clauses.first()
    other = factories.version_with_terms(factories.contract(tenants.provider, tenants.customer))
    for posted in ({}, {"clause": "not a number"}, {"clause": other.clauses.first().pk}):
        response = author.post(url("editor_preview", draft), {**clause_data(clause), **posted}, **HTMX)
        assert response.status_code == 200
        assert "hx-swap-oob" not in response.content.decode()


def test_clause_texts_name_their_clause_for_the_live_check(author, draft):
    body = author.get(url("version_edit", draft)).content.decode()
    clause = draft.clauses.first()
    assert f'hx-vals="{{&quot;clause&quot;: {clause.pk}}}"' in body


def test_findings_panel_lists_errors_with_a_link_to_the_clause(author, draft):
    clause = draft.clauses.get(key="service-levels-and-credits")
    services.clause_update(
        clause=clause, data={"plain_text": clause.plain_text.replace("uptime_target", "uptime_targt")}
    )
    response = author.get(url("editor_findings", draft), **HTMX)
    body = response.content.decode()
    assert "Errors (2)" in body  # the unknown name, and uptime_target in one rendering only
    assert "uptime_targt" in body
    assert 'href="#clause-service-levels-and-credits"' in body
    assert "plain text" in body
    page = author.get(url("version_edit", draft)).content.decode()
    assert 'id="clause-service-levels-and-credits"' in page


# ---------------------------------------------------------------- add, delete, reorder


def test_add_blank_clause_at_the_end(author, draft):
    response = author.post(url("editor_clause_add", draft), {"heading": "Termination"})
    assert response.status_code == 302
    assert response.url.endswith("#clause-termination")
    added = draft.clauses.get(key="termination")
    assert (added.position, added.legal_text, added.plain_text) == (4, "", "")


def test_add_clause_without_heading_is_400(author, draft):
    response = author.post(url("editor_clause_add", draft), {"heading": ""})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert draft.clauses.count() == 3


def test_add_clause_from_the_library(author, tenants, draft):
    template = ClauseTemplate.objects.create(
        owner=tenants.provider,
        key="liability",
        heading="Liability",
        legal_text="Liability is capped at {{ monthly_fee }}.",
        plain_text="We pay at most {{ monthly_fee }}.",
    )
    response = author.post(url("editor_clause_add_template", draft), {"template": template.pk})
    assert response.status_code == 302
    added = draft.clauses.get(key="liability")
    assert added.template == template and added.position == 4
    page = author.get(url("version_edit", draft)).content.decode()
    assert "Liability is capped at EUR 1,000.00." in page


def test_add_clause_from_another_providers_library_is_refused(author, tenants, draft):
    foreign = ClauseTemplate.objects.create(
        owner=tenants.outsider, key="x", heading="X", legal_text="", plain_text=""
    )
    response = author.post(url("editor_clause_add_template", draft), {"template": foreign.pk})
    assert response.status_code == 400
    assert draft.clauses.count() == 3


def test_delete_clause_closes_the_gap(author, draft):
    first = draft.clauses.get(position=1)
    response = author.post(url("editor_clause_delete", draft, first.pk))
    assert response.status_code == 302
    assert list(draft.clauses.order_by("position").values_list("position", "key")) == [
        (1, "service-levels-and-credits"),
        (2, "customer-responsibilities"),
    ]


def test_move_clause_down_and_up(author, draft):
    first = draft.clauses.get(position=1)
    author.post(url("editor_clause_move", draft, first.pk), {"direction": "down"})
    assert list(draft.clauses.order_by("position").values_list("key", flat=True))[:2] == [
        "service-levels-and-credits",
        "scope",
    ]
    author.post(url("editor_clause_move", draft, first.pk), {"direction": "up"})
    assert draft.clauses.get(position=1) == first


def test_move_clause_without_direction_is_400(author, draft):
    first = draft.clauses.get(position=1)
    assert (
        author.post(url("editor_clause_move", draft, first.pk), {"direction": "sideways"}).status_code == 400
    )
    assert draft.clauses.get(position=1) == first


# ---------------------------------------------------------------- parameters panel


def test_editor_includes_the_quick_parameter_panel_and_listens_for_term_changes(author, draft):
    uptime = draft.parameters.get(name="uptime_target")
    body = author.get(url("version_edit", draft)).content.decode()
    assert 'id="parameters-panel"' in body
    assert url("parameter_quick_edit", draft, uptime.pk) in body
    assert url("version_terms", draft) in body
    # Every preview region and the findings list refresh when the terms change.
    assert body.count('hx-trigger="terms-changed from:body"') == 3
    assert 'hx-trigger="terms-changed from:body, clause-saved from:body"' in body


def test_changed_parameter_reaches_both_renderings_of_the_preview(author, draft):
    uptime = draft.parameters.get(name="uptime_target")
    response = author.post(url("parameter_quick_edit", draft, uptime.pk), {"value": "99.5"}, **HTMX)
    assert response["HX-Trigger"] == "terms-changed"
    clause = draft.clauses.get(key="service-levels-and-credits")
    preview = author.post(url("editor_preview", draft), clause_data(clause), **HTMX).content.decode()
    assert "at least 99.5% per calendar month" in preview
    assert "up at least 99.5% of the month" in preview


# ---------------------------------------------------------------- frozen versions


def test_frozen_version_is_read_only_and_refuses_every_post(author, tenants, draft):
    services.version_publish(version=draft, user=tenants.provider_author)
    page = author.get(url("version_edit", draft)).content.decode()
    assert 'name="legal_text"' not in page
    assert "Create new draft" in page
    assert "at least 99.9% per calendar month" in page

    clause = draft.clauses.first()
    before = list(Clause.objects.filter(version=draft).values_list("pk", "position", "heading", "legal_text"))
    posts = [
        (url("editor_clause_save", draft, clause.pk), clause_data(clause, heading="Changed")),
        (url("editor_clause_add", draft), {"heading": "New"}),
        (url("editor_clause_delete", draft, clause.pk), {}),
        (url("editor_clause_move", draft, clause.pk), {"direction": "down"}),
    ]
    for target, data in posts:
        response = author.post(target, data, follow=True)
        assert "is frozen and cannot change" in response.content.decode(), target
    htmx = author.post(
        url("editor_clause_save", draft, clause.pk), clause_data(clause, heading="Changed"), **HTMX
    )
    assert htmx.status_code == 204 and htmx["HX-Redirect"].endswith(url("version_edit", draft))
    after = list(Clause.objects.filter(version=draft).values_list("pk", "position", "heading", "legal_text"))
    assert after == before
