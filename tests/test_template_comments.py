"""Django's ``{# … #}`` comment ends at the end of its line: one spread over several lines is
printed to the reader as text. Longer comments use ``{% comment %}``."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
UNCLOSED = re.compile(r"\{#(?:(?!#\}).)*$", re.MULTILINE)


def test_no_template_comment_spans_lines():
    found = [
        f"{path.relative_to(TEMPLATES)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in sorted(TEMPLATES.rglob("*"))
        if path.suffix in {".html", ".txt", ".css", ".xml"}
        for text in [path.read_text(encoding="utf-8")]
        for match in UNCLOSED.finditer(text)
    ]
    assert found == []


def test_the_contract_page_shows_no_template_comment(tenants, client_for):
    from django.urls import reverse

    body = client_for(tenants.provider_author).get(
        reverse("contracts:contract_detail", args=[tenants.contract.reference])
    )
    assert body.status_code == 200 and "{#" not in body.content.decode()
