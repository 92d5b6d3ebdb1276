"""Mapping an export in the browser, saving it as a profile, importing with it; tenancy."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from compliance import services
from compliance.engine.import_presets import PRESETS
from compliance.engine.mapping import ColumnMapping
from compliance.models import ImportProfile, Incident
from tests.compliance.event_fixtures import with_terms

CONNECTWISE = (
    Path(__file__).resolve().parents[3] / "examples" / "imports" / "connectwise-tickets.csv"
).read_bytes()
SERVICE_MAP = "E-mail = Email\nServer = File server\nPrinting = Copier"


@pytest.fixture
def contract(tenants):
    return with_terms(tenants)


def _file(data=CONNECTWISE, name="tickets.csv"):
    return SimpleUploadedFile(name, data, "text/csv")


def _map_url(contract):
    return reverse("compliance:incident_import_map", kwargs={"reference": contract.reference})


def _profile(organisation, name="ConnectWise"):
    preset = PRESETS["connectwise"]
    return services.import_profile_create(
        organisation=organisation,
        user=None,
        name=name,
        mapping=ColumnMapping(
            kind="incidents",
            columns=preset.columns,
            date_format="us",
            time_zone="America/New_York",
            values={
                "priority": {k.casefold(): v for k, v in preset.priorities.items()},
                "service": {"e-mail": "Email", "server": "File server", "printing": "Copier"},
            },
        ),
    )


def test_choosing_a_file_and_a_preset_fills_the_mapping_and_previews(tenants, contract, client_for):
    client = client_for(tenants.provider_author)
    response = client.post(
        _map_url(contract), {"file": _file(), "preset": "connectwise"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Date Entered" selected' in body
    assert "Priority 1 - Emergency Response = P1" in body
    # No service map yet: the export's types are not the contract's services.
    assert "The first 4 of 4 rows as they will be imported: 4 with problems" in body
    assert "“E-mail” is not a service" in body
    assert not Incident.objects.exists()


def test_saving_and_importing_creates_the_profile_and_the_incidents(tenants, contract, client_for):
    client = client_for(tenants.provider_author)
    data = {
        "file": _file(),
        "preset": "connectwise",
        "applied_preset": "connectwise",
        "seen_header": "",
        "name": "ConnectWise tickets",
        "time_zone": "America/New_York",
        "map_service": SERVICE_MAP,
        "action": "save_import",
    }
    # The first post applies the preset and guesses the columns; the page keeps them.
    first = client.post(_map_url(contract), {**data, "action": "preview", "applied_preset": ""})
    assert first.status_code == 200
    data["seen_header"] = first.context["seen_header"]
    for name in (
        "external_id",
        "service",
        "priority",
        "opened_at",
        "first_response_at",
        "resolved_at",
        "summary",
    ):
        data[f"column_{name}"] = first.context["form"][f"column_{name}"].value()
    data["map_priority"] = first.context["form"]["map_priority"].value()
    data["date_format"] = "us"
    data["file"] = _file()
    response = client.post(_map_url(contract), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    profile = ImportProfile.objects.get()
    assert (profile.organisation, profile.name, profile.time_zone) == (
        tenants.provider,
        "ConnectWise tickets",
        "America/New_York",
    )
    assert profile.value_maps["service"]["e-mail"] == "Email"
    assert Incident.objects.filter(contract=contract).count() == 4
    assert profile.last_used_at is not None


def test_save_and_import_with_a_bad_row_saves_nothing(tenants, contract, client_for):
    client = client_for(tenants.provider_author)
    data = {
        "file": _file(CONNECTWISE.replace(b"Printing", b"Fax")),
        "preset": "connectwise",
        "applied_preset": "connectwise",
        "seen_header": "\x1f".join(CONNECTWISE.decode().splitlines()[0].split(",")),
        **{f"column_{k}": v for k, v in PRESETS["connectwise"].columns.items()},
        "date_format": "us",
        "map_priority": "\n".join(f"{k} = {v}" for k, v in PRESETS["connectwise"].priorities.items()),
        "map_service": SERVICE_MAP,
        "name": "CW",
        "action": "save_import",
    }
    response = client.post(_map_url(contract), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "1 of 4 rows are invalid" in body and "The profile was not saved either" in body
    assert "service (Type)" in body and "Fax" in body
    assert not ImportProfile.objects.exists() and not Incident.objects.exists()
    # Saving the mapping alone works: the file's data problem is not the mapping's.
    data.update(action="save", file=_file(CONNECTWISE.replace(b"Printing", b"Fax")))
    assert client.post(_map_url(contract), data).status_code == 302
    assert ImportProfile.objects.filter(name="CW").exists() and not Incident.objects.exists()


def test_saving_needs_a_name_the_required_columns_and_the_file(tenants, contract, client_for):
    client = client_for(tenants.provider_author)
    response = client.post(_map_url(contract), {"action": "save", "date_format": "iso"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Name the profile" in body and "Choose the export file" in body
    assert not ImportProfile.objects.exists()


def test_next_month_the_profile_imports_in_one_step(tenants, contract, client_for):
    profile = _profile(tenants.provider)
    client = client_for(tenants.provider_author)
    page = client.get(reverse("compliance:incident_import", kwargs={"reference": contract.reference}))
    assert "Import with ConnectWise" in page.content.decode()
    url = reverse(
        "compliance:import_profile_run",
        kwargs={"reference": contract.reference, "import_profile_id": profile.pk},
    )
    response = client.post(url, {"file": _file()})
    assert response.status_code == 302
    assert Incident.objects.get(external_id="48213").opened_at.hour == 14  # 09:15 New York (EST) in UTC
    bad = client.post(url, {"file": _file(CONNECTWISE.replace(b"03/05/2026 02:00 PM", b"tomorrow"))})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "ConnectWise: 1 of 4 rows are invalid" in body and "opened_at (Date Entered)" in body
    assert client.post(url, {}).status_code == 400


def test_editing_a_profile_keeps_its_columns_without_a_file(tenants, contract, client_for):
    profile = _profile(tenants.provider)
    client = client_for(tenants.provider_author)
    response = client.get(_map_url(contract), {"profile": profile.pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="Ticket #" selected' in body and "e-mail = Email" in body


def test_deleting_a_profile(tenants, contract, client_for):
    profile = _profile(tenants.provider)
    url = reverse(
        "compliance:import_profile_delete",
        kwargs={"reference": contract.reference, "import_profile_id": profile.pk},
    )
    assert client_for(tenants.provider_author).post(url).status_code == 302
    assert not ImportProfile.objects.exists()


def test_another_tenants_profile_is_never_listed_and_answers_404(tenants, contract, client_for):
    theirs = _profile(tenants.outsider, name="Outsider secret mapping")
    mine = _profile(tenants.provider, name="Mine")
    client = client_for(tenants.provider_author)
    page = client.get(reverse("compliance:incident_import", kwargs={"reference": contract.reference}))
    assert "Outsider secret mapping" not in page.content.decode() and "Mine" in page.content.decode()
    ref = contract.reference
    for name in ("import_profile_run", "import_profile_delete"):
        url = reverse(f"compliance:{name}", kwargs={"reference": ref, "import_profile_id": theirs.pk})
        assert client.post(url, {"file": _file()}).status_code == 404
    assert client.get(_map_url(contract), {"profile": theirs.pk}).status_code == 404
    assert client.get(_map_url(contract), {"profile": "x"}).status_code == 404
    assert (
        client.post(_map_url(contract), {"profile": theirs.pk, "action": "save", "name": "x"}).status_code
        == 404
    )
    # Viewers of the provider and the customer's members do not reach profiles at all.
    for user in (tenants.provider_viewer, tenants.customer_admin):
        other = client_for(user)
        url = reverse(
            "compliance:import_profile_run", kwargs={"reference": ref, "import_profile_id": mine.pk}
        )
        assert other.post(url, {"file": _file()}).status_code == 404
    assert ImportProfile.objects.count() == 2 and not Incident.objects.exists()


def test_editing_a_profile_saves_the_new_mapping(tenants, contract, client_for):
    profile = _profile(tenants.provider)
    client = client_for(tenants.provider_author)
    header = CONNECTWISE.decode().splitlines()[0].split(",")
    data = {
        "profile": profile.pk,
        "file": _file(),
        "seen_header": "\x1f".join(header),
        "applied_preset": "",
        **{f"column_{k}": v for k, v in profile.columns.items()},
        "column_summary": "Company",
        "date_format": "us",
        "time_zone": "Europe/London",
        "map_priority": "\n".join(f"{k} = {v}" for k, v in PRESETS["connectwise"].priorities.items()),
        "map_service": SERVICE_MAP,
        "name": "ConnectWise (London)",
        "action": "save",
    }
    assert client.post(_map_url(contract), data).status_code == 302
    profile.refresh_from_db()
    assert (profile.name, profile.time_zone, profile.columns["summary"]) == (
        "ConnectWise (London)",
        "Europe/London",
        "Company",
    )
    assert ImportProfile.objects.count() == 1


def _export(rows: int) -> bytes:
    lines = [b"Ticket #,Type,Priority,Summary Description,Date Entered,Date Responded,Date Resolved"]
    for n in range(rows):
        day = 1 + n % 28
        lines.append(
            f"{n},E-mail,Priority 2 - Quick Response,Ticket {n},03/{day:02d}/2026 09:00 AM,,".encode()
        )
    return b"\n".join(lines) + b"\n"


@pytest.mark.parametrize("rows", [5, 300])
def test_queries_do_not_grow_with_rows_or_profiles(
    tenants, contract, client_for, django_assert_max_num_queries, rows
):
    profiles = [_profile(tenants.provider, name=f"Profile {n}") for n in range(1 if rows == 5 else 12)]
    client = client_for(tenants.provider_author)
    url = reverse(
        "compliance:import_profile_run",
        kwargs={"reference": contract.reference, "import_profile_id": profiles[0].pk},
    )
    with django_assert_max_num_queries(30):
        assert client.post(url, {"file": _file(_export(rows))}).status_code == 302
    with django_assert_max_num_queries(12):
        page = client.get(reverse("compliance:incident_import", kwargs={"reference": contract.reference}))
    assert page.status_code == 200
    with django_assert_max_num_queries(15):
        assert (
            client.post(
                _map_url(contract),
                {"file": _file(_export(rows)), "preset": "connectwise"},
                HTTP_HX_REQUEST="true",
            ).status_code
            == 200
        )
    assert Incident.objects.count() == rows
