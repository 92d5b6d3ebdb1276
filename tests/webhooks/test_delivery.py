"""Sending a delivery to a real HTTP receiver on loopback: Standard Webhooks signature,
attempts logged, retries with backoff on a fixed clock, each event delivered once however
often its task runs, and a subscription failing for a day disabled with an email."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from standardwebhooks import Webhook, WebhookVerificationError

from webhooks import services
from webhooks.models import Attempt, Delivery, DeliveryStatus, Subscription
from webhooks.sending import client

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def subscription(tenants, receiver):
    subscription, _ = services.subscription_create(
        organisation=tenants.provider,
        user=tenants.provider_admin,
        url=receiver.url,
        event_types=["report.issued", "dispute.opened"],
        description="Billing",
    )
    return subscription


def _publish(tenants, now=T0) -> Delivery:
    """Publish an event and make its first attempt at ``now`` (the queued task does not run:
    the test's transaction never commits)."""
    data = {"report": {"period": "2026-02"}}
    event = services.event_publish(
        organisation=tenants.provider, event_type="report.issued", data=data, now=now
    )
    delivery = Delivery.objects.get(event=event)
    services.delivery_attempt(delivery_id=delivery.pk, now=now)
    return delivery


def test_the_receiver_verifies_the_signature_with_standardwebhooks(
    tenants, subscription, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the task runs in-process
        event = services.event_publish(
            organisation=tenants.provider, event_type="report.issued", data={"report": {"period": "2026-02"}}
        )
    delivery = Delivery.objects.get(event=event)
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    assert request.path == "/hooks/sla"
    payload = Webhook(subscription.secret).verify(request.body, request.headers)
    assert payload["type"] == "report.issued"
    assert payload["data"] == {"report": {"period": "2026-02"}}
    assert request.headers["webhook-id"] == delivery.event.message_id
    assert request.headers["Content-Type"] == "application/json"
    # Another secret does not verify it.
    with pytest.raises(WebhookVerificationError):
        Webhook(services.new_secret()).verify(request.body, request.headers)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    attempt = delivery.attempt_log.get()
    assert attempt.status_code == 200
    assert attempt.duration_ms < 5000


def test_after_a_rotation_both_secrets_verify_for_a_day(tenants, subscription, receiver):
    old = subscription.secret
    new = services.subscription_secret_rotate(subscription=subscription)
    assert new != old and new.startswith("whsec_")
    _publish(tenants, now=datetime.now(UTC))
    request = receiver.requests[-1]
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    Webhook(new).verify(request.body, request.headers)
    Webhook(old).verify(request.body, request.headers)
    subscription.refresh_from_db()
    assert subscription.signing_secrets(subscription.previous_secret_expires_at) == [new]


def test_a_failure_is_retried_with_backoff_and_logged(tenants, subscription, receiver):
    receiver.answer(500, 503)
    delivery = _publish(tenants)  # first attempt at T0 (the task ran in-process): 500
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert delivery.next_attempt_at == T0 + timedelta(seconds=30)

    # Too early: nothing is sent.
    assert (
        services.delivery_attempt(delivery_id=delivery.pk, now=T0 + timedelta(seconds=29)).state == "not_due"
    )
    assert len(receiver.requests) == 1

    result = services.delivery_attempt(delivery_id=delivery.pk, now=T0 + timedelta(seconds=30))
    assert (result.state, result.wait) == ("retry", 120)  # 503, then four times as long
    result = services.delivery_attempt(delivery_id=delivery.pk, now=T0 + timedelta(seconds=150))
    assert result.state == "sent"
    log = list(Attempt.objects.filter(delivery=delivery).values_list("number", "status_code"))
    assert log == [(1, 500), (2, 503), (3, 200)]
    assert "503" in Attempt.objects.get(delivery=delivery, number=2).error
    assert len(receiver.requests) == 3
    # The same message each time: receivers deduplicate by webhook-id.
    assert len({r.headers["webhook-id"] for r in receiver.requests}) == 1
    subscription.refresh_from_db()
    assert subscription.failing_since is None and subscription.last_success_at is not None


def test_a_delivered_event_is_never_sent_again(tenants, subscription, receiver):
    receiver.answer(500)
    delivery = _publish(tenants)
    services.delivery_attempt(delivery_id=delivery.pk, now=T0 + timedelta(seconds=30))
    assert len(receiver.requests) == 2
    # The task retried, redelivered by the broker, queued again by the sweep: nothing more.
    for later in (31, 60, 3600):
        assert (
            services.delivery_attempt(delivery_id=delivery.pk, now=T0 + timedelta(seconds=later)).state
            == "done"
        )
    assert len(receiver.requests) == 2
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SUCCEEDED


def test_a_claimed_delivery_is_left_to_its_claimant_until_the_claim_is_stale(
    tenants, subscription, receiver, settings
):
    receiver.answer(500)
    delivery = _publish(tenants)
    due = T0 + timedelta(seconds=30)
    # Another worker claimed it and is sending.
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENDING, claimed_at=due)
    assert services.delivery_attempt(delivery_id=delivery.pk, now=due + timedelta(seconds=5)).state == "busy"
    assert len(receiver.requests) == 1
    # That worker died: once the claim is stale the delivery is taken up again.
    later = due + timedelta(seconds=settings.WEBHOOKS_STALE_AFTER + 1)
    assert services.delivery_attempt(delivery_id=delivery.pk, now=later).state == "sent"
    assert len(receiver.requests) == 2


def test_the_task_sends_once_however_often_it_runs(tenants, subscription, receiver):
    from webhooks.tasks import delivery_send

    delivery = _publish(tenants, now=datetime.now(UTC))
    assert len(receiver.requests) == 1
    assert delivery_send.apply(args=[delivery.pk]).get() == "done"
    assert delivery_send.apply(args=[delivery.pk]).get() == "done"
    assert len(receiver.requests) == 1


def test_one_delivery_per_subscription_and_event(tenants, subscription, receiver):
    from django.db import IntegrityError, transaction

    delivery = _publish(tenants, now=datetime.now(UTC))
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(subscription=subscription, event=delivery.event)


def test_a_day_of_failures_disables_the_subscription_and_emails_the_admins(
    tenants, subscription, receiver, django_capture_on_commit_callbacks
):
    receiver.answer(*([500] * 20))
    delivery = _publish(tenants)  # first failure at T0
    subscription.refresh_from_db()
    assert subscription.failing_since == T0
    previous = T0
    for wait in (30, 120, 480, 1920, 7680, 28800, 28800):
        delivery.refresh_from_db()
        now = delivery.next_attempt_at
        assert now == previous + timedelta(seconds=wait)
        previous = now
        assert now - T0 < timedelta(days=1)
        assert services.delivery_attempt(delivery_id=delivery.pk, now=now).state == "retry"
        assert Subscription.objects.get(pk=subscription.pk).is_active
    assert mail.outbox == []
    delivery.refresh_from_db()
    assert delivery.next_attempt_at - T0 >= timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):  # the email task runs in-process
        assert (
            services.delivery_attempt(delivery_id=delivery.pk, now=delivery.next_attempt_at).state == "failed"
        )

    subscription.refresh_from_db()
    assert not subscription.is_active
    assert "failed for 24 hours" in subscription.disabled_reason
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.CANCELLED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [tenants.provider_admin.email]  # the admins, not the author or viewer
    assert subscription.url in message.subject
    assert f"/webhooks/{subscription.pk}/" in message.body
    assert subscription.disabled_email_sent_at is not None
    # Nothing is sent to a disabled subscription, and the email is not sent twice.
    assert (
        services.event_publish(
            organisation=tenants.provider, event_type="report.issued", data={}, now=T0 + timedelta(days=2)
        )
        is None
    )
    assert services.subscription_disabled_email(subscription_id=subscription.pk) is False
    assert len(mail.outbox) == 1


def test_a_success_within_the_day_resets_the_failures(tenants, subscription, receiver):
    receiver.answer(500)
    delivery = _publish(tenants)
    services.delivery_attempt(delivery_id=delivery.pk, now=T0 + timedelta(hours=23))
    subscription.refresh_from_db()
    assert subscription.failing_since is None
    receiver.answer(500)
    _publish(tenants, now=T0 + timedelta(hours=30))
    subscription.refresh_from_db()
    assert subscription.failing_since == T0 + timedelta(hours=30)
    assert subscription.is_active


def test_a_refused_address_is_an_attempt_with_the_reason(tenants, subscription, receiver, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    delivery = _publish(tenants)
    assert receiver.requests == []
    attempt = Attempt.objects.get(delivery=delivery)
    assert attempt.status_code is None
    assert attempt.error == "Refused: 127.0.0.1 is a loopback address."


def test_redirects_are_not_followed(tenants, subscription, receiver):
    receiver.answer(302)
    delivery = _publish(tenants)
    attempt = Attempt.objects.get(delivery=delivery)
    assert attempt.status_code == 302
    assert "Redirects are not followed" in attempt.error
    assert len(receiver.requests) == 1  # and nothing reached the Location


def test_the_connection_goes_to_the_checked_address_with_the_host_named(receiver):
    looked_up = []

    def resolver(host, port):
        looked_up.append(host)
        return ["127.0.0.1"]

    url = f"http://hooks.example.test:{receiver.port}/in"
    outcome = client.post(
        url, b"{}", {"Content-Type": "application/json"}, allow_private=True, resolver=resolver
    )
    assert outcome.ok and outcome.status_code == 200
    assert looked_up == ["hooks.example.test"]  # resolved once, by the check
    assert receiver.requests[0].headers["Host"] == f"hooks.example.test:{receiver.port}"
    refused = client.post(url, b"{}", {}, allow_private=False, resolver=resolver)
    assert refused.status_code is None and "resolves to 127.0.0.1, a loopback address" in refused.error
    assert len(receiver.requests) == 1


def test_no_answer_is_logged_as_such():
    outcome = client.post("http://127.0.0.1:9/x", b"{}", {}, allow_private=True, timeout=2)
    assert outcome.status_code is None and not outcome.ok
    assert "Could not connect" in outcome.error


def test_a_test_event_goes_to_one_subscription_even_when_off(
    tenants, subscription, receiver, django_capture_on_commit_callbacks
):
    services.subscription_update(
        subscription=subscription, url=subscription.url, event_types=subscription.event_types, is_active=False
    )
    other, _ = services.subscription_create(
        organisation=tenants.provider,
        user=tenants.provider_admin,
        url=receiver.url + "/other",
        event_types=["report.issued"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.subscription_test_send(subscription=subscription, user=tenants.provider_admin)
    assert [r.path for r in receiver.requests] == ["/hooks/sla"]
    body = json.loads(receiver.requests[0].body)
    assert body["type"] == "webhook.test"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert not other.deliveries.exists()
