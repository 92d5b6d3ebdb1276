"""Imports through a mapping: each tool's sample export, time zones and DST, XLSX, all or nothing."""

import io
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from compliance import services
from compliance.engine.import_presets import PRESETS
from compliance.engine.mapping import ColumnMapping, time_text
from compliance.engine.periods import local_to_utc
from compliance.models import ImportProfile, Incident
from compliance.services.rows import parse_instant
from tests.compliance.event_fixtures import with_terms

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "imports"
SAMPLES = {
    "connectwise": "connectwise-tickets.csv",
    "autotask": "autotask-tickets.csv",
    "halopsa": "halopsa-tickets.csv",
    "zammad": "zammad-tickets.csv",
    "jira": "jira-service-management.csv",
}
FIRST_IDS = {
    "connectwise": "48213",
    "autotask": "T20260304.0012",
    "halopsa": "1042",
    "zammad": "26031",
    "jira": "ITSD-311",
}
SERVICES = {"e-mail": "Email", "server": "File server", "printing": "Copier"}


@pytest.fixture
def contract(tenants):
    return with_terms(tenants)


def preset_mapping(key: str, time_zone: str = "", only: tuple[str, ...] = ()) -> ColumnMapping:
    """The preset's mapping; ``only`` keeps the mapped export columns of that list."""
    preset = PRESETS[key]
    return ColumnMapping(
        kind="incidents",
        columns={name: column for name, column in preset.columns.items() if not only or column in only},
        date_format=preset.date_format,
        time_zone=time_zone,
        values={
            "priority": {source.casefold(): target for source, target in preset.priorities.items()},
            "service": SERVICES,
        },
    )


def run(contract, mapping, data: bytes, name="export.csv", **kwargs):
    return services.events_import_mapped(
        contract=contract, user=None, mapping=mapping, data=data, name=name, **kwargs
    )


@pytest.mark.parametrize("key", sorted(SAMPLES))
def test_each_tools_sample_export_imports_with_its_preset(contract, key):
    data = (EXAMPLES / SAMPLES[key]).read_bytes()
    result = run(contract, preset_mapping(key, "Europe/Amsterdam"), data)
    assert (result.created, result.updated) == (4, 0)
    first = Incident.objects.get(contract=contract, external_id=FIRST_IDS[key])
    assert first.service == "Email"
    # 09:15 in Amsterdam in March (UTC+1).
    assert first.opened_at == datetime(2026, 3, 4, 8, 15, tzinfo=UTC)
    assert first.resolved_at == datetime(2026, 3, 4, 11, 30, tzinfo=UTC)
    assert first.priority in {"P1", "P2"}
    assert Incident.objects.filter(contract=contract, resolved_at__isnull=True).count() == 1
    # The same export next month (or again) updates, never duplicates.
    again = run(contract, preset_mapping(key, "Europe/Amsterdam"), data)
    assert (again.created, again.updated) == (0, 4)


# ConnectWise times in New York: 8 March 2026 the clock jumps 02:00→03:00 (EST→EDT),
# 1 November 2026 it goes back 02:00→01:00. Hand-checked UTC instants.
@pytest.mark.parametrize(
    ("entered", "time_zone", "expected"),
    [
        ("03/04/2026 09:15 AM", "America/New_York", datetime(2026, 3, 4, 14, 15, tzinfo=UTC)),
        ("03/08/2026 01:59 AM", "America/New_York", datetime(2026, 3, 8, 6, 59, tzinfo=UTC)),
        (
            "03/08/2026 02:30 AM",
            "America/New_York",
            datetime(2026, 3, 8, 7, 0, tzinfo=UTC),
        ),  # skipped: the jump
        ("03/08/2026 03:00 AM", "America/New_York", datetime(2026, 3, 8, 7, 0, tzinfo=UTC)),
        ("11/01/2026 01:30 AM", "America/New_York", datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),  # first pass
        ("11/01/2026 02:30 AM", "America/New_York", datetime(2026, 11, 1, 7, 30, tzinfo=UTC)),
        ("03/29/2026 02:30 AM", "", datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),  # contract's zone: Amsterdam
        ("03/04/2026 09:15 AM", "UTC", datetime(2026, 3, 4, 9, 15, tzinfo=UTC)),
        ("03/04/2026 09:15 AM", "Asia/Kolkata", datetime(2026, 3, 4, 3, 45, tzinfo=UTC)),
    ],
)
def test_times_are_read_in_the_profiles_zone_across_dst(contract, entered, time_zone, expected):
    data = (
        f"Ticket #,Type,Priority,Date Entered\n1,E-mail,Priority 1 - Emergency Response,{entered}\n"
    ).encode()
    run(
        contract,
        preset_mapping("connectwise", time_zone, only=("Ticket #", "Type", "Priority", "Date Entered")),
        data,
    )
    assert Incident.objects.get(external_id="1").opened_at == expected


def test_every_bad_row_is_named_with_its_export_column_and_nothing_is_written(contract):
    data = (EXAMPLES / SAMPLES["connectwise"]).read_bytes().decode()
    data = data.replace("03/09/2026 08:05 AM", "09/03/2026 8h05")  # line 4: a day-first date
    data = data.replace("Priority 4 - Schedule Maintenance", "Priority 9 - Whenever")  # line 5
    with pytest.raises(services.ImportInvalid) as caught:
        run(contract, preset_mapping("connectwise"), data.encode())
    errors = [(error.line, error.field) for error in caught.value.errors]
    assert errors == [(4, "opened_at (Date Entered)"), (5, "priority (Priority)")]
    assert "2 of 4 rows are invalid" in caught.value.messages[0]
    assert "Priority 9 - Whenever" in caught.value.errors[1].message
    assert not Incident.objects.exists()


def test_a_mapped_column_missing_from_the_file_is_named(contract):
    with pytest.raises(services.ImportInvalid) as caught:
        run(contract, preset_mapping("connectwise"), b"Ticket #,Priority\n1,P1\n")
    assert caught.value.errors[0].line == 1
    assert "Type" in caught.value.errors[0].message and "Date Entered" in caught.value.errors[0].message


def test_a_semicolon_separated_windows_export_is_read(contract):
    text = (
        "Ticket ID;Summary;Category;Priority;Date Logged\n"
        "1042;Caf\xe9 Wi-Fi down;E-mail;1 - Critical;04/03/2026 09:15\n"
    )
    mapping = preset_mapping("halopsa", only=("Ticket ID", "Summary", "Category", "Priority", "Date Logged"))
    run(contract, mapping, text.encode("cp1252"))
    incident = Incident.objects.get(external_id="1042")
    assert incident.summary == "Café Wi-Fi down"


def test_an_xlsx_export_with_date_cells_is_read(contract):
    book = Workbook()
    sheet = book.active
    sheet.append(["Issue key", "Summary", "Priority", "Component/s", "Created", "Resolved"])
    sheet.append(
        [
            "ITSD-1",
            "Mail down",
            "Highest",
            "E-mail",
            datetime(2026, 3, 4, 9, 15),
            datetime(2026, 3, 4, 12, 30),
        ]
    )
    sheet.append([None, None, None, None, None, None])
    sheet.append(["ITSD-2", "Share", "High", "Server", "05/Mar/26 2:00 PM", None])
    buffer = io.BytesIO()
    book.save(buffer)
    result = run(contract, preset_mapping("jira", "Europe/Amsterdam"), buffer.getvalue(), name="jira.xlsx")
    assert result.created == 2
    assert Incident.objects.get(external_id="ITSD-1").opened_at == datetime(2026, 3, 4, 8, 15, tzinfo=UTC)
    assert Incident.objects.get(external_id="ITSD-2").opened_at == datetime(2026, 3, 5, 13, 0, tzinfo=UTC)


def test_a_broken_workbook_is_refused_clearly(contract):
    with pytest.raises(services.ImportInvalid, match="invalid") as caught:
        run(contract, preset_mapping("jira"), b"PK\x03\x04 not really", name="x.xlsx")
    assert "Not an XLSX workbook" in str(caught.value.errors[0])


def test_preview_shows_the_first_rows_with_their_problems_and_writes_nothing(contract):
    data = (EXAMPLES / SAMPLES["connectwise"]).read_bytes().decode().replace("Printing", "Fax")
    table = services.table_read(data=data.encode(), name="cw.csv")
    preview = services.import_preview(
        contract=contract, mapping=preset_mapping("connectwise"), table=table, limit=3
    )
    assert preview.total == 4
    assert [row.line for row in preview.rows] == [2, 3, 4]
    assert preview.rows[0].errors == []
    assert preview.rows[0].cells[:4] == ["48213", "Email", "P1", "2026-03-04T09:15"]
    assert [error.field for error in preview.rows[2].errors] == ["service (Type)"]
    assert not Incident.objects.exists()


def test_preview_of_an_incomplete_mapping_lists_what_is_missing(contract):
    table = services.table_read(data=b"A,B\n1,2\n")
    mapping = ColumnMapping(kind="incidents", columns={"external_id": "A"})
    preview = services.import_preview(contract=contract, mapping=mapping, table=table)
    assert "service, priority, opened_at" in " ".join(error.message for error in preview.problems)
    assert preview.rows[0].cells == ["1"]


def test_profiles_are_unique_per_organisation_and_kind_and_checked(tenants, contract):
    profile = services.import_profile_create(
        organisation=tenants.provider,
        user=tenants.provider_author,
        name="ConnectWise",
        mapping=preset_mapping("connectwise"),
    )
    assert profile.mapping.columns["opened_at"] == "Date Entered"
    with pytest.raises(ValidationError, match="already has a profile"):
        services.import_profile_create(
            organisation=tenants.provider, user=None, name="ConnectWise", mapping=preset_mapping("autotask")
        )
    with pytest.raises(ValidationError) as caught:
        services.import_profile_create(
            organisation=tenants.provider,
            user=None,
            name="Bad",
            mapping=ColumnMapping(
                kind="incidents", columns={"external_id": "A"}, date_format="xx", time_zone="Mars/Base"
            ),
        )
    assert set(caught.value.message_dict) == {"columns", "date_format", "time_zone"}
    assert ImportProfile.objects.count() == 1


def test_an_import_with_a_profile_stamps_its_last_use(tenants, contract):
    profile = services.import_profile_create(
        organisation=tenants.provider, user=None, name="CW", mapping=preset_mapping("connectwise")
    )
    run(contract, profile.mapping, (EXAMPLES / SAMPLES["connectwise"]).read_bytes(), profile=profile)
    profile.refresh_from_db()
    assert profile.last_used_at is not None


def test_command_imports_with_a_profile_by_name_or_id(tenants, contract, capsys):
    profile = services.import_profile_create(
        organisation=tenants.provider,
        user=None,
        name="ConnectWise tickets",
        mapping=preset_mapping("connectwise"),
    )
    path = str(EXAMPLES / SAMPLES["connectwise"])
    call_command("import_events", contract.reference, path, profile="ConnectWise tickets")
    assert "4 incidents created, 0 updated" in capsys.readouterr().out
    call_command("import_events", contract.reference, path, profile=str(profile.pk))
    assert "0 incidents created, 4 updated" in capsys.readouterr().out


def test_command_refuses_another_providers_profile_and_a_bad_export(tenants, contract, tmp_path):
    services.import_profile_create(
        organisation=tenants.outsider, user=None, name="Theirs", mapping=preset_mapping("connectwise")
    )
    with pytest.raises(CommandError, match="no import profile “Theirs”"):
        call_command(
            "import_events", contract.reference, str(EXAMPLES / SAMPLES["connectwise"]), profile="Theirs"
        )
    services.import_profile_create(
        organisation=tenants.provider, user=None, name="CW", mapping=preset_mapping("connectwise")
    )
    bad = tmp_path / "bad.csv"
    bad.write_text((EXAMPLES / SAMPLES["connectwise"]).read_text().replace("E-mail", "Fax", 1))
    with pytest.raises(CommandError, match="1 of 4 rows"):
        call_command("import_events", contract.reference, str(bad), profile="CW")
    with pytest.raises(CommandError, match="either --kind"):
        call_command("import_events", contract.reference, str(bad))
    assert not Incident.objects.exists()


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 12, 31)).map(
        lambda moment: moment.replace(second=0, microsecond=0)
    ),
    st.sampled_from(["America/New_York", "Europe/Amsterdam", "Australia/Sydney", "Asia/Kolkata", "UTC"]),
)
def test_a_mapped_time_is_the_profile_zones_wall_clock(wall, zone):
    """Whatever the format, the instant stored is the wall time on the profile zone's clock,
    by the portal's rule for skipped and repeated hours."""
    text = time_text(wall.strftime("%m/%d/%Y %I:%M %p"), "us", zone)
    assert parse_instant(text, UTC) == local_to_utc(wall, UTC if zone == "UTC" else ZoneInfo(zone))
