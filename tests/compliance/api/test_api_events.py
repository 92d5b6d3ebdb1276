"""The events API: tokens, tenancy, create one or a batch, upsert by external id, errors."""

import pytest
from rest_framework.test import APIClient

from compliance import services
from compliance.models import Incident, IncidentPause, Outage, WorkLog
from tests.compliance.event_fixtures import incident_row


def api_for(user, organisation=None) -> APIClient:
    _, secret = services.api_token_create(user=user, name="test", organisation=organisation)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def url(contract, kind="incidents", external_id=None):
    base = f"/api/v1/contracts/{contract.reference}/{kind}/"
    return f"{base}{external_id}/" if external_id else base


def test_anonymous_call_gets_401():
    response = APIClient().get("/api/v1/contracts/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


def test_revoked_token_stops_working(tenants):
    token, secret = services.api_token_create(user=tenants.provider_author, name="t")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert client.get("/api/v1/contracts/").status_code == 200
    services.api_token_revoke(token=token)
    assert client.get("/api/v1/contracts/").status_code == 401


def test_contract_list_shows_only_own_contracts(tenants, api):
    response = api.get("/api/v1/contracts/")
    assert response.status_code == 200
    assert [c["reference"] for c in response.json()["results"]] == [tenants.contract.reference]


def test_contracts_carry_their_renewal_terms(tenants, api):
    from datetime import date

    from contracts.models import Contract

    Contract.objects.filter(pk=tenants.contract.pk).update(
        start_date=date(2026, 1, 1), end_date=date(2026, 12, 31), auto_renew=True, notice_period_days=60
    )
    listed = api.get("/api/v1/contracts/").json()["results"][0]
    assert listed["auto_renew"] is True
    assert (listed["notice_period_days"], listed["renewal_months"]) == (60, 12)
    assert listed["notice_deadline"] == "2026-11-01"  # 60 days before 31 December
    Contract.objects.filter(pk=tenants.contract.pk).update(end_date=None)
    detail = api.get(f"/api/v1/contracts/{tenants.contract.reference}/").json()
    assert detail["end_date"] is None and detail["notice_deadline"] is None


def test_contract_detail_lists_terms_of_version_in_force(tenants, api):
    body = api.get(f"/api/v1/contracts/{tenants.contract.reference}/").json()
    assert {s["name"] for s in body["services"]} == {"Email", "File server", "Copier"}
    assert {r["key"] for r in body["responsibilities"]} == {"licences", "risky_behaviour"}
    assert body["version"] == 1


def test_create_one_incident_reads_naive_times_in_contract_zone(tenants, api):
    response = api.post(url(tenants.contract), incident_row(1), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    # 09:00 in Amsterdam in March (CET) is 08:00 UTC.
    assert body["opened_at"] == "2026-03-02T08:00:00Z"
    assert body["pauses"] == [{"start": "2026-03-02T09:00:00Z", "end": "2026-03-02T09:30:00Z"}]


def test_same_external_id_updates_instead_of_duplicating(tenants, api):
    api.post(url(tenants.contract), incident_row(1), format="json")
    response = api.post(url(tenants.contract), incident_row(1, summary="Changed", pauses=[]), format="json")
    assert response.status_code == 200
    incident = Incident.objects.get()
    assert incident.summary == "Changed"
    assert not incident.pauses.exists()


def item_errors(response, index: int = 0) -> dict:
    """The field errors of one item in the API's error shape (compliance/api/errors.py)."""
    body = response.json()
    assert body["detail"]
    return next(item["errors"] for item in body["errors"] if item["index"] == index)


def test_an_item_against_the_contracts_terms_gets_409_with_field_errors_and_writes_nothing(tenants, api):
    row = incident_row(1, service="Fax", resolved_at="2026-03-01T08:00:00")
    response = api.post(url(tenants.contract), row, format="json")
    assert response.status_code == 409
    errors = item_errors(response)
    assert "Fax" in errors["service"][0]
    assert "resolved after" in errors["resolved_at"][0]
    assert not Incident.objects.exists()


@pytest.mark.parametrize("body", [{}, {"external_id": "X-1"}, {"external_id": "X-1", "priority": 3}])
def test_an_item_that_does_not_match_the_schema_gets_400_in_the_one_error_shape(tenants, api, body):
    response = api.post(url(tenants.contract), body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "errors"}
    assert item_errors(response)
    assert not Incident.objects.exists()


@pytest.mark.parametrize("period", ["", "0000-00", "2026-00", "2026-13"])
def test_a_period_that_is_not_a_real_month_is_400(tenants, api, period):
    response = api.get(url(tenants.contract), {"period": period})
    assert response.status_code == 400
    assert "YYYY-MM" in item_errors(response)["period"][0]


def test_batch_is_all_or_nothing_with_errors_per_index(tenants, api):
    rows = [incident_row(n) for n in range(5)]
    rows[3]["priority"] = "P9"
    response = api.post(url(tenants.contract), rows, format="json")
    assert response.status_code == 400
    body = response.json()
    assert [e["index"] for e in body["errors"]] == [3]
    assert "priority" in body["errors"][0]["errors"]
    assert not Incident.objects.exists()


def test_batch_with_the_same_id_twice_is_refused(tenants, api):
    response = api.post(url(tenants.contract), [incident_row(1), incident_row(1)], format="json")
    assert response.status_code == 409
    assert "item 0" in response.json()["errors"][0]["errors"]["external_id"][0]


def test_customer_cause_needs_a_responsibility_of_the_version(tenants, api):
    response = api.post(url(tenants.contract), incident_row(1, cause="customer"), format="json")
    assert response.status_code == 409
    assert "responsibility" in item_errors(response)
    ok = api.post(
        url(tenants.contract), incident_row(1, cause="customer", responsibility="licences"), format="json"
    )
    assert ok.status_code == 201


def test_the_same_large_batch_posted_twice_leaves_each_incident_once(tenants, api):
    # Its speed at 100,000 rows is measured by bench/import_events.py (the same upsert).
    rows = [incident_row(n) for n in range(2_000)]
    first = api.post(url(tenants.contract), rows, format="json")
    second = api.post(url(tenants.contract), rows, format="json")
    assert first.status_code == 201 and first.json() == {"created": 2_000, "updated": 0}
    assert second.status_code == 200 and second.json() == {"created": 0, "updated": 2_000}
    assert Incident.objects.filter(contract=tenants.contract).count() == 2_000
    assert IncidentPause.objects.count() == 2_000


def test_list_filters_by_period_and_pages(tenants, api):
    rows = [incident_row(n) for n in range(3)] + [
        incident_row(9, external_id="APR-1", opened_at="2026-04-01T00:30")
    ]
    rows[-1].update(first_response_at=None, resolved_at=None, pauses=[])
    api.post(url(tenants.contract), rows, format="json")
    march = api.get(url(tenants.contract), {"period": "2026-03"}).json()
    assert march["count"] == 3
    april = api.get(url(tenants.contract), {"period": "2026-04"}).json()
    assert [i["external_id"] for i in april["results"]] == ["APR-1"]
    assert api.get(url(tenants.contract), {"period": "March"}).status_code == 400


def test_put_creates_or_replaces_and_patch_changes_fields(tenants, api):
    row = incident_row(1)
    del row["external_id"]
    assert api.put(url(tenants.contract, external_id="T-1"), row, format="json").status_code == 201
    assert api.put(url(tenants.contract, external_id="T-1"), row, format="json").status_code == 200
    response = api.patch(url(tenants.contract, external_id="T-1"), {"reopened": True}, format="json")
    assert response.status_code == 200 and response.json()["reopened"] is True
    assert Incident.objects.get().pauses.count() == 1
    bad = api.patch(
        url(tenants.contract, external_id="T-1"), {"opened_at": "2026-03-30T00:00"}, format="json"
    )
    assert bad.status_code == 409 and "resolved_at" in item_errors(bad)
    assert api.patch(url(tenants.contract, external_id="NOPE"), {}, format="json").status_code == 404


def test_outages_and_worklogs(tenants, api):
    outage = {"external_id": "O-1", "service": "Email", "start": "2026-03-04T10:00+01:00", "end": None}
    assert api.post(url(tenants.contract, "outages"), outage, format="json").status_code == 201
    bad = {**outage, "external_id": "O-2", "end": "2026-03-04T09:00+01:00"}
    assert "end" in item_errors(api.post(url(tenants.contract, "outages"), bad, format="json"))
    log = {"external_id": "W-1", "date": "2026-03-04", "hours": "1.50", "person": "Arthur"}
    response = api.post(url(tenants.contract, "worklogs"), log, format="json")
    assert response.status_code == 201 and response.json()["hours"] == "1.50"
    assert Outage.objects.count() == 1 and WorkLog.objects.count() == 1


def test_outsider_gets_404_and_customer_cannot_write(tenants, contract):
    outsider = api_for(tenants.outsider_admin)
    assert outsider.get(url(tenants.contract)).status_code == 404
    assert outsider.post(url(tenants.contract), incident_row(1), format="json").status_code == 404
    customer = api_for(tenants.customer_admin)
    assert customer.get(url(tenants.contract)).status_code == 200
    assert customer.post(url(tenants.contract), incident_row(1), format="json").status_code == 403
    viewer = api_for(tenants.provider_viewer)
    assert viewer.post(url(tenants.contract), incident_row(1), format="json").status_code == 403
    assert not Incident.objects.exists()


def test_token_limited_to_one_organisation_sees_only_its_contracts(tenants, contract):
    from contracts.models import Membership

    Membership.objects.create(user=tenants.provider_author, organisation=tenants.outsider, role="author")
    limited = api_for(tenants.provider_author, organisation=tenants.outsider)
    assert limited.get(url(tenants.contract)).status_code == 404
    assert limited.get(url(tenants.outsider_contract)).status_code == 200


def test_list_query_count_does_not_grow_with_rows(tenants, api, django_assert_max_num_queries):
    api.post(url(tenants.contract), [incident_row(n) for n in range(5)], format="json")
    with django_assert_max_num_queries(8):
        assert api.get(url(tenants.contract)).json()["count"] == 5
    api.post(url(tenants.contract), [incident_row(n) for n in range(50)], format="json")
    with django_assert_max_num_queries(8):
        assert api.get(url(tenants.contract)).json()["count"] == 50


def test_schema_and_docs_are_served(tenants, api):
    assert api.get("/api/schema/").status_code == 200
    docs = api.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content and b"cdn" not in docs.content.lower()


def test_calls_past_the_rate_limit_get_429_with_retry_after(tenants, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import UserRateThrottle

    cache.clear()
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/minute"})
    client = api_for(tenants.provider_author)
    assert [client.get("/api/v1/contracts/").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/api/v1/contracts/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    # Another user has a count of their own.
    assert api_for(tenants.customer_admin).get("/api/v1/contracts/").status_code == 200


@pytest.mark.parametrize(
    ("external_id", "stored"),
    [
        ("INC-7", "INC-7"),
        (4711, "4711"),
        (2**63 - 1, str(2**63 - 1)),
        (-(2**63), None),  # a whole number in range, but "-" then digits is a valid id too
        (2**63, "refused"),
        (1.5, "refused"),
        (True, "refused"),
    ],
)
def test_an_id_is_text_or_a_whole_number_within_64_bits(tenants, api, external_id, stored):
    response = api.post(url(tenants.contract), incident_row(1, external_id=external_id), format="json")
    if stored == "refused":
        assert response.status_code == 400
        assert "external_id" in str(response.json())
        assert not Incident.objects.exists()
    else:
        assert response.status_code == 201, response.json()
        assert response.json()["external_id"] == (stored or str(external_id))
