"""Event pages: lists per period for both parties, forms and pauses for provider authors."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compliance import services
from compliance.models import Incident, IncidentPause, Outage, WorkLog
from tests.compliance.event_fixtures import incident_row, with_terms


@pytest.fixture
def contract_with_terms(tenants):
    return with_terms(tenants)


def _url(name, contract, **kwargs):
    return reverse(f"compliance:{name}", kwargs={"reference": contract.reference, **kwargs})


def _record(contract, count, author):
    services.events_upsert(
        kind="incidents", contract=contract, user=author, rows=[incident_row(n) for n in range(count)]
    )


INCIDENT_POST = {
    "external_id": "",
    "service": "Email",
    "priority": "P2",
    "opened_at": "2026-03-04T09:15",
    "first_response_at": "2026-03-04T09:45",
    "resolved_at": "",
    "cause": "provider",
    "responsibility": "",
    "summary": "Printer queue stuck",
}


def test_author_records_an_incident_in_contract_time(tenants, contract_with_terms, client_for):
    client = client_for(tenants.provider_author)
    response = client.post(_url("incident_create", contract_with_terms), INCIDENT_POST)
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response.url == _url("incident_edit", contract_with_terms, incident_id=incident.pk)
    assert incident.opened_at == datetime(2026, 3, 4, 8, 15, tzinfo=UTC)
    assert incident.external_id.startswith("portal-")
    assert incident.created_by == tenants.provider_author


def test_form_offers_the_version_services_and_says_the_time_zone(tenants, contract_with_terms, client_for):
    body = (
        client_for(tenants.provider_author).get(_url("incident_create", contract_with_terms)).content.decode()
    )
    assert '<option value="File server">' in body
    assert "Copier (out of scope)" in body
    assert "Europe/Amsterdam" in body
    assert 'value="risky_behaviour"' in body


def test_bad_incident_rerenders_with_field_errors_and_writes_nothing(
    tenants, contract_with_terms, client_for
):
    client = client_for(tenants.provider_author)
    data = {**INCIDENT_POST, "resolved_at": "2026-03-04T08:00", "cause": "customer"}
    response = client.post(_url("incident_create", contract_with_terms), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert "resolved_at" in form.errors and "responsibility" in form.errors
    assert "Printer queue stuck" in response.content.decode()
    assert not Incident.objects.exists()


def test_author_edits_an_incident_and_adds_a_pause(tenants, contract_with_terms, client_for):
    _record(contract_with_terms, 1, tenants.provider_author)
    incident = Incident.objects.get()
    client = client_for(tenants.provider_author)
    edit = _url("incident_edit", contract_with_terms, incident_id=incident.pk)
    page = client.get(edit)
    assert page.status_code == 200 and 'value="2026-03-01T09:00"' in page.content.decode()
    pause_url = _url("pause_add", contract_with_terms, incident_id=incident.pk)
    response = client.post(pause_url, {"start": "2026-03-01T11:00", "end": "2026-03-01T11:30"})
    assert response.status_code == 302
    assert incident.pauses.count() == 2
    overlapping = client.post(pause_url, {"start": "2026-03-01T11:15", "end": "2026-03-01T11:45"})
    assert overlapping.status_code == 400 and "overlap" in overlapping.content.decode()
    outside = client.post(pause_url, {"start": "2026-03-01T08:00", "end": "2026-03-01T08:30"})
    assert outside.status_code == 400
    assert incident.pauses.count() == 2
    data = {
        **INCIDENT_POST,
        "external_id": "INC-0",
        "opened_at": "2026-03-01T09:00",
        "resolved_at": "2026-03-01T12:30",
    }
    assert client.post(edit, data).status_code == 302
    incident.refresh_from_db()
    assert incident.priority == "P2" and incident.resolved_at == datetime(2026, 3, 1, 11, 30, tzinfo=UTC)


def test_edit_that_leaves_a_pause_outside_is_refused(tenants, contract_with_terms, client_for):
    _record(contract_with_terms, 1, tenants.provider_author)
    incident = Incident.objects.get()
    data = {
        **INCIDENT_POST,
        "external_id": "INC-0",
        "opened_at": "2026-03-01T09:00",
        "resolved_at": "2026-03-01T09:10",
    }
    response = client_for(tenants.provider_author).post(
        _url("incident_edit", contract_with_terms, incident_id=incident.pk), data
    )
    assert response.status_code == 400
    incident.refresh_from_db()
    assert incident.priority == "P1"


def test_author_removes_a_pause(tenants, contract_with_terms, client_for):
    _record(contract_with_terms, 1, tenants.provider_author)
    incident = Incident.objects.get()
    pause = incident.pauses.get()
    response = client_for(tenants.provider_author).post(
        _url("pause_delete", contract_with_terms, incident_id=incident.pk, pause_id=pause.pk)
    )
    assert response.status_code == 302
    assert not IncidentPause.objects.exists()


def test_outage_and_worklog_forms(tenants, contract_with_terms, client_for):
    client = client_for(tenants.provider_author)
    outage = {
        "service": "Email",
        "start": "2026-03-05T22:00",
        "end": "",
        "cause": "third_party",
        "planned": "on",
    }
    assert client.post(_url("outage_create", contract_with_terms), outage).status_code == 302
    assert Outage.objects.get().planned is True
    bad = {**outage, "end": "2026-03-05T21:00"}
    assert client.post(_url("outage_create", contract_with_terms), bad).status_code == 400
    log = {"date": "2026-03-05", "hours": "1.25", "person": "Arthur", "description": "Patching"}
    assert client.post(_url("worklog_create", contract_with_terms), log).status_code == 302
    worklog = WorkLog.objects.get()
    edit = _url("worklog_edit", contract_with_terms, worklog_id=worklog.pk)
    assert client.post(edit, {**log, "external_id": worklog.external_id, "hours": "2"}).status_code == 302
    worklog.refresh_from_db()
    assert str(worklog.hours) == "2.00"


@pytest.mark.parametrize("kind", ["incidents", "outages", "worklogs"])
def test_customer_reads_lists_but_cannot_author(tenants, contract_with_terms, client_for, kind):
    _record(contract_with_terms, 2, tenants.provider_author)
    client = client_for(tenants.customer_admin)
    response = client.get(_url(kind, contract_with_terms))
    assert response.status_code == 200
    assert "Record" not in response.content.decode()
    singular = kind[:-1]
    assert client.get(_url(f"{singular}_create", contract_with_terms)).status_code == 404
    assert client.post(_url(f"{singular}_import", contract_with_terms)).status_code == 404


def test_viewer_and_customer_cannot_edit_or_add_pauses(tenants, contract_with_terms, client_for):
    _record(contract_with_terms, 1, tenants.provider_author)
    incident = Incident.objects.get()
    for user in (tenants.provider_viewer, tenants.customer_admin):
        client = client_for(user)
        assert (
            client.get(_url("incident_edit", contract_with_terms, incident_id=incident.pk)).status_code == 404
        )
        pause = {"start": "2026-03-01T11:00"}
        assert (
            client.post(_url("pause_add", contract_with_terms, incident_id=incident.pk), pause).status_code
            == 404
        )
    assert incident.pauses.count() == 1


def test_outsider_gets_404(tenants, contract_with_terms, client_for):
    client = client_for(tenants.outsider_admin)
    assert client.get(_url("incidents", contract_with_terms)).status_code == 404
    assert client.post(_url("incident_create", contract_with_terms), INCIDENT_POST).status_code == 404
    assert not Incident.objects.exists()


def test_list_filters_by_month_in_contract_time(tenants, contract_with_terms, client_for):
    rows = [
        incident_row(
            1, external_id="MAR", opened_at="2026-03-31T23:30", first_response_at=None, resolved_at=None
        ),
        incident_row(
            2, external_id="APR", opened_at="2026-04-01T00:30", first_response_at=None, resolved_at=None
        ),
    ]
    for row in rows:
        row["pauses"] = []
    services.events_upsert(kind="incidents", contract=contract_with_terms, user=None, rows=rows)
    client = client_for(tenants.customer_admin)
    march = client.get(_url("incidents", contract_with_terms), {"period": "2026-03"}).content.decode()
    assert ">MAR<" in march and ">APR<" not in march
    assert client.get(_url("incidents", contract_with_terms), {"period": "13-2026"}).status_code == 400


@pytest.mark.parametrize("kind", ["incidents", "outages", "worklogs"])
def test_list_query_count_is_constant(
    tenants, contract_with_terms, client_for, django_assert_max_num_queries, kind
):
    client = client_for(tenants.provider_author)

    def fill(count):
        rows = {
            "incidents": [incident_row(n) for n in range(count)],
            "outages": [
                {"external_id": f"O-{n}", "service": "Email", "start": f"2026-03-0{1 + n % 9}T01:00"}
                for n in range(count)
            ],
            "worklogs": [
                {"external_id": f"W-{n}", "date": "2026-03-02", "hours": "1", "person": "Arthur"}
                for n in range(count)
            ],
        }[kind]
        services.events_upsert(kind=kind, contract=contract_with_terms, user=None, rows=rows)

    # Two of them load the filters' choices (the events' services, the contract's sources),
    # one counts the unread notifications of the navigation, one reads the data's token.
    fill(5)
    with django_assert_max_num_queries(12):
        assert client.get(_url(kind, contract_with_terms), {"period": "2026-03"}).status_code == 200
    fill(50)
    with django_assert_max_num_queries(12):
        response = client.get(_url(kind, contract_with_terms), {"period": "2026-03"})
    assert response.context["page"].paginator.count == 50


@pytest.mark.parametrize("kind", ["incidents", "outages", "worklogs"])
def test_later_pages_of_a_large_month_take_as_many_queries_as_the_first(
    tenants, contract_with_terms, client_for, django_assert_num_queries, kind
):
    rows = {
        "incidents": [incident_row(n) for n in range(230)],
        "outages": [
            {"external_id": f"O-{n}", "service": "Email", "start": f"2026-03-{1 + n % 28:02d}T01:00"}
            for n in range(230)
        ],
        "worklogs": [
            {"external_id": f"W-{n}", "date": f"2026-03-{1 + n % 28:02d}", "hours": "1", "person": "Arthur"}
            for n in range(230)
        ],
    }[kind]
    services.events_upsert(kind=kind, contract=contract_with_terms, user=None, rows=rows)
    client = client_for(tenants.provider_author)
    url = _url(kind, contract_with_terms)
    client.get(url)  # the session and the person are read once, then kept while nothing changes
    with CaptureQueriesContext(connection) as first:
        response = client.get(url, {"period": "2026-03"})
    assert response.context["page"].paginator.num_pages == 5
    shown = set()
    for page in range(1, 6):
        with django_assert_num_queries(len(first)):
            response = client.get(url, {"period": "2026-03", "page": page})
        shown |= {event.external_id for event in response.context["page"]}
    assert len(shown) == 230
