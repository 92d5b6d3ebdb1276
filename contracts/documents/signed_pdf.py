"""The signed PDF before sealing: the signable document followed by a certificate page.

Pure: plain values in, PDF bytes out (no ORM, no request). The certificate page lists the
parties, every signature (name, organisation, side, time in UTC, IP address, the SHA-256 of
the document the signer saw) and the verification code; the code and the document hash are
also written into the PDF's document information, where verification reads them back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO

from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter

from contracts.branding.brand import Branding
from contracts.documents.info_keys import INFO_CODE, INFO_DOCUMENT_SHA256
from contracts.documents.pdf import html_to_pdf

TEMPLATE = "pdf/certificate.html"


@dataclass(frozen=True)
class CertificateSignature:
    typed_name: str
    email: str
    organisation: str
    side: str
    signed_at: datetime
    ip_address: str
    user_agent: str
    document_sha256: str


@dataclass(frozen=True)
class Certificate:
    """Everything the certificate page says."""

    reference: str
    title: str
    version_number: int
    provider: str
    customer: str
    document_sha256: str
    verification_code: str
    verify_url: str
    signatures: list[CertificateSignature]
    in_force_from: date | None
    completed_at: datetime
    #: The provider's logo and accent colour when the certificate is made; the signed
    #: document before it keeps the branding it was rendered with.
    branding: Branding | None = None


def certificate_pdf(certificate: Certificate, *, first_page: int = 1) -> bytes:
    """The certificate page (or pages) alone, as PDF bytes, numbered from ``first_page``
    (the page it takes after the signable document): "Page 10 · signing certificate"."""
    return html_to_pdf(render_to_string(TEMPLATE, {"cert": certificate, "first_page": first_page}))


def signed_pdf(document: bytes, certificate: Certificate) -> bytes:
    """``document`` (the signable PDF) with the certificate page appended, not yet sealed."""
    writer = PdfWriter()
    signable = PdfReader(BytesIO(document))
    writer.append(signable)
    writer.append(PdfReader(BytesIO(certificate_pdf(certificate, first_page=len(signable.pages) + 1))))
    writer.add_metadata(
        {
            "/Title": f"{certificate.reference} version {certificate.version_number} — signed",
            "/Subject": certificate.title,
            INFO_CODE: certificate.verification_code,
            INFO_DOCUMENT_SHA256: certificate.document_sha256,
        }
    )
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
