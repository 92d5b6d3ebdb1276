"""Redlines between two versions of a contract: words, terms and clauses.

What is compared is the clause *source* with the parameters already substituted
(:func:`contracts.texts.rendering.substitute_source`), one rendering at a time. That
choice makes a changed uptime target show up inside the sentence that uses it,
keeps Markdown markers visible as the author wrote them, and needs no HTML
diffing. The output is escaped text with ``<del>``/``<ins>`` marks and the
source's own line breaks; show it inside an element styled
``white-space: pre-wrap``.

Pure: no ORM, no settings, no request.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

__all__ = [
    "ClauseChange",
    "ClauseText",
    "DiffSegment",
    "TermChange",
    "changed_terms",
    "clause_changes",
    "redline_html",
    "word_diff",
]

# A word keeps its inner punctuation ("99.95", "1,200.00", "e-mail",
# "customer's") so that a changed figure is replaced whole rather than digit
# by digit; runs of whitespace and any other single character are tokens of
# their own, so nothing of either text is lost.
_TOKEN = re.compile(r"\s+|\w+(?:[.,:/'’\-]\w+)*|[^\w\s]")


@dataclass(frozen=True, slots=True)
class DiffSegment:
    """A run of the comparison: equal text, or old text replaced by new text.

    For ``equal`` segments ``old == new``. For ``change`` segments either side
    may be empty (a pure insertion or deletion), never both.
    """

    kind: Literal["equal", "change"]
    old: str
    new: str


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[DiffSegment]:
    """Compare two texts word by word.

    Promises: joining every segment's ``old`` gives back ``old`` and joining
    every ``new`` gives back ``new``; equal segments and change segments
    alternate; identical texts give at most one ``equal`` segment. Whitespace
    alone between two changes is folded into them, so "a b" → "c d" reads as
    one replacement rather than two.
    """
    old_tokens, new_tokens = _tokens(old), _tokens(new)
    # autojunk would treat the (very common) whitespace tokens as junk in
    # longer clauses and produce ragged diffs.
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    raw: list[DiffSegment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_part, new_part = "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])
        raw.append(DiffSegment("equal" if tag == "equal" else "change", old_part, new_part))

    folded: list[DiffSegment] = []
    for index, segment in enumerate(raw):
        between_changes = (
            segment.kind == "equal"
            and not segment.old.strip()
            and 0 < index < len(raw) - 1
            and raw[index - 1].kind == "change"
            and raw[index + 1].kind == "change"
        )
        if between_changes:
            segment = DiffSegment("change", segment.old, segment.new)
        if folded and folded[-1].kind == "change" and segment.kind == "change":
            last = folded.pop()
            segment = DiffSegment("change", last.old + segment.old, last.new + segment.new)
        folded.append(segment)
    return folded


def redline_html(old: str, new: str) -> str:
    """Return ``new`` as escaped HTML with the changes from ``old`` marked.

    Deleted text is wrapped in ``<del class="redline-del">``, inserted text in
    ``<ins class="redline-ins">``, a replacement shows the deletion first.
    All text is HTML-escaped; line breaks are kept as they are. Identical
    texts give the escaped text with no marks.
    """
    out: list[str] = []
    for segment in word_diff(old, new):
        if segment.kind == "equal":
            out.append(html.escape(segment.new))
            continue
        if segment.old:
            out.append(f'<del class="redline-del">{html.escape(segment.old)}</del>')
        if segment.new:
            out.append(f'<ins class="redline-ins">{html.escape(segment.new)}</ins>')
    return "".join(out)


@dataclass(frozen=True, slots=True)
class TermChange:
    """One term (a parameter, or a labelled line of the other terms) that differs
    between two versions.

    ``old`` is ``None`` when the term was added, ``new`` is ``None`` when
    it was removed. ``str()`` gives the one-line summary shown to users.
    """

    name: str
    old: str | None
    new: str | None

    @property
    def kind(self) -> Literal["added", "removed", "changed"]:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "changed"

    def __str__(self) -> str:
        if self.old is None:
            return f"added: {self.name} = {self.new}"
        if self.new is None:
            return f"removed: {self.name} (was {self.old})"
        return f"{self.name} {self.old} → {self.new}"


def changed_terms(old: Mapping[str, str], new: Mapping[str, str]) -> list[TermChange]:
    """Return the terms added, removed or changed, sorted by name.

    Values are compared as the exact display strings, so "99.9%" and
    "99.90%" count as a change. Unchanged terms are left out.
    """
    changes: list[TermChange] = []
    for name in sorted(old.keys() | new.keys()):
        before, after = old.get(name), new.get(name)
        if before is not None:
            before = str(before)
        if after is not None:
            after = str(after)
        if before != after:
            changes.append(TermChange(name, before, after))
    return changes


class ClauseText(NamedTuple):
    """A clause of one version, as compared: a stable key, heading and text.

    ``text`` is the substituted source of one rendering (legal or plain).
    """

    key: str
    heading: str
    text: str


@dataclass(frozen=True, slots=True)
class ClauseChange:
    """A clause added, removed or changed between two versions.

    ``heading_html`` and ``text_html`` are redlines (see :func:`redline_html`):
    all inserted for an added clause, all deleted for a removed one.
    """

    key: str
    kind: Literal["added", "removed", "changed"]
    old_heading: str | None
    new_heading: str | None
    heading_html: str
    text_html: str


def _unique_by_key(clauses: Sequence[tuple[str, str, str]], side: str) -> dict[str, ClauseText]:
    by_key: dict[str, ClauseText] = {}
    for clause in clauses:
        item = ClauseText(*clause)
        if item.key in by_key:
            raise ValueError(f"duplicate clause key {item.key!r} in {side} clauses")
        by_key[item.key] = item
    return by_key


def clause_changes(
    old: Sequence[tuple[str, str, str]], new: Sequence[tuple[str, str, str]]
) -> list[ClauseChange]:
    """Compare two versions clause by clause, matching clauses on their key.

    Each item of ``old`` and ``new`` is ``(key, heading, text)`` (a
    :class:`ClauseText` or a plain tuple). Returns the added, removed and
    changed clauses in the order of the new version, each removed clause
    placed after the clause that preceded it in the old version. Unchanged
    clauses are left out; a clause that only moved counts as unchanged.
    Raises ``ValueError`` if a key occurs twice on one side.
    """
    old_by_key = _unique_by_key(old, "old")
    new_by_key = _unique_by_key(new, "new")

    removed_after: dict[str | None, list[ClauseChange]] = {}
    anchor: str | None = None
    for clause in old_by_key.values():
        if clause.key in new_by_key:
            anchor = clause.key
            continue
        removed_after.setdefault(anchor, []).append(
            ClauseChange(
                key=clause.key,
                kind="removed",
                old_heading=clause.heading,
                new_heading=None,
                heading_html=redline_html(clause.heading, ""),
                text_html=redline_html(clause.text, ""),
            )
        )

    changes: list[ClauseChange] = list(removed_after.get(None, []))
    for clause in new_by_key.values():
        before = old_by_key.get(clause.key)
        if before is None:
            changes.append(
                ClauseChange(
                    key=clause.key,
                    kind="added",
                    old_heading=None,
                    new_heading=clause.heading,
                    heading_html=redline_html("", clause.heading),
                    text_html=redline_html("", clause.text),
                )
            )
        elif (before.heading, before.text) != (clause.heading, clause.text):
            changes.append(
                ClauseChange(
                    key=clause.key,
                    kind="changed",
                    old_heading=before.heading,
                    new_heading=clause.heading,
                    heading_html=redline_html(before.heading, clause.heading),
                    text_html=redline_html(before.text, clause.text),
                )
            )
        changes.extend(removed_after.get(clause.key, []))
    return changes
