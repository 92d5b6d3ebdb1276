"""CSV imports of events (service and management command): all rows or none."""

from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from compliance import services
from compliance.models import Incident, IncidentPause, Outage, WorkLog
from tests.compliance.event_fixtures import incident_csv, with_terms


@pytest.fixture
def contract_with_terms(tenants):
    return with_terms(tenants)


def run(contract, text, kind="incidents"):
    return services.events_import_csv(kind=kind, contract=contract, user=None, source=text.encode())


def test_imports_rows_with_pauses_in_contract_time(contract_with_terms):
    result = run(contract_with_terms, incident_csv(3))
    assert (result.created, result.updated) == (3, 0)
    incident = Incident.objects.get(external_id="INC-1")
    assert incident.opened_at == datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    assert [(p.start.hour, p.end.hour, p.end.minute) for p in incident.pauses.all()] == [(9, 9, 30)]


def test_reimport_updates_and_does_not_duplicate(contract_with_terms):
    run(contract_with_terms, incident_csv(5))
    result = run(contract_with_terms, incident_csv(5))
    assert (result.created, result.updated) == (0, 5)
    assert Incident.objects.count() == 5
    assert IncidentPause.objects.count() == 5


def test_one_bad_row_among_1000_writes_nothing_and_names_the_row(contract_with_terms):
    text = incident_csv(1000, bad={567: {"opened_at": "yesterday"}})
    with pytest.raises(services.ImportInvalid) as caught:
        run(contract_with_terms, text)
    errors = caught.value.errors
    # Row 567 is on line 569: the header is line 1.
    assert [(e.line, e.field) for e in errors] == [(569, "opened_at")]
    assert "yesterday" in errors[0].message
    assert "1 of 1000 rows" in caught.value.messages[0]
    assert not Incident.objects.exists()


def test_every_bad_row_is_reported(contract_with_terms):
    text = incident_csv(
        10,
        bad={
            1: {"service": "Fax"},
            4: {"cause": "customer"},
            7: {"resolved_at": "2026-03-08T08:00:00"},
            8: {"external_id": "INC-2"},
        },
    )
    with pytest.raises(services.ImportInvalid) as caught:
        run(contract_with_terms, text)
    assert [(e.line, e.field) for e in caught.value.errors] == [
        (3, "service"),
        (6, "responsibility"),
        (9, "resolved_at"),
        (9, "pauses"),
        (10, "external_id"),
    ]
    assert "line 4" in caught.value.errors[-1].message


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("external_id,service,priority", "Missing column(s): opened_at"),
        ("external_id,service,priority,opened_at,colour", "Unknown column(s): colour"),
        ("external_id,service,service,priority,opened_at", "given twice: service"),
    ],
)
def test_header_is_checked(contract_with_terms, header, message):
    with pytest.raises(services.ImportInvalid) as caught:
        run(contract_with_terms, header + "\nX,Email,P1,2026-03-01T10:00\n")
    assert message in str(caught.value.errors[0])


def test_row_with_wrong_number_of_fields_is_reported(contract_with_terms):
    text = "external_id,service,priority,opened_at\nA,Email,P1\n"
    with pytest.raises(services.ImportInvalid) as caught:
        run(contract_with_terms, text)
    assert caught.value.errors[0].line == 2


def test_times_with_offset_or_zone_are_taken_as_given(contract_with_terms):
    text = (
        "external_id,service,priority,opened_at,resolved_at,pauses\n"
        "A,Email,P2,2026-07-01T10:00+02:00,2026-07-01T12:00Z,"
        "2026-07-01T10:30 Europe/London/2026-07-01T10:45Z\n"
        "B,Email,P2,2026-07-01T10:00[America/New_York],,2026-07-01T15:00Z/\n"
    )
    run(contract_with_terms, text)
    a = Incident.objects.get(external_id="A")
    assert a.opened_at == datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    assert a.pauses.get().start == datetime(2026, 7, 1, 9, 30, tzinfo=UTC)
    b = Incident.objects.get(external_id="B")
    assert b.opened_at == datetime(2026, 7, 1, 14, 0, tzinfo=UTC)
    assert b.pauses.get().end is None


def test_not_utf8_is_refused(contract_with_terms):
    with pytest.raises(services.ImportInvalid):
        services.events_import_csv(
            kind="incidents", contract=contract_with_terms, user=None, source=b"\xff\xfe\x00"
        )


def test_outages_and_worklogs_import(contract_with_terms):
    run(
        contract_with_terms,
        "external_id,service,start,end,planned\nO-1,Email,2026-03-01T02:00,2026-03-01T03:00,true\n",
        kind="outages",
    )
    run(
        contract_with_terms,
        "external_id,date,hours,person,billable\nW-1,2026-03-02,2.25,Arthur,no\n",
        kind="worklogs",
    )
    assert Outage.objects.get().planned is True
    assert str(WorkLog.objects.get().hours) == "2.25"


def test_command_imports_a_file(contract_with_terms, tmp_path, capsys):
    path = tmp_path / "incidents.csv"
    path.write_text(incident_csv(20))
    call_command("import_events", contract_with_terms.reference, str(path), kind="incidents")
    assert "20 incidents created" in capsys.readouterr().out
    assert Incident.objects.count() == 20


def test_command_exits_1_with_every_error_line_on_a_bad_file(contract_with_terms, tmp_path, capsys):
    path = tmp_path / "incidents.csv"
    path.write_text(incident_csv(20, bad={3: {"priority": "P7"}, 11: {"service": "Fax"}}))
    with pytest.raises(CommandError) as caught:
        call_command("import_events", contract_with_terms.reference, str(path), kind="incidents")
    assert caught.value.returncode == 1
    err = capsys.readouterr().err
    assert "line 5: priority" in err and "line 13: service" in err
    assert not Incident.objects.exists()


@pytest.mark.parametrize(
    ("kind", "count"),
    [("incidents", 4), ("outages", 3), ("worklogs", 3)],
    ids=["incidents", "outages", "worklogs"],
)
def test_the_documented_example_files_import_into_the_example_contract(db, kind, count):
    from io import StringIO
    from pathlib import Path

    from django.conf import settings

    from contracts.models import Contract

    examples = Path(settings.BASE_DIR) / "examples"
    call_command(
        "import_contract",
        str(examples / "contract.yaml"),
        "--create-parties",
        "--signed-outside-portal",
        "--signed-on",
        "2026-01-01",
        stdout=StringIO(),
    )
    reference = Contract.objects.get().reference
    for _ in range(2):  # importing again updates, never duplicates
        call_command(
            "import_events",
            reference,
            str(examples / "events" / f"{kind}.csv"),
            "--kind",
            kind,
            stdout=StringIO(),
        )
    model = {"incidents": Incident, "outages": Outage, "worklogs": WorkLog}[kind]
    assert model.objects.count() == count
