"""Amendments: an issued month whose figures changed shows the provider what changed,
before → after; issuing it emails the customer a new revision that says what changed and
why; discarding it keeps the issued figures until they change again. Regenerate prepares a
revision held for review."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from compliance.models import Delivery, Report
from compliance.selectors.issued import amendment_for
from compliance.services import reports
from compliance.services.amendments import amendment_discard, amendment_issue
from contracts.models import AuditAction, AuditEvent
from tests.compliance.hour_credits import visible_text
from tests.compliance.month_close_support import (
    held_month_fixture,  # noqa: F401 - fixture
    issued_month_fixture,  # noqa: F401 - fixture
    last_month,
    late_outage,
    outage,
)
from tests.compliance.report_support import (
    attachment,
    body,
    pdf_text,
    report_key_files_fixture,  # noqa: F401 - fixture
    report_settings_fixture,  # noqa: F401 - fixture
)

pytestmark = pytest.mark.django_db

REASON = "An outage on the 9th was recorded late by the monitoring import."


def _page(contract):
    return reverse("compliance:amendment", args=[contract.reference]) + f"?period={last_month()}"


def test_no_amendment_while_the_figures_match(issued_month):
    amendment = amendment_for(contract=issued_month.contract, period=last_month())
    assert amendment.changes == () and not amendment.pending


def test_provider_sees_the_amendment_before_and_after(tenants, issued_month, client_for):
    late_outage(tenants, issued_month.contract)
    amendment = amendment_for(contract=issued_month.contract, period=last_month())
    assert amendment.pending
    texts = [change.text for change in amendment.changes]
    assert texts[-1] == "credit 100.00 EUR → 250.00 EUR"
    (level,) = [c for c in amendment.changes if c.kind == "service_level"]
    assert level.before.endswith("%") and level.after.endswith("%") and level.before != level.after
    page = client_for(tenants.provider_author).get(_page(issued_month.contract))
    text = visible_text(page.content.decode())
    assert page.status_code == 200
    assert "credit 100.00 EUR 250.00 EUR" in text
    assert "Issue the amended report" in page.content.decode() and "Discard the amendment" in text
    review = client_for(tenants.provider_author).get(
        reverse("compliance:reports_review"), {"period": last_month()}
    )
    assert "Amendment pending" in visible_text(review.content.decode())


def test_issuing_the_amendment_emails_a_revision_saying_what_changed(
    tenants, issued_month, client_for, smtp_server, django_capture_on_commit_callbacks
):
    late_outage(tenants, issued_month.contract)
    sent_before = len(smtp_server.reports)
    url = reverse("compliance:amendment_issue", args=[issued_month.contract.reference])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(tenants.provider_author).post(url, {"period": last_month(), "reason": REASON})
    revision = Report.objects.get(contract=issued_month.contract, revision=2)
    assert response.status_code == 302
    assert revision.is_issued and revision.amendment_reason == REASON
    emails = {m["X-Envelope-To"]: m for m in smtp_server.reports[sent_before:]}
    assert set(emails) == {"hannah@harbour.example", "alice@brightline.example"}
    text = body(emails["hannah@harbour.example"])
    assert "it amends revision 1" in text
    assert "Amended: " in text and "credit 100.00 EUR → 250.00 EUR" in text
    assert f"Why: {REASON}" in text
    filename, pdf = attachment(emails["hannah@harbour.example"])
    assert filename.endswith("-r2.pdf")
    first_page = " ".join(pdf_text(pdf).split())
    assert "Amended report: it replaces the report issued earlier for November 2026" in first_page
    assert (
        "What changed:" in first_page
        and "credit 100.00 EUR → 250.00 EUR" in first_page
        and REASON in first_page
    )
    assert AuditEvent.objects.filter(action=AuditAction.REPORT_ISSUED).count() == 2
    # The customer now reads revision 2; nothing is pending.
    assert not amendment_for(contract=issued_month.contract, period=last_month()).pending
    customer = client_for(tenants.customer_admin).get(
        f"/api/v1/contracts/{issued_month.contract.reference}/compliance/{last_month()}/"
    )
    assert customer.json()["credits"]["capped_total"] == "250.00"


def test_issuing_an_amendment_needs_a_reason_and_a_change(tenants, issued_month, client_for):
    url = reverse("compliance:amendment_issue", args=[issued_month.contract.reference])
    client = client_for(tenants.provider_author)
    assert client.post(url, {"period": last_month(), "reason": ""}).status_code == 400
    response = client.post(url, {"period": last_month(), "reason": REASON})
    assert response.status_code == 400
    assert "nothing to amend" in visible_text(response.content.decode())
    assert Report.objects.count() == 1


def test_discarding_keeps_the_issued_figures_until_they_change_again(
    tenants, issued_month, client_for, smtp_server
):
    contract = issued_month.contract
    late_outage(tenants, contract)
    sent_before = len(smtp_server.reports)
    url = reverse("compliance:amendment_discard", args=[contract.reference])
    response = client_for(tenants.provider_author).post(url, {"period": last_month()})
    assert response.status_code == 302
    amendment = amendment_for(contract=contract, period=last_month())
    assert amendment.discarded and not amendment.pending
    event = AuditEvent.objects.get(action=AuditAction.AMENDMENT_DISCARDED)
    assert event.actor == tenants.provider_author and "credit 100.00 EUR → 250.00 EUR" in event.summary
    assert Report.objects.count() == 1 and len(smtp_server.reports) == sent_before
    with pytest.raises(ValidationError, match="discarded already"):
        amendment_discard(contract=contract, period=last_month(), user=tenants.provider_author)
    # The figures change once more: the amendment is back.
    outage(contract, tenants.provider_author, "OUT-LATER", day=16, hours=8)
    assert amendment_for(contract=contract, period=last_month()).pending


@pytest.mark.parametrize("who", ["customer_admin", "provider_viewer", "outsider_admin"])
def test_only_provider_authors_reach_amendments(tenants, issued_month, client_for, who):
    late_outage(tenants, issued_month.contract)
    client = client_for(getattr(tenants, who))
    reference = issued_month.contract.reference
    assert client.get(_page(issued_month.contract)).status_code == 404
    for name in ("amendment_issue", "amendment_discard"):
        response = client.post(
            reverse(f"compliance:{name}", args=[reference]), {"period": last_month(), "reason": REASON}
        )
        assert response.status_code == 404
    assert Report.objects.count() == 1 and not Report.objects.get().amendment_discarded_digest


def test_regenerate_prepares_a_revision_held_for_review(
    tenants, issued_month, smtp_server, django_capture_on_commit_callbacks
):
    late_outage(tenants, issued_month.contract)
    sent_before = len(smtp_server.reports)
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_regenerate(
            contract=issued_month.contract, period=last_month(), user=tenants.provider_author
        )
    revision = Report.objects.get(revision=2)
    assert revision.is_ready and not revision.is_issued
    assert len(smtp_server.reports) == sent_before and not Delivery.objects.filter(report=revision).exists()
    # Issued from the review page, its email says what changed against revision 1.
    with django_capture_on_commit_callbacks(execute=True):
        assert reports.report_issue(report=revision, user=tenants.provider_author)
    text = body(
        next(m for m in smtp_server.reports[sent_before:] if m["X-Envelope-To"] == "hannah@harbour.example")
    )
    assert "credit 100.00 EUR → 250.00 EUR" in text


def test_amendment_issue_issues_a_held_regenerated_revision_with_the_reason(
    tenants, issued_month, smtp_server, django_capture_on_commit_callbacks
):
    late_outage(tenants, issued_month.contract)
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_regenerate(contract=issued_month.contract, period=last_month())
    with django_capture_on_commit_callbacks(execute=True):
        report = amendment_issue(
            contract=issued_month.contract, period=last_month(), user=tenants.provider_author, reason=REASON
        )
    report.refresh_from_db()  # rendered and issued by the worker once committed
    assert report.revision == 2 and report.is_issued and Report.objects.count() == 2
    pdf = attachment(smtp_server.reports[-1])[1]
    assert REASON in " ".join(pdf_text(pdf).split())
