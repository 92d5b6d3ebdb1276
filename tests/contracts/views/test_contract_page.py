"""The contract page and the version page: who reads which version, and how."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts import services
from contracts.models import Version
from contracts.selectors.reading import reader_for, version_in_force
from contracts.views import documents as document_views
from tests import factories

PLAIN = "Your systems are up at least"
LEGAL = "Availability shall be at least"


@pytest.fixture
def published(tenants):
    """Version 1 frozen (uptime 99.9%), version 2 a draft raising it to 99.95%."""
    first = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    services.version_publish(version=first, user=tenants.provider_author)
    draft = services.version_create_draft(
        contract=tenants.contract, user=tenants.provider_author, note="Raise"
    )
    services.parameter_set(version=draft, name="uptime_target", kind="percentage", value="99.95")
    return first, draft


def contract_url(tenants, **query) -> str:
    url = reverse("contracts:contract_detail", args=[tenants.contract.reference])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def version_url(tenants, number: int) -> str:
    return reverse("contracts:version_detail", args=[tenants.contract.reference, number])


def main_of(response) -> str:
    body = response.content.decode()
    return body[body.index("<main") : body.index("</main>")]


# ---------------------------------------------------------------- the contract page


def test_customer_reads_the_frozen_version_in_plain_language_first(published, tenants, client_for):
    response = client_for(tenants.customer_admin).get(contract_url(tenants))

    assert response.status_code == 200
    main = main_of(response)
    assert "Managed IT" in main and tenants.contract.reference in main
    assert "Brightline Managed IT" in main and "Harbour Dental" in main
    assert "Europe/Amsterdam" in main and "1 January 2026" in main
    assert PLAIN + " 99.9%" in main
    assert LEGAL not in main
    # The legal version is one link away, and the toggle marks the current one.
    assert 'href="?rendering=legal#reading"' in main
    assert 'aria-current="page">Plain language' in main


def test_legal_toggle_shows_the_legal_text(published, tenants, client_for):
    response = client_for(tenants.customer_admin).get(contract_url(tenants, rendering="legal"))

    main = main_of(response)
    assert LEGAL + " 99.9%" in main
    assert PLAIN not in main
    assert 'aria-current="page">Legal version' in main


def test_unknown_rendering_falls_back_to_plain_language(published, tenants, client_for):
    response = client_for(tenants.customer_admin).get(contract_url(tenants, rendering="klingon"))

    assert PLAIN in main_of(response)


def test_customer_never_sees_the_providers_draft(published, tenants, client_for):
    client = client_for(tenants.customer_signer)

    main = main_of(client.get(contract_url(tenants)))

    assert "Version 1" in main
    assert "Version 2" not in main and "Raise" not in main
    assert "99.95%" not in main
    assert client.get(version_url(tenants, 2)).status_code == 404


def test_customer_page_has_no_authoring_actions(published, tenants, client_for, monkeypatch):
    monkeypatch.setattr(document_views, "reverse", lambda name, kwargs: f"/stub/{name}/")

    main = main_of(client_for(tenants.customer_admin).get(contract_url(tenants)))

    assert "/stub/" not in main
    assert 'aria-label="Authoring"' not in main


def test_provider_author_sees_the_draft_in_the_version_list_and_action_links(
    published, tenants, client_for, monkeypatch
):
    monkeypatch.setattr(
        document_views, "reverse", lambda name, kwargs: f"/stub/{name}/{kwargs.get('number', '-')}/"
    )

    main = main_of(client_for(tenants.provider_author).get(contract_url(tenants)))

    assert "Version 2" in main and "Raise" in main and "Draft" in main
    # The page shows the frozen version; the draft is one click away.
    assert PLAIN + " 99.9%" in main
    assert 'href="/stub/contracts:version_edit/2/"' in main
    assert 'href="/stub/contracts:version_terms/2/"' in main
    # A draft exists already, so no second one is offered.
    assert "contracts:version_new_draft" not in main
    assert reverse("contracts:version_compare", args=[tenants.contract.reference]) in main
    assert reverse("contracts:version_pdf", args=[tenants.contract.reference, 1]) in main


def test_author_is_offered_a_new_draft_when_there_is_none(tenants, client_for, monkeypatch):
    first = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    services.version_publish(version=first, user=tenants.provider_author)
    monkeypatch.setattr(document_views, "reverse", lambda name, kwargs: f"/stub/{name}/")

    main = main_of(client_for(tenants.provider_author).get(contract_url(tenants)))

    assert 'action="/stub/contracts:version_new_draft/"' in main
    assert "Start a new draft" in main
    assert "contracts:version_edit" not in main


def test_authoring_links_whose_pages_do_not_exist_are_left_out(published, tenants, client_for):
    assert document_views.reverse_or_none("contracts:no_such_page", reference="x") is None

    response = client_for(tenants.provider_author).get(contract_url(tenants))

    assert response.status_code == 200


def test_provider_viewer_reads_drafts_but_gets_no_authoring_actions(
    published, tenants, client_for, monkeypatch
):
    monkeypatch.setattr(document_views, "reverse", lambda name, kwargs: f"/stub/{name}/")
    client = client_for(tenants.provider_viewer)

    main = main_of(client.get(contract_url(tenants)))

    assert "Version 2" in main
    assert "/stub/" not in main
    assert client.get(version_url(tenants, 2)).status_code == 200


def test_provider_author_reads_the_draft_when_nothing_is_frozen(tenants, client_for):
    factories.version_with_terms(tenants.contract, user=tenants.provider_author)

    author_main = main_of(client_for(tenants.provider_author).get(contract_url(tenants)))
    customer_main = main_of(client_for(tenants.customer_admin).get(contract_url(tenants)))

    assert PLAIN + " 99.9%" in author_main and "may still change" in author_main
    assert PLAIN not in customer_main
    assert "No version has been shared with you yet" in customer_main


def test_page_shows_the_version_in_force_rather_than_a_later_frozen_one(tenants, client_for):
    first = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    services.version_publish(version=first, user=tenants.provider_author)
    first.in_force_from, first.signed_outside_portal = date(2026, 1, 1), True
    first.save(update_fields=["in_force_from", "signed_outside_portal"])
    second = services.version_create_draft(contract=tenants.contract, user=None)
    services.parameter_set(version=second, name="uptime_target", kind="percentage", value="99.95")
    services.version_publish(version=second, user=None)

    main = main_of(client_for(tenants.customer_admin).get(contract_url(tenants)))

    assert PLAIN + " 99.9%" in main
    assert "Signed outside the portal; in force from 1 January 2026" in main
    assert "In force</span>" in main


def test_version_in_force_is_the_latest_started_one():
    def v(number, start):
        return Version(number=number, state="frozen", in_force_from=start)

    versions = [v(1, date(2026, 1, 1)), v(2, date(2026, 3, 1)), v(3, date(2027, 1, 1)), v(4, None)]

    assert version_in_force(versions, today=date(2026, 6, 1)).number == 2
    assert version_in_force(versions, today=date(2025, 6, 1)) is None


def test_terms_summary_shows_the_generated_tables(published, tenants, client_for):
    main = main_of(client_for(tenants.customer_admin).get(contract_url(tenants)))

    assert "Terms at a glance" in main
    assert "<th>Service level</th><th>Applies to</th>" in main
    assert "below 99.9%" in main and "10% of the monthly fee" in main
    assert "Copier — supported by the copier supplier" in main
    assert "holds the provider harmless" in main
    assert "<code>uptime_target</code></td><td>99.9%</td>" in main


def test_versions_show_when_they_were_frozen_in_the_contracts_zone(tenants, client_for, monkeypatch):
    version = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2026, 11, 30, 1, 28, tzinfo=UTC))
    services.version_publish(version=version, user=tenants.provider_author)
    monkeypatch.undo()

    main = main_of(client_for(tenants.customer_admin).get(contract_url(tenants)))

    assert "<td>30 November 2026, 02:28 CET (Europe/Amsterdam)</td>" in main


def test_business_hours_read_as_one_run_with_the_zone(published, tenants, client_for):
    main = main_of(client_for(tenants.customer_admin).get(contract_url(tenants)))

    assert "Monday–\u2060Friday 09:00–\u206017:00 (Europe/Amsterdam), except NL public holidays" in main
    assert "Tuesday" not in main


def test_internal_sla_is_labelled_and_names_the_departments(db, client_for):
    company = factories.organisation("Acme Manufacturing", is_provider=True)
    it = factories.organisation("Acme IT department", parent=company, is_provider=True)
    finance = factories.organisation("Acme Finance department", parent=company)
    contract = factories.contract(it, finance, title="Desktop support")
    person = factories.member(finance, "viewer")

    response = client_for(person).get(reverse("contracts:contract_detail", args=[contract.reference]))

    main = main_of(response)
    assert "Internal SLA" in main
    assert "Acme IT department" in main and "Acme Finance department" in main
    assert reader_for(person, contract).provider_side is False


def test_other_tenant_gets_404(published, tenants, client_for):
    client = client_for(tenants.outsider_admin)

    assert client.get(contract_url(tenants)).status_code == 404
    assert client.get(version_url(tenants, 1)).status_code == 404
    assert client.get(version_url(tenants, 2)).status_code == 404


def test_page_refuses_post(published, tenants, client_for):
    assert client_for(tenants.customer_admin).post(contract_url(tenants)).status_code == 405


# ---------------------------------------------------------------- the version page


def test_version_page_shows_one_version(published, tenants, client_for):
    client = client_for(tenants.provider_author)

    main = main_of(client.get(version_url(tenants, 2)))

    assert PLAIN + " 99.95%" in main
    assert "Version 2" in main and "Draft" in main


def test_customer_reads_frozen_version_page_in_both_renderings(published, tenants, client_for):
    client = client_for(tenants.customer_admin)

    plain = main_of(client.get(version_url(tenants, 1)))
    legal = main_of(client.get(version_url(tenants, 1) + "?rendering=legal"))

    assert PLAIN + " 99.9%" in plain and LEGAL not in plain
    assert LEGAL + " 99.9%" in legal and PLAIN not in legal


def test_missing_version_is_404(published, tenants, client_for):
    assert client_for(tenants.provider_author).get(version_url(tenants, 9)).status_code == 404


# ---------------------------------------------------------------- query counts


def _version_with_clauses(tenants, count: int):
    version = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    for index in range(count - 3):
        services.clause_add(
            version=version,
            heading=f"Extra clause {index}",
            legal_text=f"The Provider shall meet {{{{ uptime_target }}}} ({index}).",
            plain_text=f"We reach {{{{ uptime_target }}}} ({index}).",
        )
    return services.version_publish(version=version, user=tenants.provider_author)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["contract", "version"])
def test_query_count_does_not_grow_with_the_number_of_clauses(page, tenants, client_for, db):
    client = client_for(tenants.customer_admin)
    url = contract_url(tenants) if page == "contract" else version_url(tenants, 1)

    _version_with_clauses(tenants, 3)
    few = _queries(client, url)
    # Version 2 has ten times the clauses; the contract page now shows it.
    draft = services.version_create_draft(contract=tenants.contract, user=None)
    for index in range(27):
        services.clause_add(version=draft, heading=f"More {index}", legal_text="Text.", plain_text="Text.")
    services.version_publish(version=draft, user=None)
    url = contract_url(tenants) if page == "contract" else version_url(tenants, 2)
    many = _queries(client, url)

    assert many == few
    assert many <= 21


def test_key_figures_name_a_described_parameter_by_its_description(tenants, client_for):
    draft = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    services.parameter_set(
        version=draft, name="uptime_target", kind="percentage", value="99.9", description="Monthly uptime"
    )
    services.version_publish(version=draft, user=tenants.provider_author)
    main = main_of(client_for(tenants.customer_admin).get(contract_url(tenants)))
    assert (
        'Monthly uptime <span class="small text-body-secondary">(<code>uptime_target</code>)</span>' in main
    )


@pytest.mark.parametrize("rendering", ["plain", "legal"])
def test_extra_holidays_are_written_into_the_text(tenants, client_for, rendering):
    version = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    services.calendar_update(
        calendar=version.calendars.get(name="Business hours"), data={"extra_holidays": ["2026-12-24"]}
    )
    services.version_publish(version=version, user=tenants.provider_author)

    main = main_of(client_for(tenants.customer_admin).get(contract_url(tenants, rendering=rendering)))

    text = main[main.index('<div class="contract-text"') : main.index("Terms at a glance")]
    assert (LEGAL if rendering == "legal" else PLAIN) in text
    assert "(Europe/Amsterdam), except NL public holidays and 24 December 2026" in text
