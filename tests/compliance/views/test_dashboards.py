"""The provider's compliance scorecard and the customers' standing on the main dashboard."""

import pytest
from django.urls import reverse

from compliance import services
from compliance.models import Evaluation
from compliance.views.dashboards import last_complete_month
from contracts import services as contract_services
from contracts.models import Contract
from tests import factories
from tests.compliance.compliance_fixtures import issue_month, outage_row, published_contract
from tests.compliance.hour_credits import hour_credit_contract, visible_text

pytestmark = pytest.mark.django_db

SCORECARD = reverse("compliance:provider_dashboard")
DASHBOARD = reverse("compliance:dashboard")


def last_month() -> str:
    year, month = last_complete_month()
    return f"{year:04d}-{month:02d}"


def in_force(contract, user, *, missed: bool):
    """Active, with an hour's outage on the 2nd of last month when ``missed`` (99.9 % → 10 %)."""
    Contract.objects.filter(pk=contract.pk).update(status="active")
    if missed:
        start, end = f"{last_month()}-02T10:00", f"{last_month()}-02T11:00"
        services.events_upsert(
            kind="outages", contract=contract, user=user, rows=[outage_row(0, start=start, end=end)]
        )
    return contract


@pytest.fixture
def contract(tenants):
    return in_force(published_contract(tenants), tenants.provider_author, missed=True)


def more_contracts(tenants, count: int) -> list:
    made = []
    for n in range(count):
        customer = factories.organisation(f"Customer {n}")
        contract = factories.contract(tenants.provider, customer, title=f"Support {n}")
        version = factories.version_with_terms(contract, user=tenants.provider_author)
        contract_services.version_publish(version=version, user=tenants.provider_author)
        made.append(in_force(contract, tenants.provider_author, missed=n % 2 == 0))
    return made


def test_scorecard_shows_missed_months_with_their_credit_and_totals(client_for, tenants, contract):
    response = client_for(tenants.provider_author).get(SCORECARD)
    assert response.status_code == 200
    scorecard = response.context["scorecard"]
    assert len(scorecard.periods) == 6 and scorecard.periods[-1] == last_month()
    (row,) = scorecard.rows
    assert row.contract == contract
    last = row.cells[-1]
    assert last.missed == 1 and str(last.credit) == "100.00"
    assert all(cell is None or cell.met for cell in row.cells[:-1])
    assert row.totals == {"EUR": last.credit}
    assert scorecard.month_totals[-1] == {"EUR": last.credit}
    assert scorecard.total == {"EUR": last.credit} and scorecard.missed_cells == 1
    html = response.content.decode()
    link = reverse("compliance:contract_compliance", kwargs={"reference": contract.reference})
    assert f'href="{link}?period={last_month()}"' in html
    assert "1 missed" in html and "cell-missed" in html and "Harbour Dental" in html
    text = visible_text(html)
    assert "credits owed in total: EUR 100.00." in text
    assert " h " not in text  # no hours of work are owed: none shown


def test_scorecard_leaves_out_contracts_not_in_force(client_for, tenants, contract):
    Contract.objects.filter(pk=contract.pk).update(status="draft")
    response = client_for(tenants.provider_admin).get(SCORECARD)
    assert response.context["scorecard"].rows == []
    assert "No active contracts yet" in response.content.decode()


@pytest.mark.parametrize("who", ["customer_admin", "customer_signer", "provider_viewer"])
def test_scorecard_is_only_for_provider_staff(client_for, tenants, contract, who):
    assert client_for(getattr(tenants, who)).get(SCORECARD).status_code == 404


def test_another_provider_sees_only_its_own_contracts(client_for, tenants, contract):
    response = client_for(tenants.outsider_admin).get(SCORECARD)
    assert response.status_code == 200
    assert response.context["scorecard"].rows == []
    assert contract.reference not in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(SCORECARD)
    assert response.status_code == 302 and "login" in response["Location"]


def test_scorecard_refuses_post(client_for, tenants):
    assert client_for(tenants.provider_author).post(SCORECARD).status_code == 405


def test_scorecard_queries_do_not_grow_with_the_contracts(
    client_for, tenants, contract, django_assert_max_num_queries
):
    client = client_for(tenants.provider_author)

    def count():
        """The page's query count, and the page (asked for again, it would be the kept copy)."""
        Evaluation.objects.all().delete()
        with django_assert_max_num_queries(60) as captured:
            response = client.get(SCORECARD)
            assert response.status_code == 200
        return len(captured), response

    more_contracts(tenants, 1)
    two, _ = count()
    more_contracts(tenants, 6)
    eight, page = count()
    assert len(page.context["scorecard"].rows) == 8
    assert eight == two


def test_dashboard_links_provider_staff_to_the_scorecard(client_for, tenants):
    assert SCORECARD in client_for(tenants.provider_author).get(DASHBOARD).content.decode()
    assert SCORECARD not in client_for(tenants.customer_admin).get(DASHBOARD).content.decode()


def test_customer_sees_the_standing_of_last_month(client_for, tenants, contract):
    issue_month(contract, last_month())  # the customer sees the month as issued
    response = client_for(tenants.customer_admin).get(DASHBOARD)
    html = response.content.decode()
    assert "Standing last month" in html
    ((listed, verdict),) = response.context["standing"]
    assert listed == contract and verdict.period == last_month() and verdict.missed == 1
    text = visible_text(html)
    assert "Missed · 1 of 2 EUR 100.00" in text and "1 of 2 missed" not in text
    link = reverse("compliance:contract_compliance", kwargs={"reference": contract.reference})
    assert f'href="{link}?period={last_month()}"' in html


def test_standing_of_a_met_month(client_for, tenants):
    issue_month(in_force(published_contract(tenants), tenants.provider_author, missed=False), last_month())
    html = client_for(tenants.customer_admin).get(DASHBOARD).content.decode()
    assert "Met</span> all 2 measured" in html


def test_customer_sees_a_month_not_issued_yet_without_figures(client_for, tenants, contract):
    response = client_for(tenants.customer_admin).get(DASHBOARD)
    ((listed, verdict),) = response.context["standing"]
    assert listed == contract and verdict.not_issued and verdict.period == last_month()
    assert f"{last_month()} Not issued yet" in visible_text(response.content.decode())


def test_provider_staff_see_no_standing_of_their_own_contracts(client_for, tenants, contract):
    response = client_for(tenants.provider_author).get(DASHBOARD)
    assert response.context["standing"] == []
    assert "Standing last month" not in response.content.decode()


def test_dashboard_standing_queries_do_not_grow_with_the_contracts(
    client_for, tenants, contract, django_assert_max_num_queries
):
    client = client_for(tenants.customer_admin)

    def count():
        """The page's query count, and the page (asked for again, it would be the kept copy)."""
        Evaluation.objects.all().delete()
        with django_assert_max_num_queries(60) as captured:
            response = client.get(DASHBOARD)
            assert response.status_code == 200
        return len(captured), response

    def received(n: int) -> None:
        for _ in range(n):
            extra = factories.contract(tenants.provider, tenants.customer)
            version = factories.version_with_terms(extra, user=tenants.provider_author)
            contract_services.version_publish(version=version, user=tenants.provider_author)
            in_force(extra, tenants.provider_author, missed=True)

    received(1)
    two, _ = count()
    received(6)
    eight, page = count()
    assert len(page.context["standing"]) == 8
    assert eight == two


def test_scorecard_adds_hours_of_work_beside_the_money(client_for, tenants):
    contract = in_force(hour_credit_contract(tenants), tenants.provider_author, missed=True)
    response = client_for(tenants.provider_author).get(SCORECARD)
    scorecard = response.context["scorecard"]
    (row,) = scorecard.rows
    assert row.contract == contract
    assert str(row.cells[-1].credit) == "0.00" and str(row.cells[-1].credit_hours) == "1.00"
    assert row.totals == {"EUR": row.cells[-1].credit} and str(row.hours) == "1.00"
    assert [str(hours) for hours in scorecard.month_hours] == ["0"] * 5 + ["1.00"]
    assert str(scorecard.total_hours) == "1.00"
    text = visible_text(response.content.decode())
    assert "credits owed in total: EUR 0.00 + 1 h." in text
    # The month's cell, the contract's total, the month's total and the overall total.
    assert f"1 missed in {last_month()} for {contract.reference} EUR 0.00 + 1 h" in text
    assert text.count("EUR 0.00 + 1 h") == 5


def test_scorecard_table_lets_the_contract_column_wrap_so_the_credit_totals_fit(
    client_for, tenants, contract
):
    html = client_for(tenants.provider_author).get(SCORECARD).content.decode()
    assert (
        '<div class="table-responsive">\n<table class="table table-sm table-bordered align-middle scorecard">'
        in html
    )
    assert '<th scope="col" class="text-wrap">Customer and contract</th>' in html
    assert '<th scope="row" class="text-wrap">Harbour Dental' in html


def test_customer_standing_shows_hours_of_work_owed(client_for, tenants):
    issue_month(in_force(hour_credit_contract(tenants), tenants.provider_author, missed=True), last_month())
    text = visible_text(client_for(tenants.customer_admin).get(DASHBOARD).content.decode())
    assert f"{last_month()} Missed · 1 of 2 EUR 0.00 + 1 h" in text
