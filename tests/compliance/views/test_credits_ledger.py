"""The credits ledger page and its exports (CSV, XLSX, pages and API): owed, issued and
applied per customer and month; formula injection neutralised; constant queries."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from compliance.services import credit_notes
from contracts.models import Organisation
from slaportal.exports import safe_cell
from tests.compliance.dispute_support import issued_report_fixture, report_of_month  # noqa: F401
from tests.compliance.report_support import (
    active_contract_fixture,  # noqa: F401 - fixture
    more_contracts,
    report_key_files_fixture,  # noqa: F401 - fixture
    report_settings_fixture,  # noqa: F401 - fixture
)

pytestmark = pytest.mark.django_db

LEDGER = reverse("compliance:credits_ledger")


def _export(table, fmt):
    return reverse("compliance:credits_export", args=[table, fmt])


@pytest.mark.parametrize("value", ["=HYPERLINK(1)", "+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_prefixes_are_neutralised(value):
    assert safe_cell(value) == "'" + value


def test_ledger_shows_owed_issued_and_applied(tenants, issued_report, client_for):
    note = credit_notes.credit_note_create(report=issued_report)
    credit_notes.credit_note_apply(credit_note=note, user=tenants.provider_author, invoice_reference="INV-7")
    for who in ("provider_author", "customer_admin"):
        page = client_for(getattr(tenants, who)).get(LEDGER).content.decode()
        assert "Harbour Dental" in page and "2026-03" in page and note.number in page
        assert "EUR 100.00" in page and "Applied to invoice INV-7" in page
    assert note.number not in client_for(tenants.outsider_admin).get(LEDGER).content.decode()


def test_provider_marks_applied_from_the_ledger(tenants, issued_report, client_for):
    note = credit_notes.credit_note_create(report=issued_report)
    client = client_for(tenants.provider_author)
    assert "Mark applied" in client.get(LEDGER).content.decode()
    url = reverse("compliance:credit_note_apply", args=[issued_report.contract.reference, note.number])
    response = client.post(url, {"invoice_reference": "INV-9", "next": "ledger"})
    assert response.status_code == 302 and response["Location"] == LEDGER
    note.refresh_from_db()
    assert note.is_applied


def test_exports_are_safe_against_formula_injection(tenants, issued_report, client_for):
    Organisation.objects.filter(pk=tenants.customer.pk).update(name='=HYPERLINK("http://x")')
    credit_notes.credit_note_create(report=issued_report)
    client = client_for(tenants.customer_admin)
    rows = list(csv.reader(io.StringIO(client.get(_export("ledger", "csv")).content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Customer", "Contract", "Month"]
    assert rows[1][0] == '\'=HYPERLINK("http://x")' and rows[1][2] == "2026-03" and rows[1][5] == "100.00"
    response = client.get(_export("ledger", "xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == '\'=HYPERLINK("http://x")' and sheet["A2"].data_type == "s"
    assert sheet["F2"].value == 100
    figures = list(csv.reader(io.StringIO(client.get(_export("figures", "csv")).content.decode("utf-8-sig"))))
    assert figures[0][4] == "Service level"
    assert any(row[7] == "Missed" and row[8] == "100.00" for row in figures[1:])
    sheet = load_workbook(io.BytesIO(client.get(_export("figures", "xlsx")).content)).active
    assert sheet.max_row == len(figures)
    assert client.get(_export("nothing", "csv")).status_code == 404


def test_api_serves_the_ledger_and_exports(tenants, issued_report, client_for):
    credit_notes.credit_note_create(report=issued_report)
    client = client_for(tenants.customer_admin)
    rows = client.get("/api/v1/credits/ledger/").json()
    assert rows[0]["owed"] == "100.00" and rows[0]["credit_note"].startswith("CN-")
    response = client.get("/api/v1/credits/ledger/export/csv/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    response = client.get("/api/v1/credits/figures/export/xlsx/")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert client_for(tenants.outsider_admin).get("/api/v1/credits/ledger/").json() == []


def test_ledger_page_reads_in_constant_queries(
    tenants, issued_report, client_for, django_assert_max_num_queries
):
    credit_notes.credit_note_create(report=issued_report)
    client = client_for(tenants.provider_author)
    with django_assert_max_num_queries(12) as few:
        client.get(LEDGER)
    baseline = len(few.captured_queries)
    for contract in more_contracts(tenants, 3):
        credit_notes.credit_note_create(report=report_of_month(contract))
    with django_assert_max_num_queries(baseline):
        page = client.get(LEDGER).content.decode()
    assert page.count("CN-") >= 4
