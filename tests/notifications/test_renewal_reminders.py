"""Reminders before a contract's notice deadline and before its end: to the admins of both
parties only, each threshold once, on the contract's clock, by email with text and HTML."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from contracts.models import Contract
from contracts.models.contract import ContractStatus
from notifications import tasks
from notifications.models import Delivery, Kind, Notification, Preference
from notifications.renewal_reminders import renewal_reminders_send
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def ending(tenants) -> Contract:
    """Ends 22 February 2027 with 90 days' notice: notice is due 24 November 2026, so its
    30-day reminder falls on 25 October 2026, the day summer time ends in Amsterdam."""
    Contract.objects.filter(pk=tenants.contract.pk).update(
        status=ContractStatus.ACTIVE, end_date=date(2027, 2, 22), notice_period_days=90, auto_renew=False
    )
    tenants.contract.refresh_from_db()
    return tenants.contract


def _send(capture, now):
    with capture(execute=True):
        return renewal_reminders_send(now=now)


def _told():
    return sorted(
        Notification.objects.filter(kind=Kind.RENEWAL_REMINDER).values_list("recipient__email", "key")
    )


def test_the_admins_of_both_parties_are_reminded_and_emailed(
    tenants, ending, django_capture_on_commit_callbacks
):
    # 24 October 23:30 in Amsterdam: notice is due in 31 days, past the 60-day threshold.
    assert _send(django_capture_on_commit_callbacks, datetime(2026, 10, 24, 21, 30, tzinfo=UTC)) == 2
    key = f"renewal:{ending.pk}:2027-02-22:notice:60"
    assert _told() == [("alice@brightline.example", key), ("hannah@harbour.example", key)]
    notification = Notification.objects.get(recipient=tenants.customer_admin)
    assert (
        notification.title
        == f"{ending.reference}: notice to end the contract is due in 31 days, on 24 November 2026"
    )
    assert notification.body == (
        "“Managed IT” between Brightline Managed IT and Harbour Dental ends on 22 February 2027. "
        "To continue it, the provider starts the renewal from the Renewals list; notice to end it "
        "is due by 24 November 2026."
    )
    assert notification.url == "/contracts/renewals/?days=60"
    # Nobody else: not the provider's author or viewer, not the customer's signer, no outsider.
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@brightline.example", "hannah@harbour.example"]
    message = mail.outbox[0]
    assert message.subject == notification.title
    assert "24 November 2026" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html" and "notice to end it is due by 24 November 2026" in html


def test_each_threshold_is_sent_once_on_the_contracts_clock(ending, django_capture_on_commit_callbacks):
    _send(django_capture_on_commit_callbacks, datetime(2026, 10, 24, 21, 30, tzinfo=UTC))
    # The hour after: still the 24th in Amsterdam, the 60-day reminder again: nothing new.
    assert _send(django_capture_on_commit_callbacks, datetime(2026, 10, 24, 21, 59, tzinfo=UTC)) == 0
    # 00:30 on 25 October in Amsterdam (UTC still reads the 24th): 30 days left.
    assert _send(django_capture_on_commit_callbacks, datetime(2026, 10, 24, 22, 30, tzinfo=UTC)) == 2
    # Later the same day, after the clocks went back: nothing more.
    assert _send(django_capture_on_commit_callbacks, datetime(2026, 10, 25, 22, 30, tzinfo=UTC)) == 0
    assert [key.rsplit(":", 2)[1:] for _, key in _told()] == [["notice", "30"], ["notice", "60"]] * 2
    assert len(mail.outbox) == 4


def test_the_end_is_reminded_of_too_and_a_renewed_term_afresh(ending, django_capture_on_commit_callbacks):
    # 24 November 2026, the notice deadline: 0 days to it, 90 to the end.
    _send(django_capture_on_commit_callbacks, datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    titles = sorted(
        Notification.objects.filter(recipient__email="alice@brightline.example").values_list(
            "title", flat=True
        )
    )
    assert titles == [
        f"{ending.reference}: notice to end the contract is due today, on 24 November 2026",
        f"{ending.reference}: the contract's term ends in 90 days, on 22 February 2027",
    ]
    # The term renewed to 22 February 2028: its reminders are new ones.
    Contract.objects.filter(pk=ending.pk).update(end_date=date(2028, 2, 22), auto_renew=True)
    assert _send(django_capture_on_commit_callbacks, datetime(2027, 11, 24, 8, 0, tzinfo=UTC)) == 4
    renewed = Notification.objects.filter(key__contains=":2028-02-22:end:90").first()
    assert renewed.body.startswith(
        "“Managed IT” between Brightline Managed IT and Harbour Dental renews automatically on "
        "22 February 2028 for 12 months, until 22 February 2029, unless either party gives notice by "
        "24 November 2027."
    )


def test_contracts_not_in_force_and_other_tenants_are_not_reminded(
    tenants, ending, django_capture_on_commit_callbacks
):
    Contract.objects.filter(pk=ending.pk).update(status=ContractStatus.TERMINATED)
    Contract.objects.filter(pk=tenants.outsider_contract.pk).update(
        status=ContractStatus.ACTIVE, end_date=date(2026, 12, 31)
    )
    outsider_customer_admin = factories.member(tenants.outsider_contract.customer, "admin")
    _send(django_capture_on_commit_callbacks, datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    assert {email for email, _ in _told()} == {"olga@outsider.example", outsider_customer_admin.email}


def test_a_person_who_turned_renewal_emails_off_is_told_in_the_portal_only(
    tenants, ending, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=tenants.customer_admin, kind=Kind.RENEWAL_REMINDER, delivery=Delivery.OFF)
    _send(django_capture_on_commit_callbacks, datetime(2026, 10, 24, 21, 30, tzinfo=UTC))
    assert Notification.objects.filter(recipient=tenants.customer_admin).exists()
    assert [m.to[0] for m in mail.outbox] == ["alice@brightline.example"]


def test_beats_task_reminds_of_what_is_due_now(tenants, ending, django_capture_on_commit_callbacks):
    today = timezone.localdate(timezone=ZoneInfo(ending.time_zone))
    Contract.objects.filter(pk=ending.pk).update(end_date=today + timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.renewal_reminders_send.delay().get() == 2
    assert {key.rsplit(":", 2)[1] for _, key in _told()} == {"end"}
