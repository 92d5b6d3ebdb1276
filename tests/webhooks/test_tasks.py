"""The Celery side: a failed attempt is retried by the task after the backoff wait (waits
longer than half the broker's visibility timeout are left to the minute sweep, which
queues due deliveries); a disabled subscription's unsent email is picked up again."""

from datetime import UTC, datetime, timedelta

import pytest

from webhooks import requeue, services, tasks
from webhooks.models import Delivery, DeliveryStatus, Subscription

pytestmark = pytest.mark.django_db


class Retried(Exception):
    pass


@pytest.fixture
def worker_retry(monkeypatch):
    """Run the task as a worker would (not eagerly) and record the countdown of its retry."""
    countdowns = []

    def retry(countdown=None, **kwargs):
        countdowns.append(countdown)
        return Retried()

    monkeypatch.setattr(tasks.delivery_send, "retry", retry)
    tasks.delivery_send.push_request(is_eager=False, retries=0)
    yield countdowns
    tasks.delivery_send.pop_request()


@pytest.fixture
def delivery(tenants, receiver):
    subscription, _ = services.subscription_create(
        organisation=tenants.provider,
        user=tenants.provider_admin,
        url=receiver.url,
        event_types=["report.issued"],
    )
    event = services.event_publish(organisation=tenants.provider, event_type="report.issued", data={})
    return Delivery.objects.get(event=event, subscription=subscription)


def test_a_failure_is_retried_after_the_backoff_wait(delivery, receiver, worker_retry):
    receiver.answer(500)
    with pytest.raises(Retried):
        tasks.delivery_send.run(delivery.pk)
    assert worker_retry == [30]
    # The retry comes back early (a clock a little off): not due, it waits the rest.
    with pytest.raises(Retried):
        tasks.delivery_send.run(delivery.pk)
    assert len(receiver.requests) == 1 and 1 <= worker_retry[1] <= 31


def test_a_wait_past_half_the_visibility_timeout_is_left_to_the_sweep(
    delivery, receiver, worker_retry, settings, monkeypatch
):
    receiver.answer(500)
    Delivery.objects.filter(pk=delivery.pk).update(attempts=5)  # the sixth attempt fails: 8 hours
    assert tasks.delivery_send.run(delivery.pk) == "retry"
    assert worker_retry == []
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 6

    queued = []
    monkeypatch.setattr(tasks, "enqueue", lambda task, *args: queued.append(args))
    assert tasks.deliveries_due() == 0
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=datetime.now(UTC) - timedelta(seconds=1))
    assert tasks.deliveries_due() == 1 and queued == [(delivery.pk,)]


def test_an_unsent_disabled_email_is_requeued(tenants, delivery):
    now = datetime.now(UTC)
    Subscription.objects.filter(pk=delivery.subscription_id).update(
        is_active=False, disabled_at=now - timedelta(minutes=10)
    )
    work = requeue.pending_work(now=now, cutoff=now - timedelta(minutes=5), since=now - timedelta(days=14))
    assert work == [("webhooks.tasks.subscription_disabled_email", (delivery.subscription_id,))]
    Subscription.objects.filter(pk=delivery.subscription_id).update(disabled_email_sent_at=now)
    assert (
        requeue.pending_work(now=now, cutoff=now - timedelta(minutes=5), since=now - timedelta(days=14)) == []
    )
