"""The webhooks API: subscriptions and their deliveries, through the same services as the
pages; the secret in the creation answer only; another tenant's subscription is a 404; bad
input a 400 with per-field errors and nothing written."""

import pytest
from rest_framework.test import APIClient

from compliance.services import tokens
from tests.services import api_error_fields
from webhooks import services
from webhooks.models import Delivery, Subscription

pytestmark = pytest.mark.django_db

BASE = "/api/v1/webhooks/subscriptions/"


@pytest.fixture
def api(tenants):
    client = APIClient()
    _, secret = tokens.api_token_create(user=tenants.provider_admin, name="Billing")
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def test_create_list_change_and_delete(api, tenants, receiver):
    response = api.post(
        BASE, {"url": receiver.url, "event_types": ["report.issued", "dispute.opened"]}, format="json"
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["secret"].startswith("whsec_")
    assert created["organisation"] == tenants.provider.slug
    listed = api.get(BASE).json()
    assert listed["count"] == 1 and "secret" not in listed["results"][0]
    item = f"{BASE}{created['id']}/"
    changed = api.patch(item, {"is_active": False, "event_types": ["credit_note.issued"]}, format="json")
    assert changed.status_code == 200
    assert (changed.json()["is_active"], changed.json()["event_types"]) == (False, ["credit_note.issued"])
    assert api.delete(item).status_code == 204
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "http://192.168.1.1/x", "event_types": ["report.issued"]}, "url"),
        ({"url": "https://hooks.example.com/x", "event_types": ["nothing.happened"]}, "event_types"),
        ({"url": "https://hooks.example.com/x", "event_types": []}, "event_types"),
        ({"url": "not a url", "event_types": ["report.issued"]}, "url"),
        (
            {
                "url": "https://hooks.example.com/x",
                "event_types": ["report.issued"],
                "organisation": "outsider-ltd",
            },
            "organisation",
        ),
    ],
)
def test_bad_input_answers_400_and_writes_nothing(api, body, field):
    response = api.post(BASE, body, format="json")
    assert response.status_code in (400, 409)
    assert field in api_error_fields(response)
    assert not Subscription.objects.exists()


def test_rotate_answers_the_new_secret_once(api, tenants, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    subscription, old = services.subscription_create(
        organisation=tenants.provider,
        user=tenants.provider_admin,
        url="http://127.0.0.1:9/x",
        event_types=["report.issued"],
    )
    response = api.post(f"{BASE}{subscription.pk}/rotate/")
    assert response.status_code == 200
    new = response.json()["secret"]
    subscription.refresh_from_db()
    assert new == subscription.secret != old and subscription.previous_secret == old
    assert response.json()["previous_secret_expires_at"].endswith("Z")
    assert new not in api.get(f"{BASE}{subscription.pk}/").content.decode()


def test_deliveries_and_test_event(api, tenants, receiver, django_capture_on_commit_callbacks):
    subscription, _ = services.subscription_create(
        organisation=tenants.provider,
        user=tenants.provider_admin,
        url=receiver.url,
        event_types=["report.issued"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"{BASE}{subscription.pk}/test/")
    assert response.status_code == 202
    log = api.get(f"{BASE}{subscription.pk}/deliveries/").json()
    assert log["count"] == 1
    delivery = log["results"][0]
    assert delivery["event_type"] == "webhook.test" and delivery["status"] == "succeeded"
    assert delivery["attempt_log"][0]["status_code"] == 200
    assert delivery["message_id"] == receiver.requests[0].headers["webhook-id"]


def test_another_tenants_subscription_is_404(api, tenants, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    theirs, _ = services.subscription_create(
        organisation=tenants.outsider,
        user=tenants.outsider_admin,
        url="http://127.0.0.1:9/x",
        event_types=["report.issued"],
    )
    for method, suffix in (
        ("get", ""),
        ("patch", ""),
        ("delete", ""),
        ("get", "deliveries/"),
        ("post", "test/"),
    ):
        assert getattr(api, method)(f"{BASE}{theirs.pk}/{suffix}", {}, format="json").status_code == 404
    assert api.get(BASE).json()["count"] == 0
    assert Subscription.objects.get().is_active and not Delivery.objects.exists()
    assert Subscription.objects.get().secret == theirs.secret


def test_members_who_are_not_admins_see_none(tenants):
    client = APIClient()
    _, secret = tokens.api_token_create(user=tenants.provider_author, name="Author")
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert client.get(BASE).json()["count"] == 0
    response = client.post(
        BASE, {"url": "https://hooks.example.com/x", "event_types": ["report.issued"]}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["errors"] == [
        {"index": 0, "errors": {"organisation": ["You administer no provider."]}}
    ]


def test_the_schema_documents_subscriptions_and_deliveries(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for operation in (
        "webhook_subscriptions_create",
        "webhook_deliveries_list",
        "webhook_subscriptions_test",
    ):
        assert operation in schema
