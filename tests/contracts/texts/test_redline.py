"""Redlines: word diffs, changed terms and changed clauses."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.texts.redline import (
    ClauseText,
    DiffSegment,
    TermChange,
    changed_terms,
    clause_changes,
    redline_html,
    word_diff,
)
from contracts.texts.rendering import substitute_source


def deleted(text: str) -> str:
    return f'<del class="redline-del">{text}</del>'


def inserted(text: str) -> str:
    return f'<ins class="redline-ins">{text}</ins>'


# --- redline_html ---------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("", "", ""),
        ("Same text.", "Same text.", "Same text."),
        (
            "Response within 4 hours.",
            "Response within 4 business hours.",
            "Response within 4 " + inserted("business ") + "hours.",
        ),
        (
            "Response within 4 business hours.",
            "Response within 4 hours.",
            "Response within 4 " + deleted("business ") + "hours.",
        ),
        (
            "Availability of 99.9% per month.",
            "Availability of 99.95% per month.",
            "Availability of " + deleted("99.9") + inserted("99.95") + "% per month.",
        ),
        (
            "A fee of EUR 1,200.00 monthly.",
            "A fee of EUR 1,350.00 monthly.",
            "A fee of EUR " + deleted("1,200.00") + inserted("1,350.00") + " monthly.",
        ),
        # Whitespace between two changes joins them into one replacement.
        (
            "the customer shall pay",
            "the provider will pay",
            "the " + deleted("customer shall") + inserted("provider will") + " pay",
        ),
        ("", "All new.", inserted("All new.")),
        ("All gone.", "", deleted("All gone.")),
        (
            "Line one.\nLine two.",
            "Line one.\nLine 2.",
            "Line one.\nLine " + deleted("two") + inserted("2") + ".",
        ),
        (
            "Use <b>bold</b> & more",
            "Use <i>bold</i> & more",
            "Use &lt;"
            + deleted("b")
            + inserted("i")
            + "&gt;bold&lt;/"
            + deleted("b")
            + inserted("i")
            + "&gt; &amp; more",
        ),
    ],
)
def test_redline_marks_insertions_and_deletions(old: str, new: str, expected: str) -> None:
    assert redline_html(old, new) == expected


def test_identical_texts_have_no_marks() -> None:
    text = "The Customer obtains and renews its own software licences.\n\n- item <one>"
    output = redline_html(text, text)
    assert "<del" not in output
    assert "<ins" not in output
    assert output == html.escape(text)


def test_html_in_either_text_is_escaped() -> None:
    output = redline_html("<script>alert(1)</script>", '<img src=x onerror="alert(2)">')
    assert "<script" not in output
    assert "<img" not in output
    assert re.sub(r"</?(del|ins)[^>]*>", "", output).count("<") == 0


def test_parameter_change_shows_inside_the_sentence() -> None:
    clause = "The Provider ensures availability of {{ uptime_target }} per month."
    old = substitute_source(clause, {"uptime_target": "99.9%"})
    new = substitute_source(clause, {"uptime_target": "99.95%"})
    assert redline_html(old, new) == (
        "The Provider ensures availability of " + deleted("99.9") + inserted("99.95") + "% per month."
    )


def test_word_diff_segments() -> None:
    assert word_diff("a b c", "a x c") == [
        DiffSegment("equal", "a ", "a "),
        DiffSegment("change", "b", "x"),
        DiffSegment("equal", " c", " c"),
    ]
    assert word_diff("same", "same") == [DiffSegment("equal", "same", "same")]
    assert word_diff("", "") == []


_WORDS = st.lists(
    st.one_of(
        st.sampled_from(
            ["the", "provider", "customer", "99.9%", "4", "hours", " ", "  ", "\n", ".", ",", "<b>", "&"]
        ),
        st.text(max_size=6),
    ),
    max_size=30,
).map("".join)


def _side(output: str, keep: str, drop: str) -> str:
    """Rebuild one side of a redline: drop one kind of mark, unwrap the other."""
    without = re.sub(rf'<{drop} class="redline-{drop}">.*?</{drop}>', "", output, flags=re.DOTALL)
    unwrapped = re.sub(rf'</?{keep}(?: class="redline-{keep}")?>', "", without)
    return html.unescape(unwrapped)


@settings(max_examples=300, deadline=None)
@given(old=_WORDS, new=_WORDS)
def test_redline_keeps_both_texts(old: str, new: str) -> None:
    output = redline_html(old, new)
    assert _side(output, keep="del", drop="ins") == old
    assert _side(output, keep="ins", drop="del") == new
    assert re.sub(r'</?(del|ins)(?: class="redline-(del|ins)")?>', "", output).count("<") == 0


@settings(max_examples=300, deadline=None)
@given(old=_WORDS, new=_WORDS)
def test_word_diff_segments_rebuild_both_texts(old: str, new: str) -> None:
    segments = word_diff(old, new)
    assert "".join(s.old for s in segments) == old
    assert "".join(s.new for s in segments) == new
    for segment in segments:
        if segment.kind == "equal":
            assert segment.old == segment.new
        else:
            assert segment.old or segment.new
    kinds = [s.kind for s in segments]
    assert all(a != b for a, b in zip(kinds, kinds[1:], strict=False))


@settings(max_examples=100, deadline=None)
@given(text=_WORDS)
def test_identical_texts_never_have_marks(text: str) -> None:
    assert redline_html(text, text) == html.escape(text)


# --- changed_terms --------------------------------------------------------


def test_changed_terms_lists_added_removed_and_changed_by_name() -> None:
    old = {"uptime_target": "99.9%", "monthly_fee": "EUR 1,200.00", "response_p3": "2 business days"}
    new = {"uptime_target": "99.95%", "monthly_fee": "EUR 1,200.00", "response_p4": "8 business hours"}
    changes = changed_terms(old, new)
    assert changes == [
        TermChange("response_p3", "2 business days", None),
        TermChange("response_p4", None, "8 business hours"),
        TermChange("uptime_target", "99.9%", "99.95%"),
    ]
    assert [c.kind for c in changes] == ["removed", "added", "changed"]
    assert [str(c) for c in changes] == [
        "removed: response_p3 (was 2 business days)",
        "added: response_p4 = 8 business hours",
        "uptime_target 99.9% → 99.95%",
    ]


def test_changed_terms_of_identical_terms_is_empty() -> None:
    terms = {"uptime_target": "99.9%"}
    assert changed_terms(terms, dict(terms)) == []
    assert changed_terms({}, {}) == []


def test_changed_terms_compares_display_strings_exactly() -> None:
    assert changed_terms({"a": "99.9%"}, {"a": "99.90%"}) == [TermChange("a", "99.9%", "99.90%")]


# --- clause_changes -------------------------------------------------------


def test_clause_changes_in_new_order_with_removed_after_their_predecessor() -> None:
    old = [
        ClauseText("scope", "Scope", "Mail and file servers."),
        ClauseText("licences", "Licences", "The Customer obtains licences."),
        ClauseText("credits", "Service credits", "10% below target."),
        ClauseText("term", "Term", "One year."),
    ]
    new = [
        ("scope", "Scope", "Mail and file servers."),
        ("credits", "Service credits", "25% below target."),
        ("hours", "Hours bank", "20 hours per month."),
        ("term", "Term and renewal", "One year."),
    ]
    changes = clause_changes(old, new)
    assert [(c.key, c.kind) for c in changes] == [
        ("licences", "removed"),
        ("credits", "changed"),
        ("hours", "added"),
        ("term", "changed"),
    ]
    removed, credits, hours, term = changes
    assert removed.text_html == deleted("The Customer obtains licences.")
    assert removed.heading_html == deleted("Licences")
    assert (removed.old_heading, removed.new_heading) == ("Licences", None)
    assert credits.text_html == deleted("10") + inserted("25") + "% below target."
    assert credits.heading_html == "Service credits"
    assert hours.text_html == inserted("20 hours per month.")
    assert (hours.old_heading, hours.new_heading) == (None, "Hours bank")
    assert term.heading_html == "Term" + inserted(" and renewal")
    assert term.text_html == "One year."


def test_clause_removed_from_the_front_comes_first() -> None:
    changes = clause_changes([("a", "A", "x"), ("b", "B", "y")], [("b", "B", "y")])
    assert [(c.key, c.kind) for c in changes] == [("a", "removed")]


def test_clause_that_only_moved_is_unchanged() -> None:
    old = [("a", "A", "x"), ("b", "B", "y")]
    assert clause_changes(old, list(reversed(old))) == []


def test_clause_changes_escape_html() -> None:
    [change] = clause_changes([], [("k", "<h1>", "<script>x</script>")])
    assert change.heading_html == inserted("&lt;h1&gt;")
    assert change.text_html == inserted("&lt;script&gt;x&lt;/script&gt;")


def test_duplicate_clause_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="duplicate clause key 'a' in new"):
        clause_changes([], [("a", "A", "x"), ("a", "A2", "y")])
