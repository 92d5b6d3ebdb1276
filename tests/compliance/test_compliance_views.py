"""The contract compliance page: figures for both parties, month picker, tenancy, queries."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from compliance import services
from compliance.models import Evaluation
from compliance.views.compliance import default_period
from contracts.models import Contract

from .compliance_fixtures import PERIOD, outage_row, published_contract, record_month

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(tenants):
    contract = published_contract(tenants)
    record_month(contract, tenants.provider_author)
    return contract


def url(contract, period=PERIOD):
    base = reverse("compliance:contract_compliance", kwargs={"reference": contract.reference})
    return f"{base}?period={period}" if period else base


@pytest.mark.parametrize("who", ["customer_admin", "customer_signer", "provider_viewer", "provider_author"])
def test_both_parties_see_the_figures(client_for, tenants, contract, who):
    response = client_for(getattr(tenants, who)).get(url(contract))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Missed" in html and "99.8%" in html
    assert "44.58" in html  # the error budget
    assert "OUT-99" in html and "Clause 3, Customer responsibilities" in html
    assert "100.00 EUR" in html
    assert "-52.00" in html  # the hours bank carried on
    assert Evaluation.objects.filter(period=PERIOD).count() == 1


def test_outsider_gets_404(client_for, tenants, contract):
    assert client_for(tenants.outsider_admin).get(url(contract)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, contract):
    response = client.get(url(contract))
    assert response.status_code == 302 and "login" in response["Location"]


def test_bad_month_is_400_with_the_error(client_for, tenants, contract):
    response = client_for(tenants.customer_admin).get(url(contract, "2026-13"))
    assert response.status_code == 400
    assert "month must be 1..12" in response.content.decode()
    assert not Evaluation.objects.exists()


def test_without_a_month_the_last_ended_month_is_shown(client_for, tenants, contract):
    response = client_for(tenants.customer_admin).get(url(contract, None))
    assert response.status_code == 200
    year, month = default_period(contract.time_zone)
    assert response.context["period"] == f"{year:04d}-{month:02d}"


def test_default_period_is_the_month_before_on_the_contract_clock():
    # 23:30 UTC on 31 January is 1 February in Amsterdam: January is the last ended month.
    assert default_period("Europe/Amsterdam", datetime(2026, 1, 31, 23, 30, tzinfo=UTC)) == (2026, 1)
    assert default_period("UTC", datetime(2026, 1, 31, 23, 30, tzinfo=UTC)) == (2025, 12)


def test_contract_without_version_says_so(client_for, tenants):
    response = client_for(tenants.provider_admin).get(url(tenants.contract))
    assert response.status_code == 200
    assert "no version to evaluate" in response.content.decode()


def test_post_is_not_allowed(client_for, tenants, contract):
    assert client_for(tenants.customer_admin).post(url(contract)).status_code == 405


def test_contract_page_links_to_compliance(client_for, tenants, contract):
    response = client_for(tenants.customer_admin).get(
        reverse("contracts:contract_detail", kwargs={"reference": contract.reference})
    )
    assert (
        reverse("compliance:contract_compliance", kwargs={"reference": contract.reference})
        in response.content.decode()
    )


def _count(django_assert_max_num_queries, client, contract, limit):
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url(contract)).status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_events(client_for, tenants, django_assert_max_num_queries):
    contract = published_contract(tenants)
    record_month(contract, tenants.provider_author, outages=1, incidents=1)
    client = client_for(tenants.customer_admin)
    first = _count(django_assert_max_num_queries, client, contract, 60)
    repeat = _count(django_assert_max_num_queries, client, contract, 60)
    record_month(contract, tenants.provider_author, outages=40, incidents=40)
    Evaluation.objects.all().delete()
    assert _count(django_assert_max_num_queries, client, contract, 60) == first
    assert repeat < first  # nothing new to store


def test_page_draws_the_trend_charts_inline(client_for, tenants, contract):
    html = client_for(tenants.customer_admin).get(url(contract)).content.decode()
    for title in (
        "Availability per month",
        "Incidents within the response and resolution targets",
        "Credits owed per month",
        "Error budget: Availability",
        "Hours bank",
    ):
        assert f"<title>{title}</title>" in html
    assert html.count('role="img"') == 5
    assert "&lt;svg" not in html  # inlined as markup, not escaped
    # January and February were evaluated for the trend and stored.
    assert sorted(Evaluation.objects.values_list("period", flat=True)) == ["2026-01", "2026-02", "2026-03"]


def _page_queries(django_assert_max_num_queries, client, contract, start) -> int:
    Contract.objects.filter(pk=contract.pk).update(start_date=start)
    Evaluation.objects.all().delete()
    return _count(django_assert_max_num_queries, client, contract, 60)


def test_trend_query_count_does_not_grow_with_the_months_evaluated(
    client_for, tenants, contract, django_assert_max_num_queries
):
    client = client_for(tenants.customer_admin)
    four = _page_queries(django_assert_max_num_queries, client, contract, date(2025, 12, 1))
    assert Evaluation.objects.count() == 4
    twelve = _page_queries(django_assert_max_num_queries, client, contract, date(2025, 4, 1))
    assert Evaluation.objects.count() == 12
    assert twelve == four


def test_running_month_shows_the_forecast(client_for, tenants):
    contract = published_contract(tenants)
    now = timezone.localtime(timezone.now(), ZoneInfo(contract.time_zone))
    start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = min(start + timedelta(minutes=60), now)
    services.events_upsert(
        kind="outages",
        contract=contract,
        user=tenants.provider_author,
        rows=[outage_row(0, start=f"{start:%Y-%m-%dT%H:%M}", end=f"{end:%Y-%m-%dT%H:%M}")],
    )
    response = client_for(tenants.customer_admin).get(url(contract, f"{now:%Y-%m}"))
    html = response.content.decode()
    assert "Forecast for this month" in html
    assert "Availability:</strong> " in html and "credit" in html
    assert "Error budget burned so far:" in html
    (item,) = response.context["forecasts"]
    assert item.forecast.summary() in html


def test_past_month_has_no_forecast(client_for, tenants, contract):
    response = client_for(tenants.customer_admin).get(url(contract))
    assert response.context["forecasts"] == []
    assert "Forecast for this month" not in response.content.decode()
