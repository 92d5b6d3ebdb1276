"""Source pages: provider admins add, map, pause, rotate and remove sources and read the log;
nobody else reaches them; customers see where each event came from."""

import pytest
from django.urls import reverse

from compliance.models import EventSource, SourceDelivery
from compliance.services.sources import source_create
from tests.compliance.event_fixtures import with_terms
from tests.compliance.sources.support import alert, alertmanager, post


@pytest.fixture
def contract(tenants):
    return with_terms(tenants)


@pytest.fixture
def source(tenants, contract):
    return source_create(contract=contract, user=tenants.provider_admin, kind="zammad", name="Service desk")


def _list(contract):
    return reverse("compliance:source_list", kwargs={"reference": contract.reference})


def _detail(source, action=""):
    name = f"compliance:source_{action}" if action else "compliance:source_detail"
    return reverse(name, kwargs={"reference": source.contract.reference, "source_id": source.pk})


def test_an_admin_adds_a_source_and_sees_its_url_and_secret(client_for, tenants, contract):
    client = client_for(tenants.provider_admin)
    assert client.get(_list(contract)).status_code == 200
    response = client.post(_list(contract), {"kind": "alertmanager", "name": "Prod AM"})
    source = EventSource.objects.get()
    assert response.status_code == 302
    assert response.url == _detail(source)
    page = client.get(_detail(source)).content.decode()
    assert f"/hooks/{source.token}/" in page
    assert source.secret in page
    assert "No deliveries yet" in page


def test_adding_without_a_name_shows_the_error_and_adds_nothing(client_for, tenants, contract):
    response = client_for(tenants.provider_admin).post(_list(contract), {"kind": "alertmanager", "name": ""})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not EventSource.objects.exists()


@pytest.mark.parametrize("who", ["provider_author", "provider_viewer", "customer_admin", "outsider_admin"])
def test_only_the_providers_admins_reach_source_pages(client_for, tenants, source, who):
    client = client_for(getattr(tenants, who))
    assert client.get(_list(source.contract)).status_code == 404
    assert client.get(_detail(source)).status_code == 404
    for action in ("pause", "rotate", "delete"):
        assert client.post(_detail(source, action)).status_code == 404
    assert EventSource.objects.get().paused is False


def test_another_contracts_source_is_404_under_this_contract(client_for, tenants, contract, source):
    other = source_create(
        contract=tenants.outsider_contract, user=tenants.outsider_admin, kind="tickets", name="Theirs"
    )
    client = client_for(tenants.provider_admin)
    url = reverse("compliance:source_detail", kwargs={"reference": contract.reference, "source_id": other.pk})
    assert client.get(url).status_code == 404


def test_the_mapping_is_saved_and_bad_lines_are_named(client_for, tenants, source):
    client = client_for(tenants.provider_admin)
    data = {
        "name": "Service desk",
        "rate_limit": "120",
        "services": "Users = Email\nmail",
        "default_service": "",
        "statuses": "new = open\npending reminder = waiting\nclosed = shut",
        "priorities": "2 normal = P2",
        "default_priority": "P3",
    }
    response = client.post(_detail(source), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Line 2: write it as" in body
    assert "Line 3: “shut” is not a status" in body
    source.refresh_from_db()
    assert source.rate_limit == 600

    data.update(services="Users = Email", statuses="new = open\npending reminder = waiting\nclosed = closed")
    assert client.post(_detail(source), data).status_code == 302
    source.refresh_from_db()
    assert source.rate_limit == 120
    assert source.mapping["services"] == {"Users": "Email"}
    assert source.mapping["statuses"]["pending reminder"] == "waiting"
    assert source.mapping["default_priority"] == "P3"


def test_pause_resume_rotate_and_remove(client_for, tenants, source):
    client = client_for(tenants.provider_admin)
    client.post(_detail(source, "pause"))
    source.refresh_from_db()
    assert source.paused
    client.post(_detail(source, "pause"))
    source.refresh_from_db()
    assert not source.paused
    old = source.secret
    client.post(_detail(source, "rotate"))
    source.refresh_from_db()
    assert source.secret != old
    response = client.post(_detail(source, "delete"))
    assert response.status_code == 302
    assert not EventSource.objects.exists()


def test_the_log_shows_applied_events_and_refusal_reasons(client, client_for, tenants, contract):
    source = source_create(contract=contract, user=tenants.provider_admin, kind="alertmanager", name="AM")
    post(client, source, alertmanager(alert()))
    post(client, source, alertmanager(alert(fingerprint="9999999999999999", service="Printer")))
    post(client, source, alertmanager(alert()), secret="wrong")
    assert SourceDelivery.objects.count() == 3
    page = client_for(tenants.provider_admin).get(_detail(source)).content.decode()
    assert "am-a1b2c3d4e5f60718-20260304T091500Z" in page
    assert "created" in page
    assert "“Printer”" in page
    assert "The secret is missing or wrong" in page


def test_customers_see_where_each_event_came_from(client, client_for, tenants, contract):
    source = source_create(
        contract=contract, user=tenants.provider_admin, kind="alertmanager", name="Prod AM"
    )
    post(client, source, alertmanager(alert()))
    page = client_for(tenants.customer_admin).get(
        reverse("compliance:outages", kwargs={"reference": contract.reference})
    )
    body = page.content.decode()
    assert "Prometheus Alertmanager: Prod AM" in body
    assert "compliance:source_list" not in body
    assert f"/contracts/{contract.reference}/sources/" not in body


def test_the_admin_sees_a_sources_tab_on_the_event_pages(client_for, tenants, contract):
    page = client_for(tenants.provider_admin).get(
        reverse("compliance:incidents", kwargs={"reference": contract.reference})
    )
    assert f"/contracts/{contract.reference}/sources/" in page.content.decode()
