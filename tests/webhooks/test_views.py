"""The webhook pages: a provider's admins add, change, test and delete subscriptions and
read the delivery log; anyone else, and another tenant, gets 404."""

import pytest
from django.urls import reverse

from webhooks import services
from webhooks.models import Delivery, Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscription(tenants, receiver):
    subscription, _ = services.subscription_create(
        organisation=tenants.provider,
        user=tenants.provider_admin,
        url=receiver.url,
        event_types=["report.issued"],
    )
    return subscription


def test_admin_adds_a_subscription_and_sees_its_secret_once(tenants, client_for, receiver):
    client = client_for(tenants.provider_admin)
    assert client.get(reverse("webhooks:subscription_list")).status_code == 200
    response = client.post(
        reverse("webhooks:subscription_new"),
        {
            "organisation": tenants.provider.pk,
            "url": receiver.url,
            "description": "Invoicing",
            "event_types": ["credit_note.issued", "report.issued"],
        },
    )
    assert response.status_code == 201
    subscription = Subscription.objects.get()
    assert subscription.event_types == ["report.issued", "credit_note.issued"]
    assert subscription.created_by == tenants.provider_admin
    body = response.content.decode()
    assert subscription.secret in body and "shown only this once" in body
    detail = client.get(reverse("webhooks:subscription_detail", args=[subscription.pk])).content.decode()
    assert subscription.secret not in detail and subscription.secret_hint in detail


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("http://10.1.2.3/hook", "Refused: 10.1.2.3 is a private address."),
        ("http://[::1]:8000/hook", "Refused: ::1 is a loopback address."),
        ("http://169.254.169.254/latest", "Refused: 169.254.169.254 is a link-local address."),
        ("ftp://example.com/x", "The URL must start with https:// (or http://)."),
    ],
)
def test_a_refused_url_re_renders_the_form_with_the_reason(tenants, client_for, url, error):
    response = client_for(tenants.provider_admin).post(
        reverse("webhooks:subscription_new"),
        {"organisation": tenants.provider.pk, "url": url, "event_types": ["report.issued"]},
    )
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Subscription.objects.exists()


def test_no_event_chosen_is_an_error(tenants, client_for):
    response = client_for(tenants.provider_admin).post(
        reverse("webhooks:subscription_new"),
        {"organisation": tenants.provider.pk, "url": "https://hooks.example.com/x"},
    )
    assert response.status_code == 400 and not Subscription.objects.exists()


def test_send_test_event_shows_the_attempt_in_the_log(
    tenants, client_for, subscription, receiver, django_capture_on_commit_callbacks
):
    client = client_for(tenants.provider_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("webhooks:subscription_test", args=[subscription.pk]))
    assert response.status_code == 302
    assert len(receiver.requests) == 1
    page = client.get(response.url).content.decode()
    assert "webhook.test" in page and "HTTP 200" in page
    assert Delivery.objects.get().status == "succeeded"


def test_edit_switch_off_and_delete(tenants, client_for, subscription):
    client = client_for(tenants.provider_admin)
    assert client.get(reverse("webhooks:subscription_edit", args=[subscription.pk])).status_code == 200
    response = client.post(
        reverse("webhooks:subscription_edit", args=[subscription.pk]),
        {"url": subscription.url, "description": "Paused", "event_types": ["dispute.opened"]},
    )
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert (subscription.is_active, subscription.event_types, subscription.description) == (
        False,
        ["dispute.opened"],
        "Paused",
    )
    response = client.post(reverse("webhooks:subscription_delete", args=[subscription.pk]))
    assert response.status_code == 302 and not Subscription.objects.exists()


def test_rotate_shows_the_new_secret(tenants, client_for, subscription):
    old = subscription.secret
    response = client_for(tenants.provider_admin).post(
        reverse("webhooks:subscription_rotate", args=[subscription.pk])
    )
    subscription.refresh_from_db()
    assert subscription.secret != old and subscription.previous_secret == old
    assert subscription.secret in response.content.decode()


@pytest.mark.parametrize("who", ["provider_author", "provider_viewer", "customer_admin", "outsider_admin"])
def test_only_the_providers_admins_reach_a_subscription(tenants, client_for, subscription, who):
    client = client_for(getattr(tenants, who))
    for name in ("subscription_detail", "subscription_edit"):
        assert client.get(reverse(f"webhooks:{name}", args=[subscription.pk])).status_code == 404
    for name in ("subscription_test", "subscription_rotate", "subscription_delete", "subscription_edit"):
        assert client.post(reverse(f"webhooks:{name}", args=[subscription.pk])).status_code == 404
    assert Subscription.objects.get().secret == subscription.secret
    assert not Delivery.objects.exists()
    assert subscription.url not in client.get(reverse("webhooks:subscription_list")).content.decode()


def test_members_who_are_not_provider_admins_cannot_add(tenants, client_for):
    assert client_for(tenants.provider_author).get(reverse("webhooks:subscription_new")).status_code == 404
    # The outsider's admin adds only for their own organisation: another's is not a choice.
    response = client_for(tenants.outsider_admin).post(
        reverse("webhooks:subscription_new"),
        {
            "organisation": tenants.provider.pk,
            "url": "https://hooks.example.com/x",
            "event_types": ["report.issued"],
        },
    )
    assert response.status_code == 400 and not Subscription.objects.exists()


def test_the_log_page_reads_in_constant_queries(
    tenants, client_for, subscription, django_assert_max_num_queries, settings
):
    from datetime import UTC, datetime

    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False  # attempts refused at once: no network
    for n in range(12):
        services.event_publish(
            organisation=tenants.provider, event_type="report.issued", data={"n": n}, now=datetime.now(UTC)
        )
    for delivery in Delivery.objects.all():
        services.delivery_attempt(delivery_id=delivery.pk)
    client = client_for(tenants.provider_admin)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("webhooks:subscription_detail", args=[subscription.pk]))
    assert response.content.decode().count("is a loopback address") == 12
