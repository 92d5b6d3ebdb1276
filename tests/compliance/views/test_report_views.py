"""Report pages: both parties read a report and download its PDF, lists per contract and
per customer, resend and regenerate for provider authors only, the run's progress."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from compliance.models import Delivery, DeliveryStatus, Report, ReportRun
from compliance.services import reports
from tests.compliance.compliance_fixtures import record_month
from tests.compliance.hour_credits import hour_credit_contract, visible_text
from tests.compliance.report_support import (
    PERIOD,
    active_contract_fixture,  # noqa: F401 - fixture
    make_active,
    more_contracts,
    report_key_files_fixture,  # noqa: F401 - fixture
    report_settings_fixture,  # noqa: F401 - fixture
    stored_pdf,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(active_contract, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = reports.report_run_start(period=PERIOD)
    return run, Report.objects.get(contract=active_contract)


def _detail(report):
    return reverse("compliance:report_detail", args=[report.contract.reference, report.pk])


def _pdf(report):
    return reverse("compliance:report_download", args=[report.contract.reference, report.pk])


@pytest.mark.parametrize("who", ["customer_admin", "customer_signer", "provider_viewer", "provider_author"])
def test_both_parties_read_the_report_and_download_its_pdf(tenants, month, client_for, who):
    _, report = month
    client = client_for(getattr(tenants, who))
    page = client.get(_detail(report))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Compliance report March 2026" in html and "1 of 2 measured service levels were missed." in html
    assert "hannah@harbour.example" in html
    download = client.get(_pdf(report))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert f'filename="{report.filename}"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == stored_pdf(report)


def test_outsider_gets_404_for_report_pdf_lists_and_run(tenants, month, client_for):
    run, report = month
    client = client_for(tenants.outsider_admin)
    for url in (
        _detail(report),
        _pdf(report),
        reverse("compliance:contract_reports", args=[report.contract.reference]),
        reverse("compliance:customer_reports", args=[tenants.customer.slug]),
        reverse("compliance:report_run", args=[run.pk]),
        reverse("compliance:report_run_progress", args=[run.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_contract_and_customer_lists_show_each_report(tenants, month, client_for):
    _, report = month
    client = client_for(tenants.customer_admin)
    for url in (
        reverse("compliance:contract_reports", args=[report.contract.reference]),
        reverse("compliance:customer_reports", args=[tenants.customer.slug]),
    ):
        html = client.get(url).content.decode()
        assert _detail(report) in html and _pdf(report) in html
        assert "2 of 2" in html  # emails sent
    # Only provider authors see the regenerate form.
    assert (
        "Regenerate the report"
        not in client.get(
            reverse("compliance:contract_reports", args=[report.contract.reference])
        ).content.decode()
    )


def test_recent_runs_are_listed_in_utc_and_labelled(tenants, month, client_for):
    run, report = month
    ReportRun.objects.filter(pk=run.pk).update(started_at=datetime(2026, 11, 30, 1, 28, tzinfo=UTC))
    html = (
        client_for(tenants.provider_author)
        .get(reverse("compliance:contract_reports", args=[report.contract.reference]))
        .content.decode()
    )
    assert "30 November 2026, 01:28 UTC</a>" in html


def test_list_queries_stay_constant_in_the_number_of_reports(
    tenants, month, client_for, django_assert_max_num_queries, smtp_server, django_capture_on_commit_callbacks
):
    client = client_for(tenants.provider_author)
    url = reverse("compliance:customer_reports", args=[tenants.customer.slug])
    with django_assert_max_num_queries(12):
        client.get(url)
    run_url = reverse("compliance:report_run", args=[month[0].pk])
    with django_assert_max_num_queries(12):
        client.get(run_url)
    more_contracts(tenants, 2)
    with django_capture_on_commit_callbacks(execute=True):
        run = reports.report_run_start(period=PERIOD)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("compliance:report_run", args=[run.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        client.get(url)


def test_run_progress_counts_done_failed_pending(tenants, month, client_for):
    run, _ = month
    client = client_for(tenants.provider_author)
    html = client.get(reverse("compliance:report_run", args=[run.pk])).content.decode()
    assert "Done 1" in html and "Failed 0" in html and "Pending 0" in html
    assert "hx-trigger" not in html  # finished: no more polling
    Delivery.objects.filter(report__contract=tenants.contract).update(status=DeliveryStatus.PENDING)
    partial = client.get(reverse("compliance:report_run_progress", args=[run.pk])).content.decode()
    assert "Pending 1" in partial and 'hx-trigger="every 2s"' in partial
    assert "<html" not in partial


def test_author_resends_to_recipients_who_did_not_receive_it(
    tenants, month, client_for, smtp_server, django_capture_on_commit_callbacks
):
    _, report = month
    Delivery.objects.filter(email="hannah@harbour.example").update(
        status=DeliveryStatus.FAILED, reason="refused"
    )
    client = client_for(tenants.provider_author)
    url = reverse("compliance:report_resend", args=[report.contract.reference, report.pk])
    assert client.get(url).status_code == 405
    sent_before = len(smtp_server.reports)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == _detail(report)
    assert "being sent to 1 recipient" in response.content.decode()
    assert [m["X-Envelope-To"] for m in smtp_server.reports[sent_before:]] == ["hannah@harbour.example"]
    assert Delivery.objects.get(email="hannah@harbour.example").status == DeliveryStatus.SENT


@pytest.mark.parametrize("who", ["customer_admin", "provider_viewer"])
def test_customers_and_viewers_cannot_resend_or_regenerate(tenants, month, client_for, who):
    _, report = month
    client = client_for(getattr(tenants, who))
    reference = report.contract.reference
    assert client.post(reverse("compliance:report_resend", args=[reference, report.pk])).status_code == 404
    response = client.post(reverse("compliance:report_regenerate", args=[reference]), {"period": PERIOD})
    assert response.status_code == 404
    assert ReportRun.objects.count() == 1


def test_regenerate_refuses_a_bad_month_with_the_field_error(tenants, month, client_for):
    client = client_for(tenants.provider_author)
    url = reverse("compliance:report_regenerate", args=[tenants.contract.reference])
    response = client.post(url, {"period": "2026-13"})
    assert response.status_code == 400
    assert 'value="2026-13"' in response.content.decode()  # what was typed is kept
    assert ReportRun.objects.count() == 1


def test_regenerate_unchanged_month_says_it_is_up_to_date(tenants, month, client_for):
    client = client_for(tenants.provider_author)
    url = reverse("compliance:report_regenerate", args=[tenants.contract.reference])
    response = client.post(url, {"period": PERIOD})
    assert response.status_code == 400
    assert "Revision 1 is up to date" in response.content.decode()
    assert ReportRun.objects.count() == 1 and Report.objects.count() == 1


def test_regenerate_after_a_failed_render_makes_the_pdf_and_shows_the_run(
    tenants, month, client_for, django_capture_on_commit_callbacks
):
    _, report = month
    Report.objects.filter(pk=report.pk).update(status="failed", error="boom")
    client = client_for(tenants.provider_author)
    url = reverse("compliance:report_regenerate", args=[tenants.contract.reference])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"period": PERIOD})
    run = ReportRun.objects.latest("id")
    assert response.status_code == 302 and response.url == reverse("compliance:report_run", args=[run.pk])
    assert Report.objects.get(pk=report.pk).status == "ready"


def _hour_credit_report(tenants) -> Report:
    """March 2026 of a contract crediting hours of work, with no incidents."""
    contract = hour_credit_contract(tenants)
    record_month(contract, tenants.provider_author, incidents=0)
    make_active(contract)
    report = reports._report_for_period(contract, PERIOD)
    # Issued (its PDF is not needed here): the customer reads what was issued.
    Report.objects.filter(pk=report.pk).update(issued_at=timezone.now())
    return report


def test_report_page_shows_hour_credits_beside_the_money(tenants, report_settings, client_for):
    report = _hour_credit_report(tenants)
    text = visible_text(client_for(tenants.customer_admin).get(_detail(report)).content.decode())
    assert "Credit due: EUR 0.00 + 1 h" in text


def test_report_page_says_a_level_had_no_incidents(tenants, report_settings, client_for):
    report = _hour_credit_report(tenants)
    text = visible_text(client_for(tenants.customer_admin).get(_detail(report)).content.decode())
    assert "First response to P1 incidents 60 min No incidents this month Met" in text
    assert "100%" not in text.split("First response to P1 incidents")[1]
