"""Figures of many months: stored revisions reused, missing months evaluated in bulk."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from compliance import services
from compliance.models import Evaluation
from compliance.selectors import scorecards, trends
from compliance.selectors.trends import (
    common_target,
    contract_trend,
    monthly_figures,
    months_ending,
    period_elapsed,
)
from compliance.services.evaluations import evaluation_run
from contracts.models import Contract
from tests.compliance.compliance_fixtures import outage_row, published_contract, record_month

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 4, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def contract(tenants):
    contract = published_contract(tenants)
    record_month(contract, tenants.provider_author)
    return contract


def starting(contract, start: date):
    Contract.objects.filter(pk=contract.pk).update(start_date=start)
    contract.refresh_from_db()
    return contract


def test_months_ending_counts_back_across_the_year():
    assert months_ending((2026, 2), 4) == [(2025, 11), (2025, 12), (2026, 1), (2026, 2)]


def test_missing_months_are_computed_as_the_run_would_store_them_and_not_stored(contract, tenants):
    # Months in two calendar years: their business calendars hold different holidays.
    contract = starting(contract, date(2025, 11, 1))
    months = months_ending((2026, 3), 5)
    figures = monthly_figures([contract], months, now=NOW)
    assert set(figures) == {(contract.pk, f"{y:04d}-{m:02d}") for y, m in months}
    assert not Evaluation.objects.exists()  # reading never stores
    assert figures[(contract.pk, "2026-03")]["credits"]["capped_total"] == "100.00"
    assert figures[(contract.pk, "2026-03")]["hours_bank"]["ledger"][0]["period"] == "2025-11"
    for month in months:
        # The run stores, for each month, exactly the figures the page computed.
        run = evaluation_run(contract=contract, period=month, now=NOW)
        assert run.created and run.evaluation.revision == 1
        label = f"{month[0]:04d}-{month[1]:02d}"
        assert _without_time(run.figures) == _without_time(figures[(contract.pk, label)])


def _without_time(figures: dict) -> dict:
    return {key: value for key, value in figures.items() if key not in ("computed_at",)}


def test_stored_months_are_read_not_evaluated(contract, django_assert_num_queries):
    months = months_ending((2026, 3), 3)
    for month in months:
        evaluation_run(contract=contract, period=month, now=NOW)
    first = monthly_figures([contract], months, now=NOW)
    with django_assert_num_queries(1):
        assert monthly_figures([contract], months, now=NOW) == first


def test_a_newer_revision_wins(contract):
    evaluation_run(contract=contract, period=(2026, 3), now=NOW)
    stored = Evaluation.objects.get()
    Evaluation.objects.create(
        contract=contract,
        version=stored.version,
        period="2026-03",
        revision=2,
        figures={**stored.figures, "marker": "r2"},
        inputs_hash="x",
    )
    assert monthly_figures([contract], [(2026, 3)], now=NOW)[(contract.pk, "2026-03")]["marker"] == "r2"


def test_months_outside_the_term_or_not_started_have_no_figures(contract):
    figures = monthly_figures([contract], [(2025, 12), (2026, 1), (2026, 5)], now=NOW)
    assert set(figures) == {(contract.pk, "2026-01")}
    assert not Evaluation.objects.exists()


def test_the_running_month_is_computed_not_stored(contract):
    figures = monthly_figures([contract], [(2026, 4)], now=NOW)
    assert figures[(contract.pk, "2026-04")]["final"] is False
    assert not Evaluation.objects.exists()


def _queries(django_assert_max_num_queries, contract, start: date) -> int:
    contract = starting(contract, start)
    Evaluation.objects.all().delete()
    with django_assert_max_num_queries(40) as captured:
        monthly_figures([contract], months_ending((2026, 3), 12), now=NOW)
    return len(captured)


def test_query_count_does_not_grow_with_the_missing_months(contract, django_assert_max_num_queries):
    # Both spans cross into 2026 from 2025: the same version and calendar years.
    four = _queries(django_assert_max_num_queries, contract, date(2025, 12, 1))
    twelve = _queries(django_assert_max_num_queries, contract, date(2025, 4, 1))
    assert twelve == four
    assert not Evaluation.objects.exists()


def test_contract_trend_series(contract):
    contract = starting(contract, date(2026, 1, 1))
    trend = contract_trend(contract, (2026, 3), months=4, now=NOW)
    assert trend.periods == ("2025-12", "2026-01", "2026-02", "2026-03")
    assert trend.currency == "EUR"
    assert trend.credits == (None, Decimal("0.00"), Decimal("0.00"), Decimal("100.00"))
    (availability,) = trend.availability
    assert availability.values[0] is None and availability.values[1] == 100
    assert Decimal("99.8") < availability.values[3] < Decimal("99.9")
    assert common_target(trend.availability) == Decimal("99.9")
    assert [s.metric for s in trend.attainment] == ["first_response"]
    assert trend.months_with_figures == 3
    # January and February had no incidents: a gap in the chart, not 100% of nothing.
    (response,) = trend.attainment
    assert response.values[:3] == (None, None, None)
    assert response.values[3] is not None


def test_contract_trend_uses_the_selected_figures(contract):
    selected = evaluation_run(contract=contract, period=(2026, 3), now=NOW).figures
    trend = contract_trend(
        contract,
        (2026, 3),
        selected={**selected, "credits": {**selected["credits"], "capped_total": "7.00", "currency": "EUR"}},
        months=2,
        now=NOW,
    )
    assert trend.credits == (Decimal("0.00"), Decimal("7.00"))


def test_period_elapsed():
    figures = {"period_start": "2026-04-01T00:00:00Z", "period_end": "2026-05-01T00:00:00Z"}
    assert period_elapsed({**figures, "as_of": "2026-04-16T00:00:00Z"}) == Decimal("0.5")
    assert period_elapsed({**figures, "as_of": "2026-05-01T00:00:00Z"}) == 1


def _running_march(tenants, end: str):
    contract = published_contract(tenants)
    services.events_upsert(
        kind="outages", contract=contract, user=tenants.provider_author, rows=[outage_row(0, end=end)]
    )
    now = datetime(2026, 3, 10, 11, 0, tzinfo=UTC)
    run = evaluation_run(contract=contract, period=(2026, 3), now=now)
    tiers, cap = scorecards.availability_credit_terms(run.evaluation.version)
    return trends.month_forecasts(run.figures, tiers, cap, contract.time_zone)


def test_forecast_of_the_running_month_names_the_tier_and_the_day(tenants):
    (item,) = _running_march(tenants, "2026-03-01T10:30")
    assert item.name == "Availability"
    assert item.forecast.budget.used_seconds == 30 * 60
    assert item.forecast.summary().startswith("At this rate: 10% credit, EUR 100.00, from ")
    assert not item.forecast.milestones[0].reached


def test_forecast_when_the_tier_is_already_reached(tenants):
    (item,) = _running_march(tenants, "2026-03-01T11:00")
    assert item.forecast.summary() == "Already reached: 10% credit, EUR 100.00."


def test_no_forecast_for_a_month_that_is_over(contract):
    figures = evaluation_run(contract=contract, period=(2026, 3), now=NOW).figures
    assert trends.month_forecasts(figures, {"availability": ("tier",)}, None, "UTC") == []


def test_month_charts_draw_the_budget_and_the_hours_bank(contract):
    figures = evaluation_run(contract=contract, period=(2026, 3), now=NOW).figures
    titles = [chart.title for chart in trends.month_charts(figures)]
    assert titles == ["Error budget: Availability", "Hours bank"]
