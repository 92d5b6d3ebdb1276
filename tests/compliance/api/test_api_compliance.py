"""GET /api/v1/contracts/{ref}/compliance/{YYYY-MM}/: figures, tenancy, bad periods."""

from datetime import date
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from compliance.models import Evaluation
from compliance.services.evaluations import evaluation_run
from contracts.models import AuditAction, AuditEvent, Contract
from contracts.texts.formats import format_percent
from tests.compliance.api.test_api_events import api_for
from tests.compliance.compliance_fixtures import PERIOD, issue_month, published_contract, record_month

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(tenants):
    contract = published_contract(tenants)
    record_month(contract, tenants.provider_author)
    return contract


def url(contract, period=PERIOD):
    return f"/api/v1/contracts/{contract.reference}/compliance/{period}/"


def test_customer_reads_the_figures(tenants, contract):
    issue_month(contract)  # a month that is over reads, for the customer, as issued
    response = api_for(tenants.customer_admin).get(url(contract))
    assert response.status_code == 200
    body = response.json()
    assert (body["contract"], body["period"], body["version"], body["revision"]) == (
        contract.reference,
        PERIOD,
        1,
        1,
    )
    availability = body["service_levels"][0]
    assert (availability["name"], availability["metric"], availability["target"]) == (
        "Availability",
        "availability",
        "99.9",
    )
    assert availability["met"] is False
    assert availability["breaches"][0]["external_id"] == "OUT-0"
    assert availability["excluded_events"][0]["reason"] == "customer"
    assert body["error_budgets"][0]["used_minutes"] == "60.00"
    assert body["credits"]["currency"] == "EUR"
    assert body["credits"]["capped_total"] == "100.00"
    assert set(body["hours_bank"]) >= {"committed", "delivered", "brought_forward", "carried_on"}
    # Display texts beside the raw values, in the words the pages and the PDF use.
    assert body["period_text"] == "March 2026"
    assert (availability["target_text"], availability["achieved_text"]) == (
        "99.9%",
        format_percent(availability["achieved"]),
    )
    assert availability["breaches"][0]["minutes_text"] == "1 h"
    assert availability["error_budget"]["used_text"] == "1 h"
    assert body["credits"]["capped_total_text"] == "EUR 100.00"
    assert body["hours_bank"]["carried_on_text"].endswith(("still owed", "in hand", "even"))
    assert Evaluation.objects.count() == 1


def test_repeated_calls_serve_the_same_revision(tenants, contract):
    evaluation_run(contract=contract, period=PERIOD)
    client = api_for(tenants.provider_viewer)
    first = client.get(url(contract)).json()
    assert client.get(url(contract)).json()["computed_at"] == first["computed_at"]
    assert Evaluation.objects.count() == 1


def test_a_month_never_stored_is_computed_live_for_the_provider_and_reading_it_stores_nothing(
    tenants, contract
):
    body = api_for(tenants.provider_viewer).get(url(contract)).json()
    assert body["revision"] is None
    assert body["credits"]["capped_total"] == "100.00"
    assert not Evaluation.objects.exists()


def test_other_tenant_gets_404(tenants, contract):
    assert api_for(tenants.outsider_admin).get(url(contract)).status_code == 404


def test_token_for_another_organisation_gets_404(tenants, contract):
    # A provider author's token limited to the outsider organisation is not a party.
    client = api_for(tenants.outsider_admin, organisation=tenants.outsider)
    assert client.get(url(contract)).status_code == 404


@pytest.mark.parametrize("period", ["2026-13", "2026-3", "March", "2026-03-01"])
def test_bad_period_is_400(tenants, contract, period):
    response = api_for(tenants.customer_admin).get(url(contract, period))
    assert response.status_code == 400
    assert "period" in response.json()["errors"][0]["errors"]
    assert not Evaluation.objects.exists()


def test_anonymous_gets_401(contract):
    from rest_framework.test import APIClient

    assert APIClient().get(url(contract)).status_code == 401


@pytest.mark.parametrize(
    ("start", "end", "period", "detail"),
    [
        (
            date(2099, 1, 1),
            None,
            "2098-10",
            "October 2098 is before this contract's term, which starts on 1 January 2099.",
        ),
        (
            date(2025, 1, 1),
            date(2026, 2, 28),
            PERIOD,
            "March 2026 is after this contract's term, which ended on 28 February 2026.",
        ),
        (date(2026, 1, 1), None, "2098-05", "May 2098 has not started yet."),
    ],
    ids=["before the term", "after the term", "not started"],
)
def test_month_without_figures_is_404_saying_why(tenants, contract, start, end, period, detail):
    Contract.objects.filter(pk=contract.pk).update(start_date=start, end_date=end)
    response = api_for(tenants.customer_admin).get(url(contract, period))
    assert response.status_code == 404
    assert response.json() == {"detail": detail}
    assert not Evaluation.objects.exists()
    assert not AuditEvent.objects.filter(contract=contract, action=AuditAction.EVALUATED).exists()


def test_running_month_is_figures_so_far_without_revision(tenants, contract):
    running = f"{timezone.localtime(timezone.now(), ZoneInfo(contract.time_zone)):%Y-%m}"
    response = api_for(tenants.customer_admin).get(url(contract, running))
    assert response.status_code == 200
    body = response.json()
    assert (body["period"], body["final"], body["revision"]) == (running, False, None)
    assert not Evaluation.objects.exists()
