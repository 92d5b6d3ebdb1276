"""Who is told of what, once, and how: warnings, email at once, digest, off."""

import pytest
from django.core import mail

from compliance.signals import breach_warning
from notifications import services
from notifications.models import Delivery, Kind, Notification, Preference
from tests.notifications.notification_support import give_warning, warned_contract_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def _recipients(kind=Kind.WARNING):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def test_a_warning_tells_the_providers_staff_only(
    tenants, warned_contract, django_capture_on_commit_callbacks
):
    give_warning(django_capture_on_commit_callbacks)
    assert _recipients() == ["alice@brightline.example", "arthur@brightline.example"]
    notification = Notification.objects.get(recipient=tenants.provider_author)
    assert (
        notification.title
        == f"{warned_contract.reference}: First response to P1 incidents — INC-1 at 75% of its target"
    )
    assert "INC-1 (P1 Email) has used 75% of its first response target of 1 h" in notification.body
    assert notification.url == f"/contracts/{warned_contract.reference}/incidents/"
    # Emailed at once (the default for warnings), with a text and an HTML part.
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@brightline.example", "arthur@brightline.example"]
    message = mail.outbox[0]
    assert message.subject == notification.title
    assert "has used 75%" in message.body
    assert message.alternatives[0][1] == "text/html" and "has used 75%" in message.alternatives[0][0]
    # Nobody of the customer or another tenant hears of it.
    assert not Notification.objects.filter(
        recipient__in=[tenants.customer_admin, tenants.outsider_admin]
    ).exists()


def test_each_person_is_told_once_and_emailed_once(
    tenants, warned_contract, django_capture_on_commit_callbacks
):
    [warning] = give_warning(django_capture_on_commit_callbacks)
    # The signal handled again (a second worker, a retry): nobody is told twice.
    with django_capture_on_commit_callbacks(execute=True):
        breach_warning.send(sender=type(warning), warning=warning)
    assert Notification.objects.count() == 2
    notification = Notification.objects.get(recipient=tenants.provider_author)
    assert services.notification_email_send(notification_id=notification.pk) is False
    assert len(mail.outbox) == 2


def test_a_failed_email_is_given_back_for_the_retry(
    tenants, warned_contract, monkeypatch, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=tenants.provider_author, kind=Kind.WARNING, delivery=Delivery.OFF)
    give_warning(django_capture_on_commit_callbacks)
    notification = Notification.objects.get(recipient=tenants.provider_admin)
    Notification.objects.filter(pk=notification.pk).update(emailed_at=None, email_claimed_at=None)
    mail.outbox.clear()

    def broken(**kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("contracts.services.emails.email_send", broken)
    with pytest.raises(OSError):
        services.notification_email_send(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.emailed_at is None
    monkeypatch.undo()
    assert services.notification_email_send(notification_id=notification.pk) is True
    assert len(mail.outbox) == 1


def test_off_shows_in_the_portal_without_email(tenants, warned_contract, django_capture_on_commit_callbacks):
    Preference.objects.create(user=tenants.provider_author, kind=Kind.WARNING, delivery=Delivery.OFF)
    give_warning(django_capture_on_commit_callbacks)
    assert Notification.objects.filter(recipient=tenants.provider_author).exists()
    assert [m.to for m in mail.outbox] == [["alice@brightline.example"]]


def test_the_daily_digest_sends_one_email_once(tenants, warned_contract, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from tests.notifications.notification_support import WARNED_AT

    Preference.objects.create(user=tenants.provider_author, kind=Kind.WARNING, delivery=Delivery.DIGEST)
    give_warning(django_capture_on_commit_callbacks)
    give_warning(django_capture_on_commit_callbacks, now=WARNED_AT + timedelta(minutes=15))  # 100 %
    digest_mail = [m for m in mail.outbox if m.to == ["arthur@brightline.example"]]
    assert digest_mail == []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digests_send() == 1
    digest_mail = [m for m in mail.outbox if m.to == ["arthur@brightline.example"]]
    assert len(digest_mail) == 1
    message = digest_mail[0]
    assert message.subject == "SLA portal: 2 notifications of the last day"
    assert "INC-1 at 75% of its target" in message.body and "INC-1 at 100% of its target" in message.body
    assert "INC-1 at 100% of its target" in message.alternatives[0][0]
    # The next day's run finds nothing waiting; a second worker taking the same digest sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digests_send() == 0
    assert services.digest_send(user_id=tenants.provider_author.pk) == 0
    assert len([m for m in mail.outbox if m.to == ["arthur@brightline.example"]]) == 1


def test_staff_choose_warning_kinds_and_contracts(
    tenants, warned_contract, django_capture_on_commit_callbacks
):
    services.preferences_save(
        user=tenants.provider_author, deliveries={}, warning_kinds=["availability", "hours"]
    )
    services.preferences_save(
        user=tenants.provider_admin,
        deliveries={},
        warning_kinds=["incident"],
        all_contracts=False,
        contracts=[],
    )
    give_warning(django_capture_on_commit_callbacks)
    assert _recipients() == []
    services.preferences_save(
        user=tenants.provider_admin,
        deliveries={},
        warning_kinds=["incident"],
        all_contracts=False,
        contracts=[warned_contract],
    )
    from compliance.models import BreachWarning

    BreachWarning.objects.all().delete()
    give_warning(django_capture_on_commit_callbacks)
    assert _recipients() == ["alice@brightline.example"]


def test_an_email_that_never_reached_a_worker_is_queued_again(
    tenants, warned_contract, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from notifications.requeue import pending_work

    give_warning(django_capture_on_commit_callbacks)
    notification = Notification.objects.get(recipient=tenants.provider_author)
    Notification.objects.filter(pk=notification.pk).update(emailed_at=None, email_claimed_at=None)
    now = timezone.now()
    found = pending_work(now=now, cutoff=now + timedelta(seconds=1), since=now - timedelta(days=14))
    assert found == [("notifications.tasks.notification_email", (notification.pk,))]
    assert pending_work(now=now, cutoff=now - timedelta(minutes=5), since=now - timedelta(days=14)) == []


def test_a_claim_left_by_a_dead_worker_is_sent_again_once_stale_with_the_same_message_id(
    tenants, warned_contract, settings, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    settings.NOTIFICATION_EMAIL_STALE_AFTER = 300
    give_warning(django_capture_on_commit_callbacks)
    notification = Notification.objects.get(recipient=tenants.provider_author)
    first_id = next(m for m in mail.outbox if m.to == [tenants.provider_author.email]).extra_headers[
        "Message-ID"
    ]
    # A worker claimed it again and died before recording it sent.
    claimed = timezone.now()
    Notification.objects.filter(pk=notification.pk).update(emailed_at=None, email_claimed_at=claimed)
    mail.outbox.clear()

    # While the claim is fresh, a redelivered task sends nothing: that worker may still be sending.
    assert services.notification_email_send(notification_id=notification.pk, now=claimed) is False
    assert mail.outbox == []
    # Once stale, the next task sends it, as the same message.
    later = claimed + timedelta(seconds=301)
    assert services.notification_email_send(notification_id=notification.pk, now=later) is True
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [first_id]
    assert services.notification_email_send(notification_id=notification.pk, now=later) is False
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_a_digest_claimed_by_a_dead_worker_goes_out_once_stale(
    tenants, warned_contract, settings, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    settings.NOTIFICATION_EMAIL_STALE_AFTER = 300
    Preference.objects.create(user=tenants.provider_author, kind=Kind.WARNING, delivery=Delivery.DIGEST)
    give_warning(django_capture_on_commit_callbacks)
    mail.outbox.clear()
    claimed = timezone.now()
    Notification.objects.filter(recipient=tenants.provider_author).update(email_claimed_at=claimed)

    assert services.digest_send(user_id=tenants.provider_author.pk, now=claimed) == 0
    later = claimed + timedelta(seconds=301)
    assert services.digest_send(user_id=tenants.provider_author.pk, now=later) == 1
    assert services.digest_send(user_id=tenants.provider_author.pk, now=later) == 0
    assert [m.to for m in mail.outbox] == [[tenants.provider_author.email]]
    assert mail.outbox[0].extra_headers["Message-ID"].startswith(f"<digest.{tenants.provider_author.pk}.")
