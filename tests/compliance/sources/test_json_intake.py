"""Generic JSON deliveries: the mapping's paths say where the id, state, times and service
are; open opens an outage, resolved ends it, repeats change nothing, and a payload that does
not fit is refused with the reason and writes nothing."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from compliance.models import Outage, SourceDelivery
from compliance.services.sources import source_create, source_update
from tests.compliance.event_fixtures import with_terms
from tests.compliance.sources.support import post

START = datetime(2026, 3, 4, 8, 15, tzinfo=UTC)
END = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)

# The shape a new source reads (docs/import-formats.md, "Generic JSON").
DEFAULT = {
    "id": "chk-42",
    "state": "open",
    "start": "2026-03-04T09:15:00+01:00",
    "end": None,
    "service": "Email",
    "planned": False,
    "summary": "SMTP check failing",
}

# A tool that nests its values, read with paths (docs/import-formats.md example).
NESTED_MAPPING = {
    "id_path": "alerts[0].id",
    "state_path": "status",
    "open_values": ["PROBLEM", "2"],
    "resolved_values": ["OK", "0"],
    "start_path": "alerts[0].times.started",
    "end_path": "alerts[0].times.ended",
    "service_path": "alerts[0].labels.service",
    "planned_path": 'alerts[0].labels["in.maintenance"]',
    "summary_path": "title",
    "time_format": "epoch",
}


def nested(status="PROBLEM", ended=None, service="mail", planned="no"):
    return {
        "status": status,
        "title": "Mail relay down",
        "alerts": [
            {
                "id": 981,
                "times": {"started": 1772612100, "ended": ended},
                "labels": {"service": service, "in.maintenance": planned},
            }
        ],
    }


@pytest.fixture
def source(tenants):
    contract = with_terms(tenants)
    return source_create(contract=contract, user=tenants.provider_admin, kind="json", name="Status checker")


def _remap(source, **changes):
    source_update(
        source=source, name=source.name, rate_limit=source.rate_limit, mapping={**source.mapping, **changes}
    )


def test_the_default_shape_opens_and_ends_an_outage(client, source):
    assert post(client, source, DEFAULT).json() == {"status": "applied", "created": 1}
    outage = Outage.objects.get()
    assert (outage.external_id, outage.service, outage.start, outage.end) == (
        "json-chk-42",
        "Email",
        START,
        None,
    )
    assert (outage.planned, outage.summary, outage.source) == (False, "SMTP check failing", source)
    resolved = {**DEFAULT, "state": "resolved", "end": "2026-03-04T09:00:00Z"}
    assert post(client, source, resolved).json() == {"status": "applied", "updated": 1}
    assert post(client, source, resolved).json() == {"status": "applied", "unchanged": 1}
    outage.refresh_from_db()
    assert outage.end == END


def test_nested_values_epoch_seconds_and_custom_state_values(client, source):
    _remap(source, services={"mail": "Email"}, **NESTED_MAPPING)
    assert post(client, source, nested()).status_code == 200
    post(client, source, nested(status="ok", ended=1772614800))  # state values are compared in any case
    outage = Outage.objects.get()
    assert (outage.external_id, outage.service, outage.summary) == ("json-981", "Email", "Mail relay down")
    assert (outage.start, outage.end) == (START, END)


@pytest.mark.parametrize(
    ("time_format", "start", "zone", "expected"),
    [
        ("iso", "2026-03-04T08:15:00Z", "", START),
        ("iso", "2026-03-04T09:15:00.123456789+01:00", "", START.replace(microsecond=123456)),
        ("iso", "2026-03-04T09:15:00", "", START),  # no offset: the contract's clock (Amsterdam)
        ("iso", "2026-03-04 03:15:00", "America/New_York", START),  # no offset: the source's clock
        ("epoch", 1772612100, "", START),
        ("epoch", "1772612100.5", "", START.replace(microsecond=500000)),
        ("epoch_ms", 1772612100000, "", START),
    ],
)
def test_times_are_read_in_the_chosen_format_and_clock(client, source, time_format, start, zone, expected):
    _remap(source, time_format=time_format, time_zone=zone)
    assert post(client, source, {**DEFAULT, "start": start}).status_code == 200
    assert Outage.objects.get().start == expected


@pytest.mark.parametrize(
    ("planned", "expected"),
    [(True, True), ("yes", True), ("planned", True), (1, True), (False, False), ("no", False), (None, False)],
)
def test_the_planned_flag(client, source, planned, expected):
    post(client, source, {**DEFAULT, "planned": planned})
    assert Outage.objects.get().planned is expected


def test_no_service_path_uses_the_default_service(client, source):
    _remap(source, service_path="", default_service="File server")
    post(client, source, DEFAULT)
    assert Outage.objects.get().service == "File server"


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({**DEFAULT, "id": None}, "The id at id is missing."),
        ({k: v for k, v in DEFAULT.items() if k != "id"}, "The payload has no id at id."),
        ({**DEFAULT, "state": "flapping"}, "The state at state is “flapping”, which means neither open"),
        ({**DEFAULT, "start": None}, "The payload has no start at start."),
        ({**DEFAULT, "start": "yesterday"}, "The value at start is not a date and time: “yesterday”."),
        ({**DEFAULT, "start": 1772612100}, "The value at start is not ISO 8601 text: 1772612100."),
        ({**DEFAULT, "state": "resolved"}, "The event is resolved but has no end at end."),
        ({**DEFAULT, "state": "resolved", "end": "2026-03-04T07:00:00Z"}, "ends (end) before it starts"),
        ({**DEFAULT, "service": "Printer"}, "“Printer”, which maps to no service"),
        (["a", "list"], "The payload has no id at id."),
        (b"{not json", "The body is not JSON"),
    ],
)
def test_a_payload_that_does_not_fit_is_refused_and_writes_nothing(client, source, payload, reason):
    response = post(client, source, payload)
    assert response.status_code == 400
    assert reason in response.json()["reason"]
    assert not Outage.objects.exists()
    delivery = SourceDelivery.objects.get()
    assert (delivery.outcome, delivery.reason) == ("refused", response.json()["reason"])


def test_epoch_that_is_not_a_number_is_refused(client, source):
    _remap(source, time_format="epoch")
    response = post(client, source, {**DEFAULT, "start": "09:15"})
    assert response.status_code == 400
    assert response.json()["reason"] == "The value at start is not a number of epoch seconds: '09:15'."


def _page(source):
    return reverse(
        "compliance:source_detail", kwargs={"reference": source.contract.reference, "source_id": source.pk}
    )


def test_the_admin_sets_the_paths_and_bad_ones_are_named(client_for, tenants, source):
    client = client_for(tenants.provider_admin)
    page = client.get(_page(source)).content.decode()
    assert "Path of the state" in page and "State values meaning open" in page
    data = {
        "name": "Status checker",
        "rate_limit": "600",
        "services": "mail = Email",
        "default_service": "",
        "id_path": "alerts[0].id",
        "state_path": "status",
        "open_values": "PROBLEM, 2",
        "resolved_values": "ok, problem",
        "start_path": "alerts[0]..started",
        "end_path": "",
        "service_path": "alerts[x].labels.service",
        "planned_path": "",
        "summary_path": "title",
        "time_format": "epoch",
        "time_zone": "",
    }
    response = client.post(_page(source), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Character 11: expected a name, found “.”" in body
    assert "Character 7: write a list position as [0]" in body
    assert "problem cannot mean both open and resolved." in body
    assert "This field is required." in body  # the end's path
    source.refresh_from_db()
    assert source.mapping["id_path"] == "id"

    data.update(start_path="alerts[0].times.started", end_path="alerts[0].times.ended")
    data.update(service_path="alerts[0].labels.service", resolved_values="OK, 0")
    assert client.post(_page(source), data).status_code == 302
    source.refresh_from_db()
    assert {key: source.mapping[key] for key in NESTED_MAPPING if key != "planned_path"} == {
        **{key: value for key, value in NESTED_MAPPING.items() if key != "planned_path"},
        "open_values": ["problem", "2"],
        "resolved_values": ["ok", "0"],
    }
    assert source.mapping["services"] == {"mail": "Email"}


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"id_path": "alerts[0"}, "id_path: Character 7: write a list position"),
        ({"state_path": ""}, "state_path: Give the path of the state"),
        ({"open_values": []}, "open_values: Name at least one state value"),
        ({"time_format": "rfc822"}, "time_format: Choose a time format"),
    ],
)
def test_the_api_refuses_a_mapping_that_cannot_be_used(client_for, tenants, source, mapping, message):
    client = client_for(tenants.provider_admin)
    url = f"/api/v1/contracts/{source.contract.reference}/sources/{source.pk}/"
    response = client.patch(url, {"mapping": {**source.mapping, **mapping}}, content_type="application/json")
    assert response.status_code == 409  # the body fits the schema; the rules refuse it
    assert message in response.content.decode()
    before = source.mapping
    source.refresh_from_db()
    assert source.mapping == before


def test_the_api_creates_a_json_source_with_the_default_paths(client_for, tenants):
    contract = with_terms(tenants)
    client = client_for(tenants.provider_admin)
    response = client.post(
        f"/api/v1/contracts/{contract.reference}/sources/",
        {"kind": "json", "name": "Checker"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["mapping"]["state_path"] == "state"
    assert response.json()["mapping"]["open_values"] == ["open", "firing", "down", "problem"]
