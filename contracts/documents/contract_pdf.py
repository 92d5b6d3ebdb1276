"""A contract version as a PDF: context → HTML → PDF bytes.

Pure: it takes a version already read (``contracts.selectors.reading.version_reading``), runs no
queries and knows no request. Clause texts arrive as the restricted renderer's sanitised
HTML, so nothing an author typed can load a resource or reach the template engine; the
document is turned into PDF by ``contracts.documents.pdf.html_to_pdf``, whose fetcher serves only
the static tree. What the PDF shows and where a rendered one is kept live in
``contracts.documents.contract_download``, which loads no PDF library.
"""

from __future__ import annotations

from contracts.documents.contract_download import (
    cache_pdf,
    cached_pdf,
    contract_pdf_context,
    contract_pdf_filename,
    contract_pdf_html,
    pdf_rendering_choice,
)
from contracts.documents.pdf import html_to_pdf
from contracts.selectors.reading import VersionReading

__all__ = [
    "contract_pdf",
    "contract_pdf_context",
    "contract_pdf_filename",
    "contract_pdf_html",
    "pdf_rendering_choice",
]


def contract_pdf(reading: VersionReading, *, rendering: str = "both", cached: bool = False) -> bytes:
    """The version as PDF bytes: cover, the chosen rendering(s), terms tables.

    ``cached``: the PDF of the same HTML rendered earlier (keyed by the HTML's SHA-256, so
    any change to the text or terms renders anew) is returned from the document cache.
    """
    html = contract_pdf_html(contract_pdf_context(reading, rendering=rendering))
    if not cached:
        return html_to_pdf(html)
    pdf = cached_pdf(html)
    if pdf is None:
        pdf = html_to_pdf(html)
        cache_pdf(html, pdf)
    return pdf
