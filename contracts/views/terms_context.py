"""What the terms page shows: one row per term with its display value, its usage and, on a
draft, its edit form. The POST views build their forms with the same functions, so a form
with errors re-renders exactly where the author typed it.

Everything is computed from one ``selectors.version_terms`` load: no queries per row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.urls import reverse

from contracts import blocks
from contracts.forms.terms import (
    CreditCapForm,
    HoursCommitmentForm,
    MaintenanceWindowForm,
    ParameterEditForm,
    ParameterForm,
    ResponsibilityForm,
    ServiceForm,
)
from contracts.forms.terms_levels import (
    CalendarForm,
    ServiceLevelForm,
    credit_tier_formset,
    holiday_subdivisions,
)
from contracts.models import Version
from contracts.selectors.versions import VersionTerms, tier_text
from contracts.texts import wording
from contracts.texts.rendering import parameter_names

#: (anchor, heading) of the page's sections, in page order.
SECTIONS = [
    ("parameters", "Parameters"),
    ("scope", "Scope"),
    ("calendars", "Calendars"),
    ("maintenance", "Maintenance windows"),
    ("service-levels", "Service levels"),
    ("credits", "Service credits"),
    ("hours", "Hours commitment"),
    ("responsibilities", "Customer responsibilities"),
]
#: The section of each form slot ("parameter-12" → "parameters").
SLOT_SECTIONS = {
    "parameter": "parameters",
    "service": "scope",
    "calendar": "calendars",
    "window": "maintenance",
    "level": "service-levels",
    "tiers": "credits",
    "cap": "credits",
    "hours": "hours",
    "responsibility": "responsibilities",
}


def section_of(slot: str) -> str:
    return SLOT_SECTIONS[slot.split("-", 1)[0]]


def _auto_id(slot: str) -> str:
    # Many forms share one page: the slot keeps every input id unique.
    return f"id_{slot}_%s"


def _others(values, own=None) -> list:
    return [value for value in values if value != own]


# ---------------------------------------------------------------- forms per slot


def parameter_form(terms: VersionTerms, parameter=None, data=None) -> forms.Form:
    if parameter is None:
        return ParameterForm(
            data,
            taken=[p.name for p in terms.parameters],
            submit_label="Add parameter",
            auto_id=_auto_id("parameter-new"),
            initial={"kind": "percentage"},
        )
    return ParameterEditForm(
        data,
        auto_id=_auto_id(f"parameter-{parameter.pk}"),
        initial={
            "kind": parameter.kind,
            "value": parameter.value,
            "business_time": parameter.business_time,
            "description": parameter.description,
        },
    )


def service_form(terms: VersionTerms, service=None, data=None) -> ServiceForm:
    names = [s.name for s in terms.services]
    if service is None:
        return ServiceForm(data, taken=names, submit_label="Add service", auto_id=_auto_id("service-new"))
    return ServiceForm(
        data,
        taken=_others(names, service.name),
        auto_id=_auto_id(f"service-{service.pk}"),
        initial={
            "name": service.name,
            "in_scope": "1" if service.in_scope else "0",
            "out_of_scope_reason": service.out_of_scope_reason,
        },
    )


def calendar_form(terms: VersionTerms, calendar=None, data=None) -> CalendarForm:
    names = [c.name for c in terms.calendars]
    if calendar is None:
        return CalendarForm(data, taken=names, submit_label="Add calendar", auto_id=_auto_id("calendar-new"))
    return CalendarForm(
        data,
        taken=_others(names, calendar.name),
        auto_id=_auto_id(f"calendar-{calendar.pk}"),
        initial=CalendarForm.initial_for(calendar),
    )


def window_form(terms: VersionTerms, window=None, data=None) -> MaintenanceWindowForm:
    if window is None:
        return MaintenanceWindowForm(
            data, submit_label="Add maintenance window", auto_id=_auto_id("window-new")
        )
    return MaintenanceWindowForm(
        data,
        auto_id=_auto_id(f"window-{window.pk}"),
        initial={
            "weekday": window.weekday,
            "start": window.start,
            "duration_minutes": window.duration_minutes,
            "description": window.description,
        },
    )


def level_form(terms: VersionTerms, level=None, data=None) -> ServiceLevelForm:
    keys = [lv.key for lv in terms.service_levels]
    if level is None:
        return ServiceLevelForm(
            data, terms=terms, taken=keys, submit_label="Add service level", auto_id=_auto_id("level-new")
        )
    return ServiceLevelForm(
        data,
        terms=terms,
        taken=_others(keys, level.key),
        auto_id=_auto_id(f"level-{level.pk}"),
        initial=ServiceLevelForm.initial_for(level),
    )


def tiers_formset(terms: VersionTerms, level, data=None):
    return credit_tier_formset(level, data=data)


def cap_form(terms: VersionTerms, data=None) -> CreditCapForm:
    cap = terms.credit_cap
    initial = {"kind": cap.kind, "value": cap.value} if cap else {"kind": "percent_of_fee"}
    label = "Save cap" if cap else "Set cap"
    return CreditCapForm(data, initial=initial, submit_label=label, auto_id=_auto_id("cap"))


def hours_form(terms: VersionTerms, data=None) -> HoursCommitmentForm:
    hours = terms.hours_commitment
    initial = (
        {
            "hours_per_month": wording.trim(hours.hours_per_month),
            "deficit_carry_months": hours.deficit_carry_months,
            "surplus_carry_months": hours.surplus_carry_months,
        }
        if hours
        else {"surplus_carry_months": 0}
    )
    label = "Save hours" if hours else "Set hours commitment"
    return HoursCommitmentForm(data, initial=initial, submit_label=label, auto_id=_auto_id("hours"))


def responsibility_form(terms: VersionTerms, responsibility=None, data=None) -> ResponsibilityForm:
    keys = [r.key for r in terms.responsibilities]
    if responsibility is None:
        return ResponsibilityForm(
            data, taken=keys, submit_label="Add responsibility", auto_id=_auto_id("responsibility-new")
        )
    return ResponsibilityForm(
        data,
        taken=_others(keys, responsibility.key),
        auto_id=_auto_id(f"responsibility-{responsibility.pk}"),
        initial={
            "key": responsibility.key,
            "duty": responsibility.duty,
            "category": responsibility.category,
            "consequence": responsibility.consequence,
        },
    )


# ---------------------------------------------------------------- page


#: Slot prefix of the rows edited in place → the URL name part of their views.
ROW_KINDS = {
    "parameter": "parameter",
    "service": "service",
    "calendar": "calendar",
    "window": "window",
    "level": "level",
    "responsibility": "responsibility",
}


@dataclass
class TermRow:
    """One term on the page: the row, what it reads as, where it is used, its edit form.

    A row of the six edited in place (``ROW_KINDS``) shows either its display with Edit and
    Delete, or, when ``form`` is set, its edit form in the row's place."""

    obj: Any
    slot: str
    display: str = ""
    form: Any = None
    lazy: bool = False
    unfold: bool = False
    errors: list[str] = field(default_factory=list)
    used_by: list[str] = field(default_factory=list)
    clauses: list[str] = field(default_factory=list)
    label: str = ""
    update_url: str = ""
    delete_url: str = ""
    #: Set on an htmx answer: focus goes to the row's first field or its Edit button.
    refocus: bool = False
    saved: str = ""
    first: bool = False
    last: bool = False

    @property
    def open(self) -> bool:
        """Whether the row's edit form starts unfolded: asked for, or showing errors."""
        return self.unfold or (self.form is not None and has_errors(self.form))

    @property
    def kind(self) -> str:
        return self.slot.split("-", 1)[0]

    @property
    def body_template(self) -> str:
        return f"contracts/terms/_row_{self.kind}.html"


def is_row_slot(slot: str) -> bool:
    """Whether ``slot`` names an existing row edited in place (not a new row or a schedule)."""
    kind, _, rest = slot.partition("-")
    return kind in ROW_KINDS and rest.isdigit()


def find_row(context: dict, slot: str) -> TermRow:
    """The row of ``slot`` among the rows of a terms page context."""
    for key in ("parameters", "services", "calendars", "windows", "levels", "responsibilities"):
        for item in context[key]:
            if item.slot == slot:
                return item
    raise LookupError(slot)


def parameter_usage(terms: VersionTerms) -> dict[str, list[str]]:
    """Parameter name → headings of the clauses whose legal or plain text names it, in order."""
    usage: dict[str, list[str]] = defaultdict(list)
    for clause in terms.clauses:
        for name in parameter_names(clause.legal_text) | parameter_names(clause.plain_text):
            usage[name].append(clause.heading)
    return usage


def terms_page_context(
    version: Version,
    terms: VersionTerms,
    *,
    bound: dict[str, Any] | None = None,
    row_errors: dict[str, list[str]] | None = None,
    open_slot: str = "",
) -> dict:
    """The template context of the terms page. ``bound`` replaces the blank form of a slot by
    the one the author submitted; ``row_errors`` are messages of a refused delete per slot;
    ``open_slot`` names a row whose edit form is rendered unfolded.

    The edit forms of the other rows are left out and fetched with htmx when the author
    unfolds one: rendering every form (each with every parameter as a choice) would make the
    page grow with the square of its rows."""
    bound = bound or {}
    row_errors = row_errors or {}
    editable = version.is_draft
    currency = terms.contract.currency

    reference, number = terms.contract.reference, version.number

    def row(obj, slot: str, display: str, make_form, *, eager: bool = False, label="", **extra) -> TermRow:
        form = None
        if editable and (eager or slot in bound or slot == open_slot):
            form = bound.get(slot) or make_form()
        urls = {}
        if editable and is_row_slot(slot):
            args = [reference, number, obj.pk]
            kind = ROW_KINDS[slot.split("-", 1)[0]]
            urls = {
                "update_url": reverse(f"contracts:terms_{kind}_update", args=args),
                "delete_url": reverse(f"contracts:terms_{kind}_delete", args=args),
            }
        return TermRow(
            obj=obj,
            slot=slot,
            display=display,
            form=form,
            lazy=editable and form is None and not is_row_slot(slot),
            unfold=slot == open_slot,
            errors=row_errors.get(slot, []),
            label=label,
            **urls,
            **extra,
        )

    def new(slot: str, make_form):
        return (bound.get(slot) or make_form()) if editable else None

    clause_usage = parameter_usage(terms)
    levels_by_parameter: dict[int, list[str]] = defaultdict(list)
    levels_by_service: dict[int, list[str]] = defaultdict(list)
    levels_by_calendar: dict[int, list[str]] = defaultdict(list)
    for level in terms.service_levels:
        levels_by_parameter[level.target_id].append(f"{level.name} (target)")
        if level.share_id:
            levels_by_parameter[level.share_id].append(f"{level.name} (share)")
        if level.service_id:
            levels_by_service[level.service_id].append(level.name)
        if level.calendar_id:
            levels_by_calendar[level.calendar_id].append(level.name)

    parameters = [
        row(
            p,
            f"parameter-{p.pk}",
            p.display(currency=currency),
            lambda p=p: parameter_form(terms, p),
            label=f"parameter {p.name}",
            used_by=levels_by_parameter.get(p.pk, []),
            clauses=clause_usage.get(p.name, []),
        )
        for p in terms.parameters
    ]
    services = [
        row(
            s,
            f"service-{s.pk}",
            "In scope" if s.in_scope else f"Out of scope: {s.out_of_scope_reason}",
            lambda s=s: service_form(terms, s),
            label=f"service {s.name}",
            used_by=levels_by_service.get(s.pk, []),
        )
        for s in terms.services
    ]
    calendars = [
        row(
            c,
            f"calendar-{c.pk}",
            wording.describe_calendar(c, time_zone=terms.contract.time_zone),
            lambda c=c: calendar_form(terms, c),
            label=f"calendar {c.name}",
            used_by=levels_by_calendar.get(c.pk, []),
        )
        for c in terms.calendars
    ]
    windows = [
        row(
            w,
            f"window-{w.pk}",
            wording.describe_window(w),
            lambda w=w: window_form(terms, w),
            label=f"maintenance window {wording.describe_window(w)}",
        )
        for w in terms.maintenance_windows
    ]
    levels = [
        row(
            level,
            f"level-{level.pk}",
            blocks.service_level_table(
                [level], currency=currency, time_zone=terms.contract.time_zone
            ).text.removeprefix("- "),
            lambda level=level: level_form(terms, level),
            label=f"service level {level.name}",
        )
        for level in terms.service_levels
    ]
    for index, level_row in enumerate(levels):
        level_row.first, level_row.last = index == 0, index == len(levels) - 1
    credits = [
        row(
            level,
            f"tiers-{level.pk}",
            "",
            lambda level=level: tiers_formset(terms, level),
            eager=True,
            used_by=[tier_text(t, currency) for t in terms.tiers_of(level)],
        )
        for level in terms.service_levels
    ]
    responsibilities = [
        row(
            r,
            f"responsibility-{r.pk}",
            wording.describe_responsibility(r.duty, r.consequence),
            lambda r=r: responsibility_form(terms, r),
            label=f"responsibility {r.key}",
        )
        for r in terms.responsibilities
    ]
    cap = terms.credit_cap
    hours = terms.hours_commitment
    error_sections = {section_of(slot) for slot, form in bound.items() if has_errors(form)}
    error_sections |= {section_of(slot) for slot in row_errors}
    return {
        "version": version,
        "contract": terms.contract,
        "reference": terms.contract.reference,
        "number": version.number,
        "editable": editable,
        "sections": SECTIONS,
        "error_sections": [(anchor, title) for anchor, title in SECTIONS if anchor in error_sections],
        "parameters": parameters,
        "parameter_new": new("parameter-new", lambda: parameter_form(terms)),
        "services": services,
        "service_new": new("service-new", lambda: service_form(terms)),
        "calendars": calendars,
        "calendar_new": new("calendar-new", lambda: calendar_form(terms)),
        "subdivisions": holiday_subdivisions() if editable else {},
        "windows": windows,
        "window_new": new("window-new", lambda: window_form(terms)),
        "levels": levels,
        "level_new": new("level-new", lambda: level_form(terms)) if terms.parameters else None,
        "credits": credits,
        "cap_display": wording.format_cap(cap.kind, cap.value, currency) if cap else "",
        "cap_form": new("cap", lambda: cap_form(terms)),
        "cap_errors": row_errors.get("cap", []),
        "hours": hours,
        "hours_display": _hours_display(hours),
        "hours_form": new("hours", lambda: hours_form(terms)),
        "hours_errors": row_errors.get("hours", []),
        "responsibilities": responsibilities,
        "responsibility_new": new("responsibility-new", lambda: responsibility_form(terms)),
    }


def has_errors(form) -> bool:
    """Whether a bound form or formset has any error to show."""
    if isinstance(form, forms.BaseFormSet):
        return any(form.errors) or bool(form.non_form_errors())
    return bool(form.errors)


def _hours_display(hours) -> str:
    if hours is None:
        return ""
    deficit = {None: "may be made up at any later time", 0: "is not carried over"}.get(
        hours.deficit_carry_months,
        f"is made up within {wording.format_months(hours.deficit_carry_months, unlimited='')}",
    )
    surplus = {None: "stay banked without limit", 0: "are not banked"}.get(
        hours.surplus_carry_months,
        f"stay banked for {wording.format_months(hours.surplus_carry_months, unlimited='')}",
    )
    per_month = wording.format_hours(hours.hours_per_month)
    return f"{per_month} per month; a shortfall {deficit}; extra hours {surplus}."
