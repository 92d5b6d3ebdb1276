"""HTML → PDF bytes, with every external resource confined to the static tree.

Rendering is pure: no request, no ORM, no settings. The only resources a
document may load are regular files under the static root (stylesheets, fonts,
logos) and small inline ``data:`` images. Anything else — ``http(s)``, ``ftp``,
``file://`` outside the static root, ``..`` or symlink escapes — is refused
before any I/O happens, logged to ``slaportal.pdf`` at warning level, and
skipped by WeasyPrint.
"""

from __future__ import annotations

import base64
import binascii
import functools
import logging
import mimetypes
import os
import stat
import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn
from urllib.parse import unquote_to_bytes, urlsplit
from urllib.request import url2pathname

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

logger = logging.getLogger("slaportal.pdf")

PROJECT_DIR = Path(__file__).resolve().parents[2]
DEFAULT_STATIC_ROOT = PROJECT_DIR / "static"

# Inline images are part of the document already, so they cost no I/O; the cap
# only keeps a pathological template from ballooning memory.
DATA_URI_MAX_BYTES = 2 * 1024 * 1024
# Big enough for any logo or font we ship; a bound so a stray large file in the
# static tree cannot be slurped into every PDF.
STATIC_FILE_MAX_BYTES = 20 * 1024 * 1024


class ResourceRefused(ValueError):
    """A URL the PDF layer will not fetch; WeasyPrint skips the resource."""


def static_base_url(static_root: Path | None = None) -> str:
    """Return the ``file:`` URL, with a trailing slash, of the static root.

    Used as the document's base URL so templates reference static files with
    plain relative paths (``<link href="pdf/print.css">``).
    """
    root = (static_root or DEFAULT_STATIC_ROOT).resolve()
    return root.as_uri() + "/"


class StaticOnlyURLFetcher(URLFetcher):
    """A WeasyPrint fetcher that serves only files under ``static_root`` and
    small ``data:`` images, and refuses every other URL without touching the
    network or the rest of the file system.
    """

    def __init__(self, static_root: Path) -> None:
        # Redirects off and protocols restricted in the parent too, so that a
        # code path reaching urllib without going through fetch() below
        # still cannot leave the static tree.
        super().__init__(
            timeout=5,
            allowed_protocols=("file", "data"),
            allow_redirects=False,
        )
        self.static_root = static_root.resolve()

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        """Return the resource at ``url`` or raise :class:`ResourceRefused`.

        WeasyPrint calls this for every stylesheet, ``@import``, image, font
        and attachment; raising makes it skip that resource and carry on.
        """
        try:
            scheme = urlsplit(url).scheme.lower()
        except ValueError:
            scheme = ""
        if scheme == "file":
            return self._fetch_static_file(url)
        if scheme == "data":
            return self._fetch_data_image(url)
        self._refuse(url, "scheme not allowed")

    def _fetch_static_file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        # A host in a file: URL would mean a network share.
        if parts.netloc not in ("", "localhost"):
            self._refuse(url, "remote file host")
        raw_path = url2pathname(parts.path)
        if "\x00" in raw_path:
            self._refuse(url, "NUL in path")
        try:
            # strict resolution follows every symlink and collapses "..", so
            # the containment check below sees where the bytes really live.
            resolved = Path(raw_path).resolve(strict=True)
        except (OSError, RuntimeError):
            self._refuse(url, "no such file")
        if not resolved.is_relative_to(self.static_root):
            self._refuse(url, "outside the static root")
        # O_NOFOLLOW closes the gap between resolve() and open() if the last
        # component is swapped for a symlink; O_NONBLOCK keeps a FIFO from
        # hanging the render before the regular-file check can reject it.
        try:
            fd = os.open(resolved, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            self._refuse(url, "cannot open")
        with os.fdopen(fd, "rb") as file:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode):
                self._refuse(url, "not a regular file")
            if info.st_size > STATIC_FILE_MAX_BYTES:
                self._refuse(url, "file too large")
            body = file.read(STATIC_FILE_MAX_BYTES + 1)
        if len(body) > STATIC_FILE_MAX_BYTES:
            self._refuse(url, "file too large")
        # WeasyPrint rejects <link> stylesheets not served as text/css.
        content_type = mimetypes.guess_type(resolved.name)[0] or "application/octet-stream"
        # The resolved URL becomes the base for relative references inside
        # the resource (url() in CSS), so they resolve where the file is.
        return URLFetcherResponse(resolved.as_uri(), body=body, headers={"Content-Type": content_type})

    def _fetch_data_image(self, url: str) -> URLFetcherResponse:
        if len(url) > DATA_URI_MAX_BYTES * 3:
            self._refuse(url, "data URI too large")
        header, sep, payload = url[len("data:") :].partition(",")
        if not sep:
            self._refuse(url, "malformed data URI")
        params = [p.strip() for p in header.split(";")]
        media_type = params[0].lower()
        # Images only: inline stylesheets or fonts belong in the static tree,
        # where they are reviewed, not in rendered text.
        if not media_type.startswith("image/"):
            self._refuse(url, "data URI is not an image")
        body = unquote_to_bytes(payload)
        if "base64" in (p.lower() for p in params[1:]):
            try:
                body = base64.b64decode(body, validate=False)
            except (binascii.Error, ValueError):
                self._refuse(url, "bad base64 in data URI")
        if len(body) > DATA_URI_MAX_BYTES:
            self._refuse(url, "data URI too large")
        return URLFetcherResponse(url, body=body, headers={"Content-Type": media_type})

    def _refuse(self, url: str, reason: str) -> NoReturn:
        shown = url if len(url) <= 120 else url[:117] + "..."
        logger.warning("Refused PDF resource %s (%s)", shown, reason)
        raise ResourceRefused(f"{reason}: {shown}")


class _DropRefusedResourceErrors(logging.Filter):
    """Drop WeasyPrint's own "Failed to load …" records for URLs we refused.

    The refusal is already logged to ``slaportal.pdf`` with its reason; the
    WeasyPrint record would repeat it at error level. WeasyPrint wraps the
    fetcher's exception as ``URLFetchingError("ResourceRefused: …")`` and
    passes it as a log argument, which is what this recognises; any other
    failure passes through untouched.
    """

    _prefix = f"{ResourceRefused.__name__}:"

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        return not any(
            isinstance(arg, URLFetchingError) and str(arg).startswith(self._prefix) for arg in args
        )


_refusal_filter = _DropRefusedResourceErrors()
# addFilter ignores a filter that is already installed, so re-imports are harmless.
logging.getLogger("weasyprint").addFilter(_refusal_filter)


# ---------------------------------------------------------------- stack room

#: Value-stack slots reserved by the frame that starts a render: 512 KiB, so that CPython
#: gives it a 1 MiB stack chunk of its own, leaving about 512 KiB for the render's frames.
_STACK_ROOM_SLOTS = 1 << 16


def _call(function, args, kwargs):
    return function(*args, **kwargs)


# The same function with a frame far larger than it needs (only the interpreter's reservation
# grows: the unused slots are never written, so their pages are never touched).
_call_with_room = types.FunctionType(
    _call.__code__.replace(co_stacksize=_call.__code__.co_stacksize + _STACK_ROOM_SLOTS),
    _call.__globals__,
    "_call_with_room",
)


def with_stack_room(function, /, *args, **kwargs):
    """``function(*args, **kwargs)``, its frames kept within one stack chunk of their own.

    CPython 3.11 and 3.12 keep Python frames in 16 KiB chunks and free a chunk as soon as
    its first frame returns (python/cpython#142183, fixed from 3.13). A deep recursion that
    keeps crossing a chunk boundary then maps and unmaps memory at each crossing: a render
    started a few dozen frames deeper (inside a Celery task, say) made some 10,000 such
    calls and took up to a fifth longer than the same render started near the top. Starting
    from a frame that reserves a chunk of its own keeps the render clear of boundaries,
    whatever the depth of the caller.
    """
    if (3, 11) <= sys.version_info[:2] < (3, 13):
        return _call_with_room(function, args, kwargs)
    return function(*args, **kwargs)


@functools.lru_cache(maxsize=8)
def _fetcher(static_root: Path) -> StaticOnlyURLFetcher:
    """One fetcher per static root and process: it keeps no state between documents."""
    return StaticOnlyURLFetcher(static_root)


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int


def render_pdf(html: str, *, static_root: Path | None = None, custom_metadata: bool = False) -> RenderedPdf:
    """Render an HTML document to PDF bytes, with its page count.

    Relative URLs resolve against ``static_root`` (default: the project's
    ``static/`` directory), so ``<link rel="stylesheet" href="pdf/print.css">``
    loads the print stylesheet. Only files inside ``static_root`` and small
    ``data:`` images are ever read; every other reference is refused, logged
    to ``slaportal.pdf`` and left out of the PDF. Never raises for a refused
    resource. With ``custom_metadata`` the document's other ``<meta name>``
    values go into the PDF's document information under their names.
    """
    return with_stack_room(_render_pdf, html, static_root or DEFAULT_STATIC_ROOT, custom_metadata)


def _render_pdf(html: str, root: Path, custom_metadata: bool) -> RenderedPdf:
    document = HTML(string=html, base_url=static_base_url(root), url_fetcher=_fetcher(root)).render()
    return RenderedPdf(document.write_pdf(custom_metadata=custom_metadata), len(document.pages))


def html_to_pdf(html: str, *, static_root: Path | None = None) -> bytes:
    """Render an HTML document to PDF bytes (see ``render_pdf``)."""
    return render_pdf(html, static_root=static_root).data
