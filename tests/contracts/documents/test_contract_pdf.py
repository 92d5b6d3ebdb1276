"""The contract PDF: cover, both renderings, page furniture, visibility, inert clause text."""

import io
import logging
import subprocess
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from contracts import services
from contracts.documents.contract_pdf import contract_pdf_context, contract_pdf_filename
from contracts.selectors.reading import version_reading
from tests import factories
from tests.contracts.signing_support import sealing_key_files, signing_settings  # noqa: F401
from tests.services import require_tool

LEGAL = "Availability shall be at least 99.9% per calendar month"
PLAIN = "Your systems are up at least 99.9% of the month"


@pytest.fixture
def frozen(tenants):
    version = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    return services.version_publish(version=version, user=tenants.provider_author)


def pdf_url(tenants, number: int, rendering: str = "") -> str:
    url = reverse("contracts:version_pdf", args=[tenants.contract.reference, number])
    return url + (f"?rendering={rendering}" if rendering else "")


def pdf_text(pdf: bytes) -> str:
    """The PDF's text as pdftotext reads it, whitespace collapsed."""
    pdftotext = require_tool("pdftotext")
    result = subprocess.run([pdftotext, "-", "-"], input=pdf, capture_output=True, check=True, timeout=60)
    return " ".join(result.stdout.decode().split())


def test_customer_downloads_the_frozen_version_with_both_renderings(frozen, tenants, client_for):
    response = client_for(tenants.customer_admin).get(pdf_url(tenants, 1))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{tenants.contract.reference}-v1.pdf"'
    text = pdf_text(response.content)
    # Cover.
    assert "Managed IT" in text and f"{tenants.contract.reference} · version 1" in text
    assert "Brightline Managed IT" in text and "Harbour Dental" in text
    assert "Frozen on" in text and "DRAFT" not in text
    # The legal text, then the plain-language schedule, both with substituted values.
    assert LEGAL in text and PLAIN in text
    assert text.index(LEGAL) < text.index("Schedule 1 — The agreement in plain language") < text.index(PLAIN)
    # Terms tables.
    schedule = text.split("Terms in tables", 1)[1]
    # Terms read by their description, or their name in words: never a raw parameter name.
    assert "Uptime target 99.9%" in schedule and "uptime_target" not in schedule
    assert "Hours of work 20 hours a month, a shortfall carried" in schedule  # the hours commitment
    assert "below 99.9% 10% of the monthly fee" in text
    # Page furniture: the cover has none; every other page a footer and running header.
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert f"Page 2 of {len(pages)}" in text and f"Page {len(pages)} of {len(pages)}" in text
    assert "Page 1 of" not in text
    assert text.count(f"{tenants.contract.reference} · version 1 · Managed IT") == len(pages) - 1


@pytest.mark.parametrize(
    ("rendering", "present", "absent"), [("legal", LEGAL, PLAIN), ("plain", PLAIN, LEGAL)]
)
def test_one_rendering_alone(frozen, tenants, client_for, rendering, present, absent):
    response = client_for(tenants.customer_admin).get(pdf_url(tenants, 1, rendering))

    text = pdf_text(response.content)
    assert present in text and absent not in text
    assert "Schedule 1 — Terms in tables" in text


def test_draft_pdf_is_labelled_on_every_page(tenants, client_for):
    factories.version_with_terms(tenants.contract, user=tenants.provider_author)

    response = client_for(tenants.provider_author).get(pdf_url(tenants, 1))

    assert response.status_code == 200
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert "DRAFT — not frozen, not for signature" in pages[0].extract_text()
    assert all("DRAFT — not for signature" in page.extract_text() for page in pages[1:])


def test_customer_cannot_download_a_draft(frozen, tenants, client_for):
    services.version_create_draft(contract=tenants.contract, user=None)

    assert client_for(tenants.customer_admin).get(pdf_url(tenants, 2)).status_code == 404


def test_other_tenant_gets_404(frozen, tenants, client_for):
    assert client_for(tenants.outsider_admin).get(pdf_url(tenants, 1)).status_code == 404


def test_clause_text_stays_inert_in_the_pdf(tenants, client_for, caplog):
    caplog.set_level(logging.WARNING)
    version = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    services.clause_add(
        version=version,
        heading="Hostile",
        legal_text='<img src="file:///etc/passwd"> and {{ settings.SECRET_KEY }}',
        plain_text='<link rel="stylesheet" href="file:///etc/passwd"> {% debug %}',
    )

    response = client_for(tenants.provider_author).get(pdf_url(tenants, 1))

    text = pdf_text(response.content)
    # Shown as the author typed it, never acted on.
    assert '<img src="file:///etc/passwd">' in text
    assert "{{ settings.SECRET_KEY }}" in text and "{% debug %}" in text
    assert settings.SECRET_KEY not in text
    assert "root:" not in text
    assert sum(len(page.images) for page in PdfReader(io.BytesIO(response.content)).pages) == 0
    # Nothing was even attempted: the markup never became an element.
    assert not [r for r in caplog.records if r.name == "slaportal.pdf"]


def test_context_and_filename_are_pure_functions_of_the_reading(frozen, django_assert_num_queries):
    reading = version_reading(frozen)

    with django_assert_num_queries(0):
        context = contract_pdf_context(reading, rendering="legal")
        filename = contract_pdf_filename(reading)

    assert filename == f"{frozen.contract.reference}-v1.pdf"
    assert (context["show_legal"], context["show_plain"], context["is_draft"]) == (True, False, False)
    assert contract_pdf_context(reading, rendering="nonsense")["rendering"] == "both"


def test_internal_sla_pdf_is_labelled(db, client_for):
    company = factories.organisation("Acme Manufacturing", is_provider=True)
    it = factories.organisation("Acme IT department", parent=company, is_provider=True)
    finance = factories.organisation("Acme Finance department", parent=company)
    contract = factories.contract(it, finance, title="Desktop support")
    author = factories.member(it, "author")
    services.version_publish(version=factories.version_with_terms(contract, user=author), user=author)

    response = client_for(author).get(reverse("contracts:version_pdf", args=[contract.reference, 1]))

    text = pdf_text(response.content)
    assert "INTERNAL SLA" in text  # print.css sets the badge in capitals
    assert "Acme IT department" in text and "Acme Finance department" in text


def test_version_signed_outside_the_portal_says_so_on_the_cover(frozen, tenants, client_for):
    frozen.signed_outside_portal, frozen.in_force_from = True, date(2026, 2, 1)
    frozen.save(update_fields=["signed_outside_portal", "in_force_from"])

    text = pdf_text(client_for(tenants.customer_admin).get(pdf_url(tenants, 1)).content)

    assert "In force from 1 February 2026 (signed outside the portal)" in text


def test_a_document_is_rendered_once_and_a_changed_draft_anew(tenants, client_for, monkeypatch):
    from contracts.documents import contract_pdf as module
    from contracts.models import Clause

    rendered = []
    real = module.html_to_pdf
    monkeypatch.setattr(module, "html_to_pdf", lambda html: rendered.append(html) or real(html))
    factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    client = client_for(tenants.provider_author)

    first = client.get(pdf_url(tenants, 1)).content
    assert client.get(pdf_url(tenants, 1)).content == first
    assert len(rendered) == 1
    Clause.objects.filter(version__contract=tenants.contract).update(plain_text="Changed plain words.")
    changed = client.get(pdf_url(tenants, 1)).content
    assert len(rendered) == 2
    assert "Changed plain words." in pdf_text(changed)


# ---------------------------------------------------------------- extra holidays in the signed text

HOLIDAYS = "except NL public holidays, 24 December 2026 and 31 December 2026"


def with_extra_holidays(version):
    services.calendar_update(
        calendar=version.calendars.get(name="Business hours"),
        data={"extra_holidays": ["2026-12-31", "2026-12-24"]},
    )
    return version


def renderings_of(text: str) -> tuple[str, str]:
    """The legal text and the plain-language schedule of a contract PDF's text."""
    legal, rest = text.split("Schedule 1 — The agreement in plain language", 1)
    plain = rest.split("Terms in tables", 1)[0]
    return legal, plain


def test_extra_holidays_are_written_into_both_renderings_of_the_pdf(tenants, client_for):
    version = with_extra_holidays(
        factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    )
    services.version_publish(version=version, user=tenants.provider_author)

    text = pdf_text(client_for(tenants.customer_admin).get(pdf_url(tenants, 1)).content)

    legal, plain = renderings_of(text)
    assert HOLIDAYS in legal
    assert HOLIDAYS in plain


@pytest.mark.usefixtures("signing_settings")
def test_extra_holidays_are_in_the_signed_pdf(tenants, django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage

    from contracts.models import RequestStatus
    from tests.contracts.signing_support import send, sign

    version = with_extra_holidays(
        factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    )
    with django_capture_on_commit_callbacks(execute=True):
        request = send(tenants, version=version)
        sign(request, tenants.customer_signer)
        sign(request, tenants.provider_admin)
    request.refresh_from_db()
    assert request.status == RequestStatus.COMPLETED
    with default_storage.open(request.signed_document.name, "rb") as stored:
        text = pdf_text(stored.read())

    legal, plain = renderings_of(text)
    assert HOLIDAYS in legal
    assert HOLIDAYS in plain
