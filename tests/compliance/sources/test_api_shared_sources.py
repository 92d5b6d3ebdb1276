"""The provider-wide sources API: an organisation's admins add a source and route values to
their own contracts; another tenant's contract is a field error, its sources a 404; the
schema documents it."""

import pytest

from compliance import services
from compliance.models import EventSource, Outage, SourceRoute
from compliance.services.source_routes import shared_source_create
from tests.compliance.event_fixtures import with_terms
from tests.compliance.sources.support import alert, alertmanager, post


@pytest.fixture
def contract(tenants):
    return with_terms(tenants)


def _auth(user):
    _, secret = services.api_token_create(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Token {secret}"}


def _base(organisation):
    return f"/api/v1/organisations/{organisation.slug}/sources/"


def test_an_admin_adds_a_source_routes_a_contract_and_reads_the_log(client, tenants, contract):
    auth = _auth(tenants.provider_admin)
    response = client.post(
        _base(tenants.provider),
        {"kind": "alertmanager", "name": "Central AM", "route_field": "customer"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201, response.json()
    source = EventSource.objects.get()
    body = response.json()
    assert body["url"] == f"http://testserver/hooks/{source.token}/"
    assert (body["secret"], body["route_field"], body["routes"]) == (source.secret, "customer", [])

    response = client.post(
        f"{_base(tenants.provider)}{source.pk}/routes/",
        {"match_value": "harbour", "contract": contract.reference, "services": {"mail-prod": "Email"}},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201, response.json()
    assert response.json()["contract"] == contract.reference

    delivery = alertmanager(alert(customer="harbour", service="mail-prod"))
    assert post(client, source, delivery).status_code == 200
    assert Outage.objects.get().contract == contract
    log = client.get(f"{_base(tenants.provider)}{source.pk}/deliveries/", **auth).json()
    assert log["results"][0]["events"][0]["contract"] == contract.reference
    detail = client.get(f"{_base(tenants.provider)}{source.pk}/", **auth).json()
    assert detail["routes"][0]["match_value"] == "harbour"


def test_another_tenants_contract_cannot_be_routed(client, tenants, contract):
    source = shared_source_create(
        organisation=tenants.provider, user=tenants.provider_admin, kind="alertmanager", name="AM"
    )
    response = client.post(
        f"{_base(tenants.provider)}{source.pk}/routes/",
        {"match_value": "theirs", "contract": tenants.outsider_contract.reference},
        content_type="application/json",
        **_auth(tenants.provider_admin),
    )
    # Well-formed but refused: the API's 409 with the field named.
    assert response.status_code == 409
    assert "contract" in str(response.json())
    assert not SourceRoute.objects.exists()


@pytest.mark.parametrize("who", ["provider_author", "customer_admin", "outsider_admin"])
def test_only_the_organisations_admins_reach_it(client, tenants, contract, who):
    source = shared_source_create(
        organisation=tenants.provider, user=tenants.provider_admin, kind="alertmanager", name="AM"
    )
    auth = _auth(getattr(tenants, who))
    assert client.get(_base(tenants.provider), **auth).status_code == 404
    assert client.get(f"{_base(tenants.provider)}{source.pk}/", **auth).status_code == 404
    assert client.delete(f"{_base(tenants.provider)}{source.pk}/", **auth).status_code == 404
    assert EventSource.objects.exists()


def test_an_admin_renames_pauses_and_rotates_a_source(client, tenants):
    source = shared_source_create(
        organisation=tenants.provider, user=tenants.provider_admin, kind="alertmanager", name="Central AM"
    )
    auth = _auth(tenants.provider_admin)
    item = f"{_base(tenants.provider)}{source.pk}/"
    response = client.patch(
        item,
        {"name": "Central", "route_field": "customer", "paused": True},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["name"], body["route_field"], body["paused"], body["rate_limit"]) == (
        "Central",
        "customer",
        True,
        600,
    )
    refused = client.patch(item, {"rate_limit": 0, "name": "Lost"}, content_type="application/json", **auth)
    assert refused.status_code == 400
    assert set(refused.json()["errors"][0]["errors"]) == {"rate_limit"}
    secret = source.secret
    rotated = client.post(f"{item}rotate/", **auth).json()
    source.refresh_from_db()
    assert (source.name, source.rate_limit) == ("Central", 600)
    assert rotated["secret"] == source.secret != secret
    outsider = _auth(tenants.outsider_admin)
    assert (
        client.patch(item, {"name": "Theirs"}, content_type="application/json", **outsider).status_code == 404
    )
    assert client.post(f"{item}rotate/", **outsider).status_code == 404


def test_the_schema_documents_provider_wide_sources(client, tenants):
    schema = client.get("/api/schema/", **_auth(tenants.provider_admin)).content.decode()
    operations = (
        "shared_sources_list",
        "shared_sources_create",
        "shared_sources_partial_update",
        "shared_sources_rotate",
        "shared_sources_routes_save",
    )
    for operation in operations:
        assert operation in schema
