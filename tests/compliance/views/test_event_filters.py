"""Event lists: filters by service, priority, cause, source and breached, sort by column,
CSV and XLSX export of what is shown (formula-safe), only ever the contract's own events."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from compliance import services
from compliance.models import Evaluation, Incident
from compliance.services.sources import source_create
from contracts.models import Version
from tests import factories
from tests.compliance.event_fixtures import incident_row, with_terms


@pytest.fixture
def contract(tenants):
    contract = with_terms(tenants)
    rows = [
        incident_row(1, external_id="INC-A", service="Email", priority="P1", summary="Mail down"),
        incident_row(2, external_id="INC-B", service="File server", priority="P2", summary="=HYPERLINK(1)"),
        incident_row(
            3,
            external_id="INC-C",
            service="Copier",
            priority="P3",
            cause="customer",
            responsibility="licences",
            summary="+Toner",
        ),
    ]
    services.events_upsert(kind="incidents", contract=contract, user=None, rows=rows)
    alerts = source_create(contract=contract, user=None, kind="tickets", name="Helpdesk")
    Incident.objects.filter(external_id="INC-B").update(source=alerts)
    # Another tenant's incident with the same service, never listed here.
    with_terms_other = tenants.outsider_contract
    factories.version_with_terms(with_terms_other, user=tenants.outsider_admin)
    services.events_upsert(
        kind="incidents",
        contract=with_terms_other,
        user=None,
        rows=[incident_row(9, external_id="SECRET-1", summary="Outsider secret")],
    )
    contract.helpdesk = alerts
    return contract


def _get(client, contract, kind="incidents", **params):
    return client.get(reverse(f"compliance:{kind}", kwargs={"reference": contract.reference}), params)


def _ids(response):
    return [event.external_id for event in response.context["page"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"INC-A", "INC-B", "INC-C"}),
        ({"service": "Email"}, {"INC-A"}),
        ({"priority": "P2"}, {"INC-B"}),
        ({"cause": "customer"}, {"INC-C"}),
        ({"source": "manual"}, {"INC-A", "INC-C"}),
        ({"service": "Email", "priority": "P2"}, set()),
        ({"period": "2026-03", "priority": "P3"}, {"INC-C"}),
        ({"period": "2026-04"}, set()),
    ],
)
def test_filters_narrow_the_list(tenants, contract, client_for, params, expected):
    response = _get(client_for(tenants.customer_admin), contract, **params)
    assert response.status_code == 200
    assert set(_ids(response)) == expected
    assert "SECRET-1" not in response.content.decode()


def test_source_filter_and_unknown_values(tenants, contract, client_for):
    client = client_for(tenants.provider_author)
    assert _ids(_get(client, contract, source=str(contract.helpdesk.pk))) == ["INC-B"]
    assert _get(client, contract, priority="P9").status_code == 400
    assert _get(client, contract, service="Not a service").status_code == 400
    # The month selector still answers 400 on a bad month, with the filters kept.
    assert _get(client, contract, period="13-2026", service="Email").status_code == 400
    # An export with a bad filter downloads nothing and shows the error on the page.
    refused = _get(client, contract, priority="P9", export="csv")
    assert refused.status_code == 400 and refused["Content-Type"].startswith("text/html")
    assert "P9" in refused.content.decode()


def test_breached_follows_the_latest_stored_figures(tenants, contract, client_for):
    version = Version.objects.filter(contract=contract).first()

    def store(revision, breached):
        Evaluation.objects.create(
            contract=contract,
            version=version,
            period="2026-03",
            revision=revision,
            inputs_hash=str(revision),
            figures={"service_levels": [{"breaches": [{"external_id": i} for i in breached]}]},
        )

    store(1, ["INC-A", "INC-B"])
    store(2, ["INC-C"])
    client = client_for(tenants.customer_admin)
    assert _ids(_get(client, contract, breached="yes")) == ["INC-C"]
    assert set(_ids(_get(client, contract, breached="no"))) == {"INC-A", "INC-B"}


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("id", ["INC-A", "INC-B", "INC-C"]),
        ("-id", ["INC-C", "INC-B", "INC-A"]),
        ("priority", ["INC-A", "INC-B", "INC-C"]),
        ("service", ["INC-C", "INC-A", "INC-B"]),
        ("-opened", ["INC-C", "INC-B", "INC-A"]),
        ("summary", ["INC-C", "INC-B", "INC-A"]),  # "+Toner" < "=HYPERLINK(1)" < "Mail down"
    ],
)
def test_sort_by_column(tenants, contract, client_for, sort, expected):
    response = _get(client_for(tenants.customer_admin), contract, sort=sort)
    assert _ids(response) == expected
    html = response.content.decode()
    assert 'aria-sort="' in html


def test_sort_link_keeps_filters_and_month(tenants, contract, client_for):
    html = _get(
        client_for(tenants.customer_admin), contract, period="2026-03", service="Email"
    ).content.decode()
    assert 'href="?period=2026-03&amp;service=Email&amp;sort=priority"' in html
    assert "export=csv" in html


def test_csv_export_is_filtered_and_formula_safe(tenants, contract, client_for):
    response = _get(client_for(tenants.customer_admin), contract, export="csv", cause="provider", sort="id")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"{contract.reference}-incidents-" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Id", "Service", "Priority"]
    assert [row[0] for row in rows[1:]] == ["INC-A", "INC-B"]
    assert rows[2][10] == "'=HYPERLINK(1)"
    assert rows[2][11] == "Helpdesk (Ticket webhook (generic))"
    assert rows[1][3] == "2026-03-02 09:00"  # contract's time zone
    assert "SECRET-1" not in response.content.decode()


def test_xlsx_export_is_filtered_and_formula_safe(tenants, contract, client_for):
    response = _get(client_for(tenants.provider_author), contract, export="xlsx", priority="P3")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "Id"
    assert [row[0] for row in values[1:]] == ["INC-C"]
    summary = sheet.cell(row=2, column=11)
    assert summary.value == "'+Toner" and summary.data_type == "s"


@pytest.mark.parametrize("kind", ["outages", "worklogs"])
def test_other_kinds_filter_sort_and_export(tenants, contract, client_for, kind):
    rows = {
        "outages": [
            {
                "external_id": "O-1",
                "service": "Email",
                "start": "2026-03-02T01:00",
                "end": "2026-03-02T02:00",
            },
            {"external_id": "O-2", "service": "Copier", "start": "2026-03-03T01:00", "summary": "@cmd"},
        ],
        "worklogs": [
            {
                "external_id": "W-1",
                "date": "2026-03-02",
                "hours": "1.5",
                "person": "Arthur",
                "billable": True,
            },
            {
                "external_id": "W-2",
                "date": "2026-03-03",
                "hours": "2",
                "person": "-Bea",
                "description": "@cmd",
            },
        ],
    }[kind]
    services.events_upsert(kind=kind, contract=contract, user=None, rows=rows)
    client = client_for(tenants.customer_admin)
    narrow = {"outages": {"service": "Copier"}, "worklogs": {"billable": "no"}}[kind]
    assert _ids(_get(client, contract, kind, **narrow)) == [rows[1]["external_id"]]
    assert _ids(_get(client, contract, kind, sort="id")) == [r["external_id"] for r in rows]
    exported = _get(client, contract, kind, export="csv", **narrow).content.decode("utf-8-sig")
    assert "'@cmd" in exported and rows[0]["external_id"] not in exported


@pytest.mark.parametrize("kind", ["incidents", "outages", "worklogs"])
def test_outsider_cannot_list_or_export(tenants, contract, client_for, kind):
    client = client_for(tenants.outsider_admin)
    assert _get(client, contract, kind).status_code == 404
    assert _get(client, contract, kind, export="csv").status_code == 404


def test_export_query_count_is_constant(tenants, contract, client_for, django_assert_max_num_queries):
    client = client_for(tenants.customer_admin)
    with django_assert_max_num_queries(12):
        _get(client, contract, export="xlsx")
    services.events_upsert(
        kind="incidents",
        contract=contract,
        user=None,
        rows=[incident_row(n, external_id=f"MORE-{n}") for n in range(60)],
    )
    with django_assert_max_num_queries(12):
        response = _get(client, contract, export="csv", breached="no")
    assert response.content.decode("utf-8-sig").count("MORE-") == 60
