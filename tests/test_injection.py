"""Injection: whatever a user types — template syntax, HTML, script, SQL, spreadsheet
formulas, URLs meant for the PDF renderer — is stored verbatim and shown as text.

Each payload goes in where users type: clause texts (legal and plain) in the editor,
organisation names and contract titles, a text parameter, incident summaries (CSV import and
API), work-log descriptions, decline reasons and typed signature names. The pages must show
it escaped with no tag or attribute surviving; the clause renderer never runs template code;
SQL fragments are plain data; the PDFs never fetch a URL outside the static tree.
"""

from __future__ import annotations

import csv
import io
import re
import threading
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml
from django.conf import settings as django_settings
from django.db import connection

from compliance import services as compliance_services
from compliance.models import Incident, WorkLog
from compliance.services import reports as report_services
from contracts import services as contract_services
from contracts.models import Contract, Organisation, SignatureRequest, Version
from contracts.texts.rendering import render_clause, sanitise_html
from tests.compliance.event_fixtures import INCIDENT_HEADER, with_terms
from tests.compliance.report_support import (
    make_active,
    pdf_text,
    report_key_files_fixture,  # noqa: F401 - fixture
    report_settings_fixture,  # noqa: F401 - fixture
)
from tests.contracts.signing_support import (
    fast_document,  # noqa: F401 - fixture
    sealing_key_files,  # noqa: F401 - fixture
    send,
    sign,
    signing_settings,  # noqa: F401 - fixture
)

pytestmark = pytest.mark.django_db

PAYLOADS = {
    "template-var": "{{ settings.SECRET_KEY }}",
    "template-tag": "{% load static %}{% debug %}",
    "template-request": "{{ request }}",
    "script": "<script>alert(1)</script>",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "markdown-js-link": "[click](javascript:alert(1))",
    "sql": "'; DROP TABLE contracts_contract; --",
    "csv-hyperlink": '=HYPERLINK("http://evil")',
    "csv-plus": "+1+1",
    "csv-minus": "-2",
    "csv-at": "@SUM(A1)",
    "image-file": "![x](file:///etc/passwd)",
    "image-loopback": "![x](http://127.0.0.1:9/x)",
    "stylesheet-file": "<link rel=stylesheet href=file:///etc/passwd>",
    "iframe": '<iframe src="http://127.0.0.1:9/"></iframe>',
}
CASES = list(PAYLOADS.values())
IDS = list(PAYLOADS)

# Markup that must never survive into a page as markup.
LIVE_MARKUP = [
    re.compile(r"<script\b[^>]*>[^<]*alert\(", re.I),
    re.compile(r"<img\b[^>]*\sonerror\s*=", re.I),
    re.compile(r"<iframe\b", re.I),
    re.compile(r"<link\b[^>]*file:", re.I),
    re.compile(r"<img\b[^>]*(file:|127\.0\.0\.1|src=\"?x\b)", re.I),
    re.compile(r"""(href|src)\s*=\s*["']?\s*javascript:""", re.I),
]


def assert_inert(html: str, payload: str, *, shown: bool = True) -> None:
    """No payload markup is live in ``html``, no server secret or object leaks, and (with
    ``shown``) the payload is there as escaped text."""
    for pattern in LIVE_MARKUP:
        live = pattern.search(html)
        assert live is None, (payload, html[max(0, live.start() - 80) : live.end() + 80])
    assert django_settings.SECRET_KEY not in html
    for leak in ("WSGIRequest", "sql_queries", "{'DEBUG'", "&#x27;settings&#x27;"):
        assert leak not in html, (payload, leak)
    if shown:
        assert escape(payload) in html or escape(payload, quote=False) in html, payload


# ------------------------------------------------------------ renderer


@pytest.mark.parametrize("payload", CASES, ids=IDS)
def test_the_clause_renderer_keeps_every_payload_inert(payload):
    rendered = render_clause(f"Before {payload} after {{{{ uptime }}}}", {"uptime": "99.9%"})
    assert_inert(rendered.html, payload, shown=False)
    assert "99.9%" in rendered.html
    if "{{" in payload or "{%" in payload:
        # Shown as text and reported, never evaluated.
        assert rendered.errors
        assert escape(payload.split("}")[0], quote=False) in rendered.html
    # A parameter value is text, never markup or template code.
    as_value = render_clause("Value: {{ note }}", {"note": payload})
    assert_inert(as_value.html, payload)


def test_the_sanitiser_drops_active_content():
    dirty = (
        '<p onclick="x()">a<script>alert(1)</script><img src=x onerror=alert(1)>'
        '<a href="javascript:alert(1)">j</a><iframe src="http://127.0.0.1/"></iframe>'
        '<link rel=stylesheet href=file:///etc/passwd><a href="https://ok.example">ok</a></p>'
    )
    clean = sanitise_html(dirty)
    assert_inert(clean, "", shown=False)
    assert 'href="https://ok.example"' in clean


# ------------------------------------------------------------ pages


@pytest.mark.parametrize("payload", CASES, ids=IDS)
def test_names_titles_and_clause_texts_are_shown_as_text(tenants, client_for, payload):
    Organisation.objects.filter(pk=tenants.customer.pk).update(name=f"Customer {payload}")
    Organisation.objects.filter(pk=tenants.provider.pk).update(name=f"Provider {payload}")
    contract = tenants.contract
    Contract.objects.filter(pk=contract.pk).update(title=f"Title {payload}")
    version = with_terms(tenants).versions.get()
    contract_services.parameter_set(version=version, name="note", kind="text", value=f"Note {payload}")
    client = client_for(tenants.provider_author)
    base = f"/contracts/{contract.reference}/versions/{version.number}/"
    clause = version.clauses.first()
    saved = client.post(
        f"{base}edit/clauses/{clause.pk}/",
        {
            "heading": f"Heading {payload}",
            "key": clause.key,
            "legal_text": f"Legal {payload} and {{{{ note }}}}.",
            "plain_text": f"Plain {payload} and {{{{ note }}}}.",
        },
    )
    assert saved.status_code in (200, 302, 400), saved.status_code
    clause.refresh_from_db()
    if saved.status_code != 400:
        assert clause.legal_text == f"Legal {payload} and {{{{ note }}}}."
    preview = client.post(f"{base}edit/preview/", {"legal_text": payload, "plain_text": payload})
    assert preview.status_code == 200
    assert_inert(preview.content.decode(), payload, shown=False)
    pages = {
        "/": False,
        f"/contracts/{contract.reference}/": True,
        f"/organisations/{tenants.provider.slug}/": True,
        f"{base}?rendering=legal": True,
        f"{base}?rendering=plain": True,
        f"{base}edit/": True,
        f"{base}terms/": True,
    }
    for url, shown in pages.items():
        response = client_for(tenants.provider_admin).get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode(), payload, shown=shown)
    # SQL stays data: stored as typed, the tables are all still there.
    assert Contract.objects.get(pk=contract.pk).title == f"Title {payload}"
    assert "contracts_contract" in connection.introspection.table_names()


@pytest.mark.parametrize("payload", CASES, ids=IDS)
def test_event_texts_from_csv_and_api_are_shown_as_text(tenants, client_for, payload):
    contract = with_terms(tenants)
    client = client_for(tenants.provider_author)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(INCIDENT_HEADER.split(","))
    writer.writerow(
        ["INC-CSV", "Email", "P1", "2026-03-02T09:00:00", "", "", "false", "provider", "", payload, ""]
    )
    upload = io.BytesIO(out.getvalue().encode())
    upload.name = "incidents.csv"
    imported = client.post(f"/contracts/{contract.reference}/incidents/import/", {"file": upload})
    assert imported.status_code in (200, 302), imported.content.decode()[:2000]
    assert Incident.objects.get(contract=contract, external_id="INC-CSV").summary == payload
    _, secret = compliance_services.api_token_create(user=tenants.provider_author, name="injection")
    auth = {"HTTP_AUTHORIZATION": f"Token {secret}"}
    api = f"/api/v1/contracts/{contract.reference}/"
    made = client.post(
        api + "incidents/",
        {
            "external_id": "INC-API",
            "service": "Email",
            "priority": "P2",
            "opened_at": "2026-03-03T09:00",
            "summary": payload,
        },
        content_type="application/json",
        **auth,
    )
    assert made.status_code == 201, made.content
    logged = client.post(
        api + "worklogs/",
        {
            "external_id": "WL-API",
            "date": "2026-03-04",
            "hours": "1",
            "person": "Ann",
            "description": payload,
        },
        content_type="application/json",
        **auth,
    )
    assert logged.status_code == 201, logged.content
    assert WorkLog.objects.get(contract=contract, external_id="WL-API").description == payload
    answer = client.get(api + "incidents/INC-API/", **auth)
    assert answer.json()["summary"] == payload  # JSON carries the text as data
    incident = Incident.objects.get(contract=contract, external_id="INC-API")
    worklog = WorkLog.objects.get(contract=contract, external_id="WL-API")
    for url in (
        f"/contracts/{contract.reference}/incidents/?period=2026-03",
        f"/contracts/{contract.reference}/incidents/{incident.pk}/",
        f"/contracts/{contract.reference}/worklogs/?period=2026-03",
        f"/contracts/{contract.reference}/worklogs/{worklog.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode(), payload, shown=url.endswith("/"))


@pytest.mark.usefixtures("signing_settings", "fast_document")
@pytest.mark.parametrize("payload", CASES, ids=IDS)
def test_decline_reasons_and_typed_signature_names_are_shown_as_text(tenants, client_for, payload):
    request = send(tenants)
    signer = tenants.customer_signer
    signer.first_name, signer.last_name = f"Sam {payload}", ""
    signer.save()
    sign(request, signer, typed_name=f"Sam {payload}")
    url = f"/contracts/{tenants.contract.reference}/sign/{request.pk}/"
    response = client_for(tenants.provider_admin).post(url + "decline/", {"reason": f"No: {payload}"})
    assert response.status_code in (200, 302), response.status_code
    request.refresh_from_db()
    assert request.status == "declined", request.status
    for user in (tenants.provider_admin, tenants.customer_admin):
        seen = ""
        for page in (url, f"/contracts/{tenants.contract.reference}/"):
            shown = client_for(user).get(page)
            assert shown.status_code == 200, page
            assert_inert(shown.content.decode(), payload, shown=False)
            seen += shown.content.decode()
        assert escape(f"No: {payload}") in seen or escape(f"No: {payload}", quote=False) in seen


# ------------------------------------------------------------ exports


def test_the_yaml_export_carries_payloads_as_plain_strings(tenants, client_for):
    with_terms(tenants)
    client = client_for(tenants.provider_author)
    for payload in CASES:
        title = payload.replace("\n", " ")
        Contract.objects.filter(pk=tenants.contract.pk).update(title=title)
        response = client.get(f"/contracts/{tenants.contract.reference}/export.yaml")
        assert response.status_code == 200
        text = response.content.decode()
        assert "!!python" not in text
        assert yaml.safe_load(text)["title"] == title


# ------------------------------------------------------------ PDFs fetch nothing


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    """A local HTTP server on a free port that records every request made to it."""
    _Recorder.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.hits
    server.shutdown()
    server.server_close()


def _url_payloads(base: str) -> str:
    return "\n\n".join(
        [
            f"![x]({base}/markdown-image.png)",
            f"[a link]({base}/markdown-link)",
            f'<img src="{base}/html-image.png">',
            f"<link rel=stylesheet href={base}/style.css>",
            "![x](file:///etc/passwd)",
            "<link rel=stylesheet href=file:///etc/passwd>",
            f'<iframe src="{base}/frame"></iframe>',
            f"<style>@import url({base}/import.css); body {{ background: url({base}/bg.png) }}</style>",
        ]
    )


@pytest.mark.usefixtures("signing_settings")
def test_contract_and_signed_pdfs_fetch_no_url(
    tenants, client_for, recorder, django_capture_on_commit_callbacks
):
    base, hits = recorder
    version = with_terms(tenants).versions.get()
    clause = version.clauses.first()
    contract_services.clause_update(
        clause=clause,
        data={
            "heading": f"Heading {base}/heading",
            "key": clause.key,
            # Added to the texts, which still show the hours commitment: the version must be
            # consistent to be sent for signature.
            "legal_text": f"{clause.legal_text}\n\n{_url_payloads(base)}",
            "plain_text": f"{clause.plain_text}\n\n{_url_payloads(base)}",
        },
    )
    Contract.objects.filter(pk=tenants.contract.pk).update(title=f"Title <img src={base}/title.png>")
    response = client_for(tenants.provider_author).get(
        f"/contracts/{tenants.contract.reference}/versions/{version.number}/pdf/?rendering=both"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "root:x:0:0" not in text
    # The signable document and its signed (sealed) copy are rendered by the same code.
    with django_capture_on_commit_callbacks(execute=True):
        request = send(tenants, version=Version.objects.get(pk=version.pk))
    with django_capture_on_commit_callbacks(execute=True):
        sign(request, tenants.customer_signer)
    with django_capture_on_commit_callbacks(execute=True):
        sign(SignatureRequest.objects.get(pk=request.pk), tenants.provider_admin)
    request.refresh_from_db()
    assert request.document and request.signed_document
    for stored in (request.document, request.signed_document):
        with stored.open("rb") as handle:
            text = pdf_text(handle.read())
        assert "root:x:0:0" not in text
        assert "Heading" in text
    assert hits == []


def test_report_pdf_fetches_no_url(tenants, report_settings, recorder, django_capture_on_commit_callbacks):
    base, hits = recorder
    from tests.compliance.compliance_fixtures import published_contract, record_month

    contract = published_contract(tenants)
    record_month(contract, tenants.provider_author)
    compliance_services.events_upsert(
        kind="incidents",
        contract=contract,
        user=tenants.provider_author,
        rows=[
            {
                "external_id": "INC-URL",
                "service": "Email",
                "priority": "P1",
                "opened_at": "2026-03-04T09:00",
                "summary": f"<img src={base}/summary.png> ![x](file:///etc/passwd) {PAYLOADS['script']}",
            }
        ],
    )
    Contract.objects.filter(pk=contract.pk).update(title=f"Title <img src='{base}/t.png'> =HYPERLINK(\"x\")")
    make_active(contract)
    with django_capture_on_commit_callbacks(execute=True):
        report_services.report_run_start(period="2026-03")
    report = contract.reports.get(period="2026-03") if hasattr(contract, "reports") else None
    from compliance.models import Report

    report = report or Report.objects.get(contract=contract, period="2026-03")
    with report.pdf.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "root:x:0:0" not in text
    assert "Title" in text
    assert hits == []
