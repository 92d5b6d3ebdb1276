"""Reading a contract version: the version page, redlines between versions, the PDF."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from contracts.caching.pages import cached_page
from contracts.documents.contract_download import (
    cached_pdf,
    contract_pdf_context,
    contract_pdf_filename,
    contract_pdf_html,
    pdf_render_claim,
    pdf_rendering_choice,
)
from contracts.forms.documents import CompareForm
from contracts.models import Version
from contracts.selectors.reading import (
    Reader,
    VersionReading,
    contract_reader_or_404,
    readable_version_or_404,
    readable_versions,
    rendering_choice,
    version_reading,
    version_redline,
)
from slaportal.queueing import enqueue, runs_in_background


def reverse_or_none(name: str, **kwargs) -> str | None:
    """The URL of ``name``, or None while that page does not exist (yet)."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def author_links(reader: Reader, versions: list[Version], terms_of: Version | None) -> dict:
    """Authoring links for the provider's authors (empty for everyone else): edit the draft
    or start one, and the terms of ``terms_of``. A page that does not exist is left out."""
    if not reader.author:
        return {}
    reference = reader.contract.reference
    draft = next((v for v in versions if v.is_draft), None)
    links: dict = {"draft_number": None, "terms_number": None}
    if draft is not None:
        links["edit_draft"] = reverse_or_none(
            "contracts:version_edit", reference=reference, number=draft.number
        )
        links["draft_number"] = draft.number
    else:
        links["new_draft"] = reverse_or_none("contracts:version_new_draft", reference=reference)
    if terms_of is not None:
        links["terms"] = reverse_or_none(
            "contracts:version_terms", reference=reference, number=terms_of.number
        )
        links["terms_number"] = terms_of.number
    return links


def reading_context(reading: VersionReading, rendering: str) -> dict:
    """Template context for ``contracts/documents/_reading.html``."""
    return {"reading": reading, "rendering": rendering, "shown": reading.version}


@login_required
@require_GET
def version_detail(request, reference: str, number: int):
    reader, version = readable_version_or_404(request.user, reference, number)
    versions = readable_versions(reader)
    rendering = rendering_choice(request.GET.get("rendering"))
    return render(
        request,
        "contracts/documents/version_detail.html",
        {
            "contract": reader.contract,
            "reader": reader,
            "versions": versions,
            "links": author_links(reader, versions, version),
            **reading_context(version_reading(version), rendering),
        },
    )


@login_required
@require_GET
def version_compare(request, reference: str, number: int | None = None, other: int | None = None):
    reader = contract_reader_or_404(request.user, reference)
    versions = readable_versions(reader)
    data = request.GET.copy()
    if number is not None and other is not None:
        data.setdefault("from", str(other))
        data.setdefault("to", str(number))
    # Two versions or more: always bound, missing choices default to the latest change.
    form = CompareForm(data if len(versions) >= 2 else None, versions=versions)
    result = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            result = version_redline(
                form.cleaned_data["from_version"],
                form.cleaned_data["to_version"],
                form.cleaned_data["rendering"],
            )
        else:
            status = 400
    return render(
        request,
        "contracts/documents/version_compare.html",
        {
            "contract": reader.contract,
            "reader": reader,
            "versions": versions,
            "form": form,
            "redline": result,
        },
        status=status,
    )


@login_required
@require_GET
@cached_page
def version_pdf(request, reference: str, number: int):
    """The version's PDF. Rendering takes seconds: with a worker, a PDF not rendered yet is
    queued and this page shows its progress (htmx polls it) until the download is ready."""
    _reader, version = readable_version_or_404(request.user, reference, number)
    reading = version_reading(version)
    rendering = pdf_rendering_choice(request.GET.get("rendering"))
    html = contract_pdf_html(contract_pdf_context(reading, rendering=rendering))
    pdf = cached_pdf(html)
    if pdf is None and (not runs_in_background() or pdf_render_claim(html)):
        # Without a worker the task runs here and the PDF is in the cache when it returns.
        enqueue("contracts.tasks.contract_pdf_render", version.pk, rendering)
        pdf = cached_pdf(html)
    polled = bool(request.headers.get("HX-Request"))
    if pdf is None or polled:
        progress = render(
            request,
            "contracts/documents/_pdf_progress.html" if polled else "contracts/documents/pdf_progress.html",
            {
                "contract": version.contract,
                "version": version,
                "ready": pdf is not None,
                "url": request.get_full_path(),
            },
        )
        # The rendering's progress is not data: it must be asked for anew each time.
        patch_cache_control(progress, no_store=True)
        return progress
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{contract_pdf_filename(reading)}"'
    return response
