"""A contract version's PDF download: its name, which rendering it holds, the HTML it is
rendered from, and the document cache that keeps rendered PDFs. Apart from
``contracts.documents.contract_pdf`` (which loads WeasyPrint), so that pages linking to the
PDF, and the download page while a worker renders it, do not load the renderer.

The cache is ``CACHES["documents"]``: shared by web and worker processes (a file cache under
DATA_DIR by default when a worker renders), keyed by the SHA-256 of the HTML, so any change to
the text or terms renders anew.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.core.cache import caches
from django.template.loader import render_to_string

from contracts.selectors.branding import branding_of
from contracts.selectors.reading import VersionReading
from contracts.selectors.versions import hours_commitment_text
from contracts.texts.wording import format_date

PDF_RENDERINGS = ("both", "legal", "plain")
TEMPLATE = "pdf/contract.html"
# Rendering a contract takes WeasyPrint seconds; downloads of the same document (a frozen
# version, or a draft that has not changed) are served from the cache for this long.
CACHE_SECONDS = 6 * 60 * 60
# A render queued for a worker is not queued again (by the page polling for it) this long.
QUEUED_SECONDS = 120


def pdf_rendering_choice(value: str | None) -> str:
    return value if value in PDF_RENDERINGS else "both"


def contract_pdf_filename(reading: VersionReading) -> str:
    """``SLA-2026-0001-v2.pdf``: the reference is letters, digits and hyphens only."""
    return f"{reading.contract.reference}-v{reading.version.number}.pdf"


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
        "hours_commitment": hours_commitment_text(reading.terms.hours_commitment)
        if reading.terms.hours_commitment
        else "",
        "show_legal": rendering in ("both", "legal"),
        "show_plain": rendering in ("both", "plain"),
        "rendering": rendering,
        # Part of the HTML, so a new logo or colour renders anew (the cache is keyed by it);
        # a signable document, once stored, keeps the branding it was rendered with.
        "branding": branding_of(contract.provider),
    }


def contract_pdf_html(context: dict[str, Any]) -> str:
    return render_to_string(TEMPLATE, context)


def _key(html: str) -> str:
    return "contract-pdf:" + hashlib.sha256(html.encode()).hexdigest()


def cached_pdf(html: str) -> bytes | None:
    """The PDF rendered earlier from exactly this HTML, or None."""
    return caches["documents"].get(_key(html))


def cache_pdf(html: str, pdf: bytes) -> None:
    caches["documents"].set(_key(html), pdf, CACHE_SECONDS)


def pdf_render_claim(html: str) -> bool:
    """True the first time a render of this HTML is asked for within ``QUEUED_SECONDS``: the
    caller queues it; later callers (the page polling) wait for that render."""
    return caches["documents"].add(_key(html) + ":queued", 1, QUEUED_SECONDS)
