"""Reports and credit notes as sealed PDFs: HTML → PDF bytes → sealed PDF bytes.

The one module of ``compliance.reports`` that loads WeasyPrint (through
``contracts.documents.pdf``): it is imported only where a PDF is rendered, so web and worker
processes that show or send reports start without it.
"""

from __future__ import annotations

from compliance.reports.credit_note_pdf import CreditNoteData, credit_note_html
from compliance.reports.pdf import ReportData, report_html
from contracts.documents.pdf import RenderedPdf, render_pdf
from contracts.documents.sealing import SealingKey, seal_pdf


def report_pdf(data: ReportData, *, key: SealingKey, tsa_url: str = "") -> RenderedPdf:
    """The report as a sealed PDF and its page count. ``SealingFailed`` when it cannot be
    sealed. The document information (title, verification code, period, signed-document
    hash) comes from the template's ``<meta>`` tags, written by WeasyPrint itself."""
    unsealed = render_pdf(report_html(data), custom_metadata=True)
    sealed = seal_pdf(
        unsealed.data,
        key=key,
        tsa_url=tsa_url,
        reason=f"Compliance report {data.reference} {data.period} revision {data.revision}",
    )
    return RenderedPdf(sealed, unsealed.pages)


def credit_note_pdf(data: CreditNoteData, *, key: SealingKey, tsa_url: str = "") -> RenderedPdf:
    """The credit note as a sealed PDF and its page count (``SealingFailed`` when it
    cannot be sealed)."""
    unsealed = render_pdf(credit_note_html(data), custom_metadata=True)
    sealed = seal_pdf(
        unsealed.data, key=key, tsa_url=tsa_url, reason=f"Credit note {data.number} for {data.reference}"
    )
    return RenderedPdf(sealed, unsealed.pages)
