"""Clause texts → sanitised HTML, with ``{{ parameter }}`` placeholders.

A clause text (legal or plain) is Markdown in which the parameters of the
contract appear as ``{{ parameter_name }}``. This module is the only thing that
ever turns such a text into HTML, and it is deliberately tiny: a placeholder is
a parameter name between double braces and nothing else. There are no template
tags, filters, attribute lookups or expressions, and the text is never handed
to the Django or Jinja template engines, so a clause cannot read settings, call
code or hide a value. Anything that looks like template syntax but is not a
plain placeholder is reported with its line and column and shown in the output
as inert, escaped text marked ``placeholder-error`` — never dropped, never run.

Values are plain strings, already formatted for display ("99.9%",
"4 business hours"), and are always HTML-escaped where they land; they are
inserted after Markdown has run, so Markdown or placeholders inside a value are
shown literally. The only way to insert HTML is a :class:`Block`, which the
portal's own code builds (the credit schedule table, the scope list).

Pure: no ORM, no settings, no request.
"""

from __future__ import annotations

import functools
import html
import re
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field

import markdown
import nh3

__all__ = [
    "PARAMETER_NAME",
    "Block",
    "Placeholder",
    "PlaceholderError",
    "Rendered",
    "Value",
    "find_placeholders",
    "parameter_names",
    "render_clause",
    "sanitise_html",
    "substitute_source",
]

#: What a parameter name may look like; the whole name must match.
PARAMETER_NAME = re.compile(r"[a-z][a-z0-9_]*")

# Everything that looks like Django/Jinja template syntax on a single line.
# The inner parts refuse to run past the next opener so that an unclosed
# "{{" does not swallow the placeholder after it. The last alternative catches
# openers left unclosed on their line so they can be reported too.
_MARKUP = re.compile(
    r"\{\{(?P<var>(?:(?!\{\{|\}\})[^\n])*)\}\}"
    r"|\{%(?P<tag>(?:(?!\{%|%\})[^\n])*)%\}"
    r"|\{#(?P<comment>(?:(?!\{#|#\})[^\n])*)#\}"
    r"|(?P<open>\{\{|\{%|\{#)"
)
_NAME_IN_BRACES = re.compile(r"[ \t]*(?P<name>[a-z][a-z0-9_]*)[ \t]*")
_IDENTIFIER_ANY_CASE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True, slots=True)
class Placeholder:
    """One occurrence of placeholder-like markup in a clause text.

    ``text`` is exactly ``source[start:end]``. ``line`` and ``column`` are
    1-based. ``name`` is set only when the placeholder is syntactically valid;
    otherwise ``error`` says why it is not (whether the name is a known
    parameter is a separate question, answered by :func:`render_clause`).
    """

    text: str
    start: int
    end: int
    line: int
    column: int
    name: str | None
    error: str | None

    @property
    def valid(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True)
class PlaceholderError:
    """A placeholder that could not be substituted, with where it is."""

    text: str
    message: str
    start: int
    end: int
    line: int
    column: int
    name: str | None = None

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}: {self.text}"


@dataclass(frozen=True, slots=True)
class Block:
    """Trusted HTML built by the portal's own code (a table, a list).

    Only a ``Block`` is inserted without escaping, so never build one from
    user input. It must stand alone on its own line of the clause text, where
    it replaces the whole paragraph. ``text`` is an optional plain-text form
    used by :func:`substitute_source` (for redlines); without it the
    placeholder is left as written there.
    """

    html: str
    text: str = ""


#: A parameter value: display text (escaped on insertion) or a trusted block.
Value = str | Block


@dataclass(frozen=True)
class Rendered:
    """The result of :func:`render_clause`.

    ``html`` is safe to mark as safe in a template. ``errors`` lists, in text
    order, every placeholder that was not substituted. ``used`` holds the
    names of valid placeholders that had a value.
    """

    html: str
    errors: list[PlaceholderError] = field(default_factory=list)
    used: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.errors


def _line_and_column(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _classify(match: re.Match[str]) -> tuple[str | None, str | None]:
    """Return ``(name, None)`` for a valid placeholder or ``(None, error)``."""
    if match.group("tag") is not None:
        return None, "template tags are not allowed; use {{ parameter_name }}"
    if match.group("comment") is not None:
        return None, "template comments are not allowed"
    if match.group("open") is not None:
        return None, "unclosed placeholder; write {{ parameter_name }} on one line"
    inner = match.group("var")
    valid = _NAME_IN_BRACES.fullmatch(inner)
    if valid:
        return valid.group("name"), None
    stripped = inner.strip()
    if not stripped:
        return None, "empty placeholder"
    if "|" in stripped:
        return None, "filters are not allowed in placeholders"
    if "." in stripped:
        return None, "attribute access is not allowed in placeholders"
    if _IDENTIFIER_ANY_CASE.fullmatch(stripped):
        return None, (
            "invalid parameter name; use lower-case letters, digits and underscores, starting with a letter"
        )
    return None, "expressions are not allowed in placeholders"


def find_placeholders(text: str) -> list[Placeholder]:
    """Return every placeholder-like piece of ``text``, valid or not, in order.

    Valid: ``{{ name }}`` with optional spaces or tabs inside the braces and a
    name matching :data:`PARAMETER_NAME`. Reported as invalid: ``{% … %}``,
    ``{# … #}``, filters, attribute access, expressions, bad names, empty
    braces and openers left unclosed on their line. The spans never overlap.
    """
    found: list[Placeholder] = []
    for match in _MARKUP.finditer(text):
        name, error = _classify(match)
        line, column = _line_and_column(text, match.start())
        found.append(
            Placeholder(
                text=match.group(),
                start=match.start(),
                end=match.end(),
                line=line,
                column=column,
                name=name,
                error=error,
            )
        )
    return found


def parameter_names(text: str) -> set[str]:
    """Return the names of the valid placeholders in ``text``."""
    return {p.name for p in find_placeholders(text) if p.name is not None}


def substitute_source(text: str, values: Mapping[str, Value]) -> str:
    """Return ``text`` with each valid, known placeholder replaced by its value.

    The result is Markdown source meant for comparing versions (redlines),
    not for display: values are inserted verbatim, unescaped. Placeholders
    that are invalid or unknown, and blocks without a ``text`` form, are left
    exactly as written so that they show up in a diff.
    """
    parts: list[str] = []
    position = 0
    for placeholder in find_placeholders(text):
        parts.append(text[position : placeholder.start])
        value = values.get(placeholder.name) if placeholder.name else None
        if isinstance(value, Block):
            parts.append(value.text or placeholder.text)
        elif value is None:
            parts.append(placeholder.text)
        else:
            parts.append(str(value))
        position = placeholder.end
    parts.append(text[position:])
    return "".join(parts)


# --- sanitising -----------------------------------------------------------

_ALLOWED_TAGS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "blockquote",
    "code",
    "pre",
    "br",
    "hr",
    "a",
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    # Markdown tables carry column alignment as style="text-align: …".
    "th": {"style"},
    "td": {"style"},
    # sane_lists keeps the number a list starts at.
    "ol": {"start"},
}
# Stripped together with everything inside them, should they ever reach the
# sanitiser, so that no script or style source leaks out as visible text.
_DROPPED_WITH_CONTENT = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "template",
    "noscript",
    "textarea",
    "select",
    "svg",
    "math",
}

_CLEANER = nh3.Cleaner(
    tags=_ALLOWED_TAGS,
    clean_content_tags=_DROPPED_WITH_CONTENT,
    attributes=_ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    # A contract is read in the portal, in emails and in PDFs; a relative link
    # would point somewhere different in each, so only absolute ones are kept.
    url_relative="deny",
    link_rel="noopener noreferrer",
    filter_style_properties={"text-align"},
    strip_comments=True,
)


def sanitise_html(fragment: str) -> str:
    """Return ``fragment`` reduced to the contract-text allow-list.

    Kept: paragraphs, headings, lists, emphasis, tables, block quotes, code,
    line breaks, rules and links whose address is absolute http, https or
    mailto (given ``rel="noopener noreferrer"``). Every other tag is removed
    (script, style, iframe and the like together with their content), as is
    every attribute not on the list.
    """
    return _CLEANER.clean(fragment)


# --- rendering ------------------------------------------------------------

_thread_state = threading.local()


def _markdown() -> markdown.Markdown:
    # A Markdown instance keeps per-document state, so each thread gets its
    # own and resets it before use.
    md: markdown.Markdown | None = getattr(_thread_state, "markdown", None)
    if md is None:
        md = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
        # Raw HTML in a clause is shown as text rather than passed through:
        # what the author typed is what the signer reads, and nothing the
        # author types can become markup.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        # <user@example.com> would be emitted entity-encoded, which would hide
        # a placeholder inside it from substitution.
        md.inlinePatterns.deregister("automail")
        _thread_state.markdown = md
    md.reset()
    return md


def _markdown_to_html(source: str) -> str:
    try:
        return _markdown().convert(source)
    except RecursionError:
        # An instance interrupted mid-document keeps half-built state that
        # reset() does not clear, so the next clause gets a fresh one.
        _thread_state.markdown = None
        # Pathologically nested lists or quotes; show the text as escaped
        # paragraphs instead of failing the page.
        paragraphs = [p for p in re.split(r"\n[ \t]*\n", source) if p.strip()]
        return "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


@dataclass(slots=True)
class _Slot:
    placeholder: Placeholder
    value: Value | None = None
    error: str | None = None


def _error_span(slot: _Slot) -> str:
    return (
        f'<span class="placeholder-error" title="{html.escape(slot.error or "")}">'
        f"{html.escape(slot.placeholder.text)}</span>"
    )


def _new_nonce(text: str, values: Mapping[str, Value]) -> str:
    # Random, and additionally checked against the inputs, so that neither
    # the clause nor a value can contain (and so forge) a token.
    haystacks = [text, *(v.html if isinstance(v, Block) else str(v) for v in values.values())]
    while True:
        nonce = secrets.token_hex(8)
        if not any(nonce in h for h in haystacks):
            return nonce


# A placeholder stands in the Markdown source as a run of letters and digits,
# which Markdown and the sanitiser leave untouched wherever it appears.
def _token(nonce: str, index: int) -> str:
    return f"QZ{nonce}N{index}QZ"


def _token_pattern(nonce: str) -> re.Pattern[str]:
    return re.compile(rf"QZ{nonce}N(?P<index>\d+)QZ")


def _stands_alone(text: str, placeholder: Placeholder) -> tuple[int, int] | None:
    """Return the span of the placeholder's line if nothing else is on it."""
    line_start = text.rfind("\n", 0, placeholder.start) + 1
    line_end = text.find("\n", placeholder.end)
    if line_end == -1:
        line_end = len(text)
    if text[line_start : placeholder.start].strip() or text[placeholder.end : line_end].strip():
        return None
    return line_start, line_end


# Markdown's own output escapes "<" and ">" inside attribute values, so in it
# every "<…>" run is exactly one tag.
_MARKDOWN_TAG = re.compile(r"<[^<>]*>")


def render_clause(text: str, values: Mapping[str, Value]) -> Rendered:
    """Render a clause text to sanitised HTML with its parameters substituted.

    Promises:

    * never raises for any ``text`` and any string or :class:`Block` values;
    * string values are HTML-escaped and inserted after Markdown has run, so
      markup, Markdown and placeholders inside a value appear literally;
    * a :class:`Block` standing alone on its own line replaces that whole
      paragraph; anywhere else it is an error;
    * a string value may be used in a link address, where it is escaped and
      the address must still pass the sanitiser (absolute http/https/mailto);
    * every invalid placeholder, unknown name, empty value or misplaced block
      is listed in ``errors`` and rendered as the escaped original text in a
      ``<span class="placeholder-error">``, never as nothing;
    * everything coming from the clause text goes through :func:`sanitise_html`.

    The result depends only on the text and the values of the placeholders in it, so it is
    remembered for the last ``RENDERED_CACHE_SIZE`` distinct inputs: a version's clauses are
    rendered on every page and PDF that shows them, and Markdown is most of that work.
    """
    names = {p.name for p in find_placeholders(text) if p.name}
    named = tuple(sorted((name, _as_key(values.get(name))) for name in names))
    remembered = _render_remembered(text, named)
    return Rendered(html=remembered.html, errors=list(remembered.errors), used=set(remembered.used))


def _as_key(value: Value | None) -> Value | None:
    # A value other than a Block is rendered as its text; keyed so too (True and 1 are equal keys).
    return value if value is None or isinstance(value, Block) else str(value)


#: Distinct (clause text, values) renderings kept; a clause is a few kilobytes.
RENDERED_CACHE_SIZE = 2048


@functools.lru_cache(maxsize=RENDERED_CACHE_SIZE)
def _render_remembered(text: str, named: tuple[tuple[str, Value | None], ...]) -> Rendered:
    return _render(text, {name: value for name, value in named if value is not None})


def _render(text: str, values: Mapping[str, Value]) -> Rendered:
    """:func:`render_clause` without memory."""
    placeholders = find_placeholders(text)
    nonce = _new_nonce(text, values)
    tokens = _token_pattern(nonce)

    slots: list[_Slot] = []
    used: set[str] = set()
    parts: list[str] = []
    position = 0
    for index, placeholder in enumerate(placeholders):
        slot = _Slot(placeholder)
        slots.append(slot)
        token = _token(nonce, index)
        isolate: tuple[int, int] | None = None
        if placeholder.name is None:
            slot.error = placeholder.error
        elif values.get(placeholder.name) is None:
            slot.error = f"unknown parameter {placeholder.name!r}"
        else:
            value = values[placeholder.name]
            if isinstance(value, Block):
                slot.value = value
                isolate = _stands_alone(text, placeholder)
            else:
                value = str(value)
                if value.strip():
                    slot.value = value
                else:
                    slot.error = f"parameter {placeholder.name!r} has an empty value"
            if slot.value is not None:
                used.add(placeholder.name)
        if isolate is not None:
            # Blank lines around it make the block its own paragraph even when
            # the author wrote it straight under a line of text.
            parts.append(text[position : isolate[0]])
            parts.append(f"\n\n{token}\n\n")
            position = isolate[1]
        else:
            parts.append(text[position : placeholder.start])
            parts.append(token)
            position = placeholder.end
    parts.append(text[position:])
    source = "".join(parts).replace("\r\n", "\n").replace("\r", "\n")

    markup = _markdown_to_html(source)

    def in_attribute(match: re.Match[str]) -> str:
        slot = slots[int(match.group("index"))]
        if isinstance(slot.value, str):
            return html.escape(slot.value)
        if isinstance(slot.value, Block):
            slot.value = None
            slot.error = "a block parameter cannot be used in a link"
        return html.escape(slot.placeholder.text)

    # Values used in attributes (link addresses) go in before sanitising, so
    # the sanitiser judges the address the reader will actually follow.
    markup = _MARKDOWN_TAG.sub(lambda tag: tokens.sub(in_attribute, tag.group()), markup)
    markup = sanitise_html(markup)

    def whole_paragraph(match: re.Match[str]) -> str:
        slot = slots[int(match.group("index"))]
        if isinstance(slot.value, Block):
            return slot.value.html
        return match.group()

    markup = re.sub(rf"<p>({tokens.pattern})</p>", whole_paragraph, markup)

    def in_text(match: re.Match[str]) -> str:
        slot = slots[int(match.group("index"))]
        if isinstance(slot.value, str):
            return html.escape(slot.value)
        if isinstance(slot.value, Block):
            slot.value = None
            slot.error = "a block parameter must stand alone on its own line"
        return _error_span(slot)

    # One pass over the sanitised output: text inserted here is never scanned
    # again, so a value cannot smuggle in another token.
    markup = tokens.sub(in_text, markup)

    errors = [
        PlaceholderError(
            text=slot.placeholder.text,
            message=slot.error,
            start=slot.placeholder.start,
            end=slot.placeholder.end,
            line=slot.placeholder.line,
            column=slot.placeholder.column,
            name=slot.placeholder.name,
        )
        for slot in slots
        if slot.error is not None
    ]
    return Rendered(html=markup, errors=errors, used=used)
