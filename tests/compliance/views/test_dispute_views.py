"""The report page's acknowledge, dispute and answer forms: states shown, refusals with
the reason (400, nothing written), another tenant's report 404."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from compliance.engine.disputes import format_day, window_closes_on
from compliance.models import Dispute, Report, ReportAcknowledgement
from compliance.services import disputes
from tests.compliance.dispute_support import (
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


def _url(name, report, *extra):
    return reverse(f"compliance:{name}", args=[report.contract.reference, report.pk, *extra])


DISPUTE = {"kind": "exclusion", "subject": "OUT-99", "reason": "Not our change."}


@pytest.fixture
def frozen(issued_report):
    """The report issued just now: its window is open."""
    Report.objects.filter(pk=issued_report.pk).update(issued_at=timezone.now())
    issued_report.refresh_from_db()


def _issued_long_ago(report):
    """Issued 30 days ago: its 14-day window has closed; the day it closed."""
    issued_at = timezone.now() - timedelta(days=30)
    Report.objects.filter(pk=report.pk).update(issued_at=issued_at)
    report.refresh_from_db()
    return format_day(window_closes_on(issued_at, 14, report.contract.time_zone))


def test_customer_disputes_from_the_report_page(tenants, issued_report, client_for, frozen):
    client = client_for(tenants.customer_admin)
    page = client.get(_url("report_detail", issued_report)).content.decode()
    closes = format_day(window_closes_on(issued_report.issued_at, 14, "Europe/Amsterdam"))
    assert f"until {closes} (14 days)" in page and "Dispute an item" in page
    response = client.post(_url("dispute_raise", issued_report), DISPUTE)
    assert response.status_code == 302
    page = client.get(_url("report_detail", issued_report)).content.decode()
    assert "Disputed" in page and "An exclusion: OUT-99" in page and "Not our change." in page


def test_late_dispute_shows_when_the_window_closed(tenants, issued_report, client_for):
    closed = _issued_long_ago(issued_report)
    client = client_for(tenants.customer_admin)
    response = client.post(_url("dispute_raise", issued_report), DISPUTE)
    assert response.status_code == 400
    assert f"The dispute window closed on {closed}." in response.content.decode()
    assert not Dispute.objects.exists()


def test_unissued_report_is_refused(tenants, active_contract, client_for):
    report = report_of_month(active_contract, issued=False)
    response = client_for(tenants.customer_admin).post(_url("dispute_raise", report), DISPUTE)
    assert response.status_code == 400 and "has not been issued" in response.content.decode()
    assert not Dispute.objects.exists()


@pytest.mark.parametrize("who", ["outsider_admin", "provider_author"])
def test_only_the_customer_disputes_and_acknowledges(tenants, issued_report, client_for, who):
    client = client_for(getattr(tenants, who))
    assert client.post(_url("dispute_raise", issued_report), DISPUTE).status_code == 404
    assert client.post(_url("report_acknowledge", issued_report), {}).status_code == 404
    assert not Dispute.objects.exists() and not ReportAcknowledgement.objects.exists()


def test_another_tenant_cannot_dispute_or_acknowledge_the_report(
    tenants, issued_report, client_for, mailoutbox
):
    client = client_for(tenants.outsider_admin)
    assert client.post(_url("dispute_raise", issued_report), DISPUTE).status_code == 404
    assert client.post(_url("report_acknowledge", issued_report), {}).status_code == 404
    assert not Dispute.objects.exists() and not ReportAcknowledgement.objects.exists()
    assert not mailoutbox


def test_outsider_gets_404_for_the_report_and_the_answer(tenants, issued_report, client_for):
    dispute = disputes.dispute_raise(
        report=issued_report, user=tenants.customer_admin, now=IN_WINDOW, **DISPUTE
    )
    client = client_for(tenants.outsider_admin)
    assert client.get(_url("report_detail", issued_report)).status_code == 404
    answer = _url("dispute_answer", issued_report, dispute.pk)
    assert client.post(answer, {"decision": "accept"}).status_code == 404
    viewer = client_for(tenants.provider_viewer)
    assert viewer.post(answer, {"decision": "accept"}).status_code == 404
    assert Dispute.objects.get().is_open


def test_provider_rejects_then_the_customer_acknowledges(tenants, issued_report, client_for, frozen):
    dispute = disputes.dispute_raise(report=issued_report, user=tenants.customer_admin, **DISPUTE)
    provider = client_for(tenants.provider_author)
    answer = _url("dispute_answer", issued_report, dispute.pk)
    refused = provider.post(answer, {"decision": "reject", "answer": ""})
    assert refused.status_code == 400 and "Give the reason for rejecting." in refused.content.decode()
    assert provider.post(answer, {"decision": "reject", "answer": "Your change."}).status_code == 302
    customer = client_for(tenants.customer_admin)
    page = customer.get(_url("report_detail", issued_report)).content.decode()
    assert "Resolved" in page and "Your change." in page
    assert customer.post(_url("report_acknowledge", issued_report), {"note": ""}).status_code == 302
    page = customer.get(_url("report_detail", issued_report)).content.decode()
    assert "Acknowledged by" in page and "Dispute an item" not in page


def test_page_shows_final_after_the_window(tenants, issued_report, client_for):
    closed = _issued_long_ago(issued_report)
    page = client_for(tenants.customer_admin).get(_url("report_detail", issued_report)).content.decode()
    assert "Final" in page and f"The dispute window closed on {closed}." in page
    assert "Dispute an item" not in page
