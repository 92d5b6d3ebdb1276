"""Reads of versions, their terms and clauses, and the clause library.

Tenancy goes through ``contracts.selectors.tenancy``: a version of a contract the user cannot see is
a 404, the same as one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from contracts import blocks
from contracts.models import (
    Calendar,
    Clause,
    ClauseTemplate,
    Contract,
    CreditCap,
    CreditTier,
    HoursCommitment,
    MaintenanceWindow,
    Parameter,
    Responsibility,
    Service,
    ServiceLevel,
    Version,
)
from contracts.selectors.tenancy import (
    contracts_authored_by,
    contracts_for_user,
    get_for_user_or_404,
    organisations_authored_by,
)
from contracts.texts import wording
from contracts.texts.consistency import (
    ClauseInfo,
    Finding,
    MeasuredTermInfo,
    ParameterInfo,
    ResponsibilityInfo,
    ServiceLevelInfo,
    check_version,
)
from contracts.texts.rendering import Block, Rendered, Value, render_clause

# ---------------------------------------------------------------- versions


def versions_of(contract: Contract) -> QuerySet[Version]:
    return Version.objects.filter(contract=contract).order_by("number")


def latest_version(contract: Contract) -> Version | None:
    """The highest-numbered version, draft or frozen."""
    return Version.objects.filter(contract=contract).order_by("-number").first()


def draft_version(contract: Contract) -> Version | None:
    """The contract's editable draft, if it has one."""
    return Version.objects.drafts().filter(contract=contract).first()


def version_for_user(user, reference: str, number: int) -> Version:
    """Version ``number`` of a contract the user is a party to, or 404."""
    versions = Version.objects.filter(contract__in=contracts_for_user(user)).select_related(
        "contract__provider", "contract__customer"
    )
    return get_for_user_or_404(versions, contract__reference=reference, number=number)


def version_for_author(user, reference: str, number: int) -> Version:
    """Like :func:`version_for_user`, for users who may draft the contract (provider authors)."""
    versions = Version.objects.filter(contract__in=contracts_authored_by(user)).select_related(
        "contract__provider", "contract__customer"
    )
    return get_for_user_or_404(versions, contract__reference=reference, number=number)


# ---------------------------------------------------------------- terms


@dataclass
class VersionTerms:
    """Everything a version says, loaded at once (see :func:`version_terms`).

    Service levels come with ``service``, ``calendar``, ``target`` and ``share`` loaded and
    ``credit_tiers.all()`` prefetched.
    """

    version: Version
    contract: Contract
    parameters: list[Parameter]
    services: list[Service]
    calendars: list[Calendar]
    maintenance_windows: list[MaintenanceWindow]
    service_levels: list[ServiceLevel]
    responsibilities: list[Responsibility]
    clauses: list[Clause]
    credit_cap: CreditCap | None = None
    hours_commitment: HoursCommitment | None = None
    parameters_by_name: dict[str, Parameter] = field(init=False)

    def __post_init__(self) -> None:
        self.parameters_by_name = {p.name: p for p in self.parameters}

    def tiers_of(self, level: ServiceLevel) -> list[CreditTier]:
        return list(level.credit_tiers.all())


def version_terms(version: Version) -> VersionTerms:
    """All terms and clauses of a version in a constant number of queries (nine)."""
    version = Version.objects.select_related(
        "contract__provider", "contract__customer", "credit_cap", "hours_commitment"
    ).get(pk=version.pk)
    levels = (
        ServiceLevel.objects.filter(version=version)
        .select_related("service", "calendar", "target", "share")
        .prefetch_related(Prefetch("credit_tiers", queryset=CreditTier.objects.order_by("-below")))
    )
    return VersionTerms(
        version=version,
        contract=version.contract,
        parameters=list(Parameter.objects.filter(version=version)),
        services=list(Service.objects.filter(version=version)),
        calendars=list(Calendar.objects.filter(version=version)),
        maintenance_windows=list(MaintenanceWindow.objects.filter(version=version)),
        service_levels=list(levels),
        responsibilities=list(Responsibility.objects.filter(version=version)),
        clauses=list(Clause.objects.filter(version=version).order_by("position", "id")),
        credit_cap=getattr(version, "credit_cap", None),
        hours_commitment=getattr(version, "hours_commitment", None),
    )


def version_render_values(terms: VersionTerms, contract: Contract | None = None) -> dict[str, Value]:
    """Every name a clause text may use, with its display value or block.

    See ``contracts.terms_display`` for the names; parameters override contract values of
    the same name (``monthly_fee``).
    """
    contract = contract or terms.contract
    currency = contract.currency
    values: dict[str, Value] = {
        "provider_name": contract.provider.name,
        "customer_name": contract.customer.name,
        "contract_reference": contract.reference,
        "contract_title": contract.title,
        "start_date": wording.format_date(contract.start_date),
        "monthly_fee": wording.format_money(contract.monthly_fee, currency),
        "currency": currency,
        "time_zone": contract.time_zone,
        "dispute_window_days": wording.format_days(contract.dispute_window_days),
        "notice_period": wording.format_days(contract.notice_period_days),
        "renewal_term": wording.format_months(contract.renewal_months, unlimited=""),
    }
    if contract.end_date:
        values["end_date"] = wording.format_date(contract.end_date)
    if terms.credit_cap:
        values["credit_cap"] = wording.format_cap(terms.credit_cap.kind, terms.credit_cap.value, currency)
    if terms.hours_commitment:
        hours = terms.hours_commitment
        values["hours_per_month"] = wording.format_hours(hours.hours_per_month)
        values["hours_deficit_carry"] = wording.format_months(
            hours.deficit_carry_months, unlimited="without limit"
        )
        values["hours_surplus_carry"] = wording.format_months(
            hours.surplus_carry_months, unlimited="without limit"
        )
    for responsibility in terms.responsibilities:
        values[responsibility.placeholder] = wording.describe_responsibility(
            responsibility.duty, responsibility.consequence
        )
    values["scope_list"] = blocks.scope_list(terms.services)
    values["responsibilities_list"] = blocks.responsibilities_list(terms.responsibilities)
    values["maintenance_list"] = blocks.maintenance_list(
        terms.maintenance_windows, time_zone=contract.time_zone
    )
    values["service_level_table"] = blocks.service_level_table(
        terms.service_levels, currency=currency, time_zone=contract.time_zone
    )
    values["credit_table"] = blocks.credit_table(
        [(level, terms.tiers_of(level)) for level in terms.service_levels],
        cap=terms.credit_cap,
        currency=currency,
    )
    for parameter in terms.parameters:
        values[parameter.name] = parameter.display(currency=currency)
    return values


def version_parameter_display(terms: VersionTerms) -> dict[str, str]:
    """Parameter name → display value; what ``redline.changed_terms`` compares."""
    return {p.name: p.display(currency=terms.contract.currency) for p in terms.parameters}


def _carry(what: str, verb: str, months: int | None) -> str:
    """``_carry("extra hours", "banked", 3)`` → ``"extra hours banked for 3 months"``."""
    if months is None:
        return f"{what} {verb} without limit"
    if months == 0:
        return f"{what} not {verb}"
    return f"{what} {verb} for {wording.format_months(months, unlimited='')}"


def hours_commitment_text(hours) -> str:
    """``"20 hours a month, a shortfall carried for 3 months, extra hours banked for 1 month"``."""
    return (
        f"{wording.format_hours(hours.hours_per_month)} a month, "
        f"{_carry('a shortfall', 'carried', hours.deficit_carry_months)}, "
        f"{_carry('extra hours', 'banked', hours.surplus_carry_months)}"
    )


def tier_text(tier, currency: str) -> str:
    credit = wording.format_credit(tier.kind, tier.value, currency)
    return f"below {wording.format_threshold(tier.below)} → {credit}"


def version_structured_terms_display(terms: VersionTerms) -> dict[str, str]:
    """The terms besides parameters, one line each: label → display value.

    Labels name the row by what identifies it across versions (a service's name, a service
    level's key …), so ``redline.changed_terms`` reports a change in scope, calendars,
    maintenance, service levels, credits, the cap, the hours commitment or a responsibility.
    Service levels name their parameters rather than the values: a changed value is already
    reported once, under the parameter's own name. Reads only the loaded rows.
    """
    currency = terms.contract.currency
    shown: dict[str, str] = {}
    for service in terms.services:
        reason = f" ({service.out_of_scope_reason})" if service.out_of_scope_reason else ""
        shown[f"service “{service.name}”"] = "in scope" if service.in_scope else f"out of scope{reason}"
    for calendar in terms.calendars:
        shown[f"calendar “{calendar.name}”"] = wording.describe_calendar(
            calendar, time_zone=terms.contract.time_zone
        )
    windows = sorted(terms.maintenance_windows, key=lambda w: (w.weekday, w.start, w.duration_minutes))
    if windows:
        shown["maintenance windows"] = "; ".join(wording.describe_window(w) for w in windows)
    for level in terms.service_levels:
        applies = level.service.name if level.service_id else "all services in scope"
        if level.priority:
            applies += f", {level.priority}"
        target = f"target {level.target.name}"
        if level.share_id is not None:
            target += f" for {level.share.name} of tickets"
        calendar = f"calendar {level.calendar.name}" if level.calendar_id else "no calendar"
        text = f"{level.name} ({level.get_metric_display()}, {applies}): {target}, {calendar}"
        if level.remove_excluded_from_measured:
            text += ", excluded time taken out of the measured time"
        shown[f"service level {level.key}"] = text
        tiers = terms.tiers_of(level)
        if tiers:
            shown[f"credits for {level.key}"] = ", ".join(
                tier_text(t, currency) for t in sorted(tiers, key=lambda t: t.below, reverse=True)
            )
    if terms.credit_cap:
        shown["credit cap"] = wording.format_cap(terms.credit_cap.kind, terms.credit_cap.value, currency)
    if terms.hours_commitment:
        shown["hours commitment"] = hours_commitment_text(terms.hours_commitment)
    for responsibility in terms.responsibilities:
        shown[f"responsibility {responsibility.key}"] = (
            f"{responsibility.duty.strip()} ({responsibility.get_category_display()}; "
            f"{responsibility.get_consequence_display()})"
        )
    return shown


@dataclass(frozen=True)
class RenderedClause:
    """One clause with both renderings (HTML in ``legal.html`` / ``plain.html``)."""

    clause: Clause
    legal: Rendered
    plain: Rendered

    @property
    def errors(self):
        return [*self.legal.errors, *self.plain.errors]

    @property
    def ok(self) -> bool:
        return self.legal.ok and self.plain.ok


def version_rendered_clauses(
    terms: VersionTerms, values: dict[str, Value] | None = None
) -> list[RenderedClause]:
    """Both renderings of every clause, in order, with their placeholder errors."""
    values = version_render_values(terms) if values is None else values
    return [
        RenderedClause(
            clause=clause,
            legal=render_clause(clause.legal_text, values),
            plain=render_clause(clause.plain_text, values),
        )
        for clause in terms.clauses
    ]


@dataclass(frozen=True)
class UnsavedClause:
    """A clause's texts as the author is typing them, not saved yet."""

    heading: str
    legal_text: str
    plain_text: str


def _clause_info(clause, unsaved: UnsavedClause | None) -> ClauseInfo:
    if unsaved is None:
        return ClauseInfo(clause.key, clause.heading, clause.legal_text, clause.plain_text)
    return ClauseInfo(clause.key, unsaved.heading or clause.heading, unsaved.legal_text, unsaved.plain_text)


def version_measured_terms(terms: VersionTerms) -> list[MeasuredTermInfo]:
    """The terms the compliance engine measures that the texts must show, and what shows them.

    Calendars count when a service level uses them and they are more than 24×7 (business
    hours, public or extra holidays): the service level table describes each with its extra
    holidays. The cap counts when there are credit tiers (without them it caps nothing);
    the banking of extra hours when the contract banks them at all.
    """
    measured: list[MeasuredTermInfo] = []
    used_calendars = {level.calendar_id for level in terms.service_levels if level.calendar_id}
    for calendar in terms.calendars:
        if calendar.pk not in used_calendars or wording.calendar_is_plain_24x7(calendar):
            continue
        measured.append(
            MeasuredTermInfo(
                subject=f"calendar “{calendar.name}”",
                description=(
                    f"the calendar “{calendar.name}” "
                    f"({wording.describe_calendar(calendar, time_zone=terms.contract.time_zone)})"
                ),
                shown_by=("service_level_table",),
            )
        )
    if terms.maintenance_windows:
        measured.append(
            MeasuredTermInfo("maintenance windows", "the planned maintenance windows", ("maintenance_list",))
        )
    credited = [level for level in terms.service_levels if terms.tiers_of(level)]
    if credited:
        names = ", ".join(f"“{level.name}”" for level in credited)
        measured.append(MeasuredTermInfo("credit tiers", f"the credit tiers of {names}", ("credit_table",)))
        if terms.credit_cap:
            cap = wording.format_cap(terms.credit_cap.kind, terms.credit_cap.value, terms.contract.currency)
            measured.append(
                MeasuredTermInfo("credit cap", f"the credit cap ({cap})", ("credit_cap", "credit_table"))
            )
    hours = terms.hours_commitment
    if hours:
        measured.append(
            MeasuredTermInfo(
                "hours commitment",
                f"the hours commitment ({wording.format_hours(hours.hours_per_month)} a month)",
                ("hours_per_month",),
            )
        )
        measured.append(
            MeasuredTermInfo(
                "hours carry rule",
                f"the carry of hours not delivered "
                f"({_carry('a shortfall', 'carried', hours.deficit_carry_months)})",
                ("hours_deficit_carry",),
            )
        )
        if hours.surplus_carry_months != 0:
            measured.append(
                MeasuredTermInfo(
                    "hours banking rule",
                    f"the banking of extra hours "
                    f"({_carry('extra hours', 'banked', hours.surplus_carry_months)})",
                    ("hours_surplus_carry",),
                )
            )
    return measured


def version_findings(
    terms: VersionTerms,
    values: dict[str, Value] | None = None,
    *,
    unsaved: dict[int, UnsavedClause] | None = None,
) -> list[Finding]:
    """The consistency checker's findings on a version (see ``contracts.texts.consistency``);
    with ``unsaved``, as if those clauses (by id) held the author's unsaved texts."""
    values = version_render_values(terms) if values is None else values
    unsaved = unsaved or {}
    return check_version(
        parameters=[
            ParameterInfo(name=p.name, kind=p.kind, business_time=p.business_time, value=p.value)
            for p in terms.parameters
        ],
        service_levels=[
            ServiceLevelInfo(
                key=level.key,
                name=level.name,
                metric=level.metric,
                target=level.target.name,
                share=level.share.name if level.share_id else None,
                calendar=level.calendar.name if level.calendar_id else None,
                calendar_around_the_clock=level.calendar.around_the_clock if level.calendar_id else None,
                has_credits=bool(terms.tiers_of(level)),
                credit_thresholds=tuple(tier.below for tier in terms.tiers_of(level)),
            )
            for level in terms.service_levels
        ],
        responsibilities=[
            ResponsibilityInfo(key=r.key, consequence=r.consequence) for r in terms.responsibilities
        ],
        clauses=[_clause_info(c, unsaved.get(c.pk)) for c in terms.clauses],
        available_names=values.keys(),
        block_names={name for name, value in values.items() if isinstance(value, Block)},
        contract_monthly_fee=terms.contract.monthly_fee,
        contract_notice_period=wording.format_days(terms.contract.notice_period_days),
        measured_terms=version_measured_terms(terms),
    )


# ---------------------------------------------------------------- clause library


def clause_templates_for_user(user) -> QuerySet[ClauseTemplate]:
    """Templates in the libraries of the organisations the user drafts contracts for."""
    return ClauseTemplate.objects.filter(owner__in=organisations_authored_by(user)).select_related(
        "owner", "category"
    )


def clause_templates_for_version(version: Version) -> QuerySet[ClauseTemplate]:
    """Templates that may be added to the version: its contract's provider's library."""
    return ClauseTemplate.objects.filter(owner_id=version.contract.provider_id).select_related("category")


def clause_template_for_user(user, pk: int) -> ClauseTemplate:
    return get_for_user_or_404(clause_templates_for_user(user), pk=pk)
