"""Issuing reports (``reports_issue``): the monthly run holds each report for review or
issues it, by the contract's choice; issuing emails each recipient once, however often and
by however many callers it is asked for, and is audited."""

import pytest
from django.core.exceptions import ValidationError

from compliance.models import CreditNote, CreditNoteDelivery, Delivery, DeliveryStatus, Report
from compliance.services import reports
from contracts.models import AuditAction, AuditEvent
from tests.compliance.month_close_support import (
    closing_contract,
    held_month_fixture,  # noqa: F401 - fixture
    issued_month_fixture,  # noqa: F401 - fixture
    last_month,
    run_month,
)
from tests.compliance.report_support import (
    report_key_files_fixture,  # noqa: F401 - fixture
    report_settings_fixture,  # noqa: F401 - fixture
)

pytestmark = pytest.mark.django_db


def test_the_run_holds_the_report_for_review_by_default(held_month, smtp_server):
    assert held_month.is_ready and not held_month.is_issued
    assert not Delivery.objects.exists()
    assert smtp_server.messages == []


def test_a_contract_issuing_automatically_is_emailed_by_the_run(
    tenants, report_settings, smtp_server, django_capture_on_commit_callbacks
):
    contract = closing_contract(tenants, automatically=True)
    run_month(django_capture_on_commit_callbacks)
    report = Report.objects.get(contract=contract)
    assert report.is_issued and report.issued_by is None
    assert sorted(m["X-Envelope-To"] for m in smtp_server.reports) == [
        "alice@brightline.example",
        "hannah@harbour.example",
    ]
    event = AuditEvent.objects.get(contract=contract, action=AuditAction.REPORT_ISSUED)
    assert event.summary == f"Issued the report for {last_month()} (revision 1) automatically"


def test_running_a_held_month_again_sends_nothing(
    held_month, smtp_server, django_capture_on_commit_callbacks
):
    run_month(django_capture_on_commit_callbacks)
    assert Report.objects.count() == 1 and not Report.objects.get().is_issued
    assert smtp_server.messages == []


def test_issuing_emails_each_recipient_once_and_is_audited(
    tenants, held_month, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert reports.report_issue(report=held_month, user=tenants.provider_author) is True
    held_month.refresh_from_db()
    assert held_month.issued_by == tenants.provider_author and held_month.issued_at is not None
    assert sorted(m["X-Envelope-To"] for m in smtp_server.reports) == [
        "alice@brightline.example",
        "hannah@harbour.example",
    ]
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    event = AuditEvent.objects.get(action=AuditAction.REPORT_ISSUED)
    assert event.actor == tenants.provider_author and event.organisation == tenants.provider
    assert event.details == {"period": last_month(), "revision": 1, "report": held_month.pk}


def test_issuing_twice_sends_once(tenants, held_month, smtp_server, django_capture_on_commit_callbacks):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            reports.report_issue(report=held_month, user=tenants.provider_author)
    assert len(smtp_server.reports) == 2
    assert Delivery.objects.count() == 2
    assert len(smtp_server.credit_notes) == 2 and CreditNoteDelivery.objects.count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.REPORT_ISSUED).count() == 1


def test_two_callers_issuing_at_once_make_one_set_of_deliveries(
    tenants, held_month, smtp_server, django_capture_on_commit_callbacks
):
    # Both callers read the report while it was held (the stale copies a concurrent request
    # would hold); the conditional UPDATE lets only the first one win.
    first, second = Report.objects.get(pk=held_month.pk), Report.objects.get(pk=held_month.pk)
    with django_capture_on_commit_callbacks(execute=True):
        won = [
            reports.reports_issue(reports=[first], user=tenants.provider_author),
            reports.reports_issue(reports=[second], user=tenants.provider_admin),
        ]
    assert won == [1, 0]
    assert Delivery.objects.count() == 2 and len(smtp_server.reports) == 2
    assert CreditNote.objects.count() == 1 and len(smtp_server.credit_notes) == 2
    assert Report.objects.get(pk=held_month.pk).issued_by == tenants.provider_author


def test_issuing_many_reports_at_once(
    tenants, report_settings, smtp_server, django_capture_on_commit_callbacks
):
    from tests.compliance.report_support import more_contracts

    for contract in more_contracts(tenants, 3):
        type(contract).objects.filter(pk=contract.pk).update(reports_issued_automatically=False)
    run_month(django_capture_on_commit_callbacks, period="2026-03")
    held = list(Report.objects.filter(issued_at=None))
    assert len(held) == 3 and smtp_server.messages == []
    with django_capture_on_commit_callbacks(execute=True):
        assert reports.reports_issue(reports=held, user=tenants.provider_author) == 3
        assert reports.reports_issue(reports=held, user=tenants.provider_author) == 0
    assert len(smtp_server.reports) == Delivery.objects.count() == 3


def test_a_held_report_is_not_resent_nor_its_delivery_sent(tenants, held_month, smtp_server):
    with pytest.raises(ValidationError, match="held for your review"):
        reports.report_resend(report=held_month)
    # A delivery of a held report (never created by the portal) is not sent either.
    delivery = Delivery.objects.create(report=held_month, email="hannah@harbour.example")
    assert reports.delivery_send(delivery_id=delivery.pk, final=True) == "skipped"
    assert smtp_server.messages == []


def test_a_report_still_being_prepared_cannot_be_issued(tenants, held_month):
    Report.objects.filter(pk=held_month.pk).update(status="pending")
    assert reports.report_issue(report=held_month, user=tenants.provider_author) is False
    assert not Report.objects.get(pk=held_month.pk).is_issued
