"""/api/v1/import-profiles/ and /api/v1/contracts/{ref}/imports/: profiles listed and created,
exports imported with one; tenancy."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from compliance.models import ImportProfile, Incident
from tests.compliance.api.test_api_events import api_for
from tests.services import api_error_fields

pytestmark = pytest.mark.django_db

CONNECTWISE = (
    Path(__file__).resolve().parents[3] / "examples" / "imports" / "connectwise-tickets.csv"
).read_bytes()
PROFILE = {
    "name": "ConnectWise tickets",
    "kind": "incidents",
    "preset": "connectwise",
    "time_zone": "America/New_York",
    "value_maps": {"service": {"E-mail": "Email", "Server": "File server", "Printing": "Copier"}},
}


def _create(client, **overrides):
    return client.post("/api/v1/import-profiles/", {**PROFILE, **overrides}, format="json")


def _import(client, contract, profile_id, data=CONNECTWISE):
    return client.post(
        f"/api/v1/contracts/{contract.reference}/imports/",
        {"profile": profile_id, "file": SimpleUploadedFile("march.csv", data, "text/csv")},
        format="multipart",
    )


def test_create_from_a_preset_then_import_an_export(tenants, contract):
    client = api_for(tenants.provider_author)
    created = _create(client)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["organisation"] == tenants.provider.slug
    assert body["columns"]["opened_at"] == "Date Entered" and body["date_format"] == "us"
    assert body["value_maps"]["priority"]["priority 1 - emergency response"] == "P1"
    listed = client.get("/api/v1/import-profiles/").json()
    assert [p["name"] for p in listed["results"]] == ["ConnectWise tickets"]
    response = _import(client, contract, body["id"])
    assert response.status_code == 201, response.json()
    assert response.json() == {"kind": "incidents", "created": 4, "updated": 0}
    assert Incident.objects.get(external_id="48213").opened_at.hour == 14


def test_a_bad_export_answers_400_with_every_bad_row_and_writes_nothing(tenants, contract):
    client = api_for(tenants.provider_author)
    profile_id = _create(client).json()["id"]
    data = CONNECTWISE.replace(b"Printing", b"Fax").replace(b"03/12/2026 10:10 AM", b"soon")
    response = _import(client, contract, profile_id, data)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "2 of 4 rows are invalid; nothing was imported."
    assert [(e["index"], list(e["errors"])) for e in body["errors"]] == [
        (4, ["service (Type)"]),
        (5, ["opened_at (Date Entered)"]),
    ]
    assert not Incident.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"columns": {"external_id": "Ticket #"}, "preset": None}, "columns"),
        ({"date_format": "julian"}, "date_format"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"kind": "outages"}, "preset"),
        ({"organisation": "outsider-ltd"}, "organisation"),
        ({"columns": {"colour": "Colour"}}, "columns"),
    ],
)
def test_a_bad_profile_answers_400_per_field(tenants, contract, overrides, field):
    payload = {key: value for key, value in {**PROFILE, **overrides}.items() if value is not None}
    response = api_for(tenants.provider_author).post("/api/v1/import-profiles/", payload, format="json")
    assert response.status_code in (400, 409)
    assert field in api_error_fields(response)
    assert not ImportProfile.objects.exists()


def test_names_are_unique_per_provider_and_kind(tenants, contract):
    client = api_for(tenants.provider_author)
    assert _create(client).status_code == 201
    again = _create(client)
    assert again.status_code == 409 and "name" in api_error_fields(again)


def test_another_tenants_profile_is_never_listed_and_answers_404(tenants, contract):
    theirs = _create(api_for(tenants.outsider_admin), name="Outsider mapping").json()["id"]
    client = api_for(tenants.provider_author)
    assert client.get("/api/v1/import-profiles/").json()["results"] == []
    assert _import(client, contract, theirs).status_code == 404
    # The outsider cannot use its own profile on our contract either.
    assert _import(api_for(tenants.outsider_admin), contract, theirs).status_code == 404
    mine = _create(client).json()["id"]
    assert _import(api_for(tenants.customer_admin), contract, mine).status_code == 403
    assert _import(api_for(tenants.provider_viewer), contract, mine).status_code == 403
    assert not Incident.objects.exists()


def test_missing_parts_answer_400(tenants, contract):
    client = api_for(tenants.provider_author)
    url = f"/api/v1/contracts/{contract.reference}/imports/"
    assert "profile" in api_error_fields(client.post(url, {}, format="multipart"))
    mine = _create(client).json()["id"]
    assert "file" in api_error_fields(client.post(url, {"profile": mine}, format="multipart"))
