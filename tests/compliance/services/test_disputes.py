"""The dispute service: the customer disputes items of an issued report or acknowledges it
within the contract's window; the provider accepts or rejects; each step emails the other
party and is in the audit log; late, unissued and bad disputes change nothing."""

import pytest
from django.core.exceptions import ValidationError

from compliance.models import Dispute, DisputeStatus, ReportAcknowledgement
from compliance.selectors.disputes import month_is_final, report_standing
from compliance.services import disputes
from contracts.models import AuditAction, AuditEvent
from tests.compliance.dispute_support import (
    AFTER_WINDOW,
    IN_WINDOW,
    issued_report_fixture,  # noqa: F401 - fixture
    report_of_month,
)
from tests.compliance.report_support import (
    active_contract_fixture,  # noqa: F401 - fixture
    report_key_files_fixture,  # noqa: F401 - fixture
    report_settings_fixture,  # noqa: F401 - fixture
)

pytestmark = pytest.mark.django_db


def _raise(report, user, **kwargs):
    arguments = {
        "kind": "exclusion",
        "subject": "OUT-99",
        "reason": "We never touched that server.",
        **kwargs,
    }
    return disputes.dispute_raise(report=report, user=user, now=IN_WINDOW, **arguments)


def test_customer_disputes_an_exclusion_and_the_provider_is_emailed(
    tenants, issued_report, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dispute = _raise(issued_report, tenants.customer_admin)
    assert dispute.status == DisputeStatus.OPEN and dispute.subject_label == "An exclusion: OUT-99"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert set(message.to) == {"alice@brightline.example", "arthur@brightline.example"}
    assert "disputes the report for March 2026" in message.subject
    assert "We never touched that server." in message.body
    assert message.alternatives and "OUT-99" in message.alternatives[0][0]
    assert Dispute.objects.get(pk=dispute.pk).raised_email_sent_at is not None
    assert AuditEvent.objects.filter(
        action=AuditAction.DISPUTE_RAISED, contract=issued_report.contract
    ).exists()
    standing = report_standing(issued_report, now=IN_WINDOW)
    assert standing.state == "disputed" and not standing.final


def test_the_email_is_sent_once(tenants, issued_report, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dispute = _raise(issued_report, tenants.customer_admin)
    assert disputes.dispute_email_send(dispute_id=dispute.pk, step="raised") is False
    assert len(mailoutbox) == 1


def test_late_dispute_is_refused_with_the_date_the_window_closed(tenants, issued_report, mailoutbox):
    with pytest.raises(ValidationError) as refused:
        disputes.dispute_raise(
            report=issued_report,
            user=tenants.customer_admin,
            kind="exclusion",
            subject="OUT-99",
            reason="Too late",
            now=AFTER_WINDOW,
        )
    assert refused.value.messages == ["The dispute window closed on 16 December 2026."]
    assert not Dispute.objects.exists() and not mailoutbox
    assert not AuditEvent.objects.filter(action=AuditAction.DISPUTE_RAISED).exists()
    assert month_is_final(issued_report, now=AFTER_WINDOW)
    assert not month_is_final(issued_report, now=IN_WINDOW)


def test_window_follows_the_contracts_term(tenants, issued_report):
    type(issued_report.contract).objects.filter(pk=issued_report.contract_id).update(dispute_window_days=30)
    issued_report.contract.refresh_from_db()
    dispute = _raise(issued_report, tenants.customer_admin)
    assert dispute.pk
    standing = report_standing(issued_report, now=AFTER_WINDOW)
    assert standing.window_open and str(standing.closes_on) == "2027-01-01"


def test_unissued_report_is_refused(tenants, active_contract):
    report = report_of_month(active_contract, issued=False)
    with pytest.raises(ValidationError, match="has not been issued"):
        _raise(report, tenants.customer_admin)
    with pytest.raises(ValidationError, match="has not been issued"):
        disputes.report_acknowledge(report=report, user=tenants.customer_admin, now=IN_WINDOW)
    assert not Dispute.objects.exists() and not ReportAcknowledgement.objects.exists()


@pytest.mark.parametrize(
    ("kind", "subject", "field"),
    [
        ("exclusion", "OUT-0", "subject"),  # counted, not excluded
        ("exclusion", "", "subject"),
        ("event_times", "NOPE-1", "subject"),
        ("event_priority", "OUT-0", "subject"),  # an outage has no priority
        ("nonsense", "", "kind"),
    ],
)
def test_bad_subject_is_refused(tenants, issued_report, kind, subject, field):
    with pytest.raises(ValidationError) as refused:
        _raise(issued_report, tenants.customer_admin, kind=kind, subject=subject)
    assert field in refused.value.message_dict
    assert not Dispute.objects.exists()


def test_reason_is_required(tenants, issued_report):
    with pytest.raises(ValidationError) as refused:
        _raise(issued_report, tenants.customer_admin, reason="  ")
    assert "reason" in refused.value.message_dict


@pytest.mark.parametrize(
    ("kind", "subject", "stored"),
    [
        ("event_times", "OUT-0", "OUT-0"),
        ("event_cause", "OUT-99", "OUT-99"),
        ("event_priority", "INC-0", "INC-0"),
        ("missing_event", "Ticket 4711 by phone on 12 March", "Ticket 4711 by phone on 12 March"),
        ("credit", "ignored", ""),
    ],
)
def test_every_kind_of_item_can_be_disputed(tenants, issued_report, kind, subject, stored):
    assert _raise(issued_report, tenants.customer_admin, kind=kind, subject=subject).subject == stored


def test_provider_rejects_with_a_reason_and_the_customer_is_emailed(
    tenants, issued_report, mailoutbox, django_capture_on_commit_callbacks
):
    dispute = _raise(issued_report, tenants.customer_signer)
    with pytest.raises(ValidationError):
        disputes.dispute_answer(dispute=dispute, user=tenants.provider_author, accept=False, answer="")
    with django_capture_on_commit_callbacks(execute=True):
        answered = disputes.dispute_answer(
            dispute=dispute, user=tenants.provider_author, accept=False, answer="The logs show your change."
        )
    assert answered.status == DisputeStatus.REJECTED and answered.answered_by == tenants.provider_author
    assert len(mailoutbox) == 1
    # the customer's report recipient and whoever raised it
    assert set(mailoutbox[0].to) == {"hannah@harbour.example", "sam@harbour.example"}
    assert "was rejected" in mailoutbox[0].subject and "The logs show your change." in mailoutbox[0].body
    assert AuditEvent.objects.filter(action=AuditAction.DISPUTE_ANSWERED).count() == 1
    assert report_standing(issued_report, now=IN_WINDOW).state == "resolved"
    with pytest.raises(ValidationError, match="answered already"):
        disputes.dispute_answer(dispute=dispute, user=tenants.provider_author, accept=True)


def test_provider_accepts_and_an_amendment_follows(
    tenants, issued_report, mailoutbox, django_capture_on_commit_callbacks
):
    dispute = _raise(issued_report, tenants.customer_admin)
    with django_capture_on_commit_callbacks(execute=True):
        answered = disputes.dispute_answer(dispute=dispute, user=tenants.provider_admin, accept=True)
    assert answered.status == DisputeStatus.ACCEPTED
    assert "amendment of the report follows" in answered.answer
    assert "was accepted" in mailoutbox[0].subject
    assert "an amendment of the report follows" in mailoutbox[0].body


def test_customer_acknowledges_and_the_provider_is_emailed(
    tenants, issued_report, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        disputes.report_acknowledge(
            report=issued_report, user=tenants.customer_admin, note="Thanks", now=IN_WINDOW
        )
    assert report_standing(issued_report, now=IN_WINDOW).state == "acknowledged"
    assert set(mailoutbox[0].to) == {"alice@brightline.example", "arthur@brightline.example"}
    assert "acknowledged the report for March 2026" in mailoutbox[0].subject
    assert AuditEvent.objects.filter(action=AuditAction.REPORT_ACKNOWLEDGED).count() == 1
    with pytest.raises(ValidationError, match="acknowledged on 16 December 2026"):
        _raise(issued_report, tenants.customer_admin)
    with pytest.raises(ValidationError, match="acknowledged on"):
        disputes.report_acknowledge(report=issued_report, user=tenants.customer_admin, now=IN_WINDOW)


def test_acknowledging_waits_for_open_disputes(tenants, issued_report):
    dispute = _raise(issued_report, tenants.customer_admin)
    with pytest.raises(ValidationError, match="awaits the provider's answer"):
        disputes.report_acknowledge(report=issued_report, user=tenants.customer_admin, now=IN_WINDOW)
    disputes.dispute_answer(dispute=dispute, user=tenants.provider_author, accept=False, answer="No.")
    disputes.report_acknowledge(report=issued_report, user=tenants.customer_admin, now=IN_WINDOW)
    assert report_standing(issued_report, now=IN_WINDOW).state == "acknowledged"


def test_late_acknowledgement_is_refused(tenants, issued_report):
    with pytest.raises(ValidationError, match="closed on 16 December 2026"):
        disputes.report_acknowledge(report=issued_report, user=tenants.customer_admin, now=AFTER_WINDOW)
    assert not ReportAcknowledgement.objects.exists()
