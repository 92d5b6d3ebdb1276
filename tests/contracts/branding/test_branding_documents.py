"""The provider's logo and accent colour in newly rendered PDFs, and what a sealed PDF keeps."""

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader

from compliance.services import credit_notes, reports
from contracts import services
from contracts.branding.brand import Branding
from contracts.documents.contract_pdf import contract_pdf
from contracts.documents.signed_pdf import certificate_pdf
from contracts.selectors.reading import version_reading
from tests import factories
from tests.compliance.dispute_support import (
    issued_report_fixture,  # noqa: F401 - fixture
)
from tests.compliance.report_support import (
    PERIOD,
    active_contract_fixture,  # noqa: F401 - fixture
    pdf_text,
    report_key_files_fixture,  # noqa: F401 - fixture
    report_settings_fixture,  # noqa: F401 - fixture
    stored_pdf,
)
from tests.contracts.branding.images import image_bytes
from tests.contracts.documents.test_signed_pdf_pages import _certificate

pytestmark = pytest.mark.django_db

LOGO_COLOUR = (200, 30, 90)


def _brand(organisation, accent="#0a3069"):
    services.organisation_branding_update(
        organisation=organisation, accent_colour=accent, logo=image_bytes("PNG", (300, 100), LOGO_COLOUR)
    )
    organisation.refresh_from_db()


def logo_images(pdf: bytes) -> list:
    """The images on the PDF's first page that are the test logo: 300×100 px, in its colour.

    (WeasyPrint shares one resource dictionary between pages, so every page lists it.)"""
    first = PdfReader(io.BytesIO(pdf)).pages[0]
    pictures = [image.image.convert("RGB") for image in first.images]
    return [p for p in pictures if p.size == (300, 100) and p.getpixel((150, 50)) == LOGO_COLOUR]


def test_contract_pdf_shows_the_providers_logo_and_name(tenants):
    version = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    unbranded = contract_pdf(version_reading(version))
    assert logo_images(unbranded) == []

    _brand(tenants.provider)
    branded = contract_pdf(version_reading(version))

    assert len(logo_images(branded)) == 1  # once, on the cover
    assert "Brightline Managed IT" in pdf_text(branded)


def test_report_pdf_rendered_after_branding_shows_the_logo(active_contract):
    _brand(active_contract.provider)
    report = reports._report_for_period(active_contract, PERIOD)
    reports.report_render(report=report)
    assert len(logo_images(stored_pdf(report))) == 1


def test_credit_note_shows_the_logo_and_the_sealed_report_stays_as_it_was(active_contract, issued_report):
    reports.report_render(report=issued_report)
    issued_report.refresh_from_db()
    before = stored_pdf(issued_report)
    assert logo_images(before) == []

    _brand(active_contract.provider)
    note = credit_notes.credit_note_create(report=issued_report)
    assert credit_notes.credit_note_render(credit_note_id=note.pk)  # what the worker does
    note.refresh_from_db()

    with note.pdf.open("rb") as handle:
        assert len(logo_images(handle.read())) == 1
    issued_report.refresh_from_db()
    assert stored_pdf(issued_report) == before  # a sealed document never changes


def test_certificate_page_of_a_signed_copy_shows_the_logo():
    branding = Branding("Brightline Managed IT", "#ffd33d", image_bytes("PNG", (300, 100), LOGO_COLOUR))
    pdf = certificate_pdf(replace(_certificate(), branding=branding))
    assert len(logo_images(pdf)) == 1


def test_pdf_band_text_is_readable_on_a_light_accent():
    assert Branding("X", "#ffd33d").accent_text == "#000000"
    assert Branding("X", "#0a3069").accent_text == "#ffffff"
    assert not Branding("X")
