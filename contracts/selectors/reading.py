"""Reading contracts: which versions a party may read, one version read in full, redlines.

The provider's staff read every version of the contracts they provide, drafts included;
the customer's people read frozen versions only — a draft is the provider's work in
progress and answers 404 to them, the same as a version that does not exist. Objects come
through ``contracts.selectors.tenancy`` and ``contracts.selectors.versions``, so another tenant's contract is
a 404 before any of this is asked.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from django.http import Http404
from django.utils import timezone

from contracts.models import Contract, Membership, Version
from contracts.selectors.tenancy import get_contract_for_user_or_404, memberships_for_user
from contracts.selectors.versions import (
    RenderedClause,
    VersionTerms,
    version_for_user,
    version_parameter_display,
    version_render_values,
    version_rendered_clauses,
    version_structured_terms_display,
    version_terms,
    versions_of,
)
from contracts.texts import redline
from contracts.texts.rendering import Block, Value, substitute_source

RENDERINGS = ("plain", "legal")
#: Generated blocks shown in a version's terms summary, in reading order.
SUMMARY_BLOCKS = (
    ("service_level_table", "Service levels"),
    ("scope_list", "Scope"),
    ("responsibilities_list", "Your responsibilities as the customer"),
    ("maintenance_list", "Planned maintenance"),
    ("credit_table", "Service credits"),
)


# ---------------------------------------------------------------- who reads what


@dataclass(frozen=True)
class Reader:
    """A signed-in user's standing towards one contract."""

    contract: Contract
    provider_side: bool
    author: bool

    @property
    def sees_drafts(self) -> bool:
        return self.provider_side


def reader_for(user, contract: Contract, memberships: list[Membership] | None = None) -> Reader:
    """The user's standing: provider staff see drafts, provider authors may also edit."""
    memberships = list(memberships_for_user(user)) if memberships is None else memberships
    provider = [m for m in memberships if m.organisation_id == contract.provider_id]
    return Reader(
        contract=contract,
        provider_side=bool(provider),
        author=any(m.can_author for m in provider),
    )


def contract_reader_or_404(user, reference: str) -> Reader:
    """The contract ``reference`` with the user's standing, or 404 for another tenant's."""
    return reader_for(user, get_contract_for_user_or_404(user, reference))


def readable_versions(reader: Reader) -> list[Version]:
    """The versions the reader may see, oldest first (customers: frozen only)."""
    versions = versions_of(reader.contract)
    if not reader.sees_drafts:
        versions = versions.frozen()
    return list(versions)


def readable_version_or_404(user, reference: str, number: int) -> tuple[Reader, Version]:
    """Version ``number`` if the user may read it: 404 for other tenants and, for the
    customer's people, for drafts."""
    version = version_for_user(user, reference, number)
    reader = reader_for(user, version.contract)
    if version.is_draft and not reader.sees_drafts:
        raise Http404("No version found.")
    return reader, version


def version_in_force(versions: list[Version], today: date | None = None) -> Version | None:
    """The frozen version in force today: the latest whose ``in_force_from`` has come."""
    today = today or timezone.localdate()
    started = [v for v in versions if v.is_frozen and v.in_force_from and v.in_force_from <= today]
    return max(started, key=lambda v: (v.in_force_from, v.number), default=None)


def version_to_read(reader: Reader, versions: list[Version]) -> Version | None:
    """The version the contract page shows: in force, else the latest frozen one, else —
    for the provider's staff, while nothing is frozen yet — the draft."""
    in_force = version_in_force(versions)
    if in_force is not None:
        return in_force
    frozen = [v for v in versions if v.is_frozen]
    if frozen:
        return frozen[-1]
    drafts = [v for v in versions if v.is_draft and reader.sees_drafts]
    return drafts[-1] if drafts else None


def rendering_choice(value: str | None, default: str = "plain") -> str:
    return value if value in RENDERINGS else default


# ---------------------------------------------------------------- one version, read


@dataclass(frozen=True)
class SummaryBlock:
    name: str
    title: str
    html: str


@dataclass(frozen=True)
class VersionReading:
    """Everything needed to show a version: terms, values, both renderings of each clause."""

    terms: VersionTerms
    values: dict[str, Value]
    clauses: list[RenderedClause]

    @property
    def version(self) -> Version:
        return self.terms.version

    @property
    def contract(self) -> Contract:
        return self.terms.contract

    @property
    def parameters(self) -> list[tuple[str, str, str]]:
        """(name, description, display value) of every parameter, by name; the description is
        what a reader is shown, the name what the texts and the redline use."""
        display = version_parameter_display(self.terms)
        described = {p.name: p.description for p in self.terms.parameters}
        return [(name, described.get(name, ""), value) for name, value in sorted(display.items())]

    @property
    def summary(self) -> list[SummaryBlock]:
        blocks = []
        for name, title in SUMMARY_BLOCKS:
            value = self.values.get(name)
            if isinstance(value, Block):
                blocks.append(SummaryBlock(name, title, value.html))
        return blocks


def version_reading(version: Version) -> VersionReading:
    """Load and render a version in a constant number of queries (see ``version_terms``)."""
    terms = version_terms(version)
    values = version_render_values(terms)
    return VersionReading(terms=terms, values=values, clauses=version_rendered_clauses(terms, values))


# ---------------------------------------------------------------- redlines


@dataclass(frozen=True)
class Redline:
    """The changes from ``old`` to ``new`` in one rendering."""

    old: Version
    new: Version
    rendering: str
    clauses: list[redline.ClauseChange]
    terms: list[redline.TermChange]

    @property
    def unchanged(self) -> bool:
        return not self.clauses and not self.terms

    @property
    def announced_clauses(self) -> list[redline.ClauseChange]:
        """The clause changes with each mark announced to screen readers."""
        return [
            replace(
                change,
                heading_html=announced_marks(change.heading_html),
                text_html=announced_marks(change.text_html),
            )
            for change in self.clauses
        ]


def _clause_texts(terms: VersionTerms, rendering: str) -> list[redline.ClauseText]:
    # Each version's own values go into its own text, so a changed parameter shows up
    # inside the sentence that uses it.
    values = version_render_values(terms)
    field = "legal_text" if rendering == "legal" else "plain_text"
    return [
        redline.ClauseText(c.key, c.heading, substitute_source(getattr(c, field), values))
        for c in terms.clauses
    ]


def version_redline(old: Version, new: Version, rendering: str) -> Redline:
    """Clause-by-clause redline of one rendering, and the changed terms: the parameters
    first, then scope, calendars, maintenance, service levels, credits, the hours
    commitment and responsibilities."""
    before, after = version_terms(old), version_terms(new)
    return Redline(
        old=old,
        new=new,
        rendering=rendering,
        clauses=redline.clause_changes(_clause_texts(before, rendering), _clause_texts(after, rendering)),
        terms=redline.changed_terms(
            version_parameter_display(before),
            version_parameter_display(after),
        )
        + redline.changed_terms(
            version_structured_terms_display(before),
            version_structured_terms_display(after),
        ),
    )


_DEL_OPEN = '<del class="redline-del">'
_INS_OPEN = '<ins class="redline-ins">'


def announced_marks(redline_html: str) -> str:
    """``redline_html`` output with each mark announced to screen readers ("deleted: …").

    Safe on that output only: its text is escaped, so the opening tags cannot occur in it
    except as the marks themselves.
    """
    return redline_html.replace(
        _DEL_OPEN, _DEL_OPEN + '<span class="visually-hidden">deleted: </span>'
    ).replace(_INS_OPEN, _INS_OPEN + '<span class="visually-hidden">inserted: </span>')
