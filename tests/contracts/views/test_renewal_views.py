"""The Renewals list and Start renewal: each party sees its own contracts ending or with notice
due in the window; only the provider's admins and authors start a renewal, as a draft."""

from datetime import UTC, date, datetime

import pytest

from contracts import services
from contracts.models import Contract, Version
from contracts.models.contract import ContractStatus
from tests import factories

pytestmark = pytest.mark.django_db

#: Noon in Amsterdam on 1 December 2026: the clock of every test here.
NOW = datetime(2026, 12, 1, 11, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def _active(contract, **fields) -> Contract:
    Contract.objects.filter(pk=contract.pk).update(status=ContractStatus.ACTIVE, **fields)
    contract.refresh_from_db()
    return contract


@pytest.fixture
def ending(tenants) -> Contract:
    """Ends 31 December 2026 (in 30 days); its 90 days' notice was due 2 October."""
    version = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    services.version_publish(version=version, user=tenants.provider_author)
    return _active(tenants.contract, end_date=date(2026, 12, 31), auto_renew=True)


def _row(response, contract) -> str:
    html = response.content.decode()
    marker = f'data-testid="renewal-{contract.reference}"'
    if marker not in html:
        return ""
    return html.split(marker, 1)[1].split("</tr>", 1)[0]


def test_the_provider_sees_the_contract_with_its_dates_and_a_start_button(tenants, ending, client_for):
    response = client_for(tenants.provider_author).get("/contracts/renewals/")
    assert response.status_code == 200
    row = _row(response, ending)
    assert "2 Oct 2026" in row and "passed" in row
    assert "31 Dec 2026" in row and "in 30 days" in row
    assert "Renews automatically for 12 months, until 31 Dec 2027" in row
    assert "Start renewal" in row


def test_the_customer_sees_its_contract_without_a_start_button(tenants, ending, client_for):
    response = client_for(tenants.customer_signer).get("/contracts/renewals/?days=30")
    row = _row(response, ending)
    assert "31 Dec 2026" in row
    assert "Start renewal" not in row


def test_another_tenants_contracts_are_not_listed(tenants, ending, client_for):
    _active(tenants.outsider_contract, end_date=date(2026, 12, 20))
    response = client_for(tenants.outsider_admin).get("/contracts/renewals/")
    assert _row(response, tenants.outsider_contract)
    assert ending.reference not in response.content.decode()
    assert tenants.provider.name not in response.content.decode()


def test_the_window_decides_what_is_listed(tenants, ending, client_for):
    later = _active(
        factories.contract(tenants.provider, tenants.customer, title="Later"),
        end_date=date(2027, 6, 30),
        notice_period_days=180,
    )  # notice due 1 January 2027, in 31 days
    client = client_for(tenants.provider_admin)
    assert _row(client.get("/contracts/renewals/?days=30"), ending)
    assert not _row(client.get("/contracts/renewals/?days=30"), later)
    assert "in 31 days" in _row(client.get("/contracts/renewals/?days=31"), later)
    assert not _row(client.get("/contracts/renewals/?days=29"), ending)


@pytest.mark.parametrize("days", ["0", "abc", "9999"])
def test_a_bad_window_shows_the_error_and_lists_nothing(tenants, ending, client_for, days):
    response = client_for(tenants.provider_admin).get(f"/contracts/renewals/?days={days}")
    assert response.status_code == 400
    assert 'id="days-error"' in response.content.decode()
    assert not _row(response, ending)


def test_the_list_takes_the_same_queries_for_many_contracts(
    tenants, ending, client_for, django_assert_max_num_queries
):
    client = client_for(tenants.provider_admin)
    with django_assert_max_num_queries(12) as few:
        client.get("/contracts/renewals/")
    for n in range(8):
        contract = factories.contract(tenants.provider, tenants.customer, title=f"More {n}")
        services.version_create_draft(contract=contract, user=tenants.provider_author)
        _active(contract, end_date=date(2026, 12, 10 + n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/contracts/renewals/")
    assert response.content.decode().count('data-testid="renewal-') == 9


def test_start_renewal_drafts_the_next_version_and_opens_the_editor(tenants, ending, client_for):
    client = client_for(tenants.provider_author)
    response = client.post(f"/contracts/{ending.reference}/renewal/start/")
    assert response.status_code == 302
    assert response.url == f"/contracts/{ending.reference}/versions/2/edit/"
    draft = Version.objects.get(contract=ending, number=2)
    assert draft.is_draft and draft.note == "Renewal of the term ending 31 December 2026."
    # Listed as the draft in preparation from now on; a second start opens that draft.
    assert "Draft version 2" in _row(client.get("/contracts/renewals/"), ending)
    again = client.post(f"/contracts/{ending.reference}/renewal/start/", follow=True)
    assert "Version 2 is still a draft" in again.content.decode()
    assert Version.objects.filter(contract=ending).count() == 2


@pytest.mark.parametrize("who", ["provider_viewer", "customer_admin", "outsider_admin"])
def test_only_the_providers_admins_and_authors_start_a_renewal(tenants, ending, client_for, who):
    response = client_for(getattr(tenants, who)).post(f"/contracts/{ending.reference}/renewal/start/")
    assert response.status_code == 404
    assert Version.objects.filter(contract=ending).count() == 1


def test_start_renewal_answers_only_posts(tenants, ending, client_for):
    assert (
        client_for(tenants.provider_author).get(f"/contracts/{ending.reference}/renewal/start/").status_code
        == 405
    )


def _term_post(**changes) -> dict:
    return {
        "end_date": "2027-12-31",
        "notice_period_days": "60",
        "renewal_months": "24",
        "auto_renew": "on",
        **changes,
    }


def test_the_renewal_draft_sets_the_new_term(tenants, ending, client_for):
    client = client_for(tenants.provider_author)
    client.post(f"/contracts/{ending.reference}/renewal/start/")
    page = client.get(f"/contracts/{ending.reference}/versions/2/term/")
    assert page.status_code == 200 and 'value="2026-12-31"' in page.content.decode()
    response = client.post(f"/contracts/{ending.reference}/versions/2/term/", _term_post())
    assert response.status_code == 302
    assert response.url == f"/contracts/{ending.reference}/versions/2/edit/"
    ending.refresh_from_db()
    assert (ending.end_date, ending.notice_period_days, ending.renewal_months, ending.auto_renew) == (
        date(2027, 12, 31),
        60,
        24,
        True,
    )
    event = ending.audit_events.order_by("-pk").first()
    assert event.summary == (
        "Term set: ends 31 December 2027, 60 days' notice, renews automatically for 24 months (version 2)"
    )


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"end_date": "2025-12-31"}, "The contract cannot end before it starts."),
        ({"renewal_months": "0"}, "greater than or equal to 1"),
        ({"notice_period_days": "-1"}, "greater than or equal to 0"),
    ],
)
def test_a_bad_term_is_refused_with_the_error_and_nothing_changes(
    tenants, ending, client_for, changes, error
):
    client = client_for(tenants.provider_author)
    client.post(f"/contracts/{ending.reference}/renewal/start/")
    response = client.post(f"/contracts/{ending.reference}/versions/2/term/", _term_post(**changes))
    assert response.status_code == 400
    assert error in response.content.decode()
    ending.refresh_from_db()
    assert (ending.end_date, ending.notice_period_days, ending.renewal_months) == (date(2026, 12, 31), 90, 12)


def test_a_frozen_versions_term_is_read_only(tenants, ending, client_for):
    client = client_for(tenants.provider_author)
    page = client.get(f"/contracts/{ending.reference}/versions/1/term/")
    assert (
        "Version 1 is frozen" in page.content.decode()
        and "<form" not in page.content.decode().split("<main", 1)[1]
    )
    response = client.post(f"/contracts/{ending.reference}/versions/1/term/", _term_post(), follow=True)
    assert "Version 1 is frozen: start a renewal or a new draft first." in response.content.decode()
    ending.refresh_from_db()
    assert ending.end_date == date(2026, 12, 31)


@pytest.mark.parametrize("who", ["customer_admin", "outsider_admin", "provider_viewer"])
def test_only_the_providers_authors_open_the_term(tenants, ending, client_for, who):
    assert (
        client_for(getattr(tenants, who)).get(f"/contracts/{ending.reference}/versions/1/term/").status_code
        == 404
    )
