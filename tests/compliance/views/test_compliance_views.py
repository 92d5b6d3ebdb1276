"""The contract compliance page: figures for both parties, month picker, tenancy, queries."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from compliance import services
from compliance.engine.periods import next_period, period_of
from compliance.models import Evaluation
from compliance.selectors.evaluations import evaluation_current, period_standing
from compliance.views.compliance import default_period
from contracts import services as contract_services
from contracts.models import AuditAction, AuditEvent, Contract, ServiceLevel
from tests import factories
from tests.compliance.compliance_fixtures import (
    PERIOD,
    issue_month,
    outage_row,
    published_contract,
    record_month,
)
from tests.compliance.hour_credits import hour_credit_contract, visible_text


def figures_of(contract) -> dict:
    """The figures the page showed for PERIOD (computed live, as the page computes them)."""
    return evaluation_current(contract=contract, period=PERIOD).figures


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
    if who.startswith("customer"):
        issue_month(contract)  # the customer sees a month that is over once it is issued
    stored = Evaluation.objects.count()
    response = client_for(getattr(tenants, who)).get(url(contract))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Missed" in html and "99.8%" in html
    assert "45 min" in html  # the downtime allowance (44.58 min)
    assert "OUT-99" in html and "Clause 3, Customer responsibilities" in html
    assert "EUR 100.00" in html
    assert "-52.00" in html  # the hours bank carried on
    assert Evaluation.objects.count() == stored  # a page view stores nothing


def test_credits_table_totals_money_without_hours_when_none_are_owed(client_for, tenants, contract):
    issue_month(contract)
    text = visible_text(client_for(tenants.customer_admin).get(url(contract)).content.decode())
    assert "Credits owed for the missed service levels, in EUR Service level" in text
    assert "Below 99.9%: 10% of the monthly fee EUR 100.00" in text
    assert "Total EUR 100.00 Cap EUR 500.00 Credit due EUR 100.00" in text
    assert "1 of 1 incident within target" in text


def test_hour_credits_are_totalled_beside_the_money_and_not_capped(client_for, tenants):
    contract = hour_credit_contract(tenants)
    record_month(contract, tenants.provider_author)
    issue_month(contract)
    text = visible_text(client_for(tenants.customer_admin).get(url(contract)).content.decode())
    assert "in EUR and hours of work (h)" in text
    assert "Availability Below 99.9%: 1 hour of work 1.00 h" in text
    assert "Total EUR 0.00 + 1 h" in text
    assert "Cap (on money; hours of work are not capped) EUR 500.00" in text
    assert "Credit due EUR 0.00 + 1 h" in text
    credits = figures_of(contract)["credits"]
    assert (credits["capped_total"], credits["hours"]) == ("0.00", "1.00")


def test_level_without_incidents_says_so_instead_of_a_percentage(client_for, tenants):
    contract = published_contract(tenants)
    record_month(contract, tenants.provider_author, incidents=0)
    issue_month(contract)
    text = visible_text(client_for(tenants.customer_admin).get(url(contract)).content.decode())
    assert (
        "First response to P1 incidents (P1) 1 business hour for 95% of incidents No incidents this month Met"
        " No incidents to count"
    ) in text
    assert "0 of 0" not in text and "100% within target" not in text
    # The stored figures keep their values: met, at 100 %, with nothing counted.
    (level,) = [level for level in figures_of(contract)["service_levels"] if level["key"] == "response_p1"]
    assert (level["met"], level["achieved_display"], level["counted"]) == (True, "100", 0)
    assert level["note"] == "no incidents to measure"


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
    assert repeat == 1  # nothing changed: the page is served as kept, for the data's token


def test_page_draws_the_trend_charts_inline(client_for, tenants, contract):
    # Provider staff read every month live (a customer reads issued months only).
    html = client_for(tenants.provider_viewer).get(url(contract)).content.decode()
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
    # January and February were evaluated for the trend, and nothing was stored.
    assert not Evaluation.objects.exists()


def _page_queries(django_assert_max_num_queries, client, contract, start) -> int:
    Contract.objects.filter(pk=contract.pk).update(start_date=start)
    Evaluation.objects.all().delete()
    return _count(django_assert_max_num_queries, client, contract, 60)


def test_trend_query_count_does_not_grow_with_the_months_evaluated(
    client_for, tenants, contract, django_assert_max_num_queries
):
    client = client_for(tenants.customer_admin)
    four = _page_queries(django_assert_max_num_queries, client, contract, date(2025, 12, 1))
    twelve = _page_queries(django_assert_max_num_queries, client, contract, date(2025, 4, 1))
    assert twelve == four
    assert not Evaluation.objects.exists()


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
    assert "Availability forecast for this month" in html
    assert "Availability:</strong> " in html and "credit" in html
    assert "Error budget burned so far:" in html
    (item,) = response.context["forecasts"]
    assert item.forecast.summary() in html


def test_past_month_has_no_forecast(client_for, tenants, contract):
    issue_month(contract)
    response = client_for(tenants.customer_admin).get(url(contract))
    assert response.context["forecasts"] == []
    assert "forecast for this month" not in response.content.decode()


def _running_month(contract) -> datetime:
    """Local midnight on the 1st of the month running on the contract's clock."""
    now = timezone.localtime(timezone.now(), ZoneInfo(contract.time_zone))
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def test_running_month_is_not_stored_and_has_no_next_month(client_for, tenants):
    contract = published_contract(tenants)
    running = f"{_running_month(contract):%Y-%m}"
    response = client_for(tenants.customer_admin).get(url(contract, running))
    assert response.status_code == 200
    assert response.context["figures"] and not response.context["run"].stored
    assert response.context["next"] == ""
    assert "Next month" not in response.content.decode()
    assert not Evaluation.objects.filter(period=running).exists()


def test_the_start_month_has_no_previous_month(client_for, tenants, contract):
    issue_month(contract, "2026-01")
    response = client_for(tenants.customer_admin).get(url(contract, "2026-01"))
    html = response.content.decode()
    assert response.context["figures"]
    assert "Previous month" not in html and "Next month (2026-02)" in html
    assert 'min="2026-01"' in html


def _month_name(period: tuple[int, int]) -> str:
    return f"{date(*period, 1):%B %Y}"


def _next_month(contract) -> tuple[int, int]:
    return next_period(*period_of(timezone.now(), ZoneInfo(contract.time_zone)))


@pytest.mark.parametrize(
    ("start", "end", "period", "message"),
    [
        pytest.param(
            date(2099, 1, 1),
            None,
            lambda contract: (2098, 10),
            lambda contract: "October 2098 is before this contract's term, which starts on 1 January 2099.",
            id="before the term",
        ),
        pytest.param(
            date(2026, 4, 1),
            None,
            lambda contract: (2026, 3),
            lambda contract: "March 2026 is before this contract's term, which started on 1 April 2026.",
            id="before a term that has started",
        ),
        pytest.param(
            date(2025, 1, 1),
            date(2026, 2, 28),
            lambda contract: (2026, 3),
            lambda contract: "March 2026 is after this contract's term, which ended on 28 February 2026.",
            id="after the term",
        ),
        pytest.param(
            date(2026, 1, 1),
            None,
            _next_month,
            lambda contract: f"{_month_name(_next_month(contract))} has not started yet.",
            id="next month",
        ),
        pytest.param(
            date(2026, 1, 1),
            None,
            lambda contract: next_period(*next_period(*_next_month(contract))),
            lambda contract: (
                f"{_month_name(next_period(*next_period(*_next_month(contract))))} has not started yet."
            ),
            id="a month further ahead",
        ),
    ],
)
def test_month_without_figures_says_why_and_stores_nothing(
    client_for, tenants, contract, start, end, period, message
):
    Contract.objects.filter(pk=contract.pk).update(start_date=start, end_date=end)
    contract.refresh_from_db()
    year, month = period(contract)
    response = client_for(tenants.customer_admin).get(url(contract, f"{year:04d}-{month:02d}"))
    assert response.status_code == 200
    html = response.content.decode()
    expected = message(contract)
    assert response.context["problem"] == expected
    assert expected.replace("'", "&#x27;") in html
    assert response.context["figures"] is None
    assert "Met</span>" not in html and "100.0%" not in html and "still running" not in html
    # The links to other months lead only to months with figures.
    for other in (response.context["previous"], response.context["next"]):
        assert not other or period_standing(contract=contract, period=other).evaluable
    assert not Evaluation.objects.exists()
    assert not AuditEvent.objects.filter(contract=contract, action=AuditAction.EVALUATED).exists()


def test_month_after_the_term_links_back_to_its_last_month(client_for, tenants, contract):
    Contract.objects.filter(pk=contract.pk).update(end_date=date(2026, 2, 28))
    html = client_for(tenants.customer_admin).get(url(contract, PERIOD)).content.decode()
    assert "Previous month (2026-02)" in html and "Next month" not in html
    assert 'max="2026-02"' in html
    assert not Evaluation.objects.exists()


def test_forecast_is_for_availability_and_names_levels_already_missed(client_for, tenants):
    contract = tenants.contract
    start = _running_month(contract)
    if timezone.now() < start + timedelta(minutes=90):
        pytest.skip("the running month is too young for a late first response")
    version = factories.version_with_terms(contract, user=tenants.provider_author)
    # Counted around the clock, so that the late response does not depend on today's weekday.
    levels = ServiceLevel.objects.filter(version=version)
    levels.filter(key="response_p1").update(calendar=levels.get(key="availability").calendar)
    contract_services.version_publish(version=version, user=tenants.provider_author)
    services.events_upsert(
        kind="incidents",
        contract=contract,
        user=tenants.provider_author,
        rows=[
            {
                "external_id": "INC-LATE",
                "service": "Email",
                "priority": "P1",
                "opened_at": f"{start:%Y-%m-%dT%H:%M}",
                "first_response_at": f"{start + timedelta(minutes=90):%Y-%m-%dT%H:%M}",
            }
        ],
    )
    response = client_for(tenants.customer_admin).get(url(contract, f"{start:%Y-%m}"))
    html = response.content.decode()
    assert response.context["missed_so_far"] == ["First response to P1 incidents"]
    assert "Availability forecast for this month" in html
    assert "No downtime so far: no availability credit at this rate." in html
    assert "Already missed this month" in html and "First response to P1 incidents." in html
    assert "No downtime so far: no credit at this rate." not in html


def test_forecast_without_missed_levels_names_none(client_for, tenants):
    contract = published_contract(tenants)
    response = client_for(tenants.customer_admin).get(url(contract, f"{_running_month(contract):%Y-%m}"))
    assert response.context["missed_so_far"] == []
    assert "Already missed this month" not in response.content.decode()


def test_the_hours_bank_tells_a_shortfall_no_longer_carried_from_a_surplus_not_banked(
    client_for, tenants, contract
):
    from tests.compliance.hour_credits import visible_text

    issue_month(contract)
    text = visible_text(client_for(tenants.customer_admin).get(url(contract)).content.decode())
    assert "Shortfall no longer carried Surplus not banked Carried on" in text
    assert "what is still owed after that is no longer carried" in text
    ledger = figures_of(contract)["hours_bank"]["ledger"]
    assert {"expired_deficit", "expired_surplus"} <= set(ledger[-1])
