"""The terms page: who may open it, what it shows, parameters, frozen versions, query count."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from contracts import services
from contracts.models import CreditTier, Parameter
from contracts.selectors.versions import version_terms
from contracts.texts.wording import RANGE_DASH
from contracts.views.terms import parameters_panel_context
from tests import factories
from tests.contracts.terms_views_support import snapshot, text, tier_data, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(tenants):
    return factories.version_with_terms(tenants.contract, user=tenants.provider_author)


@pytest.fixture
def author(tenants, client_for):
    return client_for(tenants.provider_author)


# ---------------------------------------------------------------- page and access


def test_author_sees_every_section_with_display_values(author, draft):
    response = author.get(url("version_terms", draft))
    assert response.status_code == 200
    body = text(response)
    for anchor in ("parameters", "scope", "calendars", "maintenance", "service-levels", "credits", "hours"):
        assert f'id="{anchor}"' in body and f'href="#{anchor}"' in body
    assert "99.9%" in body
    assert "1 business hour" in body and "4 business hours" in body
    assert "EUR 1,000.00" in body
    assert "supported by the copier supplier under its own contract" in body
    assert "below 99.9% → 10% of the monthly fee" in body
    assert "capped at <strong>50% of the monthly fee</strong>" in body
    assert "20 hours per month; a shortfall is made up within 3 months" in body
    assert "Monday–Friday 09:00–17:00 (Europe/Amsterdam), except NL public holidays" in body.replace(
        RANGE_DASH, "–"
    )


def test_parameter_shows_the_clauses_and_service_levels_using_it(author, draft):
    body = text(author.get(url("version_terms", draft)))
    uptime = body[body.index('<code class="term-name">uptime_target') :][:600]
    assert "Used in 1 clause: Service levels and credits" in uptime
    assert "Availability (target)" in uptime
    share = body[body.index('<code class="term-name">response_p1_share') :][:600]
    assert "First response to P1 incidents (share)" in share


def test_admin_of_the_provider_may_author(tenants, client_for, draft):
    assert client_for(tenants.provider_admin).get(url("version_terms", draft)).status_code == 200


@pytest.mark.parametrize("who", ["outsider_admin", "customer_admin", "customer_signer", "provider_viewer"])
def test_others_get_404_on_page_and_posts(tenants, client_for, draft, who):
    client = client_for(getattr(tenants, who))
    before = snapshot(draft)
    parameter = draft.parameters.get(name="uptime_target")
    assert client.get(url("version_terms", draft)).status_code == 404
    response = client.post(url("terms_parameter_update", draft, parameter_id=parameter.pk), {"value": "90"})
    assert response.status_code == 404
    response = client.post(url("parameter_quick_edit", draft, parameter_id=parameter.pk), {"value": "90"})
    assert response.status_code == 404
    assert snapshot(draft) == before


def test_anonymous_visitor_is_asked_to_sign_in(client, draft):
    response = client.get(url("version_terms", draft))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_row_of_another_version_is_404(tenants, author, draft):
    other = factories.version_with_terms(
        factories.contract(tenants.provider, tenants.customer), user=tenants.provider_author
    )
    foreign = other.parameters.get(name="uptime_target")
    response = author.post(url("terms_parameter_update", draft, parameter_id=foreign.pk), {"value": "90"})
    assert response.status_code == 404


def test_each_row_has_an_edit_link_that_htmx_swaps_for_its_form(author, draft):
    parameter = draft.parameters.get(name="uptime_target")
    edit = url("terms_parameter_update", draft, parameter_id=parameter.pk)
    body = text(author.get(url("version_terms", draft)))
    assert f'href="{edit}" hx-get="{edit}" hx-target="closest li" hx-swap="outerHTML"' in body
    assert f'id="id_parameter-{parameter.pk}_value"' not in body

    fragment = text(author.get(edit, HTTP_HX_REQUEST="true"))
    row = f'<li class="term-row term-row-editing" id="parameter-{parameter.pk}">'
    assert fragment.lstrip().startswith(row)
    assert f'hx-post="{edit}"' in fragment
    assert f'id="id_parameter-{parameter.pk}_value"' in fragment and 'value="99.9"' in fragment
    assert "csrfmiddlewaretoken" in fragment
    assert 'Cancel<span class="visually-hidden"> editing parameter uptime_target</span>' in fragment


def test_cancel_with_htmx_gives_the_row_back_unchanged(author, draft):
    parameter = draft.parameters.get(name="uptime_target")
    edit = url("terms_parameter_update", draft, parameter_id=parameter.pk)
    fragment = text(author.get(edit + "?cancel=1", HTTP_HX_REQUEST="true"))
    assert fragment.lstrip().startswith(f'<li class="term-row" id="parameter-{parameter.pk}">')
    assert "99.9%" in fragment and "hx-post" not in fragment
    # Focus goes back to the row's Edit button.
    assert "autofocus>Edit" in fragment


def test_saving_a_row_in_place_answers_the_updated_row_and_refreshes_the_findings(author, draft):
    parameter = draft.parameters.get(name="uptime_target")
    response = author.post(
        url("terms_parameter_update", draft, parameter_id=parameter.pk),
        {"kind": "percentage", "value": "99.5"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "terms-changed"
    fragment = text(response)
    assert fragment.lstrip().startswith(f'<li class="term-row" id="parameter-{parameter.pk}">')
    assert "99.5%" in fragment
    assert 'role="status">Parameter uptime_target saved.' in fragment
    # The service level whose target it is shows the new value too.
    levels = fragment[fragment.index('<div id="service-levels-list" hx-swap-oob="true"') :]
    assert "99.5%" in levels[levels.index("Availability") :]
    assert Parameter.objects.get(pk=parameter.pk).value == "99.5"


def test_a_refused_row_comes_back_as_its_form_with_the_error_and_what_was_typed(author, draft):
    parameter = draft.parameters.get(name="uptime_target")
    before = snapshot(draft)
    response = author.post(
        url("terms_parameter_update", draft, parameter_id=parameter.pk),
        {"kind": "percentage", "value": "120", "description": "kept"},
        HTTP_HX_REQUEST="true",
    )
    # 200 so that htmx swaps the form in and the author sees the error.
    assert response.status_code == 200
    assert "HX-Trigger" not in response
    fragment = text(response)
    assert "A percentage lies between 0 and 100, not 120." in fragment
    assert 'value="120"' in fragment and 'value="kept"' in fragment
    assert snapshot(draft) == before


def test_the_terms_page_loads_the_consistency_check_and_refreshes_it_on_changes(author, draft):
    body = text(author.get(url("version_terms", draft)))
    findings = url("editor_findings", draft)
    assert f'hx-get="{findings}?links=editor" hx-trigger="load, terms-changed from:body"' in body
    clause = services.clause_add(
        version=draft, heading="Fees", legal_text="{{ unknown_fee }}", plain_text="{{ unknown_fee }}"
    )
    panel = text(author.get(findings + "?links=editor"))
    # Its links lead into the editor, where the clauses are.
    assert f'href="{url("version_edit", draft)}#clause-{clause.key}"' in panel


def test_row_form_without_htmx_is_the_page_with_the_form_in_the_row(author, draft):
    level = draft.service_levels.get(key="availability")
    response = author.get(url("terms_level_update", draft, level_id=level.pk))
    assert response.status_code == 200
    body = text(response)
    row = body[body.index(f'<li class="term-row term-row-editing" id="level-{level.pk}">') :]
    assert f'id="id_level-{level.pk}_key"' in row


# ---------------------------------------------------------------- frozen versions


@pytest.fixture
def frozen(tenants, draft):
    factories.maintenance_window_shown(draft, weekday=6, start="02:00", duration_minutes=60)
    return services.version_publish(version=draft, user=tenants.provider_author)


def test_frozen_version_is_shown_read_only(author, frozen):
    response = author.get(url("version_terms", frozen))
    assert response.status_code == 200
    body = text(response)
    assert "is frozen" in body
    assert "99.9%" in body
    assert '<form method="post" action="/contracts/' not in body
    assert "Edit" not in body.split('id="parameters"')[1].split('id="scope"')[0]


def test_row_form_of_a_frozen_version_goes_to_the_read_only_page(author, frozen):
    parameter = frozen.parameters.get(name="uptime_target")
    response = author.get(url("terms_parameter_update", frozen, parameter_id=parameter.pk))
    assert response.status_code == 302 and response.url == url("version_terms", frozen)
    fragment = author.get(
        url("terms_parameter_update", frozen, parameter_id=parameter.pk), HTTP_HX_REQUEST="true"
    )
    # htmx loads the read-only page, which says why.
    assert fragment.status_code == 204
    assert fragment["HX-Redirect"] == url("version_terms", frozen)


def _every_post(version) -> list[tuple[str, dict, dict]]:
    parameter = version.parameters.get(name="uptime_target")
    level = version.service_levels.get(key="availability")
    tiers = tier_data([("99.9", "10", "percent_of_fee"), ("90", "100", "percent_of_fee")], initial=1)
    ids = {
        "parameter_id": parameter.pk,
        "service_id": version.services.first().pk,
        "calendar_id": version.calendars.first().pk,
        "level_id": level.pk,
        "responsibility_id": version.responsibilities.first().pk,
        "window_id": version.maintenance_windows.first().pk,
    }
    window = {"weekday": "6", "start": "02:00", "duration_minutes": "60"}
    calendar = {"name": "Nights", "around_the_clock": "on"}
    level_data = {"key": "x", "name": "X", "metric": "availability", "target": str(parameter.pk)}
    duty = {"key": "backups", "duty": "Keeps backups", "category": "backups", "consequence": "billable"}
    hours = {"hours_per_month": "10", "deficit_carry_months": "1", "surplus_carry_months": "0"}
    posts = [
        ("terms_parameter_create", {}, {"name": "x", "kind": "text", "value": "y"}),
        (
            "terms_parameter_update",
            {"parameter_id": ids["parameter_id"]},
            {"kind": "percentage", "value": "90"},
        ),
        ("terms_parameter_delete", {"parameter_id": ids["parameter_id"]}, {}),
        ("parameter_quick_edit", {"parameter_id": ids["parameter_id"]}, {"value": "90"}),
        ("terms_service_create", {}, {"name": "Printer", "in_scope": "1"}),
        ("terms_service_update", {"service_id": ids["service_id"]}, {"name": "Mail", "in_scope": "1"}),
        ("terms_service_delete", {"service_id": ids["service_id"]}, {}),
        ("terms_calendar_create", {}, calendar),
        ("terms_calendar_update", {"calendar_id": ids["calendar_id"]}, calendar),
        ("terms_calendar_delete", {"calendar_id": ids["calendar_id"]}, {}),
        ("terms_window_create", {}, window),
        ("terms_window_update", {"window_id": ids["window_id"]}, window),
        ("terms_window_delete", {"window_id": ids["window_id"]}, {}),
        ("terms_level_create", {}, level_data),
        ("terms_level_update", {"level_id": ids["level_id"]}, level_data),
        ("terms_level_delete", {"level_id": ids["level_id"]}, {}),
        ("terms_credit_tiers_set", {"level_id": ids["level_id"]}, tiers),
        ("terms_credit_cap_set", {}, {"kind": "amount", "value": "100"}),
        ("terms_credit_cap_delete", {}, {}),
        ("terms_hours_set", {}, hours),
        ("terms_hours_delete", {}, {}),
        ("terms_responsibility_create", {}, duty),
        ("terms_responsibility_update", {"responsibility_id": ids["responsibility_id"]}, duty),
        ("terms_responsibility_delete", {"responsibility_id": ids["responsibility_id"]}, {}),
    ]
    return posts


def test_frozen_version_refuses_every_post(author, frozen):
    before = snapshot(frozen)
    for name, kwargs, data in _every_post(frozen):
        response = author.post(url(name, frozen, **kwargs), data)
        assert response.status_code == 302, name
        shown = text(author.get(response.url))
        assert "Version 1 is frozen and its terms cannot change" in shown, name
    assert snapshot(frozen) == before


# ---------------------------------------------------------------- parameters


def test_author_adds_a_parameter(author, draft):
    data = {"name": "backup_retention", "kind": "integer", "value": "30", "description": "Days kept"}
    response = author.post(url("terms_parameter_create", draft), data)
    assert response.status_code == 302
    assert response.url.endswith("/terms/#parameters")
    parameter = draft.parameters.get(name="backup_retention")
    assert (parameter.kind, parameter.value, parameter.description) == ("integer", "30", "Days kept")


def test_author_changes_a_parameter_value_and_type(author, draft):
    parameter = draft.parameters.get(name="resolution_p1")
    data = {"kind": "duration", "value": "8h", "business_time": "on", "description": "P1 fix"}
    response = author.post(url("terms_parameter_update", draft, parameter_id=parameter.pk), data)
    assert response.status_code == 302
    parameter.refresh_from_db()
    assert (parameter.value, parameter.business_time, parameter.description) == ("480", True, "P1 fix")
    assert "8 business hours" in text(author.get(url("version_terms", draft)))


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"name": "sla target", "kind": "text", "value": "x"}, "Use lower-case letters"),
        ({"name": "uptime_target", "kind": "text", "value": "x"}, "already has a name “uptime_target”"),
        ({"name": "credit_table", "kind": "text", "value": "x"}, "reserved"),
        ({"name": "new_target", "kind": "percentage", "value": "120"}, "between 0 and 100, not 120"),
        ({"name": "new_wait", "kind": "duration", "value": "soon"}, "is not a duration"),
        ({"name": "new_fee", "kind": "percentage", "value": "5", "business_time": "on"}, "Only a duration"),
    ],
)
def test_bad_new_parameter_is_refused_with_the_field_error(author, draft, data, error):
    before = snapshot(draft)
    response = author.post(url("terms_parameter_create", draft), data)
    assert response.status_code == 400
    body = text(response)
    assert error in body
    assert "Nothing was saved" in body and 'href="#parameters"' in body
    assert snapshot(draft) == before


def test_bad_value_keeps_what_the_author_typed(author, draft):
    parameter = draft.parameters.get(name="uptime_target")
    before = snapshot(draft)
    response = author.post(
        url("terms_parameter_update", draft, parameter_id=parameter.pk),
        {"kind": "percentage", "value": "120"},
    )
    assert response.status_code == 400
    body = text(response)
    assert "A percentage lies between 0 and 100, not 120." in body
    row = body[body.index(f'<li class="term-row term-row-editing" id="parameter-{parameter.pk}">') :]
    assert 'value="120"' in row[:6000]
    assert snapshot(draft) == before


def test_author_deletes_an_unused_parameter(author, draft):
    parameter = draft.parameters.get(name="resolution_p1")
    response = author.post(url("terms_parameter_delete", draft, parameter_id=parameter.pk))
    assert response.status_code == 302
    assert not draft.parameters.filter(name="resolution_p1").exists()


def test_deleting_a_parameter_a_service_level_uses_says_which(author, draft):
    parameter = draft.parameters.get(name="uptime_target")
    before = snapshot(draft)
    response = author.post(url("terms_parameter_delete", draft, parameter_id=parameter.pk))
    assert response.status_code == 400
    assert "uptime_target is used by the service level(s) Availability." in text(response)
    assert snapshot(draft) == before


# ---------------------------------------------------------------- quick edit panel


def test_panel_posts_with_htmx_to_itself(draft):
    context = parameters_panel_context(draft, version_terms(draft))
    html = render_to_string("contracts/terms/_parameters_panel.html", context)
    parameter = draft.parameters.get(name="uptime_target")
    action = url("parameter_quick_edit", draft, parameter_id=parameter.pk)
    assert 'id="parameters-panel"' in html
    assert f'hx-post="{action}"' in html
    assert 'hx-target="#parameters-panel"' in html and 'hx-swap="outerHTML"' in html
    assert "99.9%" in html


def test_quick_edit_with_htmx_returns_the_panel_and_triggers_a_refresh(author, draft):
    parameter = draft.parameters.get(name="uptime_target")
    response = author.post(
        url("parameter_quick_edit", draft, parameter_id=parameter.pk),
        {"value": "99.5"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "terms-changed"
    body = text(response)
    assert body.lstrip().startswith('<section id="parameters-panel"')
    assert "99.5%" in body and "uptime_target saved." in body
    parameter.refresh_from_db()
    assert parameter.value == "99.5"


def test_quick_edit_error_is_shown_in_the_panel_for_htmx(author, draft):
    parameter = draft.parameters.get(name="uptime_target")
    before = snapshot(draft)
    response = author.post(
        url("parameter_quick_edit", draft, parameter_id=parameter.pk),
        {"value": "120"},
        HTTP_HX_REQUEST="true",
    )
    # 200 so that htmx swaps the panel in and the author sees the error.
    assert response.status_code == 200
    assert "HX-Trigger" not in response
    assert "A percentage lies between 0 and 100, not 120." in text(response)
    assert snapshot(draft) == before


def test_quick_edit_without_htmx_goes_back_to_the_referring_page(author, draft):
    parameter = draft.parameters.get(name="response_p1")
    editor = url("version_terms", draft).replace("/terms/", "/edit/")
    response = author.post(
        url("parameter_quick_edit", draft, parameter_id=parameter.pk),
        {"value": "2h"},
        HTTP_REFERER=f"http://testserver{editor}",
    )
    assert response.status_code == 302
    assert response.url == editor
    parameter.refresh_from_db()
    assert parameter.value == "120"


def test_quick_edit_ignores_a_foreign_referer(author, draft):
    parameter = draft.parameters.get(name="response_p1")
    response = author.post(
        url("parameter_quick_edit", draft, parameter_id=parameter.pk),
        {"value": "2h"},
        HTTP_REFERER="https://evil.example/contracts/",
    )
    assert response.url == url("version_terms", draft) + "#parameters"


def test_quick_edit_without_htmx_shows_the_error_with_400(author, draft):
    parameter = draft.parameters.get(name="response_p1")
    before = snapshot(draft)
    response = author.post(url("parameter_quick_edit", draft, parameter_id=parameter.pk), {"value": "soon"})
    assert response.status_code == 400
    assert "is not a duration" in text(response)
    assert snapshot(draft) == before


def test_quick_edit_on_a_frozen_version_shows_the_refusal_in_the_panel(author, frozen):
    parameter = frozen.parameters.get(name="uptime_target")
    before = snapshot(frozen)
    response = author.post(
        url("parameter_quick_edit", frozen, parameter_id=parameter.pk),
        {"value": "90"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "HX-Trigger" not in response
    body = text(response)
    assert "is frozen" in body and "hx-post" not in body
    assert snapshot(frozen) == before


# ---------------------------------------------------------------- query count


def _grow(version, count: int) -> None:
    """Add ``count`` parameters, services, calendars, windows, responsibilities and service
    levels with three credit tiers each."""
    calendar = version.calendars.first()
    for n in range(count):
        target = services.parameter_set(version=version, name=f"extra_{n}", kind="percentage", value="99")
        services.service_create(version=version, name=f"System {n}")
        services.calendar_create(version=version, name=f"Calendar {n}", hours={0: "08:00-18:00"})
        services.maintenance_window_create(version=version, weekday=n % 7, start="01:00", duration_minutes=30)
        services.responsibility_create(
            version=version, key=f"duty_{n}", duty="Duty", category="other", consequence="billable"
        )
        level = services.service_level_create(
            version=version,
            key=f"level_{n}",
            name=f"Level {n}",
            metric="availability",
            target=target,
            calendar=calendar,
        )
        services.credit_tiers_set(
            service_level=level,
            tiers=[
                ("99", "percent_of_fee", "5"),
                ("98", "percent_of_fee", "10"),
                ("95", "fixed_amount", "200"),
            ],
        )


@pytest.mark.parametrize("extra", [0, 27])
def test_page_queries_do_not_grow_with_the_rows(author, draft, django_assert_max_num_queries, extra):
    _grow(draft, extra)
    assert CreditTier.objects.filter(version=draft).count() == 3 + 3 * extra
    with django_assert_max_num_queries(15):
        response = author.get(url("version_terms", draft))
    assert response.status_code == 200
    assert Parameter.objects.filter(version=draft).count() == 5 + extra
    assert f"Level {extra - 1}" in text(response) if extra else True


def test_display_of_money_uses_the_contract_currency(author, draft):
    services.parameter_set(version=draft, name="setup_fee", kind="money", value=Decimal("1200"))
    assert "EUR 1,200.00" in text(author.get(url("version_terms", draft)))
