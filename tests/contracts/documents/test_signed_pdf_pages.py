"""The signed PDF's certificate page is numbered on from the pages it follows."""

import shutil
import subprocess
from datetime import UTC, date, datetime

import pytest

from contracts.documents.pdf import html_to_pdf
from contracts.documents.signed_pdf import Certificate, CertificateSignature, signed_pdf

SIGNED_AT = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)


def _pages(data: bytes) -> list[str]:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    text = subprocess.run([tool, "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


def _certificate() -> Certificate:
    signature = CertificateSignature(
        "Hannah Example", "hannah@harbour.example", "Harbour Dental", "customer", SIGNED_AT, "", "", "ab" * 32
    )
    return Certificate(
        reference="SLA-2026-0001",
        title="Managed IT",
        version_number=1,
        provider="Brightline Managed IT",
        customer="Harbour Dental",
        document_sha256="ab" * 32,
        verification_code="S-0123456789ABCDEF",
        verify_url="https://sla.example/verify/",
        signatures=[signature],
        in_force_from=date(2026, 12, 1),
        completed_at=SIGNED_AT,
    )


@pytest.mark.parametrize("document_pages", [1, 9])
def test_the_certificate_page_follows_the_documents_numbering(document_pages):
    body = "".join(f'<p style="break-before: page">Page body {n}</p>' for n in range(document_pages))
    document = html_to_pdf(f"<html><body>{body}</body></html>")
    pages = _pages(signed_pdf(document, _certificate()))
    assert len(pages) == document_pages + 1
    certificate = pages[-1]
    assert "Signing certificate" in certificate
    assert f"Page {document_pages + 1} · signing certificate" in certificate
    assert "Page 1 of 1" not in certificate
