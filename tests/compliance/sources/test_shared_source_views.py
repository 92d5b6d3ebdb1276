"""Provider-wide source pages: the provider's admins add a source and route values to their
own contracts; another tenant's contract cannot be chosen and its sources answer 404."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from compliance.models import EventSource, SourceRoute
from compliance.services.source_routes import route_save, shared_source_create
from tests.compliance.event_fixtures import with_terms
from tests.compliance.sources.support import alert, alertmanager, post


@pytest.fixture
def contract(tenants):
    return with_terms(tenants)


@pytest.fixture
def source(tenants, contract):
    return shared_source_create(
        organisation=tenants.provider, user=tenants.provider_admin, kind="alertmanager", name="Central AM"
    )


def _list(organisation):
    return reverse("compliance:shared_source_list", kwargs={"slug": organisation.slug})


def _detail(source, action=""):
    name = f"compliance:shared_source_{action}" if action else "compliance:shared_source_detail"
    return reverse(name, kwargs={"slug": source.organisation.slug, "shared_source_id": source.pk})


def test_an_admin_adds_a_source_routes_a_contract_and_reads_the_log(client_for, tenants, contract):
    client = client_for(tenants.provider_admin)
    assert "Brightline Managed IT event sources" in client.get("/").content.decode()
    assert client.get(_list(tenants.provider)).status_code == 200
    response = client.post(
        _list(tenants.provider), {"kind": "alertmanager", "name": "Central AM", "route_field": "customer"}
    )
    source = EventSource.objects.get()
    assert response.status_code == 302 and response.url == _detail(source)
    assert (source.organisation, source.contract) == (tenants.provider, None)
    assert source.mapping["route_field"] == "customer"

    response = client.post(
        _detail(source),
        {"match_value": "harbour", "contract": contract.pk, "services": "mail-prod = Email"},
    )
    assert response.status_code == 302
    route = SourceRoute.objects.get()
    assert (route.contract, route.mapping["services"]) == (contract, {"mail-prod": "Email"})

    post(client, source, alertmanager(alert(customer="nobody")))
    page = client.get(_detail(source)).content.decode()
    assert f"/hooks/{source.token}/" in page and source.secret in page
    assert "harbour" in page and contract.reference in page
    assert "“nobody”" in page and "matches no contract" in page

    sources_tab = client.get(reverse("compliance:source_list", kwargs={"reference": contract.reference}))
    assert "Central AM" in sources_tab.content.decode()


def test_another_tenants_contract_cannot_be_routed(client_for, tenants, source):
    response = client_for(tenants.provider_admin).post(
        _detail(source), {"match_value": "theirs", "contract": tenants.outsider_contract.pk}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not SourceRoute.objects.exists()


def test_the_service_refuses_a_contract_of_another_provider(tenants, source):
    with pytest.raises(ValidationError) as caught:
        route_save(source=source, match_value="theirs", contract=tenants.outsider_contract)
    assert "contract" in caught.value.message_dict
    assert not SourceRoute.objects.exists()


def test_a_service_not_of_the_contract_is_a_field_error(client_for, tenants, source, contract):
    response = client_for(tenants.provider_admin).post(
        _detail(source), {"match_value": "harbour", "contract": contract.pk, "services": "x = Coffee"}
    )
    assert response.status_code == 400
    assert "Not a service of" in response.content.decode()
    assert not SourceRoute.objects.exists()


@pytest.mark.parametrize("who", ["provider_author", "provider_viewer", "customer_admin", "outsider_admin"])
def test_only_the_providers_admins_reach_provider_wide_sources(client_for, tenants, source, who):
    route = route_save(source=source, match_value="harbour", contract=tenants.contract)
    client = client_for(getattr(tenants, who))
    assert client.get(_list(tenants.provider)).status_code == 404
    assert client.get(_detail(source)).status_code == 404
    for action in ("pause", "rotate", "delete", "settings"):
        assert client.post(_detail(source, action)).status_code == 404
    delete_route = reverse(
        "compliance:shared_source_route_delete",
        kwargs={"slug": tenants.provider.slug, "shared_source_id": source.pk, "route_id": route.pk},
    )
    assert client.post(delete_route).status_code == 404
    assert EventSource.objects.get().paused is False and SourceRoute.objects.exists()
    assert EventSource.objects.get().name == "Central AM"


def test_an_admin_renames_the_source_and_changes_its_route_field(client_for, tenants, source):
    client = client_for(tenants.provider_admin)
    page = client.get(_detail(source)).content.decode()
    assert 'value="Central AM"' in page and 'value="contract"' in page
    assert f'action="{_detail(source, "settings")}"' in page
    token, secret = source.token, source.secret
    response = client.post(
        _detail(source, "settings"),
        {"name": "Central Alertmanager", "route_field": "customer", "rate_limit": 120},
    )
    assert response.status_code == 302 and response.url == _detail(source)
    source.refresh_from_db()
    assert (source.name, source.mapping["route_field"], source.rate_limit) == (
        "Central Alertmanager",
        "customer",
        120,
    )
    assert (source.token, source.secret) == (token, secret)
    assert "Settings of “Central Alertmanager” saved." in client.get(_detail(source)).content.decode()


def test_bad_settings_are_field_errors_and_change_nothing(client_for, tenants, source):
    client = client_for(tenants.provider_admin)
    response = client.post(
        _detail(source, "settings"), {"name": "Typed name", "route_field": "", "rate_limit": 0}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Typed name"' in page  # what was typed stays in the form
    assert "This field is required." in page and "greater than or equal to 1" in page
    source.refresh_from_db()
    assert (source.name, source.mapping["route_field"], source.rate_limit) == ("Central AM", "contract", 600)


def test_another_tenants_source_is_404_under_this_organisation(client_for, tenants, source):
    theirs = shared_source_create(
        organisation=tenants.outsider, user=tenants.outsider_admin, kind="zammad", name="Theirs"
    )
    client = client_for(tenants.provider_admin)
    kwargs = {"slug": tenants.provider.slug, "shared_source_id": theirs.pk}
    url = reverse("compliance:shared_source_detail", kwargs=kwargs)
    assert client.get(url).status_code == 404
    assert client.get(_detail(theirs)).status_code == 404
    settings_url = reverse("compliance:shared_source_settings", kwargs=kwargs)
    assert (
        client.post(settings_url, {"name": "Mine now", "route_field": "x", "rate_limit": 5}).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert theirs.name == "Theirs"


def test_pause_rotate_remove_route_and_source(client_for, tenants, source):
    route = route_save(source=source, match_value="harbour", contract=tenants.contract)
    client = client_for(tenants.provider_admin)
    secret = source.secret
    assert client.post(_detail(source, "pause")).status_code == 302
    assert client.post(_detail(source, "rotate")).status_code == 302
    source.refresh_from_db()
    assert source.paused and source.secret != secret
    delete_route = reverse(
        "compliance:shared_source_route_delete",
        kwargs={"slug": tenants.provider.slug, "shared_source_id": source.pk, "route_id": route.pk},
    )
    assert client.post(delete_route).status_code == 302
    assert not SourceRoute.objects.exists()
    assert client.post(_detail(source, "delete")).url == _list(tenants.provider)
    assert not EventSource.objects.exists()


def test_the_list_page_has_constant_queries(client_for, tenants, source, django_assert_max_num_queries):
    for number in range(5):
        shared_source_create(organisation=tenants.provider, user=None, kind="zammad", name=f"Desk {number}")
    client = client_for(tenants.provider_admin)
    with django_assert_max_num_queries(12):
        assert client.get(_list(tenants.provider)).status_code == 200
