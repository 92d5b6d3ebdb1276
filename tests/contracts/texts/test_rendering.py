"""The restricted placeholder renderer: substitution, errors, sanitising."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.texts import rendering
from contracts.texts.rendering import (
    Block,
    find_placeholders,
    parameter_names,
    render_clause,
    sanitise_html,
    substitute_source,
)

TERMS = {
    "uptime_target": "99.9%",
    "response_p1": "4 business hours",
    "monthly_fee": "EUR 1,200.00",
    "provider_name": "Acme IT",
}

CREDIT_TABLE = Block(
    '<table class="credit-schedule"><tr><td>below 99.9%</td><td>10%</td></tr></table>',
    text="below 99.9%: 10%",
)


def error_span(original: str) -> re.Pattern[str]:
    """The inert rendering of a placeholder that was not substituted."""
    return re.compile(
        r'<span class="placeholder-error" title="[^"<>]*">' + re.escape(html.escape(original)) + "</span>"
    )


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def parsed_tags(fragment: str) -> list[tuple[str, dict[str, str | None]]]:
    """The start tags of ``fragment`` as a browser's tokenizer sees them."""
    collector = _TagCollector()
    collector.feed(fragment)
    collector.close()
    return collector.tags


def assert_no_active_content(fragment: str) -> None:
    """No script-capable tag, event handler or non-web link address."""
    for tag, attributes in parsed_tags(fragment):
        assert tag not in {"script", "style", "iframe", "img", "object", "embed"}, tag
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, name)
            if name in {"href", "src"}:
                assert re.match(r"(https?|mailto):", value or ""), (tag, name, value)


# --- find_placeholders ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("{{x}}", "x"),
        ("{{ x }}", "x"),
        ("{{  x  }}", "x"),
        ("{{\tx\t}}", "x"),
        ("{{ uptime_target }}", "uptime_target"),
        ("{{ response_p4 }}", "response_p4"),
    ],
)
def test_valid_placeholder_spellings(text: str, name: str) -> None:
    [placeholder] = find_placeholders(f"before {text} after")
    assert placeholder.valid
    assert placeholder.name == name
    assert placeholder.text == text
    assert placeholder.start == len("before ")


@pytest.mark.parametrize(
    ("text", "message_part"),
    [
        ("{% load static %}", "template tags"),
        ("{%load%}", "template tags"),
        ("{# note #}", "comments"),
        ("{{ settings.SECRET_KEY }}", "attribute access"),
        ("{{ x.y }}", "attribute access"),
        ("{{ x|safe }}", "filters"),
        ("{{ x | default:'0' }}", "filters"),
        ("{{ Uptime }}", "invalid parameter name"),
        ("{{ _private }}", "invalid parameter name"),
        ("{{ 9lives }}", "expressions"),
        ("{{ a + b }}", "expressions"),
        ("{{ x() }}", "expressions"),
        ("{{ }}", "empty"),
        ("{{}}", "empty"),
        ("{{ x", "unclosed"),
        ("{%", "unclosed"),
    ],
)
def test_invalid_placeholders_are_reported(text: str, message_part: str) -> None:
    [placeholder] = find_placeholders(text)
    assert not placeholder.valid
    assert placeholder.name is None
    assert message_part in (placeholder.error or "")


def test_placeholder_positions_are_one_based_line_and_column() -> None:
    text = "First line\n  second {{ a }} and {{ b.c }}\n{{ d }}"
    placeholders = find_placeholders(text)
    assert [(p.text, p.line, p.column) for p in placeholders] == [
        ("{{ a }}", 2, 10),
        ("{{ b.c }}", 2, 22),
        ("{{ d }}", 3, 1),
    ]
    assert all(text[p.start : p.end] == p.text for p in placeholders)


def test_a_placeholder_does_not_span_lines() -> None:
    [placeholder] = find_placeholders("{{ a\n}}")
    assert placeholder.text == "{{"
    assert not placeholder.valid


def test_an_unclosed_opener_does_not_swallow_the_next_placeholder() -> None:
    placeholders = find_placeholders("{{ oops {{ fine }}")
    assert [(p.text, p.valid) for p in placeholders] == [("{{", False), ("{{ fine }}", True)]


def test_parameter_names_lists_valid_names_only() -> None:
    text = "{{ a }} {{ b }} {{ a }} {{ c.d }} {% e %}"
    assert parameter_names(text) == {"a", "b"}


# --- render_clause: substitution ------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The same terms in both renderings of a clause.
        (
            "The Provider shall ensure Availability of at least {{ uptime_target }}.",
            "<p>The Provider shall ensure Availability of at least 99.9%.</p>",
        ),
        (
            "We keep your systems up **{{uptime_target}}** of the time.",
            "<p>We keep your systems up <strong>99.9%</strong> of the time.</p>",
        ),
        ("{{  response_p1  }}", "<p>4 business hours</p>"),
        ("# Fees: {{ monthly_fee }}", "<h1>Fees: EUR 1,200.00</h1>"),
        (
            "- {{ provider_name }}\n- {{ monthly_fee }}",
            "<ul>\n<li>Acme IT</li>\n<li>EUR 1,200.00</li>\n</ul>",
        ),
        ("{{ uptime_target }}{{ uptime_target }}", "<p>99.9%99.9%</p>"),
        ("a_{{ uptime_target }}_b", "<p>a_99.9%_b</p>"),
        ("`{{ uptime_target }}`", "<p><code>99.9%</code></p>"),
    ],
)
def test_parameters_are_substituted(text: str, expected: str) -> None:
    rendered = render_clause(text, TERMS)
    assert rendered.errors == []
    assert rendered.ok
    assert rendered.html == expected


def test_legal_and_plain_renderings_get_the_same_values() -> None:
    legal = "The Provider shall restore Service within {{ response_p1 }} (the *Resolution Time*)."
    plain = "We fix priority 1 problems within {{response_p1}}."
    assert "4 business hours" in render_clause(legal, TERMS).html
    assert "4 business hours" in render_clause(plain, TERMS).html


def test_used_holds_the_names_substituted() -> None:
    rendered = render_clause("{{ uptime_target }} {{ monthly_fee }} {{ nope }} {{ a.b }}", TERMS)
    assert rendered.used == {"uptime_target", "monthly_fee"}


def test_placeholder_inside_a_markdown_table_cell() -> None:
    text = "| Priority | Resolution |\n|---|:--|\n| P1 | {{ response_p1 }} |"
    rendered = render_clause(text, TERMS)
    assert rendered.errors == []
    assert '<td style="text-align:left">4 business hours</td>' in rendered.html
    assert "<table>" in rendered.html


def test_value_with_a_pipe_does_not_break_the_table() -> None:
    text = "| a | b |\n|---|---|\n| {{ x }} | end |"
    rendered = render_clause(text, {"x": "one | two"})
    assert "<td>one | two</td>" in rendered.html
    assert "<td>end</td>" in rendered.html


@pytest.mark.parametrize(
    ("value", "expected_text"),
    [
        ("<b>bold</b>", "&lt;b&gt;bold&lt;/b&gt;"),
        ("{{ other }}", "{{ other }}"),
        ("{% load static %}", "{% load static %}"),
        ("**not bold**", "**not bold**"),
        ("[link](https://example.com)", "[link](https://example.com)"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('" onmouseover="x', "&quot; onmouseover=&quot;x"),
        ("AT&T", "AT&amp;T"),
        ("| a |\n|---|", "| a |\n|---|"),
    ],
)
def test_values_are_inserted_literally_and_escaped(value: str, expected_text: str) -> None:
    rendered = render_clause("Value: {{ x }}.", {"x": value, "other": "OTHER"})
    assert rendered.errors == []
    assert rendered.html == f"<p>Value: {expected_text}.</p>"


def test_clause_text_that_contains_a_token_cannot_collide(monkeypatch: pytest.MonkeyPatch) -> None:
    nonces = iter(["feedface", "c0ffee00"])
    monkeypatch.setattr(rendering.secrets, "token_hex", lambda _n: next(nonces))
    rendered = render_clause("QZfeedfaceN0QZ and {{ a }}", {"a": "A"})
    assert rendered.html == "<p>QZfeedfaceN0QZ and A</p>"


def test_a_value_that_forges_a_token_forces_another_nonce(monkeypatch: pytest.MonkeyPatch) -> None:
    nonces = iter(["feedface", "c0ffee00"])
    monkeypatch.setattr(rendering.secrets, "token_hex", lambda _n: next(nonces))
    # "QZfeedfaceN1QZ" would be the token of the second placeholder.
    rendered = render_clause("{{ a }} / {{ b }}", {"a": "QZfeedfaceN1QZ", "b": "<i>secret</i>"})
    assert rendered.html == "<p>QZfeedfaceN1QZ / &lt;i&gt;secret&lt;/i&gt;</p>"


# --- render_clause: errors are visible and inert --------------------------


@pytest.mark.parametrize(
    ("original", "message_part"),
    [
        ("{{ unknown_name }}", "unknown parameter 'unknown_name'"),
        ("{% load static %}", "template tags"),
        ("{% if x %}", "template tags"),
        ("{{ settings.SECRET_KEY }}", "attribute access"),
        ("{{ x|safe }}", "filters"),
        ("{{ x.y }}", "attribute access"),
        ("{{ Uptime }}", "invalid parameter name"),
        ("{# hidden #}", "comments"),
        ("{{ }}", "empty"),
        ("{{ empty }}", "empty value"),
        ("{{ blank }}", "empty value"),
    ],
)
def test_bad_placeholders_are_reported_and_shown_inert(original: str, message_part: str) -> None:
    values = {"x": "X", "empty": "", "blank": "   ", "settings": "S"}
    rendered = render_clause(f"Line one.\nSee {original} here.", values)
    [error] = rendered.errors
    assert error.text == original
    assert message_part in error.message
    assert (error.line, error.column) == (2, 5)
    assert original in str(error)
    assert error_span(original).search(rendered.html)
    assert not rendered.ok


def test_secret_key_is_never_looked_up() -> None:
    rendered = render_clause("{{ settings.SECRET_KEY }}", {"settings": "leak"})
    assert "leak" not in rendered.html
    assert "{{ settings.SECRET_KEY }}" in rendered.html


def test_errors_come_in_text_order() -> None:
    rendered = render_clause("{{ a }}\n\n{{ b }}\n\n{% c %}", {})
    assert [e.line for e in rendered.errors] == [1, 3, 5]


def test_none_counts_as_unknown() -> None:
    rendered = render_clause("{{ a }}", {"a": None})  # type: ignore[dict-item]
    assert "unknown parameter" in rendered.errors[0].message


def test_non_string_values_are_shown_as_text() -> None:
    rendered = render_clause("{{ hours }}", {"hours": 40})  # type: ignore[dict-item]
    assert rendered.html == "<p>40</p>"


# --- render_clause: trusted blocks ----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Credits are owed as follows.\n\n{{ credit_schedule }}\n\nCapped monthly.",
        "Credits are owed as follows.\n{{ credit_schedule }}\nCapped monthly.",
        "Credits are owed as follows.\n   {{credit_schedule}}  \nCapped monthly.",
    ],
)
def test_block_on_its_own_line_replaces_the_paragraph(text: str) -> None:
    rendered = render_clause(text, {"credit_schedule": CREDIT_TABLE})
    assert rendered.errors == []
    assert rendered.html == (
        "<p>Credits are owed as follows.</p>\n" + CREDIT_TABLE.html + "\n<p>Capped monthly.</p>"
    )
    assert "<p><table" not in rendered.html
    assert rendered.used == {"credit_schedule"}


def test_block_alone_in_the_text() -> None:
    rendered = render_clause("{{ credit_schedule }}", {"credit_schedule": CREDIT_TABLE})
    assert rendered.html == CREDIT_TABLE.html


def test_block_html_is_trusted_and_not_sanitised() -> None:
    block = Block('<ul class="scope"><li data-service="mail">Mail</li></ul>')
    rendered = render_clause("{{ scope }}", {"scope": block})
    assert rendered.html == block.html


@pytest.mark.parametrize(
    ("text", "message_part"),
    [
        ("Credits: {{ credit_schedule }}", "own line"),
        ("| a |\n|---|\n| {{ credit_schedule }} |", "own line"),
        ("[see](https://example.com/{{ credit_schedule }})", "link"),
    ],
)
def test_block_elsewhere_is_an_error(text: str, message_part: str) -> None:
    rendered = render_clause(text, {"credit_schedule": CREDIT_TABLE})
    [error] = rendered.errors
    assert message_part in error.message
    assert "credit-schedule" not in rendered.html
    if message_part == "own line":
        assert error_span("{{ credit_schedule }}").search(rendered.html)


def test_django_safe_string_is_not_trusted() -> None:
    from django.utils.safestring import mark_safe

    rendered = render_clause("{{ x }}", {"x": mark_safe("<b>x</b>")})
    assert rendered.html == "<p>&lt;b&gt;x&lt;/b&gt;</p>"


# --- render_clause: sanitising --------------------------------------------


_LINK_WITHOUT_ADDRESS = '<p><a rel="noopener noreferrer">x</a></p>'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Raw HTML is never passed through; it is shown as the text it is.
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        (
            "Hi <SCRIPT SRC=//evil.example/x.js></SCRIPT>",
            "<p>Hi &lt;SCRIPT SRC=//evil.example/x.js&gt;&lt;/SCRIPT&gt;</p>",
        ),
        ('<img src=x onerror="alert(1)">', '<p>&lt;img src=x onerror="alert(1)"&gt;</p>'),
        ("<img src=file:///etc/passwd>", "<p>&lt;img src=file:///etc/passwd&gt;</p>"),
        (
            '<iframe src="https://evil.example"></iframe>',
            '<p>&lt;iframe src="https://evil.example"&gt;&lt;/iframe&gt;</p>',
        ),
        ("<style>body{display:none}</style>", "<p>&lt;style&gt;body{display:none}&lt;/style&gt;</p>"),
        ('<a href="javascript:alert(1)">x</a>', '<p>&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;</p>'),
        ("<!-- comment -->", "<p>&lt;!-- comment --&gt;</p>"),
        # Markdown images are not contract text.
        ("![passwd](file:///etc/passwd)", "<p></p>"),
        # Links keep their text but lose any address that is not absolute
        # http, https or mailto.
        ("[x](javascript:alert(1))", _LINK_WITHOUT_ADDRESS),
        ("[x](JaVaScRiPt:alert(1))", _LINK_WITHOUT_ADDRESS),
        ("[x](&#106;avascript:alert(1))", _LINK_WITHOUT_ADDRESS),
        ("[x](java\tscript:alert(1))", _LINK_WITHOUT_ADDRESS),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", _LINK_WITHOUT_ADDRESS),
        ("[x](vbscript:msgbox)", _LINK_WITHOUT_ADDRESS),
        ("[x](/relative/path)", _LINK_WITHOUT_ADDRESS),
        ("[x](//evil.example)", _LINK_WITHOUT_ADDRESS),
        ("[x]: javascript:alert(1)\n\n[x]", _LINK_WITHOUT_ADDRESS),
        # Quotes stay inside the attribute they were written in.
        (
            '<https://example.com/" onclick="alert(1)>',
            '<p><a href="https://example.com/&quot; onclick=&quot;alert(1)" rel="noopener noreferrer">'
            'https://example.com/" onclick="alert(1)</a></p>',
        ),
    ],
)
def test_dangerous_markup_in_clause_text_is_neutralised(text: str, expected: str) -> None:
    rendered = render_clause(text, {})
    assert rendered.html == expected
    assert_no_active_content(rendered.html)


def test_raw_html_is_shown_as_text() -> None:
    rendered = render_clause("<script>alert(1)</script>", {})
    assert rendered.html == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "[status](https://status.example.com)",
            '<p><a href="https://status.example.com" rel="noopener noreferrer">status</a></p>',
        ),
        (
            "[write](mailto:desk@example.com)",
            '<p><a href="mailto:desk@example.com" rel="noopener noreferrer">write</a></p>',
        ),
        (
            "<https://example.com>",
            '<p><a href="https://example.com" rel="noopener noreferrer">https://example.com</a></p>',
        ),
    ],
)
def test_safe_links_are_kept_with_rel(text: str, expected: str) -> None:
    assert render_clause(text, {}).html == expected


def test_value_in_a_link_address_is_sanitised_like_the_text() -> None:
    text = "[portal]({{ portal_url }}) and [mail](mailto:{{ desk }})"
    good = render_clause(
        text, {"portal_url": "https://portal.example.com/?a=1&b=2", "desk": "desk@example.com"}
    )
    assert 'href="https://portal.example.com/?a=1&amp;b=2"' in good.html
    assert 'href="mailto:desk@example.com"' in good.html
    bad = render_clause(text, {"portal_url": "javascript:alert(1)", "desk": 'x" onclick="alert(1)'})
    assert_no_active_content(bad.html)
    assert parsed_tags(bad.html) == [
        ("p", {}),
        ("a", {"rel": "noopener noreferrer"}),
        ("a", {"href": 'mailto:x" onclick="alert(1)', "rel": "noopener noreferrer"}),
    ]


def test_ordered_lists_keep_their_start_and_tables_their_alignment() -> None:
    rendered = render_clause("3. three\n4. four\n\n| a |\n|--:|\n| b |", {})
    assert '<ol start="3">' in rendered.html
    assert '<td style="text-align:right">b</td>' in rendered.html


def test_sanitise_html_drops_script_content_and_unknown_attributes() -> None:
    assert sanitise_html("<p onclick='x' class='y'>a<script>alert(1)</script></p>") == "<p>a</p>"
    assert sanitise_html("<style>p{}</style><table><tr><td>1</td></tr></table>") == (
        "<table><tbody><tr><td>1</td></tr></tbody></table>"
    )


def test_deeply_nested_lists_still_render() -> None:
    text = "- " * 3000 + "{{ a }}"
    rendered = render_clause(text, {"a": "<A>"})
    assert "&lt;A&gt;" in rendered.html
    assert "<A>" not in rendered.html


# --- substitute_source ----------------------------------------------------


def test_substitute_source_inserts_values_verbatim_and_keeps_the_rest() -> None:
    text = (
        "Up {{ uptime_target }}; {{ nope }}; {{ x.y }}; **{{monthly_fee}}**\n"
        "{{ credit_schedule }}\n"
        "{{ scope }}"
    )
    values = {**TERMS, "credit_schedule": CREDIT_TABLE, "scope": Block("<ul></ul>")}
    assert substitute_source(text, values) == (
        "Up 99.9%; {{ nope }}; {{ x.y }}; **EUR 1,200.00**\nbelow 99.9%: 10%\n{{ scope }}"
    )


# --- properties -----------------------------------------------------------

# Every tag render_clause may emit, with the attributes each may carry.
_OUTPUT_TAGS = {
    "p": set(),
    **{f"h{n}": set() for n in range(1, 7)},
    "ul": set(),
    "ol": {"start"},
    "li": set(),
    "strong": set(),
    "em": set(),
    "table": set(),
    "thead": set(),
    "tbody": set(),
    "tr": set(),
    "th": {"style"},
    "td": {"style"},
    "blockquote": set(),
    "code": set(),
    "pre": set(),
    "br": set(),
    "hr": set(),
    "a": {"href", "title", "rel"},
    "span": {"class", "title"},
}
_TAG = re.compile(r'<(/?)([a-z0-9]+)((?:\s+[a-z-]+="[^"]*")*)\s*/?>')
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')


def assert_only_allowed_markup(output: str) -> None:
    """Every "<" must open an allowed tag with allowed attributes only."""
    for match in _TAG.finditer(output):
        name = match.group(2)
        assert name in _OUTPUT_TAGS, match.group()
        for attribute, value in _ATTRIBUTE.findall(match.group(3)):
            assert attribute in _OUTPUT_TAGS[name], match.group()
            if attribute == "href":
                assert re.match(r"(https?|mailto):", value), match.group()
            if attribute == "class":
                assert value == "placeholder-error"
    leftover = _TAG.sub("", output)
    assert "<" not in leftover, leftover


_FRAGMENTS = st.sampled_from(
    [
        "{{ a }}",
        "{{b}}",
        "{{  c  }}",
        "{{ a.b }}",
        "{{ a|safe }}",
        "{% load static %}",
        "{{",
        "}}",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "[x]({{ a }})",
        "![i]({{ b }})",
        "<https://e.com/{{ c }}>",
        "**",
        "_",
        "`",
        "|",
        "| {{ a }} |\n|---|\n| {{ b }} |\n",
        "\n",
        "\n\n",
        "- ",
        "1. ",
        "# ",
        "> ",
        "    ",
        "&",
        "&amp;",
        "<",
        ">",
        '"',
        "QZ",
        "N0QZ",
    ]
)
_CLAUSE_TEXT = st.lists(st.one_of(_FRAGMENTS, st.text(max_size=12)), max_size=25).map("".join)
_VALUE = st.one_of(
    st.text(max_size=30),
    st.lists(st.sampled_from(["<", ">", "&", '"', "'", "{{ a }}", "**", "<script>", "QZ", "N1QZ", "x"])).map(
        "".join
    ),
)
_VALUES = st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), _VALUE)


@settings(max_examples=300, deadline=None)
@given(text=_CLAUSE_TEXT, values=_VALUES)
def test_rendering_never_raises_and_emits_only_allowed_markup(text: str, values: dict[str, str]) -> None:
    rendered = render_clause(text, values)
    assert "<script" not in rendered.html.lower()
    assert_only_allowed_markup(rendered.html)
    assert_no_active_content(rendered.html)


@settings(max_examples=200, deadline=None)
@given(text=_CLAUSE_TEXT, values=_VALUES)
def test_a_value_never_appears_unescaped(text: str, values: dict[str, str]) -> None:
    marked = {name: f"<zz{value}" for name, value in values.items()}
    rendered = render_clause(text, marked)
    assert "<zz" not in rendered.html


@settings(max_examples=200, deadline=None)
@given(text=_CLAUSE_TEXT, values=_VALUES)
def test_every_placeholder_is_either_used_or_reported(text: str, values: dict[str, str]) -> None:
    rendered = render_clause(text, values)
    placeholders = find_placeholders(text)
    reported = {(e.start, e.end) for e in rendered.errors}
    for placeholder in placeholders:
        substituted = placeholder.valid and (values.get(placeholder.name or "") or "").strip()
        assert bool(substituted) != ((placeholder.start, placeholder.end) in reported)
        if substituted:
            assert placeholder.name in rendered.used


@settings(max_examples=200, deadline=None)
@given(text=_CLAUSE_TEXT)
def test_placeholders_are_ordered_disjoint_and_exact(text: str) -> None:
    placeholders = find_placeholders(text)
    position = 0
    for placeholder in placeholders:
        assert placeholder.start >= position
        assert text[placeholder.start : placeholder.end] == placeholder.text
        assert placeholder.valid == (placeholder.name is not None)
        position = placeholder.end


@settings(max_examples=100, deadline=None)
@given(value=_VALUE)
def test_a_plain_value_round_trips_through_escaping(value: str) -> None:
    rendered = render_clause("Value: {{ a }}", {"a": value})
    if value.strip():
        assert rendered.html.startswith("<p>Value: ")
        assert rendered.html.endswith("</p>")
        assert html.unescape(rendered.html[len("<p>Value: ") : -len("</p>")]) == value


# --- remembered renderings ---------------------------------------------------


def test_a_rendering_is_remembered_only_for_the_same_text_and_values():
    text = "Uptime of {{ uptime }} for {{ customer }}; {{ missing }}."
    first = render_clause(text, {"uptime": "99.9%", "customer": "Harbour", "unused": "x"})
    first.errors.clear()
    first.used.clear()
    # The second call is answered from memory (no Markdown run) and is not the first's object.
    calls = rendering._render_remembered.cache_info().hits
    again = render_clause(text, {"uptime": "99.9%", "customer": "Harbour", "unused": "changed"})
    assert rendering._render_remembered.cache_info().hits == calls + 1
    assert again.html.startswith("<p>Uptime of 99.9% for Harbour; ")
    assert error_span("{{ missing }}").search(again.html)
    assert [error.name for error in again.errors] == ["missing"]
    assert again.used == {"uptime", "customer"}
    changed = render_clause(text, {"uptime": "99.95%", "customer": "Harbour"})
    assert "99.95%" in changed.html
    # A value is keyed by the text it renders as: True and 1 are equal keys but read differently.
    assert "True" in render_clause("{{ flag }}", {"flag": True}).html
    assert render_clause("{{ flag }}", {"flag": 1}).html == "<p>1</p>"
