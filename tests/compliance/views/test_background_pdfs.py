"""No click waits on a PDF: making a credit note and issuing an amendment answer at once,
the PDF is rendered by a worker once the change is committed (once, however often its task
runs), the report page shows it being prepared (polled by htmx) and then the download, and
the emails that attach it go out only after it exists, once per recipient."""

from __future__ import annotations

import pytest
from django.urls import reverse

from compliance.models import CreditNote, CreditNoteDelivery, Delivery, DeliveryStatus, Report, ReportStatus
from compliance.reports import rendering
from compliance.services import amendments, credit_notes
from tests.compliance.dispute_support import issued_report_fixture  # noqa: F401 - fixture
from tests.compliance.month_close_support import (
    held_month_fixture,  # noqa: F401 - fixture
    issued_month_fixture,  # noqa: F401 - fixture
    last_month,
    late_outage,
)
from tests.compliance.report_support import (
    active_contract_fixture,  # noqa: F401 - fixture
    report_key_files_fixture,  # noqa: F401 - fixture
    report_settings_fixture,  # noqa: F401 - fixture
)

pytestmark = pytest.mark.django_db

REASON = "An outage on the 9th was recorded late by the monitoring import."


def _no_rendering_here(monkeypatch, name: str):
    """Make ``name`` fail if called; the real renderer."""
    real = getattr(rendering, name)

    def refuse(*args, **kwargs):
        raise AssertionError(f"{name} rendered inside the request")

    monkeypatch.setattr(rendering, name, refuse)
    return real


def _counting(monkeypatch, name: str, real) -> list:
    """Put the real renderer back, counting its calls."""
    calls: list = []

    def count(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(rendering, name, count)
    return calls


def _progress(client, report, **headers):
    url = reverse("compliance:report_progress", args=[report.contract.reference, report.pk])
    return client.get(url, **headers)


def test_making_a_credit_note_answers_at_once_and_the_page_shows_it_prepared(
    tenants, issued_report, client_for, smtp_server, monkeypatch, django_capture_on_commit_callbacks
):
    # The month's own PDF is not what this is about: take it as made.
    Report.objects.filter(pk=issued_report.pk).update(status=ReportStatus.READY)
    reference = issued_report.contract.reference
    detail = reverse("compliance:report_detail", args=[reference, issued_report.pk])
    provider = client_for(tenants.provider_author)
    real = _no_rendering_here(monkeypatch, "credit_note_pdf")
    with django_capture_on_commit_callbacks() as queued:
        response = provider.post(reverse("compliance:credit_note_make", args=[reference, issued_report.pk]))
    assert response.status_code == 302
    note = CreditNote.objects.get()
    assert not note.pdf and len(queued) == 2  # the PDF's task and the webhook signal
    page = provider.get(detail).content.decode()
    assert "is being prepared and then emailed" in page
    assert 'data-progress="preparing"' in page and f"Credit note {note.number} is being prepared" in page
    assert reverse("compliance:report_progress", args=[reference, issued_report.pk]) in page
    assert "Download the credit note" not in page
    poll = _progress(provider, issued_report, HTTP_HX_REQUEST="true")
    assert 'data-progress="preparing"' in poll.content.decode() and "HX-Refresh" not in poll
    # A send that comes first finds no PDF to attach: nothing is claimed, nothing sent.
    first = CreditNoteDelivery.objects.order_by("pk").first()
    assert credit_notes.credit_note_delivery_send(delivery_id=first.pk, final=True) == "skipped"
    assert first.__class__.objects.get(pk=first.pk).status == DeliveryStatus.PENDING

    renders = _counting(monkeypatch, "credit_note_pdf", real)
    with django_capture_on_commit_callbacks(execute=True):
        for callback in queued:  # the commit: the worker renders, then queues the emails
            callback()
    note.refresh_from_db()
    assert note.pdf and renders == [1]
    assert sorted(m["X-Envelope-To"] for m in smtp_server.credit_notes) == [
        "alice@brightline.example",
        "hannah@harbour.example",
    ]
    poll = _progress(provider, issued_report, HTTP_HX_REQUEST="true")
    assert poll["HX-Refresh"] == "true"
    assert 'data-progress="ready"' in poll.content.decode()
    download = reverse("compliance:credit_note_download", args=[reference, note.number])
    assert download in poll.content.decode() and download in provider.get(detail).content.decode()

    # A retried or doubled task renders nothing more and sends nothing twice.
    stored = note.pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        assert credit_notes.credit_note_render(credit_note_id=note.pk) is False
    note.refresh_from_db()
    assert renders == [1] and note.pdf.name == stored and len(smtp_server.credit_notes) == 2


def test_issuing_an_amendment_answers_at_once_and_the_worker_renders_and_issues_it(
    tenants, issued_month, client_for, smtp_server, monkeypatch, django_capture_on_commit_callbacks
):
    contract = issued_month.contract
    late_outage(tenants, contract)
    sent_before = len(smtp_server.reports)
    provider = client_for(tenants.provider_author)
    real = _no_rendering_here(monkeypatch, "report_pdf")
    with django_capture_on_commit_callbacks() as queued:
        response = provider.post(
            reverse("compliance:amendment_issue", args=[contract.reference]),
            {"period": last_month(), "reason": REASON},
        )
    revision = Report.objects.get(contract=contract, revision=2)
    assert response.status_code == 302
    assert response["Location"] == reverse("compliance:report_detail", args=[contract.reference, revision.pk])
    assert revision.status == ReportStatus.PENDING and not revision.is_issued
    assert not Delivery.objects.filter(report=revision).exists()
    page = provider.get(response["Location"]).content.decode()
    assert "is being prepared; it is issued and emailed once its PDF is ready" in page
    assert 'data-progress="preparing"' in page
    assert "the amended report is issued and emailed once it is ready" in page

    renders = _counting(monkeypatch, "report_pdf", real)
    with django_capture_on_commit_callbacks(execute=True):
        for callback in queued:
            callback()
    revision.refresh_from_db()
    assert revision.status == ReportStatus.READY and revision.is_issued and renders == [1]
    assert revision.issued_by == tenants.provider_author
    recipients = sorted(m["X-Envelope-To"] for m in smtp_server.reports[sent_before:])
    assert recipients == ["alice@brightline.example", "hannah@harbour.example"]
    poll = _progress(provider, revision, HTTP_HX_REQUEST="true")
    assert poll["HX-Refresh"] == "true"
    assert (
        reverse("compliance:report_download", args=[contract.reference, revision.pk]) in poll.content.decode()
    )

    # The task again (a retry, a redelivery): no second render, issue or email.
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            amendments.amendment_finish(report_id=revision.pk, user_id=tenants.provider_author.pk)
            == "already"
        )
    assert renders == [1] and len(smtp_server.reports) == sent_before + 2


def test_the_progress_of_another_tenants_report_is_not_found(tenants, issued_report, client_for):
    assert _progress(client_for(tenants.outsider_admin), issued_report).status_code == 404
