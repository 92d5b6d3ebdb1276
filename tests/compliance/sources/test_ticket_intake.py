"""Ticket deliveries: statuses build the incident's pauses, resolution and reopening."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from compliance.engine.calendars import business_duration
from compliance.models import Incident
from compliance.selectors.contract_terms import business_calendar
from compliance.services.sources import source_create
from contracts.models import Calendar
from tests.compliance.event_fixtures import with_terms
from tests.compliance.sources.support import generic_ticket, jira, post, zammad


def utc(day, hour, minute=0):
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def contract(tenants):
    return with_terms(tenants)


def _source(tenants, contract, kind):
    return source_create(contract=contract, user=tenants.provider_admin, kind=kind, name=f"{kind} desk")


def test_a_waiting_status_pauses_the_clock_until_the_next_status(client, tenants, contract):
    source = _source(tenants, contract, "tickets")
    # Wednesday 4 March 2026, Amsterdam (UTC+1): opened 09:00, waiting 10:00–11:30, resolved 13:00.
    for status, at in [("open", "09:00"), ("waiting", "10:00"), ("open", "11:30"), ("resolved", "13:00")]:
        response = post(client, source, generic_ticket(status=status, changed=f"2026-03-04T{at}:00+01:00"))
        assert response.status_code == 200, response.json()
    incident = Incident.objects.get(contract=contract, external_id="T-1")
    assert incident.opened_at == utc(4, 8)
    assert incident.resolved_at == utc(4, 12)
    assert [(p.start, p.end) for p in incident.pauses.all()] == [(utc(4, 9), utc(4, 10, 30))]
    assert incident.source == source


def test_the_pauses_count_in_business_minutes(client, tenants, contract):
    """Hand-checked: opened Fri 6 March 16:00 Amsterdam, waiting on the customer from 16:30 to
    Mon 9 March 10:00, resolved Mon 11:00. Business hours Mon–Fri 09:00–17:00: the whole stretch
    holds 60 (Fri) + 120 (Mon) = 180 business minutes; the pause holds 30 (Fri) + 60 (Mon) = 90;
    the clock ran 90 business minutes."""
    source = _source(tenants, contract, "tickets")
    created = "2026-03-06T16:00:00+01:00"
    for status, at in [
        ("open", "2026-03-06T16:00:00+01:00"),
        ("waiting", "2026-03-06T16:30:00+01:00"),
        ("open", "2026-03-09T10:00:00+01:00"),
        ("resolved", "2026-03-09T11:00:00+01:00"),
    ]:
        payload = generic_ticket(status=status, changed=at, created=created)
        assert post(client, source, payload).status_code == 200
    incident = Incident.objects.get(external_id="T-1")
    row = Calendar.objects.get(version__contract=contract, name="Business hours")
    calendar = business_calendar(row, ZoneInfo("Europe/Amsterdam"), [2026])
    pauses = [(p.start, p.end) for p in incident.pauses.all()]
    whole = business_duration(calendar, incident.opened_at, incident.resolved_at)
    running = business_duration(calendar, incident.opened_at, incident.resolved_at, pauses=pauses)
    assert whole.total_seconds() / 60 == 180
    assert running.total_seconds() / 60 == 90


def test_deliveries_out_of_order_and_repeated_build_the_same_history(client, tenants, contract):
    source = _source(tenants, contract, "tickets")
    changes = [("resolved", "13:00"), ("waiting", "10:00"), ("open", "11:30"), ("waiting", "10:00")]
    for status, at in changes:
        post(client, source, generic_ticket(status=status, changed=f"2026-03-04T{at}:00+01:00"))
    incident = Incident.objects.get()
    assert incident.resolved_at == utc(4, 12)
    assert [(p.start, p.end) for p in incident.pauses.all()] == [(utc(4, 9), utc(4, 10, 30))]
    replay = post(client, source, generic_ticket(status="resolved", changed="2026-03-04T13:00:00+01:00"))
    assert replay.json() == {"status": "applied", "unchanged": 1}


def test_a_reopened_ticket_reopens_the_incident(client, tenants, contract):
    source = _source(tenants, contract, "tickets")
    post(client, source, generic_ticket(status="resolved", changed="2026-03-04T12:00:00+01:00"))
    assert Incident.objects.get().resolved_at == utc(4, 11)
    post(client, source, generic_ticket(status="open", changed="2026-03-04T15:00:00+01:00"))
    incident = Incident.objects.get()
    assert (incident.resolved_at, incident.reopened) == (None, True)
    post(client, source, generic_ticket(status="closed", changed="2026-03-04T16:00:00+01:00"))
    incident.refresh_from_db()
    assert (incident.resolved_at, incident.reopened) == (utc(4, 15), True)


def test_closing_a_resolved_ticket_keeps_its_resolution_time(client, tenants, contract):
    source = _source(tenants, contract, "tickets")
    post(client, source, generic_ticket(status="resolved", changed="2026-03-04T12:00:00+01:00"))
    post(client, source, generic_ticket(status="closed", changed="2026-03-06T12:00:00+01:00"))
    assert Incident.objects.get().resolved_at == utc(4, 11)


def test_an_unmapped_status_or_priority_refuses_the_delivery(client, tenants, contract):
    source = _source(tenants, contract, "tickets")
    response = post(client, source, generic_ticket(status="parked"))
    assert response.status_code == 400
    assert "“parked”" in response.json()["reason"]
    response = post(client, source, generic_ticket(priority="urgent"))
    assert response.status_code == 400
    assert "“urgent”" in response.json()["reason"]
    assert not Incident.objects.exists()


def test_zammad_pending_reminder_waits_and_the_group_is_the_service(client, tenants, contract):
    source = _source(tenants, contract, "zammad")
    assert post(client, source, zammad(state="new"), sign="sha1").status_code == 200
    post(client, source, zammad(state="pending reminder", updated="2026-03-04T09:00:00.000Z"), sign="sha1")
    post(client, source, zammad(state="open", updated="2026-03-04T10:00:00.000Z"), sign="sha1")
    post(client, source, zammad(state="closed", updated="2026-03-04T11:00:00.000Z"), sign="sha1")
    incident = Incident.objects.get(external_id="31001")
    assert (incident.service, incident.priority, incident.summary) == ("Email", "P2", "Mailbox full")
    assert incident.resolved_at == utc(4, 11)
    assert [(p.start, p.end) for p in incident.pauses.all()] == [(utc(4, 9), utc(4, 10))]


def test_jira_waiting_for_customer_pauses_and_components_name_the_service(client, tenants, contract):
    source = _source(tenants, contract, "jira")
    hour = 3_600_000
    opened = 1772611200000  # 2026-03-04T08:00:00Z
    steps = [("Waiting for support", 0), ("Waiting for customer", 1), ("In Progress", 2), ("Resolved", 3)]
    for status, offset in steps:
        payload = jira(status=status, timestamp=opened + offset * hour)
        assert post(client, source, payload, sign="sha256").status_code == 200
    incident = Incident.objects.get(external_id="SD-12")
    assert (incident.service, incident.priority) == ("Email", "P2")
    assert incident.opened_at == utc(4, 8)
    assert incident.resolved_at == utc(4, 11)
    assert [(p.start, p.end) for p in incident.pauses.all()] == [(utc(4, 9), utc(4, 10))]
