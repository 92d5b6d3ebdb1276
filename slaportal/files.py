"""Serving a stored file as a download: the one way pages hand out PDFs from storage."""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404


def stored_pdf_response(name: str, filename: str) -> FileResponse:
    """The PDF stored under ``name`` as an attachment called ``filename``; 404 when nothing is
    stored there (never recorded, or missing from storage)."""
    if not name:
        raise Http404("No document stored.")
    try:
        handle = default_storage.open(name, "rb")
    except OSError as exc:
        raise Http404("The document is missing from storage.") from exc
    return FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")
