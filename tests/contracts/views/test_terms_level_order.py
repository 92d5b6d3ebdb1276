"""The order of a draft's service levels: up/down buttons, drag and drop, and where it shows."""

import importlib

import pytest
from django.apps import apps

from contracts import services
from contracts.models import ServiceLevel
from contracts.selectors.versions import version_render_values, version_terms
from tests import factories
from tests.contracts.terms_views_support import snapshot, text, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(tenants):
    return factories.version_with_terms(tenants.contract, user=tenants.provider_author)


@pytest.fixture
def author(tenants, client_for):
    return client_for(tenants.provider_author)


def keys(version) -> list[str]:
    return [level.key for level in version_terms(version).service_levels]


def level_table(version) -> str:
    return version_render_values(version_terms(version))["service_level_table"].text


def test_levels_are_listed_in_the_order_they_were_added(draft):
    assert keys(draft) == ["availability", "response_p1"]
    assert list(ServiceLevel.objects.filter(version=draft).values_list("position", flat=True)) == [1, 2]


def test_moving_a_level_up_changes_the_order_of_the_page_and_the_contract_text(author, draft):
    response_p1 = draft.service_levels.get(key="response_p1")
    assert level_table(draft).index("Availability") < level_table(draft).index("First response")

    response = author.post(url("terms_level_move", draft, level_id=response_p1.pk), {"direction": "up"})

    assert response.status_code == 302
    assert response.url == url("version_terms", draft) + f"#level-{response_p1.pk}"
    assert keys(draft) == ["response_p1", "availability"]
    assert level_table(draft).index("First response") < level_table(draft).index("Availability")
    page = text(author.get(response.url))
    assert "Service level First response to P1 incidents moved up to number 1." in page
    assert page.index(f'id="level-{response_p1.pk}"') < page.index('id="level-', page.index('id="level-') + 1)


def test_the_first_level_cannot_go_up(author, draft):
    availability = draft.service_levels.get(key="availability")
    move = url("terms_level_move", draft, level_id=availability.pk)
    response = author.post(move, {"direction": "up"}, follow=True)
    assert "Service level Availability is already first: nothing moved." in text(response)
    assert keys(draft) == ["availability", "response_p1"]


def test_a_direction_other_than_up_or_down_is_refused(author, draft):
    availability = draft.service_levels.get(key="availability")
    before = snapshot(draft)
    move = url("terms_level_move", draft, level_id=availability.pk)
    response = author.post(move, {"direction": "sideways"})
    assert response.status_code == 400
    assert "Move a service level up or down." in text(response)
    assert snapshot(draft) == before


def test_buttons_name_the_level_and_the_edges_have_only_one(author, draft):
    body = text(author.get(url("version_terms", draft)))
    assert 'aria-label="Move Availability down"' in body
    assert 'aria-label="Move Availability up"' not in body
    assert 'aria-label="Move First response to P1 incidents up"' in body
    assert 'aria-label="Move First response to P1 incidents down"' not in body


def test_with_htmx_the_list_comes_back_with_focus_on_the_moved_level(author, draft):
    response_p1 = draft.service_levels.get(key="response_p1")
    response = author.post(
        url("terms_level_move", draft, level_id=response_p1.pk), {"direction": "up"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "terms-changed"
    fragment = text(response)
    assert fragment.lstrip().startswith('<div id="service-levels-list"')
    assert 'role="status">Service level First response to P1 incidents moved up to number 1.' in fragment
    # Now first, it has no Up button: focus goes to its Down button.
    assert 'aria-label="Move First response to P1 incidents down" autofocus' in fragment
    assert fragment.index("First response to P1 incidents") < fragment.index("Availability")


def test_dropping_posts_the_new_order(author, draft):
    availability, response_p1 = draft.service_levels.order_by("position")
    response = author.post(
        url("terms_level_reorder", draft),
        {"level": [response_p1.pk, availability.pk]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert keys(draft) == ["response_p1", "availability"]
    assert 'role="status">Service levels reordered.' in text(response)


@pytest.mark.parametrize("given", [[], ["x"], "one"])
def test_an_order_without_every_level_once_is_refused(author, draft, given):
    availability = draft.service_levels.get(key="availability")
    before = snapshot(draft)
    data = {"level": [availability.pk, availability.pk] if given == "one" else given}
    response = author.post(url("terms_level_reorder", draft), data)
    assert response.status_code == 400
    assert "Give every service level of the version exactly once." in text(response)
    assert snapshot(draft) == before


def test_the_order_carries_into_the_next_version(tenants, draft):
    response_p1 = draft.service_levels.get(key="response_p1")
    services.service_level_move(service_level=response_p1, direction="up")
    published = services.version_publish(version=draft, user=tenants.provider_author)
    new_draft = services.version_create_draft(contract=published.contract, user=tenants.provider_author)
    assert keys(new_draft) == ["response_p1", "availability"]


def test_a_frozen_version_refuses_a_move(tenants, author, draft):
    published = services.version_publish(version=draft, user=tenants.provider_author)
    level = published.service_levels.get(key="response_p1")
    response = author.post(url("terms_level_move", published, level_id=level.pk), {"direction": "up"})
    assert response.status_code == 302
    assert keys(published) == ["availability", "response_p1"]


def test_the_migration_numbers_existing_levels_by_key(draft):
    ServiceLevel.objects.filter(version=draft).update(position=0)
    migration = importlib.import_module("contracts.migrations.0015_service_level_position")
    migration.number_by_key(apps, None)
    numbered = ServiceLevel.objects.filter(version=draft).order_by("key")
    assert list(numbered.values_list("position", flat=True)) == [1, 2]


@pytest.mark.parametrize("who", ["outsider_admin", "customer_admin", "provider_viewer"])
def test_others_get_404_on_move_and_reorder(tenants, client_for, draft, who):
    client = client_for(getattr(tenants, who))
    level = draft.service_levels.get(key="response_p1")
    before = snapshot(draft)
    assert (
        client.post(url("terms_level_move", draft, level_id=level.pk), {"direction": "up"}).status_code == 404
    )
    assert client.post(url("terms_level_reorder", draft), {"level": [level.pk]}).status_code == 404
    assert snapshot(draft) == before
