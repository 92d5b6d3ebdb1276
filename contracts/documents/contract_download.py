"""How a contract PDF download is named and which rendering it holds; apart from
``contracts.documents.contract_pdf`` (which loads WeasyPrint) so that pages linking to the
PDF do not load the renderer."""

from __future__ import annotations

from contracts.selectors.reading import VersionReading

PDF_RENDERINGS = ("both", "legal", "plain")


def pdf_rendering_choice(value: str | None) -> str:
    return value if value in PDF_RENDERINGS else "both"


def contract_pdf_filename(reading: VersionReading) -> str:
    """``SLA-2026-0001-v2.pdf``: the reference is letters, digits and hyphens only."""
    return f"{reading.contract.reference}-v{reading.version.number}.pdf"
