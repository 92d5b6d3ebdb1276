"""The redline page: changes between two versions, per clause and per term."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts import services
from contracts.selectors.reading import announced_marks
from contracts.texts.wording import RANGE_DASH
from tests import factories


@pytest.fixture
def published(tenants):
    """Version 1 frozen (uptime 99.9%); version 2 a draft raising it to 99.95%."""
    first = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    services.version_publish(version=first, user=tenants.provider_author)
    draft = services.version_create_draft(
        contract=tenants.contract, user=tenants.provider_author, note="Raise"
    )
    services.parameter_set(version=draft, name="uptime_target", kind="percentage", value="99.95")
    return first, draft


def compare_url(tenants, query: str = "") -> str:
    return reverse("contracts:version_compare", args=[tenants.contract.reference]) + (
        f"?{query}" if query else ""
    )


def body_of(response) -> str:
    return response.content.decode()


def changed_terms_listed(response) -> list[str]:
    listed = re.search(r'<ul class="changed-terms">(.*?)</ul>', body_of(response), re.S)
    return [" ".join(item.split()) for item in re.findall(r"<li>(.*?)</li>", listed.group(1), re.S)]


def test_default_compares_previous_with_latest_in_plain_language(published, tenants, client_for):
    response = client_for(tenants.provider_author).get(compare_url(tenants))

    assert response.status_code == 200
    body = body_of(response)
    assert "Changes from version 1 to version 2 — plain language" in body
    assert "Your systems are up at least" in body
    assert '<del class="redline-del"><span class="visually-hidden">deleted: </span>99.9</del>' in body
    assert '<ins class="redline-ins"><span class="visually-hidden">inserted: </span>99.95</ins>%' in body
    assert "<li>uptime_target 99.9% → 99.95%</li>" in body


def test_legal_rendering_redlines_the_legal_text(published, tenants, client_for):
    response = client_for(tenants.provider_author).get(compare_url(tenants, "from=1&to=2&rendering=legal"))

    body = body_of(response)
    assert "— legal text" in body
    assert "Availability shall be at least <del" in body
    assert "99.95</ins>% per calendar month" in body
    assert "Your systems are up" not in body


def test_added_and_removed_clauses_are_marked(published, tenants, client_for):
    _first, draft = published
    services.clause_delete(clause=draft.clauses.get(heading="Customer responsibilities"))
    services.clause_add(
        version=draft, heading="Data protection", legal_text="x", plain_text="We keep data safe."
    )

    body = body_of(client_for(tenants.provider_author).get(compare_url(tenants)))

    assert "Added</span>" in body and "We keep data safe.</ins>" in body
    assert "Removed</span>" in body and "What we need from you:" in body


def test_comparing_backwards_swaps_the_marks(published, tenants, client_for):
    body = body_of(client_for(tenants.provider_author).get(compare_url(tenants, "from=2&to=1")))

    assert "99.95</del>" in body and "99.9</ins>" in body
    assert "uptime_target 99.95% → 99.9%" in body


def test_changed_terms_besides_parameters_are_summarised(published, tenants, client_for):
    _first, draft = published
    services.service_update(
        service=draft.services.get(name="File server"),
        data={"in_scope": False, "out_of_scope_reason": "moved to the cloud supplier"},
    )
    services.calendar_update(
        calendar=draft.calendars.get(name="Business hours"), data={"extra_holidays": ["2026-12-24"]}
    )
    services.maintenance_window_create(version=draft, weekday=6, start="02:00", duration_minutes=120)
    services.credit_tiers_set(
        service_level=draft.service_levels.get(key="availability"),
        tiers=[("99.9", "percent_of_fee", "15"), ("99.0", "percent_of_fee", "25")],
    )
    services.service_level_update(
        service_level=draft.service_levels.get(key="response_p1"),
        data={"calendar": draft.calendars.get(name="24×7")},
    )
    services.credit_cap_set(version=draft, kind="percent_of_fee", value="30")
    services.hours_commitment_set(version=draft, hours_per_month=25, deficit_carry_months=0)
    services.responsibility_delete(responsibility=draft.responsibilities.get(key="risky_behaviour"))

    response = client_for(tenants.provider_author).get(compare_url(tenants))

    changes = changed_terms_listed(response)
    assert changes[0] == "uptime_target 99.9% → 99.95%"
    assert "service “File server” in scope → out of scope (moved to the cloud supplier)" in changes
    assert (
        "calendar “Business hours” Monday–Friday 09:00–17:00 (Europe/Amsterdam), except NL public "
        "holidays → Monday–Friday 09:00–17:00 (Europe/Amsterdam), except NL public holidays and "
        "24 December 2026"
    ) in [change.replace(RANGE_DASH, "–") for change in changes]
    assert "added: maintenance windows = Every Sunday from 02:00 for 2 hours" in changes
    assert (
        "credits for availability below 99.9% → 10% of the monthly fee, below 99.0% → 25% of the "
        "monthly fee, below 95.0% → 100% of the monthly fee → below 99.9% → 15% of the monthly fee, "
        "below 99.0% → 25% of the monthly fee"
    ) in changes
    assert (
        "service level response_p1 First response to P1 incidents (First response, all services in "
        "scope, P1): target response_p1 for response_p1_share of tickets, calendar Business hours → "
        "First response to P1 incidents (First response, all services in scope, P1): target "
        "response_p1 for response_p1_share of tickets, calendar 24×7"
    ) in changes
    assert "credit cap 50% of the monthly fee → 30% of the monthly fee" in changes
    assert (
        "hours commitment 20 hours a month, a shortfall carried for 3 months, extra hours not banked "
        "→ 25 hours a month, a shortfall not carried, extra hours not banked"
    ) in changes
    assert (
        "removed: responsibility risky_behaviour (was The customer does not install defective "
        "applications or behave riskily (Security practice; Excluded from the service levels))"
    ) in changes
    assert len(changes) == 9


def test_versions_with_the_same_terms_say_no_term_changed(published, tenants, client_for):
    _first, draft = published
    services.parameter_set(version=draft, name="uptime_target", kind="percentage", value="99.9")

    body = body_of(client_for(tenants.provider_author).get(compare_url(tenants)))

    assert "No term changed." in body
    assert '<ul class="changed-terms">' not in body


def test_legend_explains_the_marks_without_colour(published, tenants, client_for):
    body = body_of(client_for(tenants.provider_author).get(compare_url(tenants)))

    assert "is underlined" in body and "is struck through" in body


def test_customer_compares_frozen_versions_only(published, tenants, client_for):
    _first, draft = published
    client = client_for(tenants.customer_admin)

    alone = client.get(compare_url(tenants))
    assert alone.status_code == 200
    assert "nothing to compare yet" in body_of(alone)
    assert "99.95" not in body_of(alone)

    services.version_publish(version=draft, user=tenants.provider_author)
    services.version_create_draft(contract=tenants.contract, user=None, note="Secret next step")
    # Versions 1 and 2 are frozen now; version 3 is the provider's draft.
    response = client.get(compare_url(tenants))
    assert response.status_code == 200
    assert "Changes from version 1 to version 2" in body_of(response)
    assert "Secret next step" not in body_of(response)


def test_customer_asking_for_a_draft_gets_400_with_the_field_error(published, tenants, client_for):
    first, draft = published
    services.version_publish(version=draft, user=None)
    services.version_create_draft(contract=tenants.contract, user=None)
    client = client_for(tenants.customer_admin)

    response = client.get(compare_url(tenants, "from=1&to=3"))

    assert response.status_code == 400
    assert "Select a valid choice" in body_of(response)
    assert "Changes from" not in body_of(response)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=1&to=1", "Choose two different versions"),
        ("from=abc&to=2", "Select a valid choice"),
        ("from=1&to=2&rendering=html", "Select a valid choice"),
    ],
)
def test_bad_choices_answer_400_with_errors(published, tenants, client_for, query, message):
    response = client_for(tenants.provider_author).get(compare_url(tenants, query))

    assert response.status_code == 400
    assert message in body_of(response)


def test_other_tenant_gets_404(published, tenants, client_for):
    response = client_for(tenants.outsider_admin).get(compare_url(tenants, "from=1&to=2"))

    assert response.status_code == 404


def test_query_count_does_not_grow_with_the_number_of_clauses(published, tenants, client_for):
    client = client_for(tenants.provider_author)
    _first, draft = published

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(compare_url(tenants)).status_code == 200
        return len(queries)

    few = count()
    for index in range(27):
        services.clause_add(version=draft, heading=f"Clause {index}", legal_text="x", plain_text="y")
    assert count() == few


def test_announced_marks_prefix_each_mark():
    html = '<del class="redline-del">a</del><ins class="redline-ins">b</ins>'

    assert announced_marks(html) == (
        '<del class="redline-del"><span class="visually-hidden">deleted: </span>a</del>'
        '<ins class="redline-ins"><span class="visually-hidden">inserted: </span>b</ins>'
    )


def test_path_form_presets_the_two_versions(published, tenants, client_for):
    url = reverse("contracts:version_compare", args=[tenants.contract.reference, 1, 2])

    body = body_of(client_for(tenants.provider_author).get(url))

    assert "Changes from version 2 to version 1" in body
    assert "99.95</del>" in body


def test_path_form_with_a_draft_is_400_for_the_customer(published, tenants, client_for):
    _first, draft = published
    services.version_publish(version=draft, user=None)
    services.version_create_draft(contract=tenants.contract, user=None)
    url = reverse("contracts:version_compare", args=[tenants.contract.reference, 3, 1])

    assert client_for(tenants.customer_admin).get(url).status_code == 400
