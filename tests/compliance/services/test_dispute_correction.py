"""An accepted dispute is corrected by the amended report that follows it: the dispute
shows "corrected in revision 2" on both revisions' pages, in the API and in the audit log,
and the customer's email of the amended report names it. A rejected dispute, or one of
another month, is not linked."""

import pytest
from django.urls import reverse

from compliance.models import Dispute, Report
from compliance.services import disputes
from compliance.services.amendments import amendment_issue
from contracts.models import AuditAction, AuditEvent
from tests.compliance.hour_credits import visible_text
from tests.compliance.month_close_support import (
    held_month_fixture,  # noqa: F401 - fixture
    issued_month_fixture,  # noqa: F401 - fixture
    last_month,
    outage,
)
from tests.compliance.report_support import (
    body,
    report_key_files_fixture,  # noqa: F401 - fixture
    report_settings_fixture,  # noqa: F401 - fixture
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(tenants, issued_month, django_capture_on_commit_callbacks):
    """The customer disputed OUT-1's times (it ended at 13:00, not 11:00); the provider
    accepted and corrected the outage; a second dispute was rejected."""
    with django_capture_on_commit_callbacks(execute=True):
        dispute = disputes.dispute_raise(
            report=issued_month,
            user=tenants.customer_admin,
            kind="event_times",
            subject="OUT-1",
            reason="Email was down until 13:00.",
        )
        disputes.dispute_answer(dispute=dispute, user=tenants.provider_author, accept=True)
        other = disputes.dispute_raise(
            report=issued_month, user=tenants.customer_admin, kind="credit", reason="Too low."
        )
        disputes.dispute_answer(
            dispute=other, user=tenants.provider_author, accept=False, answer="The tiers say so."
        )
    outage(issued_month.contract, tenants.provider_author, "OUT-1", day=2, hours=3)
    return dispute


def test_the_amendment_that_follows_corrects_the_accepted_dispute(
    tenants, issued_month, accepted, client_for, smtp_server, django_capture_on_commit_callbacks
):
    sent_before = len(smtp_server.reports)
    with django_capture_on_commit_callbacks(execute=True):
        revision = amendment_issue(
            contract=issued_month.contract,
            period=last_month(),
            user=tenants.provider_author,
            reason="OUT-1 corrected after the customer's dispute.",
        )
    accepted.refresh_from_db()
    assert accepted.corrected_in == revision and revision.revision == 2
    assert Dispute.objects.get(kind="credit").corrected_in is None  # rejected: not corrected

    # The audit log.
    event = AuditEvent.objects.filter(action=AuditAction.REPORT_ISSUED).latest("pk")
    assert event.summary == (
        f"Issued the report for {last_month()} (revision 2), correcting the accepted dispute "
        "An event's times: OUT-1"
    )
    assert event.details["disputes_corrected"] == [accepted.pk]

    # The customer's email of the amended report names the dispute.
    email = next(
        m for m in smtp_server.reports[sent_before:] if m["X-Envelope-To"] == "hannah@harbour.example"
    )
    text = body(email)
    assert "It corrects what you disputed and the provider accepted:" in text
    assert "An event's times: OUT-1 (disputed in revision 1)" in text

    # Both revisions' pages, for both parties.
    contract = issued_month.contract
    for user in (tenants.customer_admin, tenants.provider_author):
        first = client_for(user).get(
            reverse("compliance:report_detail", args=[contract.reference, issued_month.pk])
        )
        assert "Corrected in revision 2" in visible_text(first.content.decode())
        second = client_for(user).get(
            reverse("compliance:report_detail", args=[contract.reference, revision.pk])
        )
        assert (
            "This revision corrects what the customer disputed and the provider accepted: "
            "An event's times: OUT-1 (disputed in revision 1" in visible_text(second.content.decode())
        )

    # The API.
    api = client_for(tenants.customer_admin).get(
        f"/api/v1/contracts/{contract.reference}/reports/{issued_month.pk}/disputes/"
    )
    by_kind = {d["kind"]: d for d in api.json()["disputes"]}
    assert by_kind["event_times"]["corrected_in_revision"] == 2
    assert by_kind["event_times"]["corrected_in_report"] == revision.pk
    assert by_kind["credit"]["corrected_in_revision"] is None


def test_before_the_amendment_the_dispute_awaits_it(tenants, issued_month, accepted, client_for):
    page = client_for(tenants.customer_admin).get(
        reverse("compliance:report_detail", args=[issued_month.contract.reference, issued_month.pk])
    )
    text = visible_text(page.content.decode())
    assert "an amendment of the report follows" in text and "Corrected in revision" not in text
    assert Report.objects.filter(contract=issued_month.contract).count() == 1
