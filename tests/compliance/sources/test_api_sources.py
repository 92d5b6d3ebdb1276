"""The sources API: provider admins list, add, change, rotate and remove sources and read the
delivery log; anyone else, and another tenant, gets 404; the schema documents it all."""

import pytest

from compliance import services
from compliance.models import EventSource
from compliance.services.sources import source_create
from tests.compliance.event_fixtures import with_terms
from tests.compliance.sources.support import alert, alertmanager, post


@pytest.fixture
def contract(tenants):
    return with_terms(tenants)


def _auth(user):
    _, secret = services.api_token_create(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Token {secret}"}


def _base(contract):
    return f"/api/v1/contracts/{contract.reference}/sources/"


def test_an_admin_adds_a_source_and_gets_its_url_and_secret(client, tenants, contract):
    auth = _auth(tenants.provider_admin)
    response = client.post(
        _base(contract),
        {"kind": "zammad", "name": "Desk", "rate_limit": 60},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    source = EventSource.objects.get()
    assert body["url"] == f"http://testserver/hooks/{source.token}/"
    assert body["secret"] == source.secret
    assert body["mapping"]["statuses"]["pending reminder"] == "waiting"
    assert body["rate_limit"] == 60
    listing = client.get(_base(contract), **auth).json()
    assert [item["name"] for item in listing] == ["Desk"]


def test_bad_input_answers_400_with_details_and_adds_nothing(client, tenants, contract):
    auth = _auth(tenants.provider_admin)
    data = {"kind": "fax", "name": ""}
    response = client.post(_base(contract), data, content_type="application/json", **auth)
    assert response.status_code == 400
    assert {f for item in response.json()["errors"] for f in item["errors"]} == {"kind", "name"}
    assert not EventSource.objects.exists()


def test_patch_rotate_deliveries_and_delete(client, tenants, contract):
    auth = _auth(tenants.provider_admin)
    source = source_create(contract=contract, user=tenants.provider_admin, kind="alertmanager", name="AM")
    item = f"{_base(contract)}{source.pk}/"
    response = client.patch(
        item,
        {"paused": True, "mapping": {"services": {"mail": "Email"}, "maintenance_label": "mw"}},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200
    assert response.json()["paused"] is True
    assert post(client, source, alertmanager(alert(service="mail"))).status_code == 409
    client.patch(item, {"paused": False}, content_type="application/json", **auth)
    assert post(client, source, alertmanager(alert(service="mail"))).status_code == 200

    deliveries = client.get(f"{item}deliveries/", **auth).json()
    assert deliveries["count"] == 2
    assert deliveries["results"][0]["outcome"] == "applied"
    assert deliveries["results"][0]["events"][0]["change"] == "created"
    assert deliveries["results"][1]["reason"].startswith("The source is paused")

    old = source.secret
    rotated = client.post(f"{item}rotate/", **auth).json()
    assert rotated["secret"] != old
    assert post(client, source, alertmanager(alert()), secret=old).status_code == 401

    assert client.delete(item, **auth).status_code == 204
    assert not EventSource.objects.exists()


@pytest.mark.parametrize("who", ["provider_author", "customer_admin", "outsider_admin"])
def test_only_the_providers_admins_reach_sources(client, tenants, contract, who):
    source = source_create(contract=contract, user=tenants.provider_admin, kind="alertmanager", name="AM")
    auth = _auth(getattr(tenants, who))
    item = f"{_base(contract)}{source.pk}/"
    assert client.get(_base(contract), **auth).status_code == 404
    assert client.get(item, **auth).status_code == 404
    assert client.patch(item, {"paused": True}, content_type="application/json", **auth).status_code == 404
    assert client.post(f"{item}rotate/", **auth).status_code == 404
    assert client.delete(item, **auth).status_code == 404
    source.refresh_from_db()
    assert not source.paused


def test_another_tenants_source_is_404_under_ones_own_contract(client, tenants, contract):
    theirs = source_create(
        contract=tenants.outsider_contract, user=tenants.outsider_admin, kind="tickets", name="Theirs"
    )
    auth = _auth(tenants.provider_admin)
    assert client.get(f"{_base(contract)}{theirs.pk}/", **auth).status_code == 404
    assert client.get(f"{_base(tenants.outsider_contract)}{theirs.pk}/", **auth).status_code == 404


def test_the_schema_documents_sources(client, tenants):
    schema = client.get("/api/schema/", **_auth(tenants.provider_admin)).content.decode()
    for operation in ("sources_list", "sources_create", "sources_partial_update", "sources_rotate"):
        assert operation in schema
    assert "sources_deliveries" in schema
    assert "SourceKindEnum" in schema
