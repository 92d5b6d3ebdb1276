"""Events in the API say where they came from: ``source`` {name, kind} for an event a source
sent, null for one entered, imported or sent through the API, or whose source was removed."""

import pytest

from compliance import services
from compliance.services.sources import source_create, source_delete
from tests.compliance.api.test_api_events import url
from tests.compliance.event_fixtures import incident_row
from tests.compliance.sources.support import alert, alertmanager, generic_ticket, post, zabbix


def test_an_outage_a_source_sent_names_the_source(client, api, tenants, contract):
    source = source_create(contract=contract, user=tenants.provider_admin, kind="zabbix", name="Zabbix prod")
    post(client, source, zabbix())
    outage = api.get(url(contract, "outages", "zbx-7001")).json()
    assert outage["source"] == {"name": "Zabbix prod", "kind": "zabbix"}
    assert api.get(url(contract, "outages")).json()["results"][0]["source"] == outage["source"]


def test_an_incident_a_ticket_source_sent_names_the_source(client, api, tenants, contract):
    source = source_create(contract=contract, user=tenants.provider_admin, kind="tickets", name="Desk")
    post(client, source, generic_ticket())
    assert api.get(url(contract, "incidents", "T-1")).json()["source"] == {"name": "Desk", "kind": "tickets"}


def test_an_event_sent_through_the_api_has_no_source(api, contract):
    created = api.post(url(contract), incident_row(1), format="json")
    assert created.status_code == 201
    assert created.json()["source"] is None
    assert api.get(url(contract)).json()["results"][0]["source"] is None


def test_an_event_whose_source_was_removed_has_no_source(client, api, tenants, contract):
    source = source_create(contract=contract, user=tenants.provider_admin, kind="alertmanager", name="AM")
    post(client, source, alertmanager(alert()))
    source_delete(source=source)
    assert api.get(url(contract, "outages")).json()["results"][0]["source"] is None


def test_the_source_cannot_be_written(api, contract):
    # Where an event came from is the portal's record, not the sender's claim.
    row = {**incident_row(1), "source": {"name": "Forged", "kind": "jira"}}
    response = api.post(url(contract), row, format="json")
    assert response.status_code in (400, 409)
    assert "source" in str(response.json()["errors"])
    assert not api.get(url(contract)).json()["results"]


def test_listing_events_from_many_sources_takes_constant_queries(
    client, api, tenants, contract, django_assert_max_num_queries
):
    for number in range(3):
        source = source_create(
            contract=contract, user=tenants.provider_admin, kind="zabbix", name=f"Z{number}"
        )
        post(client, source, zabbix(event_id=str(7000 + number)))
    with django_assert_max_num_queries(8):
        assert api.get(url(contract, "outages")).json()["count"] == 3
    for number in range(3, 12):
        source = source_create(
            contract=contract, user=tenants.provider_admin, kind="zabbix", name=f"Z{number}"
        )
        post(client, source, zabbix(event_id=str(7000 + number)))
    with django_assert_max_num_queries(8):
        assert api.get(url(contract, "outages")).json()["count"] == 12


@pytest.mark.parametrize("component", ["Outage", "Incident"])
def test_the_schema_describes_the_source_as_read_only_and_nullable(api, component):
    schema = api.get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]
    field = components[component]["properties"]["source"]
    assert field.get("readOnly") is True
    assert field.get("nullable") is True or {"type": "null"} in field.get("oneOf", [])
    reference = next(part["$ref"] for part in field.get("allOf", field.get("oneOf", [])) if "$ref" in part)
    origin = components[reference.rsplit("/", 1)[1]]
    assert set(origin["properties"]) == {"name", "kind"}
    assert "source" not in components[f"{component}Request"]["properties"]


def test_services_record_no_source_for_a_file_import(api, tenants, contract):
    services.events_upsert(
        kind="incidents", contract=contract, user=tenants.provider_author, rows=[incident_row(2)]
    )
    assert api.get(url(contract)).json()["results"][0]["source"] is None
