"""Does a version hold together? Findings on its clauses and terms, before it is published.

Pure: plain values in, a list of :class:`Finding` out; no ORM. The selector
``contracts.selectors.versions.version_findings`` feeds it from a version's terms. Errors block
publishing; warnings are shown but allowed.

Finding codes:

=============================== ======= ==========================================================
code                            level   meaning
=============================== ======= ==========================================================
``invalid_placeholder``         error   template tag, filter, attribute access, bad name … in a text
``unknown_placeholder``         error   ``{{ name }}`` names no parameter, contract value or block
``block_not_alone``             error   a block (``{{ credit_table }}``) shares its line with text
``rendering_mismatch``          error   a parameter is used in one rendering of a clause only
``service_level_without_calendar`` error no calendar, so the clock is undefined
``target_wrong_type``           error   the target parameter's type does not fit the metric
``share_wrong_type``            error   the share parameter is not a percentage
``responsibility_unexplained``  error   no clause explains a responsibility and its consequence
``term_not_shown``              error   a measured term is shown by no clause of one rendering
``no_clauses``                  error   the version has no clauses at all
``service_level_without_credits`` warning no credit tiers: a missed target costs nothing
``credit_gap``                  warning the first tier starts below the target: a near miss costs nothing
``duration_calendar_mismatch``  warning a business-hours duration over a 24×7 calendar, or back
``monthly_fee_mismatch``        warning the ``monthly_fee`` parameter differs from the contract's fee
``notice_period_overridden``    warning a ``notice_period`` parameter hides the contract's notice period
``parameter_unused``            warning a parameter no clause text uses
=============================== ======= ==========================================================

A responsibility counts as explained when some clause (either rendering) uses
``{{ responsibility_<key> }}`` or ``{{ responsibilities_list }}``; both show the duty with
its consequence.

Every other term the compliance engine measures arrives as a :class:`MeasuredTermInfo`
with the names whose value shows it (a calendar and its extra holidays: the
``service_level_table`` block; the maintenance windows: ``maintenance_list``; the credit
tiers: ``credit_table``; the cap: ``credit_cap`` or ``credit_table``; the hours
commitment: ``hours_per_month``, ``hours_deficit_carry``, ``hours_surplus_carry``). It is
shown in a rendering when some clause uses one of those names in that rendering's text;
each rendering is checked on its own, since either may be the one a reader signs.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from contracts.texts.rendering import find_placeholders

ERROR = "error"
WARNING = "warning"

#: The parameter types a service level's target may have, per metric.
TARGET_KINDS: dict[str, frozenset[str]] = {
    "availability": frozenset({"percentage"}),
    "first_response": frozenset({"duration"}),
    "resolution": frozenset({"duration"}),
    "custom": frozenset({"percentage", "duration", "integer", "money"}),
}

RESPONSIBILITIES_BLOCK = "responsibilities_list"
RESPONSIBILITY_PREFIX = "responsibility_"
TEXT_FIELDS = ("legal_text", "plain_text")
_FIELD_LABEL = {"legal_text": "legal text", "plain_text": "plain text"}


@dataclass(frozen=True, slots=True)
class ParameterInfo:
    name: str
    kind: str
    business_time: bool = False
    value: str = ""


@dataclass(frozen=True, slots=True)
class ServiceLevelInfo:
    """A service level as the checker sees it; ``target``/``share`` are parameter names."""

    key: str
    name: str
    metric: str
    target: str | None
    share: str | None = None
    calendar: str | None = None
    calendar_around_the_clock: bool | None = None
    has_credits: bool = False
    #: The tiers' "below" thresholds (percentages of the achieved figure).
    credit_thresholds: tuple[Decimal, ...] = ()


@dataclass(frozen=True, slots=True)
class ResponsibilityInfo:
    key: str
    consequence: str


@dataclass(frozen=True, slots=True)
class MeasuredTermInfo:
    """A term the engine measures, and the names (placeholders or blocks) that show it.

    ``subject`` names the term in a few words (“calendar “Office hours””); ``description``
    says what it holds, for the message (“the calendar “Office hours” (Monday–Friday …)”).
    """

    subject: str
    description: str
    shown_by: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ClauseInfo:
    key: str
    heading: str
    legal_text: str
    plain_text: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: where (``clause`` key, ``field``; ``subject`` names the term) and what."""

    level: Literal["error", "warning"]
    code: str
    message: str
    clause: str = ""
    field: str = ""
    subject: str = ""

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    def __str__(self) -> str:
        return self.message


def check_version(
    *,
    parameters: Iterable[ParameterInfo],
    service_levels: Iterable[ServiceLevelInfo],
    responsibilities: Iterable[ResponsibilityInfo],
    clauses: Iterable[ClauseInfo],
    available_names: Collection[str],
    block_names: Collection[str] = (),
    contract_monthly_fee: Decimal | None = None,
    contract_notice_period: str | None = None,
    measured_terms: Iterable[MeasuredTermInfo] = (),
) -> list[Finding]:
    """Every finding on a version, clause findings first in clause order, then the terms.

    ``available_names`` are the names with a value for the texts (parameters, contract and
    term values, blocks, responsibilities); ``block_names`` the subset that are blocks;
    ``measured_terms`` the terms each rendering must show (see the module's docstring).
    """
    parameters = {p.name: p for p in parameters}
    known = set(available_names) | set(parameters)
    blocks = set(block_names)
    findings: list[Finding] = []
    used_anywhere: set[str] = set()
    used_in: dict[str, set[str]] = {field: set() for field in TEXT_FIELDS}

    clauses = list(clauses)
    if not clauses:
        findings.append(Finding(ERROR, "no_clauses", "The version has no clauses."))
    for clause in clauses:
        used: dict[str, set[str]] = {}
        for field in TEXT_FIELDS:
            text = getattr(clause, field)
            used[field] = set()
            where = f"{_FIELD_LABEL[field]} of clause “{clause.heading}”"
            for placeholder in find_placeholders(text):
                if placeholder.name is None:
                    findings.append(
                        Finding(
                            ERROR,
                            "invalid_placeholder",
                            f"{placeholder.text} in the {where}, line {placeholder.line}: "
                            f"{placeholder.error}.",
                            clause.key,
                            field,
                        )
                    )
                    continue
                name = placeholder.name
                used[field].add(name)
                if name not in known:
                    findings.append(
                        Finding(
                            ERROR,
                            "unknown_placeholder",
                            f"{{{{ {name} }}}} in the {where} names no parameter or contract value.",
                            clause.key,
                            field,
                            name,
                        )
                    )
                elif name in blocks and not _stands_alone(text, placeholder.start, placeholder.end):
                    findings.append(
                        Finding(
                            ERROR,
                            "block_not_alone",
                            f"{{{{ {name} }}}} in the {where} must stand alone on its own line.",
                            clause.key,
                            field,
                            name,
                        )
                    )
        for name in sorted((used["legal_text"] ^ used["plain_text"]) & parameters.keys()):
            present, missing = (
                ("legal_text", "plain_text") if name in used["legal_text"] else ("plain_text", "legal_text")
            )
            findings.append(
                Finding(
                    ERROR,
                    "rendering_mismatch",
                    f"Clause “{clause.heading}” uses {{{{ {name} }}}} in its {_FIELD_LABEL[present]} "
                    f"but not in its {_FIELD_LABEL[missing]}.",
                    clause.key,
                    missing,
                    name,
                )
            )
        used_anywhere |= used["legal_text"] | used["plain_text"]
        for field in TEXT_FIELDS:
            used_in[field] |= used[field] & known

    for level in service_levels:
        findings.extend(_check_service_level(level, parameters))

    for responsibility in responsibilities:
        if (
            RESPONSIBILITIES_BLOCK not in used_anywhere
            and f"{RESPONSIBILITY_PREFIX}{responsibility.key}" not in used_anywhere
        ):
            findings.append(
                Finding(
                    ERROR,
                    "responsibility_unexplained",
                    f"No clause explains the customer responsibility “{responsibility.key}” and its "
                    f"consequence: use {{{{ {RESPONSIBILITY_PREFIX}{responsibility.key} }}}} or "
                    f"{{{{ {RESPONSIBILITIES_BLOCK} }}}} in a clause.",
                    subject=responsibility.key,
                )
            )

    for term in measured_terms:
        findings.extend(_check_term_shown(term, used_in))

    fee = parameters.get("monthly_fee")
    if fee is not None and fee.kind == "money" and contract_monthly_fee is not None:
        try:
            differs = Decimal(fee.value) != Decimal(contract_monthly_fee)
        except InvalidOperation:
            differs = False
        if differs:
            findings.append(
                Finding(
                    WARNING,
                    "monthly_fee_mismatch",
                    f"The monthly_fee parameter ({fee.value}) differs from the contract's monthly fee "
                    f"({contract_monthly_fee}), which credits are computed from.",
                    subject="monthly_fee",
                )
            )

    notice = parameters.get("notice_period")
    own_notice = contract_notice_period
    if notice is not None and own_notice is not None and str(notice.value) != own_notice:
        # Reminders and the Renewals list count from the contract's own notice period.
        findings.append(
            Finding(
                WARNING,
                "notice_period_overridden",
                f"The notice_period parameter ({notice.value}) is what the texts show, but the reminders "
                f"count from the contract's notice period ({contract_notice_period}): delete the "
                "parameter so that both texts show the contract's.",
                subject="notice_period",
            )
        )

    for name in sorted(parameters.keys() - used_anywhere):
        findings.append(
            Finding(
                WARNING, "parameter_unused", f"The parameter {name} is not used in any clause.", subject=name
            )
        )
    return findings


def _check_term_shown(term: MeasuredTermInfo, used_in: dict[str, set[str]]) -> list[Finding]:
    """One error per rendering in which no clause uses a name that shows ``term``."""
    found: list[Finding] = []
    names = " or ".join(f"{{{{ {name} }}}}" for name in term.shown_by)
    for field in TEXT_FIELDS:
        if used_in[field].intersection(term.shown_by):
            continue
        label = _FIELD_LABEL[field]
        found.append(
            Finding(
                ERROR,
                "term_not_shown",
                f"No clause of the {label} shows {term.description}, which the compliance figures "
                f"are measured by: add {names} to the {label} of a clause.",
                field=field,
                subject=term.subject,
            )
        )
    return found


def _check_service_level(level: ServiceLevelInfo, parameters: dict[str, ParameterInfo]) -> list[Finding]:
    found: list[Finding] = []
    label = f"Service level “{level.name}”"
    if level.calendar is None:
        found.append(
            Finding(
                ERROR,
                "service_level_without_calendar",
                f"{label} has no calendar: say whether it runs 24×7 or in business hours.",
                subject=level.key,
            )
        )
    target = parameters.get(level.target) if level.target else None
    allowed = TARGET_KINDS.get(level.metric, frozenset())
    if target is None or target.kind not in allowed:
        actual = f"is a {target.kind}" if target else "is missing"
        found.append(
            Finding(
                ERROR,
                "target_wrong_type",
                f"{label}: its target {level.target or ''} {actual}; a {level.metric.replace('_', ' ')} "
                f"target must be a {' or '.join(sorted(allowed))}.",
                subject=level.key,
            )
        )
    elif (
        target.kind == "duration"
        and level.calendar_around_the_clock is not None
        and target.business_time == level.calendar_around_the_clock
    ):
        how = "business hours" if target.business_time else "plain hours"
        found.append(
            Finding(
                WARNING,
                "duration_calendar_mismatch",
                f"{label}: its target {target.name} is shown in {how} but its calendar "
                f"{level.calendar} is {'24×7' if level.calendar_around_the_clock else 'business hours'}.",
                subject=level.key,
            )
        )
    if level.share:
        share = parameters.get(level.share)
        if share is None or share.kind != "percentage":
            found.append(
                Finding(
                    ERROR,
                    "share_wrong_type",
                    f"{label}: its share {level.share} must be a percentage parameter.",
                    subject=level.key,
                )
            )
    if not level.has_credits:
        found.append(
            Finding(
                WARNING,
                "service_level_without_credits",
                f"{label} has no credit schedule: missing it costs the provider nothing.",
                subject=level.key,
            )
        )
    gap = _credit_gap(level, parameters)
    if gap is not None:
        met_from, first_tier = gap
        found.append(
            Finding(
                WARNING,
                "credit_gap",
                f"{label} is met from {met_from}% but its first credit tier starts below {first_tier}%: "
                f"a month between the two misses the target and owes no credit.",
                subject=level.key,
            )
        )
    return found


def _credit_gap(level: ServiceLevelInfo, parameters: dict[str, ParameterInfo]) -> tuple[str, str] | None:
    """(the figure the level is met from, the highest tier threshold) when the tiers leave a
    gap below the target; None otherwise. The figure is the availability or percentage target,
    or for response and resolution levels the share of incidents that must be within it."""
    if not level.credit_thresholds:
        return None
    name = level.share if level.metric in ("first_response", "resolution") else level.target
    parameter = parameters.get(name) if name else None
    if parameter is None or parameter.kind != "percentage":
        return None
    try:
        met_from = Decimal(parameter.value.strip().rstrip("%"))
    except InvalidOperation:
        return None
    first_tier = max(level.credit_thresholds)
    if first_tier >= met_from:
        return None
    return f"{met_from.normalize():f}", f"{first_tier.normalize():f}"


def _stands_alone(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end == -1:
        line_end = len(text)
    return not text[line_start:start].strip() and not text[end:line_end].strip()


def errors(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.is_error]
