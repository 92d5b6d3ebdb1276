"""The live test on a provider-wide source's page: a pasted delivery goes through the routes,
each event is shown with its contract, an unrouted alert refuses it all; nothing is written,
and only the organisation's admins reach it."""

import json

import pytest
from django.urls import reverse

from compliance.models import Outage, SourceDelivery
from compliance.services.source_routes import route_save, shared_source_create
from contracts.models import AuditEvent
from tests.compliance.event_fixtures import with_terms
from tests.compliance.sources.support import alert, alertmanager

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def source(tenants):
    contract = with_terms(tenants)
    source = shared_source_create(
        organisation=tenants.provider,
        user=tenants.provider_admin,
        kind="alertmanager",
        name="Central AM",
        route_field="customer",
    )
    route_save(source=source, match_value="harbour", contract=contract, services={"mail-prod": "Email"})
    return source


def _url(source, page="test"):
    kwargs = {"slug": source.organisation.slug, "shared_source_id": source.pk}
    return reverse(f"compliance:shared_source_{page}", kwargs=kwargs)


def _written():
    return Outage.objects.count(), SourceDelivery.objects.count(), AuditEvent.objects.count()


def _trial(client, source, payload, **headers):
    return client.post(_url(source), {"payload": json.dumps(payload)}, **headers)


def test_a_routed_alert_shows_the_outage_in_its_contract_and_writes_nothing(client_for, tenants, source):
    client = client_for(tenants.provider_admin)
    page = client.get(_url(source, "detail")).content.decode()
    assert "Test a payload" in page and f'hx-post="{_url(source)}"' in page
    before = _written()
    response = _trial(client, source, alertmanager(alert(customer="harbour", service="mail-prod")), **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and "Would be applied. Nothing was written." in body
    assert "would be created" in body
    assert f'<dt class="col-sm-4">Contract</dt><dd class="col-sm-8">{tenants.contract.reference}</dd>' in body
    # 09:15 UTC on 4 March is 10:15 on the contract's clock (Amsterdam, winter time).
    assert "Start (Europe/Amsterdam)" in body and "2026-03-04 10:15:00" in body
    assert _written() == before


def test_an_unrouted_alert_would_refuse_the_whole_delivery(client_for, tenants, source):
    client = client_for(tenants.provider_admin)
    delivery = alertmanager(
        alert(customer="harbour", service="mail-prod"), alert("f00d", customer="lighthouse")
    )
    before = _written()
    body = _trial(client, source, delivery, **HTMX).content.decode()
    assert "Would be refused (400):" in body and "“lighthouse”" in body and "matches no contract" in body
    # Without JavaScript the whole page answers, 400, with the pasted payload kept.
    response = _trial(client, source, delivery)
    assert response.status_code == 400 and "<html" in response.content.decode()
    assert "lighthouse" in response.content.decode()
    assert _written() == before


@pytest.mark.parametrize("who", ["provider_author", "customer_admin", "outsider_admin"])
def test_only_the_organisations_admins_can_test(client_for, tenants, source, who):
    response = _trial(client_for(getattr(tenants, who)), source, alertmanager(alert(customer="harbour")))
    assert response.status_code == 404
