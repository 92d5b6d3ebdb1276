"""The live test on a source's page: paste a payload, see what it would do or why it would be
refused; nothing is written, nothing is logged; only the provider's admins reach it."""

import json

import pytest
from django.urls import reverse

from compliance.models import Incident, Outage, SourceDelivery, TicketStatusChange
from compliance.services.sources import source_create, source_update
from contracts.models import AuditEvent
from tests.compliance.event_fixtures import with_terms
from tests.compliance.sources.support import alert, alertmanager, generic_ticket, post, zabbix

SAMPLE = {
    "id": "chk-42",
    "state": "resolved",
    "start": "2026-03-04T09:15:00+01:00",
    "end": "2026-03-04T10:00:00+01:00",
    "service": "Email",
    "planned": True,
    "summary": "SMTP check failing",
}
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def source(tenants):
    contract = with_terms(tenants)
    return source_create(contract=contract, user=tenants.provider_admin, kind="json", name="Status checker")


def _url(source):
    return reverse(
        "compliance:source_test", kwargs={"reference": source.contract.reference, "source_id": source.pk}
    )


def _written():
    return (
        Outage.objects.count(),
        Incident.objects.count(),
        SourceDelivery.objects.count(),
        TicketStatusChange.objects.count(),
        AuditEvent.objects.count(),
    )


def _trial(client, source, payload, **headers):
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return client.post(_url(source), {"payload": text}, **headers)


def test_the_page_offers_the_test_with_htmx(client_for, tenants, source):
    detail = reverse(
        "compliance:source_detail", kwargs={"reference": source.contract.reference, "source_id": source.pk}
    )
    page = client_for(tenants.provider_admin).get(detail).content.decode()
    assert "Test a payload" in page
    assert f'hx-post="{_url(source)}"' in page


def test_a_good_payload_shows_the_event_it_would_make_and_writes_nothing(client_for, tenants, source):
    before = _written()
    response = _trial(client_for(tenants.provider_admin), source, SAMPLE, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<div id="source-trial">' in body and "<html" not in body  # the panel alone
    assert "Would be applied. Nothing was written." in body
    assert "<code>json-chk-42</code>, would be created" in body
    assert "2026-03-04 09:15:00" in body and "2026-03-04 10:00:00" in body  # the contract's clock
    assert "yes (maintenance)" in body
    assert "SMTP check failing" in body
    assert _written() == before


def test_an_existing_event_would_be_updated_or_left_unchanged(client, client_for, tenants, source):
    post(client, source, {**SAMPLE, "state": "open", "end": None})
    admin = client_for(tenants.provider_admin)
    assert "would be updated" in _trial(admin, source, SAMPLE, **HTMX).content.decode()
    assert Outage.objects.get().end is None
    post(client, source, SAMPLE)
    assert "unchanged" in _trial(admin, source, SAMPLE, **HTMX).content.decode()


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ("{not json", "The body is not JSON: Expecting property name enclosed in double quotes"),
        ({**SAMPLE, "state": "flapping"}, "The state at state is “flapping”, which means neither open"),
        ({**SAMPLE, "service": "Printer"}, "“Printer”, which maps to no service"),
        ({**SAMPLE, "end": "2026-03-04T08:00:00+01:00"}, "The event ends (end) before it starts (start)."),
    ],
)
def test_a_bad_payload_shows_the_exact_reason_and_writes_nothing(
    client_for, tenants, source, payload, reason
):
    before = _written()
    response = _trial(client_for(tenants.provider_admin), source, payload, **HTMX)
    assert response.status_code == 200  # htmx shows the panel
    body = response.content.decode()
    assert "Would be refused (400):" in body
    assert reason in body
    assert _written() == before


def test_without_javascript_the_whole_page_answers_400_for_a_refusal(client_for, tenants, source):
    client = client_for(tenants.provider_admin)
    response = _trial(client, source, {**SAMPLE, "state": "flapping"})
    assert response.status_code == 400
    assert "Would be refused" in response.content.decode()
    assert "<html" in response.content.decode()
    assert _trial(client, source, SAMPLE).status_code == 200
    response = client.post(_url(source), {"payload": ""})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_a_paused_source_can_still_be_tested(client_for, tenants, source):
    source.paused = True
    source.save()
    body = _trial(client_for(tenants.provider_admin), source, SAMPLE, **HTMX).content.decode()
    assert "would be created" in body


@pytest.mark.parametrize(
    ("kind", "payload", "shown"),
    [
        ("alertmanager", alertmanager(alert()), "would be created"),
        ("zabbix", zabbix(), "<code>zbx-7001</code>, would be created"),
        ("tickets", generic_ticket(status="waiting"), "Incident <code>T-1</code>, would be created"),
    ],
)
def test_every_kind_of_source_can_be_tested(client_for, tenants, source, kind, payload, shown):
    other = source_create(contract=source.contract, user=tenants.provider_admin, kind=kind, name=kind)
    before = _written()
    body = _trial(client_for(tenants.provider_admin), other, payload, **HTMX).content.decode()
    assert shown in body
    assert _written() == before


def test_the_test_reads_the_saved_mapping(client_for, tenants, source):
    source_update(
        source=source,
        name=source.name,
        rate_limit=600,
        mapping={
            **source.mapping,
            "state_path": "status",
            "open_values": ["firing"],
            "resolved_values": ["ok"],
        },
    )
    body = _trial(client_for(tenants.provider_admin), source, {**SAMPLE, "status": "firing"}, **HTMX)
    assert "still open" in body.content.decode()


@pytest.mark.parametrize("who", ["provider_author", "provider_viewer", "customer_admin", "outsider_admin"])
def test_only_the_providers_admins_reach_the_test(client_for, tenants, source, who):
    response = _trial(client_for(getattr(tenants, who)), source, SAMPLE, **HTMX)
    assert response.status_code == 404


def test_another_tenants_source_is_404(client_for, tenants, source):
    theirs = source_create(
        contract=tenants.outsider_contract, user=tenants.outsider_admin, kind="json", name="Theirs"
    )
    client = client_for(tenants.provider_admin)
    under_mine = reverse(
        "compliance:source_test", kwargs={"reference": source.contract.reference, "source_id": theirs.pk}
    )
    assert client.post(under_mine, {"payload": json.dumps(SAMPLE)}).status_code == 404
    assert _trial(client, theirs, SAMPLE).status_code == 404


def test_a_get_is_not_allowed(client_for, tenants, source):
    assert client_for(tenants.provider_admin).get(_url(source)).status_code == 405
