"""NUL characters, which PostgreSQL stores in neither text nor jsonb, are refused cleanly.

Where the schema declares the rule (the pattern of event texts and of an import profile's
name, columns and value maps) a body holding one is refused with 400; where OpenAPI 3.0 cannot
say it (the keys of an object, a source's free-form mapping) with 409, as a body that matches
the schema. Never a server error, nothing written, and the message says where the character
is, also deep inside an object."""

import pytest

from compliance.api.errors import flat_errors, matches_request_schema
from compliance.api.imports import ImportProfileCreateSerializer
from compliance.models import EventSource, ImportProfile, Incident, Outage, SourceRoute, WorkLog
from compliance.services.source_routes import shared_source_create
from compliance.services.sources import source_create
from tests.compliance.api.test_api_event_nulls import worklog_row
from tests.compliance.api.test_api_events import api_for, item_errors, url
from tests.compliance.api.test_api_import_profiles import PROFILE
from tests.compliance.compliance_fixtures import outage_row
from tests.compliance.event_fixtures import incident_row

NOT_ALLOWED = "Null characters are not allowed."
NOT_IN_KEY = "Null characters are not allowed in a key."


@pytest.mark.parametrize(
    ("change", "field", "message", "status"),
    [
        (
            {"value_maps": {"Priority": {"x": "P\x001"}}},
            "value_maps",
            f"value_maps → “Priority” → “x”: {NOT_ALLOWED}",
            400,
        ),
        ({"columns": {"summary": "Sum\x00mary"}}, "columns", f"columns → “summary”: {NOT_ALLOWED}", 400),
        ({"name": "Connect\x00Wise"}, "name", NOT_ALLOWED, 400),
        ({"time_zone": "America/New\x00York"}, "time_zone", NOT_ALLOWED, 400),
        (
            {"value_maps": {"service": {"E\x00mail": "Email"}}},
            "value_maps",
            f"value_maps → “service” → “E\\u0000mail”: {NOT_IN_KEY}",
            409,
        ),
        (
            {"value_maps": {"ser\x00vice": {}}},
            "value_maps",
            f"value_maps → “ser\\u0000vice”: {NOT_IN_KEY}",
            409,
        ),
        (
            {"columns": {"sum\x00mary": "Summary"}},
            "columns",
            f"columns → “sum\\u0000mary”: {NOT_IN_KEY}",
            409,
        ),
    ],
)
def test_a_nul_in_an_import_profile_is_refused_naming_where_it_is(
    tenants, contract, change, field, message, status
):
    body = {**PROFILE, **change}
    response = api_for(tenants.provider_author).post("/api/v1/import-profiles/", body, format="json")
    assert response.status_code == status, response.json()
    assert item_errors(response) == {field: [message]}
    assert not ImportProfile.objects.exists()


@pytest.mark.parametrize(
    ("change", "matches"),
    [
        ({}, True),
        ({"value_maps": {"service": {"": "Email", "Ünïcode → ok": "Email"}}}, True),
        ({"time_zone": ""}, True),
        ({"value_maps": {"service": {"x": "\x00"}}}, False),
        ({"columns": {"summary": "a\x00"}}, False),
        ({"name": "\x00"}, False),
        ({"time_zone": "\x00"}, False),
        # OpenAPI 3.0 has no keyword for keys: the schema cannot refuse these, so they are 409.
        ({"value_maps": {"service": {"\x00": "Email"}}}, True),
        ({"columns": {"\x00": "Summary"}}, True),
    ],
)
def test_the_schema_of_an_import_profile_refuses_nul_in_its_texts(change, matches):
    assert matches_request_schema("/api/v1/import-profiles/", "post", {**PROFILE, **change}) is matches


@pytest.mark.parametrize(
    ("kind", "row", "field"),
    [
        ("incidents", incident_row(1, summary="Mail\x00box"), "summary"),
        ("incidents", incident_row(1, service="Em\x00ail"), "service"),
        ("outages", outage_row(1, summary="\x00"), "summary"),
        ("worklogs", worklog_row(1, person="Art\x00hur"), "person"),
        ("worklogs", worklog_row(1, description="Patch\x00ing"), "description"),
    ],
)
def test_a_nul_in_an_events_text_is_refused_with_400_as_its_schema_says(tenants, contract, kind, row, field):
    response = api_for(tenants.provider_author).post(url(contract, kind), row, format="json")
    assert response.status_code == 400, response.json()
    assert list(item_errors(response)) == [field]
    assert not {"incidents": Incident, "outages": Outage, "worklogs": WorkLog}[kind].objects.exists()
    assert not matches_request_schema(f"/api/v1/contracts/{{reference}}/{kind}/", "post", row)


@pytest.mark.parametrize(
    "mapping",
    [
        {"service_label": "ser\x00vice"},
        {"ser\x00vice_label": "service"},
        {"services": {"Mail\x00": "Email"}},
        {"services": {}, "open_values": ["fi\x00ring"]},
    ],
)
def test_a_nul_in_a_sources_mapping_is_refused_with_409_not_a_server_error(tenants, contract, mapping):
    # The mapping is free-form JSON in the schema: its content is checked by the service.
    api = api_for(tenants.provider_admin)
    created = api.post(
        f"/api/v1/contracts/{contract.reference}/sources/",
        {"kind": "alertmanager", "name": "AM", "mapping": mapping},
        format="json",
    )
    assert created.status_code == 409, created.json()
    assert "NUL" in item_errors(created)["mapping"][0]
    assert not EventSource.objects.exists()
    source = source_create(contract=contract, user=tenants.provider_admin, kind="alertmanager", name="AM")
    changed = api.patch(
        f"/api/v1/contracts/{contract.reference}/sources/{source.pk}/", {"mapping": mapping}, format="json"
    )
    assert changed.status_code == 409, changed.json()
    assert EventSource.objects.get().mapping == source.mapping


@pytest.mark.parametrize(
    ("services", "status", "message"),
    [
        ({"Mail": "Em\x00ail"}, 400, f"services → “Mail”: {NOT_ALLOWED}"),
        ({"Mail\x00": "Email"}, 409, f"services → “Mail\\u0000”: {NOT_IN_KEY}"),
    ],
)
def test_a_nul_in_a_routes_services_is_refused(tenants, contract, services, status, message):
    source = shared_source_create(
        organisation=tenants.provider, user=tenants.provider_admin, kind="alertmanager", name="Shared"
    )
    body = {"match_value": "harbour", "contract": contract.reference, "services": services}
    response = api_for(tenants.provider_admin).post(
        f"/api/v1/organisations/{tenants.provider.slug}/sources/{source.pk}/routes/", body, format="json"
    )
    assert response.status_code == status, response.json()
    assert item_errors(response) == {"services": [message]}
    assert not SourceRoute.objects.exists()


@pytest.mark.parametrize(
    ("errors", "flat"),
    [
        ({"name": ["This field is required."]}, {"name": ["This field is required."]}),
        ({"name": "Too long."}, {"name": ["Too long."]}),
        (
            {"value_maps": {"priority": {"x": ["Bad."], "y": ["Worse."]}}},
            {"value_maps": ["value_maps → “priority” → “x”: Bad.", "value_maps → “priority” → “y”: Worse."]},
        ),
        ({"pauses": [{}, {"start": ["Bad."]}]}, {"pauses": ["pauses → 1 → “start”: Bad."]}),
        ({"tags": {0: ["Bad."]}}, {"tags": ["tags → 0: Bad."]}),
        ({"columns": {"a\x15": ["Bad."]}}, {"columns": ["columns → “a\\u0015”: Bad."]}),
        (
            {"non_field_errors": ["One.", "Two."], "kind": ["Three."]},
            {"non_field_errors": ["One.", "Two."], "kind": ["Three."]},
        ),
    ],
)
def test_nested_errors_are_flattened_into_messages_naming_where(errors, flat):
    assert flat_errors(errors) == flat


def test_a_serializers_nested_errors_read_as_text_not_as_python():
    serializer = ImportProfileCreateSerializer(
        data={**PROFILE, "value_maps": {"\x15": {"\x04L": "a\x00"}, "service": {"x": 3.5j}}}
    )
    assert not serializer.is_valid()
    messages = flat_errors(serializer.errors)["value_maps"]
    assert messages[0] == f"value_maps → “\\u0015” → “\\u0004L”: {NOT_ALLOWED}"
    assert messages[1].startswith("value_maps → “service” → “x”: ")
    assert not any("ErrorDetail" in message or "{" in message for message in messages)
