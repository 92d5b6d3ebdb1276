"""A contract version as a PDF: context → HTML → PDF bytes.

Pure: it takes a version already read (``contracts.selectors.reading.version_reading``), runs no
queries and knows no request. Clause texts arrive as the restricted renderer's sanitised
HTML, so nothing an author typed can load a resource or reach the template engine; the
document is turned into PDF by ``contracts.documents.pdf.html_to_pdf``, whose fetcher serves only
the static tree.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.core.cache import cache
from django.template.loader import render_to_string

from contracts.documents.contract_download import contract_pdf_filename, pdf_rendering_choice
from contracts.documents.pdf import html_to_pdf
from contracts.selectors.reading import VersionReading
from contracts.texts.wording import format_date

TEMPLATE = "pdf/contract.html"
# Rendering a contract takes WeasyPrint seconds; downloads of the same document (a frozen
# version, or a draft that has not changed) are served from the cache for this long.
CACHE_SECONDS = 6 * 60 * 60

__all__ = [
    "contract_pdf",
    "contract_pdf_context",
    "contract_pdf_filename",
    "contract_pdf_html",
    "pdf_rendering_choice",
]


def contract_pdf_context(reading: VersionReading, *, rendering: str = "both") -> dict[str, Any]:
    """What ``pdf/contract.html`` shows for ``rendering`` (both, legal or plain)."""
    rendering = pdf_rendering_choice(rendering)
    version = reading.version
    contract = reading.contract
    frozen_on: date | None = version.frozen_at.date() if version.frozen_at else None
    return {
        "contract": contract,
        "version": version,
        "is_draft": version.is_draft,
        "is_internal": contract.is_internal,
        "frozen_on": format_date(frozen_on) if frozen_on else None,
        "in_force_from": format_date(version.in_force_from) if version.in_force_from else None,
        "start_date": format_date(contract.start_date),
        "end_date": format_date(contract.end_date) if contract.end_date else None,
        "monthly_fee": reading.values.get("monthly_fee"),
        "clauses": reading.clauses,
        "summary": reading.summary,
        "parameters": reading.parameters,
        "show_legal": rendering in ("both", "legal"),
        "show_plain": rendering in ("both", "plain"),
        "rendering": rendering,
    }


def contract_pdf_html(context: dict[str, Any]) -> str:
    return render_to_string(TEMPLATE, context)


def contract_pdf(reading: VersionReading, *, rendering: str = "both", cached: bool = False) -> bytes:
    """The version as PDF bytes: cover, the chosen rendering(s), terms tables.

    ``cached``: the PDF of the same HTML rendered earlier (keyed by the HTML's SHA-256, so
    any change to the text or terms renders anew) is returned from the cache.
    """
    html = contract_pdf_html(contract_pdf_context(reading, rendering=rendering))
    if not cached:
        return html_to_pdf(html)
    key = "contract-pdf:" + hashlib.sha256(html.encode()).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        pdf = html_to_pdf(html)
        cache.set(key, pdf, CACHE_SECONDS)
    return pdf
