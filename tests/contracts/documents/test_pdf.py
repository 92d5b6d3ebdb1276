"""contracts.documents.pdf: rendering, the print stylesheet, and the static-only fetcher."""

from __future__ import annotations

import base64
import io
import logging
import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote
from urllib.request import Request

import pytest
from PIL import Image
from pypdf import PdfReader
from weasyprint import HTML

from contracts.documents.pdf import ResourceRefused, StaticOnlyURLFetcher, html_to_pdf, static_base_url

LEAK = "LEAKED"
SECRET_CSS = f'body::before {{ content: "{LEAK}"; }}'


def _png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png_bytes()


def _page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _text(pdf: bytes) -> str:
    return "\n".join(_page_texts(pdf))


def _image_count(pdf: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


def _attachment_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).attachments)


def _doc(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


# ---- fixtures ----------------------------------------------------------------


@dataclass
class Tree:
    """A temporary static root plus an "outside" directory holding canaries
    that would show up in the PDF if they were ever read."""

    static: Path
    outside: Path


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    static = tmp_path / "static"
    outside = tmp_path / "outside"
    (static / "pdf").mkdir(parents=True)
    outside.mkdir()
    (static / "logo.png").write_bytes(PNG)
    (static / "pdf" / "marker.css").write_text('.marker::before { content: "STYLED"; }')
    (outside / "secret.png").write_bytes(PNG)
    (outside / "secret.css").write_text(SECRET_CSS)
    # Symlinks that live inside the static root but point out of it.
    (static / "escape.png").symlink_to(outside / "secret.png")
    (static / "linked-dir").symlink_to(outside, target_is_directory=True)
    return Tree(static=static, outside=outside)


class _RecordingServer(ThreadingHTTPServer):
    """HTTP server on a loopback port that counts every connection, before a
    single byte is read, and would serve canaries if asked."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _CanaryHandler)
        self.connections = 0
        self.paths: list[str] = []

    def verify_request(self, request: socket.socket, client_address: tuple[str, int]) -> bool:
        self.connections += 1
        return True

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


class _CanaryHandler(BaseHTTPRequestHandler):
    server: _RecordingServer

    def do_GET(self) -> None:
        self.server.paths.append(self.path)
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", "/x.png")
            self.end_headers()
            return
        if self.path.endswith(".css"):
            body, content_type = SECRET_CSS.encode(), "text/css"
        else:
            body, content_type = PNG, "image/png"
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[_RecordingServer]:
    httpd = _RecordingServer()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


# ---- rendering and the print stylesheet --------------------------------------

PRINT_CSS = '<link rel="stylesheet" href="pdf/print.css">'


def test_renders_content_with_page_n_of_m_footer() -> None:
    html = _doc(
        '<p class="running-header">SLA-0042 v3</p>'
        "<h1>Hosting agreement</h1><p>First page body.</p>"
        '<h2 class="page-break">Service levels</h2><p>Second page body.</p>',
        head=PRINT_CSS,
    )

    pages = _page_texts(html_to_pdf(html))

    assert len(pages) == 2
    assert "Hosting agreement" in pages[0] and "First page body." in pages[0]
    assert "Second page body." in pages[1]
    assert "Page 1 of 2" in pages[0]
    assert "Page 2 of 2" in pages[1]
    # The running header is repeated in the top margin of every page.
    assert all("SLA-0042 v3" in page for page in pages)


def test_print_css_is_applied_from_the_project_static_root() -> None:
    html = _doc(
        '<span class="badge-internal"></span>'
        '<div class="clauses">'
        '<div class="clause"><p class="clause-title">Scope</p>'
        '<p class="subclause">Covers hosting.</p></div>'
        '<div class="clause"><p class="clause-title">Availability</p></div>'
        "</div>",
        head=PRINT_CSS,
    )

    pdf = html_to_pdf(html)
    text = _text(pdf)

    # Generated content only exists if print.css was loaded and applied.
    assert "INTERNAL SLA" in text
    assert "1. Scope" in text
    assert "1.1 Covers hosting." in text
    assert "2. Availability" in text
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_cover_page_has_no_header_or_footer_but_counts_in_total() -> None:
    html = _doc(
        '<section class="cover"><h1>Monthly report</h1></section>'
        '<p class="running-header">RPT-7 2025-01</p><p>Figures.</p>',
        head=PRINT_CSS,
    )

    pages = _page_texts(html_to_pdf(html))

    assert len(pages) == 2
    assert "Monthly report" in pages[0]
    assert "Page" not in pages[0] and "RPT-7" not in pages[0]
    assert "Page 2 of 2" in pages[1] and "RPT-7 2025-01" in pages[1]


def test_table_header_repeats_on_every_page() -> None:
    rows = "".join(f"<tr><td>row {i}</td></tr>" for i in range(150))
    html = _doc(
        f"<table><thead><tr><th>Period column</th></tr></thead><tbody>{rows}</tbody></table>",
        head=PRINT_CSS,
    )

    pages = _page_texts(html_to_pdf(html))

    assert len(pages) >= 2
    assert all("Period column" in page for page in pages)


def test_relative_hrefs_resolve_inside_the_given_static_root(tree: Tree) -> None:
    html = _doc('<p class="marker"></p>', head='<link rel="stylesheet" href="pdf/marker.css">')

    assert "STYLED" in _text(html_to_pdf(html, static_root=tree.static))


def test_static_base_url_is_a_file_url_with_trailing_slash(tree: Tree) -> None:
    assert static_base_url(tree.static) == tree.static.resolve().as_uri() + "/"


# ---- what may be loaded ------------------------------------------------------


@pytest.mark.parametrize(
    "img",
    [
        '<img src="logo.png">',
        '<img src="./pdf/../logo.png">',
        '<img src="{static_uri}/logo.png">',
    ],
)
def test_image_in_static_root_is_embedded(tree: Tree, img: str) -> None:
    html = _doc(img.format(static_uri=tree.static.resolve().as_uri()))

    assert _image_count(html_to_pdf(html, static_root=tree.static)) == 1


def test_small_data_uri_image_is_embedded(tree: Tree) -> None:
    src = "data:image/png;base64," + base64.b64encode(PNG).decode()

    assert _image_count(html_to_pdf(_doc(f'<img src="{src}">'), static_root=tree.static)) == 1


# ---- what is refused ---------------------------------------------------------

LOCAL_ESCAPES = [
    '<img src="file:///etc/passwd">',
    '<link rel="stylesheet" href="file:///etc/passwd">',
    '<img src="../../../../etc/hostname">',
    '<img src="' + "../" * 16 + 'etc/hostname">',
    '<img src="file://{outside}/secret.png">',
    '<img src="../outside/secret.png">',
    '<link rel="stylesheet" href="file://{outside}/secret.css">',
    '<link rel="stylesheet" href="file://localhost{outside}/secret.css">',
    '<link rel="stylesheet" href="%2e%2e/outside/secret.css">',
    '<style>@import url("file://{outside}/secret.css");</style>',
    '<style>@import url("../outside/secret.css");</style>',
    '<div style="background: url(file://{outside}/secret.png)">x</div>',
    # Symlinks inside the static root that point out of it.
    '<img src="escape.png">',
    '<link rel="stylesheet" href="linked-dir/secret.css">',
    # Attachments are fetched through the same fetcher.
    '<link rel="attachment" href="file://{outside}/secret.css">',
    '<a rel="attachment" href="../outside/secret.css">attached</a>',
    # Non-image data: URIs would let rendered text smuggle in stylesheets.
    f'<link rel="stylesheet" href="data:text/css,{quote(SECRET_CSS)}">',
]


@pytest.mark.parametrize("markup", LOCAL_ESCAPES)
def test_local_file_outside_static_root_is_refused(
    tree: Tree, markup: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    html = _doc(markup.format(outside=tree.outside))

    pdf = html_to_pdf(html, static_root=tree.static)

    assert LEAK not in _text(pdf)
    assert _image_count(pdf) == 0
    assert _attachment_count(pdf) == 0
    refusals = [r for r in caplog.records if r.name == "slaportal.pdf"]
    assert refusals and all(r.levelno == logging.WARNING for r in refusals)
    # WeasyPrint's own "Failed to load …" error for the same URL is dropped.
    assert not [r for r in caplog.records if r.name == "weasyprint"]


def test_fifo_in_static_root_is_refused_without_blocking(tree: Tree) -> None:
    os.mkfifo(tree.static / "pipe.png")

    pdf = html_to_pdf(_doc('<img src="pipe.png">'), static_root=tree.static)

    assert _image_count(pdf) == 0


NETWORK_REFERENCES = [
    '<img src="{base}/x.png">',
    '<img src="{https}/x.png">',
    '<img src="ftp://{host}/x.png">',
    '<img src="//{host}/x.png">',
    '<link rel="stylesheet" href="{base}/evil.css">',
    "<style>@import url({base}/evil.css);</style>",
    # The redirect target is on the same server; neither hop may happen.
    '<img src="{base}/redirect">',
    '<style>@import url("{base}/redirect.css");</style>',
    '<div style="background-image: url({base}/x.png)">x</div>',
    "<style>@font-face {{ font-family: Evil; src: url({base}/f.woff2); }}"
    " p {{ font-family: Evil; }}</style><p>x</p>",
    '<link rel="attachment" href="{base}/evil.css">',
    '<base href="{base}/"><img src="x.png">',
    '<svg width="10" height="10"><image href="{base}/x.png" width="10" height="10"/></svg>',
]


@pytest.mark.parametrize("markup", NETWORK_REFERENCES)
def test_network_reference_is_refused_and_never_contacted(
    tree: Tree, server: _RecordingServer, markup: str
) -> None:
    host = server.base.removeprefix("http://")
    html = _doc(markup.format(base=server.base, https=f"https://{host}", host=host))

    pdf = html_to_pdf(html, static_root=tree.static)

    assert server.connections == 0, server.paths
    assert LEAK not in _text(pdf)
    assert _image_count(pdf) == 0


def test_static_files_cannot_pull_in_network_resources(tree: Tree, server: _RecordingServer) -> None:
    # Trusted static files still go through the fetcher for what they load.
    (tree.static / "pdf" / "remote.css").write_text(f"@import url({server.base}/evil.css);")
    (tree.static / "chart.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        f'<image href="{server.base}/x.png" width="10" height="10"/></svg>'
    )
    html = _doc('<img src="chart.svg">', head='<link rel="stylesheet" href="pdf/remote.css">')

    pdf = html_to_pdf(html, static_root=tree.static)

    assert server.connections == 0, server.paths
    assert LEAK not in _text(pdf)


def test_fetcher_open_path_refuses_http_too(tree: Tree, server: _RecordingServer) -> None:
    # urllib's redirect handling re-enters through open(); that path is guarded.
    fetcher = StaticOnlyURLFetcher(tree.static)

    with pytest.raises(ResourceRefused):
        fetcher.open(Request(f"{server.base}/redirect"))

    assert server.connections == 0


def test_harness_sees_fetches_made_by_weasyprint_default_fetcher(
    server: _RecordingServer,
) -> None:
    # Control: proves the server above would notice a fetch if one happened.
    HTML(string=_doc(f'<img src="{server.base}/redirect">')).write_pdf()

    assert server.paths == ["/redirect", "/x.png"]


def test_refusal_is_logged_once_with_url_and_reason(tree: Tree, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)

    html_to_pdf(_doc('<img src="file:///etc/passwd">'), static_root=tree.static)

    [record] = [r for r in caplog.records if r.name == "slaportal.pdf"]
    assert record.levelno == logging.WARNING
    assert "file:///etc/passwd" in record.getMessage()
    assert "outside the static root" in record.getMessage()
