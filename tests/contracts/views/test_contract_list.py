"""The contracts list: search, filters, sort, pages and exports, only ever of one's own contracts."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from contracts.models.contract import ContractStatus
from tests import factories

LIST = reverse("contracts:contract_list")


@pytest.fixture
def admin(tenants, client_for):
    return client_for(tenants.provider_admin)


@pytest.fixture
def more(tenants):
    """Two more contracts of the provider: another customer, one active ending soon."""
    dentist = tenants.contract
    bakery = factories.organisation("=Bakery Rossi")
    soon = factories.contract(
        tenants.provider,
        bakery,
        title="Bakery hosting",
        status=ContractStatus.ACTIVE,
        start_date=date(2025, 1, 1),
        end_date=timezone.localdate() + timedelta(days=45),
    )
    later = factories.contract(
        tenants.provider,
        tenants.customer,
        title="Harbour backup",
        start_date=date(2024, 6, 1),
        end_date=timezone.localdate() + timedelta(days=300),
    )
    return dentist, soon, later


def references(response) -> list[str]:
    """The references listed, in the order shown."""
    return re.findall(r'<th scope="row"><a href="/contracts/([^/]+)/">', response.content.decode())


def test_the_list_shows_own_contracts_and_never_another_tenants(admin, more, tenants):
    response = admin.get(LIST)
    assert response.status_code == 200
    shown = references(response)
    assert sorted(shown) == sorted(c.reference for c in more)
    assert tenants.outsider_contract.reference not in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "hosting"}, ["soon"]),
        ({"q": "harbour"}, ["dentist", "later"]),
        ({"q": "rossi bakery"}, ["soon"]),
        ({"q": "Secret outsider"}, []),
        ({"status": "active"}, ["soon"]),
        ({"ends_within": "60"}, ["soon"]),
        ({"ends_within": "365"}, ["soon", "later"]),
    ],
)
def test_search_and_filters_find_the_right_contracts(admin, more, params, expected):
    named = dict(zip(("dentist", "soon", "later"), more, strict=True))
    assert sorted(references(admin.get(LIST, params))) == sorted(named[n].reference for n in expected)


def test_customer_filter_offers_only_own_customers(admin, more, tenants):
    body = admin.get(LIST).content.decode()
    assert "Harbour Dental" in body and "=Bakery Rossi" in body
    assert "Outsider Customer" not in body
    response = admin.get(LIST, {"customer": tenants.outsider_contract.customer_id})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_sort_by_title_both_ways(admin, more):
    titles = {c.reference: c.title for c in more}
    up = [titles[r] for r in references(admin.get(LIST, {"sort": "title"}))]
    down = [titles[r] for r in references(admin.get(LIST, {"sort": "-title"}))]
    assert up == sorted(titles.values()) and down == up[::-1]


def test_pages_keep_the_search(admin, tenants, django_assert_max_num_queries):
    for number in range(30):
        factories.contract(tenants.provider, tenants.customer, title=f"Workstation {number:02}")
    with django_assert_max_num_queries(12):
        first = admin.get(LIST, {"q": "workstation", "sort": "title"})
    assert len(references(first)) == 25 and "Page 1 of 2" in first.content.decode()
    assert "?q=workstation&amp;sort=title&amp;page=2" in first.content.decode()
    second = admin.get(LIST, {"q": "workstation", "sort": "title", "page": 2})
    assert len(references(second)) == 5


def test_csv_export_holds_the_filtered_rows_with_formulas_made_inert(admin, more):
    response = admin.get(LIST, {"q": "bakery", "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Reference", "Title", "Provider", "Customer"]
    assert len(rows) == 2 and rows[1][3] == "'=Bakery Rossi"


def test_xlsx_export_keeps_a_formula_like_name_as_text(admin, more):
    response = admin.get(LIST, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    customers = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'=Bakery Rossi" in customers and len(customers) == 3


def test_a_customer_sees_only_the_contracts_it_receives(tenants, client_for, more):
    response = client_for(tenants.customer_admin).get(LIST)
    assert sorted(references(response)) == sorted([more[0].reference, more[2].reference])
