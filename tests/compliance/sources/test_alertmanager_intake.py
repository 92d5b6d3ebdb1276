"""Alertmanager deliveries: firing opens an outage, resolved ends it, repeats change nothing."""

from datetime import UTC, datetime

import pytest

from compliance.models import Outage, SourceDelivery
from compliance.services.sources import source_create
from tests.compliance.event_fixtures import with_terms
from tests.compliance.sources.support import alert, alertmanager, post

START = datetime(2026, 3, 4, 9, 15, 0, 123456, tzinfo=UTC)
END = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def source(tenants):
    contract = with_terms(tenants)
    return source_create(contract=contract, user=tenants.provider_admin, kind="alertmanager", name="Prod AM")


def test_firing_opens_an_outage_at_its_start_and_resolved_ends_it(client, source):
    response = post(client, source, alertmanager(alert()))
    assert response.status_code == 200
    assert response.json() == {"status": "applied", "created": 1}
    outage = Outage.objects.get(contract=source.contract)
    assert (outage.service, outage.start, outage.end, outage.planned) == ("Email", START, None, False)
    assert outage.source == source
    assert outage.summary == "Email is down"

    response = post(client, source, alertmanager(alert(status="resolved", ends="2026-03-04T10:00:00Z")))
    assert response.json() == {"status": "applied", "updated": 1}
    outage.refresh_from_db()
    assert outage.end == END


@pytest.mark.parametrize(
    "deliveries",
    [
        ["firing", "firing", "resolved", "resolved"],  # repeats
        ["resolved", "firing"],  # resolved notice first, a late firing one after
        ["resolved", "resolved", "firing", "firing"],
        ["firing", "resolved", "firing"],
    ],
)
def test_any_order_and_repeat_makes_one_outage_with_its_end(client, source, deliveries):
    for status in deliveries:
        ends = "2026-03-04T10:00:00Z" if status == "resolved" else "2026-03-04T09:20:00Z"
        assert post(client, source, alertmanager(alert(status=status, ends=ends))).status_code == 200
    outage = Outage.objects.get(contract=source.contract)
    assert (outage.start, outage.end) == (START, END)


def test_grouped_alerts_each_open_their_own_outage_once(client, source):
    grouped = alertmanager(
        alert(fingerprint="1111111111111111"),
        alert(fingerprint="2222222222222222", service="File server"),
        alert(fingerprint="1111111111111111"),  # the same alert twice in the group
    )
    assert post(client, source, grouped).json() == {"status": "applied", "created": 2}
    assert post(client, source, grouped).json() == {"status": "applied", "unchanged": 2}
    assert sorted(Outage.objects.values_list("service", flat=True)) == ["Email", "File server"]


def test_a_new_start_of_the_same_alert_is_a_new_outage(client, source):
    post(client, source, alertmanager(alert()))
    post(client, source, alertmanager(alert(starts="2026-03-05T01:00:00Z")))
    assert Outage.objects.count() == 2


def test_the_maintenance_label_marks_a_planned_outage(client, source):
    source.mapping["maintenance_label"] = "sla_maintenance"
    source.save()
    post(client, source, alertmanager(alert(sla_maintenance="true")))
    post(client, source, alertmanager(alert(fingerprint="3333333333333333", maintenance="true")))
    planned = dict(Outage.objects.values_list("external_id", "planned"))
    assert sorted(planned.values()) == [False, True]


def test_labels_map_to_the_contracts_services(client, source):
    source.mapping["services"] = {"mail": "Email"}
    source.save()
    post(client, source, alertmanager(alert(service="mail")))
    assert Outage.objects.get().service == "Email"


def test_an_unmapped_service_refuses_the_whole_payload_and_writes_nothing(client, source):
    payload = alertmanager(alert(), alert(fingerprint="4444444444444444", service="Printer"))
    response = post(client, source, payload)
    assert response.status_code == 400
    assert "“Printer”" in response.json()["reason"]
    assert Outage.objects.count() == 0
    delivery = SourceDelivery.objects.get()
    assert (delivery.outcome, delivery.status_code) == ("refused", 400)
    assert "Printer" in delivery.reason


def test_a_default_service_takes_alerts_without_a_mapped_label(client, source):
    source.mapping["default_service"] = "File server"
    source.save()
    post(client, source, alertmanager(alert(service="Printer")))
    assert Outage.objects.get().service == "File server"


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({"version": "4"}, "no “alerts” list"),
        (alertmanager(alert(status="pending")), "status 'pending'"),
        (alertmanager(alert(starts="yesterday")), "not a date and time"),
        (alertmanager(alert(status="resolved")), "no endsAt"),
        (alertmanager({**alert(), "fingerprint": ""}), "no fingerprint"),
        ([1, 2], "not a JSON object"),
    ],
)
def test_bad_payloads_answer_400_with_the_reason(client, source, payload, reason):
    response = post(client, source, payload)
    assert response.status_code == 400
    assert reason in response.json()["reason"]
    assert Outage.objects.count() == 0


def test_the_delivery_log_names_the_events_each_delivery_touched(client, source):
    post(client, source, alertmanager(alert()))
    post(client, source, alertmanager(alert()))
    first, second = SourceDelivery.objects.order_by("id")
    assert first.outcome == "applied"
    external_id = Outage.objects.get().external_id
    assert first.events == [{"kind": "outages", "external_id": external_id, "change": "created"}]
    assert second.counts == {"unchanged": 1}
    assert '"fingerprint"' in first.payload


def test_grafana_alerting_webhooks_open_and_end_outages(client, tenants):
    """Grafana's webhook contact point sends Alertmanager's shape, with its own fields added."""
    contract = with_terms(tenants)
    source = source_create(contract=contract, user=tenants.provider_admin, kind="grafana", name="Grafana")
    firing = {
        **alertmanager(alert(fingerprint="c0ffee00c0ffee00")),
        "orgId": 1,
        "title": "[FIRING:1] EmailDown",
        "state": "alerting",
        "message": "Email is down",
    }
    assert post(client, source, firing).status_code == 200
    resolved = {**firing, "status": "resolved", "state": "ok"}
    ended = alert(fingerprint="c0ffee00c0ffee00", status="resolved", ends="2026-03-04T10:00:00Z")
    resolved["alerts"] = [ended]
    assert post(client, source, resolved).json() == {"status": "applied", "updated": 1}
    outage = Outage.objects.get(contract=contract)
    assert outage.external_id.startswith("gf-c0ffee00c0ffee00-")
    assert (outage.start, outage.end) == (START, END)
