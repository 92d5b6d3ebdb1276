"""The report PDF: the evaluation's figures in plain text, sealed, verified by verify_pdf."""

import pytest
from django.core.management import call_command

from compliance.models import Report
from compliance.reports.verification import report_pdf_verify
from compliance.services import reports
from contracts.display_zone import shown_to
from contracts.models import Organisation
from contracts.texts.formats import format_percent
from contracts.texts.wording import format_datetime
from tests import factories
from tests.compliance.compliance_fixtures import published_contract, record_month
from tests.compliance.hour_credits import hour_credit_contract
from tests.compliance.report_support import (
    DOCUMENT_SHA256,
    PERIOD,
    active_contract_fixture,  # noqa: F401 - fixture
    make_active,
    page_count,
    pdf_text,
    report_key_files_fixture,  # noqa: F401 - fixture
    report_settings_fixture,  # noqa: F401 - fixture
    stored_pdf,
)

pytestmark = pytest.mark.django_db


def _report(contract) -> Report:
    report = reports._report_for_period(contract, PERIOD)
    reports.report_render(report=report)
    return report


def test_report_pdf_shows_the_evaluation_figures(active_contract):
    report = _report(active_contract)
    figures = report.evaluation.figures
    data = stored_pdf(report)
    text = " ".join(pdf_text(data).split())
    availability = figures["service_levels"][0]
    assert availability["achieved_display"] == "99.8"
    assert "1 of 2 measured service levels were missed" in text
    assert f"Availability 99.9% {format_percent(availability['achieved'])} Missed" in text
    assert (
        f"Availability: {format_percent(availability['achieved'])} available against a target of 99.9%."
        in text
    )  # the first page
    assert "down 1 h of 30 days 23 h measured" in text
    assert f"The customer is owed EUR {figures['credits']['capped_total']} in service credits." in text
    # The exclusion with its reason and clause, in words.
    assert "against the duty: The customer does not install defective applications" in text
    assert "Clause 3, “Customer responsibilities”" in text
    assert "OUT-99" in text and "INC-0" in text  # the appendix lists the month's events
    assert "balance: 52 hours still owed." in text
    assert DOCUMENT_SHA256 in text and report.verification_code in text
    assert "Page 2 of 5" in text  # page numbers, and the running header on every page
    assert text.count("SLA-2026-0001 · compliance report March 2026 · Harbour Dental") == page_count(data) - 1
    assert report.pdf_pages == page_count(data) == 5


def test_report_cover_gives_the_computed_time_in_the_contracts_zone(active_contract):
    report = _report(active_contract)
    text = " ".join(pdf_text(stored_pdf(report)).split())
    computed = format_datetime(report.evaluation.computed_at, "Europe/Amsterdam")
    assert computed.endswith(" (Europe/Amsterdam)")
    assert f"Figures as of {computed}" in text
    assert "revision" not in text.lower()


def test_verify_pdf_accepts_a_genuine_report(active_contract, tmp_path, capsys):
    report = _report(active_contract)
    path = tmp_path / "report.pdf"
    path.write_bytes(stored_pdf(report))
    call_command("verify_pdf", str(path))
    out = capsys.readouterr().out
    assert "VALID: a compliance report issued by this portal" in out
    assert f"Signed contract SHA-256: {DOCUMENT_SHA256}" in out


def test_verify_pdf_rejects_an_altered_report(active_contract, tmp_path, capsys):
    report = _report(active_contract)
    data = stored_pdf(report)
    altered = data.replace(b"/Producer", b"/Pr0ducer", 1)
    assert altered != data
    path = tmp_path / "altered.pdf"
    path.write_bytes(altered)
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_pdf", str(path))
    assert exit_info.value.code == 1
    assert "NOT VALID" in capsys.readouterr().out


def test_a_report_with_a_forged_signed_contract_hash_is_not_valid(active_contract):
    report = _report(active_contract)
    Report.objects.filter(pk=report.pk).update(document_sha256="cd" * 32)
    result = report_pdf_verify(stored_pdf(report))
    assert not result.valid
    assert any("signed-contract hash" in problem for problem in result.problems)


def test_verify_pdf_still_checks_signed_contracts(report_settings, tmp_path, capsys):
    path = tmp_path / "plain.pdf"
    from contracts.documents.pdf import html_to_pdf

    path.write_bytes(html_to_pdf("<p>Not sealed</p>"))
    with pytest.raises(SystemExit):
        call_command("verify_pdf", str(path))
    assert "not a document signed in this portal" in capsys.readouterr().out


def test_internal_sla_report_says_internal_sla_with_department_names(tenants, report_settings):
    from tests.compliance.compliance_fixtures import published_contract, record_month

    company = factories.organisation("Acme Manufacturing")
    Organisation.objects.filter(pk__in=[tenants.provider.pk, tenants.customer.pk]).update(parent=company)
    contract = published_contract(tenants)
    record_month(contract, tenants.provider_author)
    make_active(contract)
    text = " ".join(pdf_text(stored_pdf(_report(contract))).split())
    assert "Compliance report · internal SLA" in text
    assert "Providing department Brightline Managed IT (Acme Manufacturing)" in text
    assert "Customer department Harbour Dental (Acme Manufacturing)" in text


def test_verify_page_accepts_a_genuine_report_and_rejects_an_altered_one(active_contract, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = _report(active_contract)
    data = stored_pdf(report)
    genuine = client.post("/verify/", {"file": SimpleUploadedFile("r.pdf", data, "application/pdf")})
    body = genuine.content.decode()
    assert genuine.status_code == 200
    assert "A compliance report issued by this portal, unaltered" in body
    assert active_contract.reference in body
    altered = data.replace(b"/Producer", b"/Pr0ducer", 1)
    response = client.post("/verify/", {"file": SimpleUploadedFile("r.pdf", altered, "application/pdf")})
    assert "Not valid: altered." in response.content.decode()


def test_report_pdf_totals_hour_credits_beside_the_money(tenants, report_settings):
    contract = hour_credit_contract(tenants)
    record_month(contract, tenants.provider_author, incidents=0)
    make_active(contract)
    text = " ".join(pdf_text(stored_pdf(_report(contract))).split())
    assert "The customer is owed 1 hour of work in service credits." in text
    assert "Total before the cap EUR 0.00 + 1 h" in text
    # pdftotext may read a wrapped label cell before or after its row's figures.
    assert "Monthly cap (50.00% of the monthly fee), on money; hours of work are not capped" in text
    assert "EUR 500.00" in text
    assert "EUR 0.00 + 1 h" in text.split("Credit due", 2)[-1]


def test_report_pdf_says_a_level_had_no_incidents(tenants, report_settings):
    contract = published_contract(tenants)
    record_month(contract, tenants.provider_author, incidents=0)
    make_active(contract)
    text = " ".join(pdf_text(stored_pdf(_report(contract))).split())
    assert "First response to P1 incidents (P1) 1 business hour for 95% of incidents No incidents Met" in text
    assert (
        "First response to P1 incidents: met Target 1 business hour for 95% of incidents. "
        "No incidents this month." in text
    )
    assert "0 of 0" not in text


def test_a_contract_signed_on_paper_is_named_so_in_the_report(tenants, report_settings, client_for):
    from contracts.models import Version

    contract = published_contract(tenants)
    record_month(contract, tenants.provider_author, incidents=0)
    make_active(contract, document_sha256="")
    Version.objects.filter(contract=contract).update(signed_outside_portal=True)
    report = _report(contract)
    text = " ".join(pdf_text(stored_pdf(report)).split())
    assert "signed outside the portal; no signed document is held in the portal" in text
    assert reports.report_issue(report=report, user=tenants.provider_author)  # the customer reads it
    page = (
        client_for(tenants.customer_admin)
        .get(f"/contracts/{contract.reference}/reports/{report.pk}/")
        .content.decode()
    )
    assert "signed outside the portal; no signed document is held in the portal" in page


def test_report_pdf_stays_on_the_contracts_clock_whoever_renders_it(active_contract):
    with shown_to("America/New_York"):
        report = _report(active_contract)
    text = " ".join(pdf_text(stored_pdf(report)).split())
    assert f"Figures as of {format_datetime(report.evaluation.computed_at, 'Europe/Amsterdam')}" in text
    assert "America/New_York" not in text
    # The appendix's event times carry the zone of their day: March 2026 in Amsterdam.
    assert " CET" in text
