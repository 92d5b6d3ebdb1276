"""A provider-wide source: one URL, each alert or ticket applied to the contract its route
names, a delivery that matches no route refused with nothing written."""

from datetime import UTC, datetime

import pytest

from compliance.models import Incident, Outage, SourceDelivery
from compliance.services.source_routes import route_save, shared_source_create
from compliance.services.sources import source_create
from tests import factories
from tests.compliance.event_fixtures import with_terms
from tests.compliance.sources.support import alert, alertmanager, jira, post, zammad

START = datetime(2026, 3, 4, 9, 15, 0, 123456, tzinfo=UTC)
END = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def harbour(tenants):
    return with_terms(tenants)


@pytest.fixture
def quay(tenants):
    """A second contract of the same provider, with another customer."""
    contract = factories.contract(tenants.provider, factories.organisation("Quay Logistics"), title="Quay IT")
    factories.version_with_terms(contract, user=tenants.provider_author)
    return contract


@pytest.fixture
def source(tenants, harbour, quay):
    source = shared_source_create(
        organisation=tenants.provider,
        user=tenants.provider_admin,
        kind="alertmanager",
        name="Central Alertmanager",
        route_field="customer",
    )
    route_save(source=source, match_value="harbour", contract=harbour)
    route_save(source=source, match_value="quay", contract=quay, services={"fs-01": "File server"})
    return source


def test_alerts_go_to_the_contract_their_label_names_with_its_service_mapping(client, source, harbour, quay):
    grouped = alertmanager(
        alert(fingerprint="1111111111111111", customer="harbour"),
        alert(fingerprint="2222222222222222", customer="quay", service="fs-01"),
    )
    response = post(client, source, grouped)
    assert response.status_code == 200
    assert response.json() == {"status": "applied", "created": 2}
    at_harbour = Outage.objects.get(contract=harbour)
    assert (at_harbour.service, at_harbour.start, at_harbour.end) == ("Email", START, None)
    assert at_harbour.external_id == "am-1111111111111111-20260304T091500Z"
    at_quay = Outage.objects.get(contract=quay)
    assert (at_quay.service, at_quay.start, at_quay.end) == ("File server", START, None)
    assert at_harbour.source_id == at_quay.source_id == source.pk
    delivery = SourceDelivery.objects.get(source=source)
    contracts = sorted(event["contract"] for event in delivery.events)
    assert contracts == sorted([harbour.reference, quay.reference])

    resolved = alertmanager(
        alert(fingerprint="2222222222222222", customer="quay", status="resolved", ends="2026-03-04T10:00:00Z")
    )
    assert post(client, source, resolved).json() == {"status": "applied", "updated": 1}
    at_quay.refresh_from_db()
    at_harbour.refresh_from_db()
    assert (at_quay.end, at_harbour.end) == (END, None)


def test_a_label_value_matches_its_route_whatever_its_case(client, source, quay):
    assert post(client, source, alertmanager(alert(customer="QUAY", service="fs-01"))).status_code == 200
    assert Outage.objects.get().contract == quay


def test_an_unmatched_alert_refuses_the_whole_delivery_and_writes_nothing(client, source):
    payload = alertmanager(
        alert(fingerprint="1111111111111111", customer="harbour"),
        alert(fingerprint="3333333333333333", customer="lighthouse"),
    )
    response = post(client, source, payload)
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "refused"
    assert "“lighthouse”" in body["reason"] and "matches no contract" in body["reason"]
    assert not Outage.objects.exists()
    delivery = SourceDelivery.objects.get(source=source)
    assert (delivery.outcome, delivery.status_code) == ("refused", 400)
    assert "lighthouse" in delivery.reason


def test_an_alert_without_the_label_is_refused(client, source):
    response = post(client, source, alertmanager(alert()))
    assert response.status_code == 400
    assert "no value in “customer”" in response.json()["reason"]
    assert not Outage.objects.exists()


def test_tickets_are_routed_by_a_path_into_the_body(client, tenants, harbour, quay):
    source = shared_source_create(
        organisation=tenants.provider, user=tenants.provider_admin, kind="jira", name="Service desk"
    )
    route_save(source=source, match_value="QUAY", contract=quay)
    payload = jira(key="QUAY-7")
    payload["issue"]["fields"]["project"] = {"key": "QUAY"}
    response = post(client, source, payload)
    assert response.status_code == 200, response.json()
    incident = Incident.objects.get()
    assert (incident.contract, incident.external_id, incident.service) == (quay, "QUAY-7", "Email")

    payload["issue"]["fields"]["project"] = {"key": "HARB"}
    payload["issue"]["key"] = "HARB-1"
    assert post(client, source, payload).status_code == 400
    assert Incident.objects.count() == 1


def test_contract_sources_keep_working_beside_a_provider_wide_one(client, tenants, source, harbour):
    own = source_create(contract=harbour, user=tenants.provider_admin, kind="alertmanager", name="Own AM")
    assert post(client, own, alertmanager(alert())).json() == {"status": "applied", "created": 1}
    assert Outage.objects.get().source == own


def test_zammad_tickets_go_to_the_contract_of_their_organisation(client, tenants, harbour, quay):
    source = shared_source_create(
        organisation=tenants.provider, user=tenants.provider_admin, kind="zammad", name="Desk"
    )
    route_save(source=source, match_value="Harbour Dental", contract=harbour)
    route_save(source=source, match_value="Quay Logistics", contract=quay, services={"Mail": "Email"})
    payload = zammad(number="31001", group="Mail")
    payload["ticket"]["organization"] = {"id": 4, "name": "Quay Logistics"}
    response = post(client, source, payload, sign="sha1")
    assert response.status_code == 200, response.json()
    incident = Incident.objects.get()
    assert (incident.contract, incident.external_id, incident.service) == (quay, "31001", "Email")
