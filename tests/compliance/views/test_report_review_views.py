"""The month close pages: provider staff list the month's reports with their key figures,
open any of them and issue one or all; nobody else reaches them (404)."""

import pytest
from django.urls import reverse

from compliance.models import Report
from tests.compliance.hour_credits import visible_text
from tests.compliance.month_close_support import (
    held_month_fixture,  # noqa: F401 - fixture
    issued_month_fixture,  # noqa: F401 - fixture
    last_month,
)
from tests.compliance.report_support import (
    report_key_files_fixture,  # noqa: F401 - fixture
    report_settings_fixture,  # noqa: F401 - fixture
)

pytestmark = pytest.mark.django_db

REVIEW = reverse("compliance:reports_review")
ISSUE_ALL = reverse("compliance:reports_issue_all")


def _issue_url(report):
    return reverse("compliance:report_issue", args=[report.contract.reference, report.pk])


def test_the_review_page_lists_the_months_reports_with_their_figures(tenants, held_month, client_for):
    response = client_for(tenants.provider_author).get(REVIEW, {"period": last_month()})
    assert response.status_code == 200
    (row,) = response.context["rows"]
    assert row.report == held_month and row.held
    assert (row.verdict.missed, row.verdict.measured) == (1, 2)
    text = visible_text(response.content.decode())
    assert "1 held for review" in text
    assert "Held for review" in text and "1 of 2" in text and "EUR 100.00" in text
    assert "Issue all 1 held report" in text


def test_the_review_page_defaults_to_the_month_just_ended_and_is_linked(tenants, held_month, client_for):
    client = client_for(tenants.provider_author)
    response = client.get(REVIEW)
    assert response.context["period"] == last_month()
    assert REVIEW in client.get(reverse("compliance:dashboard")).content.decode()


def test_a_get_writes_nothing(tenants, held_month, client_for, django_assert_max_num_queries):
    client_for(tenants.provider_author).get(REVIEW, {"period": last_month()})
    assert not Report.objects.get().is_issued


def test_author_issues_one_report_from_the_review_page(
    tenants, held_month, client_for, smtp_server, django_capture_on_commit_callbacks
):
    client = client_for(tenants.provider_author)
    next_url = f"{REVIEW}?period={last_month()}"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_issue_url(held_month), {"next": next_url})
    assert response.status_code == 302 and response.url == next_url
    assert Report.objects.get().issued_by == tenants.provider_author
    assert len(smtp_server.reports) == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_issue_url(held_month))
    assert len(smtp_server.reports) == 2
    assert len(smtp_server.credit_notes) == 2  # the month's credit note, once too


def test_author_issues_all_held_reports(
    tenants, held_month, client_for, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(tenants.provider_admin).post(ISSUE_ALL, {"period": last_month()})
    assert response.status_code == 302
    assert Report.objects.get().issued_by == tenants.provider_admin
    assert len(smtp_server.reports) == 2


def test_the_held_report_page_offers_the_issue_button_to_the_author(tenants, held_month, client_for):
    url = reverse("compliance:report_detail", args=[held_month.contract.reference, held_month.pk])
    page = client_for(tenants.provider_author).get(url).content.decode()
    assert "Held for review" in page and _issue_url(held_month) in page


@pytest.mark.parametrize("who", ["customer_admin", "customer_signer", "provider_viewer"])
def test_others_get_404_on_review_and_issue(tenants, held_month, client_for, who, smtp_server):
    client = client_for(getattr(tenants, who))
    assert client.get(REVIEW, {"period": last_month()}).status_code == 404
    assert client.post(_issue_url(held_month)).status_code == 404
    assert client.post(ISSUE_ALL, {"period": last_month()}).status_code == 404
    assert not Report.objects.get().is_issued and smtp_server.messages == []


def test_another_provider_sees_none_of_the_reports_and_gets_404_issuing_one(tenants, held_month, client_for):
    client = client_for(tenants.outsider_admin)
    response = client.get(REVIEW, {"period": last_month()})
    assert response.status_code == 200 and response.context["rows"] == []
    assert client.post(_issue_url(held_month)).status_code == 404
    detail = reverse("compliance:report_detail", args=[held_month.contract.reference, held_month.pk])
    assert client.get(detail).status_code == 404
    amendment = reverse("compliance:amendment", args=[held_month.contract.reference])
    assert client.get(amendment, {"period": last_month()}).status_code == 404
    client.post(ISSUE_ALL, {"period": last_month()})
    assert not Report.objects.get().is_issued


def test_a_bad_month_is_refused(tenants, client_for):
    assert client_for(tenants.provider_author).get(REVIEW, {"period": "2026-13"}).status_code == 400


def test_the_choice_of_issuing_automatically_is_saved_and_audited(tenants, client_for):
    from contracts.models import AuditAction, AuditEvent

    contract = tenants.contract
    url = reverse("contracts:contract_reports_settings", args=[contract.reference])
    back = reverse("compliance:contract_reports", args=[contract.reference])
    response = client_for(tenants.provider_author).post(
        url, {"reports_issued_automatically": "on", "next": back}
    )
    assert response.status_code == 302 and response.url == back
    contract.refresh_from_db()
    assert contract.reports_issued_automatically
    assert AuditEvent.objects.filter(contract=contract, action=AuditAction.REPORT_SETTINGS).count() == 1
    assert client_for(tenants.customer_admin).post(url, {}).status_code == 404
    contract.refresh_from_db()
    assert contract.reports_issued_automatically
