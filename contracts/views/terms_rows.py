"""Create, change and delete the terms of a draft version, one section at a time.

Each view: the author's draft (404 for anyone else, refused on a frozen version), the form
of the row as on the page, one service call, back to the section; errors re-render the
terms page with status 400 (see ``contracts.views.terms.submit``).
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_http_methods, require_POST

from contracts import services
from contracts.models import Version
from contracts.selectors.versions import VersionTerms
from contracts.views import terms_context as tc
from contracts.views.terms import open_draft, posted, remove, row_of, submit


def _on_draft(view):
    """Call ``view(request, version, terms, …)`` with the author's draft and its terms; the
    answer of ``open_draft`` instead when the version is not the user's draft to edit."""

    @wraps(view)
    def wrapped(request, reference: str, number: int, **kwargs):
        version, terms, refused = open_draft(request, reference, number)
        if refused:
            return refused
        return view(request, version, terms, **kwargs)

    return wrapped


def authoring_post(view):
    return login_required(require_POST(_on_draft(view)))


def _row_form(view):
    """GET shows the row's form (see ``submit``), POST saves it."""
    return login_required(require_http_methods(["GET", "POST"])(_on_draft(view)))


# ---------------------------------------------------------------- parameters


@authoring_post
def parameter_create(request, version: Version, terms: VersionTerms):
    form = tc.parameter_form(terms, data=posted(request))

    def act() -> str:
        services.parameter_set(version=version, **form.cleaned_data)
        return f"Parameter {form.cleaned_data['name']} added."

    return submit(request, version, slot="parameter-new", form=form, act=act)


@_row_form
def parameter_update(request, version: Version, terms: VersionTerms, parameter_id: int):
    parameter = row_of(terms.parameters, parameter_id)
    form = tc.parameter_form(terms, parameter, data=posted(request))

    def act() -> str:
        services.parameter_set(version=version, name=parameter.name, **form.cleaned_data)
        return f"Parameter {parameter.name} saved."

    return submit(request, version, slot=f"parameter-{parameter.pk}", form=form, act=act)


@authoring_post
def parameter_delete(request, version: Version, terms: VersionTerms, parameter_id: int):
    parameter = row_of(terms.parameters, parameter_id)

    def act() -> str:
        services.parameter_delete(parameter=parameter)
        return f"Parameter {parameter.name} deleted."

    return remove(request, version, slot=f"parameter-{parameter.pk}", act=act)


# ---------------------------------------------------------------- scope


@authoring_post
def service_create(request, version: Version, terms: VersionTerms):
    form = tc.service_form(terms, data=posted(request))

    def act() -> str:
        services.service_create(version=version, **form.cleaned_data)
        return f"Service {form.cleaned_data['name']} added."

    return submit(request, version, slot="service-new", form=form, act=act)


@_row_form
def service_update(request, version: Version, terms: VersionTerms, service_id: int):
    service = row_of(terms.services, service_id)
    form = tc.service_form(terms, service, data=posted(request))

    def act() -> str:
        services.service_update(service=service, data=form.cleaned_data)
        return f"Service {service.name} saved."

    return submit(request, version, slot=f"service-{service.pk}", form=form, act=act)


@authoring_post
def service_delete(request, version: Version, terms: VersionTerms, service_id: int):
    service = row_of(terms.services, service_id)

    def act() -> str:
        services.service_delete(service=service)
        return f"Service {service.name} deleted."

    return remove(request, version, slot=f"service-{service.pk}", act=act)


# ---------------------------------------------------------------- calendars


@authoring_post
def calendar_create(request, version: Version, terms: VersionTerms):
    form = tc.calendar_form(terms, data=posted(request))

    def act() -> str:
        services.calendar_create(version=version, **form.calendar_data)
        return f"Calendar {form.cleaned_data['name']} added."

    return submit(request, version, slot="calendar-new", form=form, act=act)


@_row_form
def calendar_update(request, version: Version, terms: VersionTerms, calendar_id: int):
    calendar = row_of(terms.calendars, calendar_id)
    form = tc.calendar_form(terms, calendar, data=posted(request))

    def act() -> str:
        services.calendar_update(calendar=calendar, data=form.calendar_data)
        return f"Calendar {calendar.name} saved."

    return submit(request, version, slot=f"calendar-{calendar.pk}", form=form, act=act)


@authoring_post
def calendar_delete(request, version: Version, terms: VersionTerms, calendar_id: int):
    calendar = row_of(terms.calendars, calendar_id)

    def act() -> str:
        services.calendar_delete(calendar=calendar)
        return f"Calendar {calendar.name} deleted."

    return remove(request, version, slot=f"calendar-{calendar.pk}", act=act)


# ---------------------------------------------------------------- maintenance windows


@authoring_post
def window_create(request, version: Version, terms: VersionTerms):
    form = tc.window_form(terms, data=posted(request))

    def act() -> str:
        services.maintenance_window_create(version=version, **form.cleaned_data)
        return "Maintenance window added."

    return submit(request, version, slot="window-new", form=form, act=act)


@_row_form
def window_update(request, version: Version, terms: VersionTerms, window_id: int):
    window = row_of(terms.maintenance_windows, window_id)
    form = tc.window_form(terms, window, data=posted(request))

    def act() -> str:
        services.maintenance_window_update(window=window, data=form.cleaned_data)
        return "Maintenance window saved."

    return submit(request, version, slot=f"window-{window.pk}", form=form, act=act)


@authoring_post
def window_delete(request, version: Version, terms: VersionTerms, window_id: int):
    window = row_of(terms.maintenance_windows, window_id)

    def act() -> str:
        services.maintenance_window_delete(window=window)
        return "Maintenance window deleted."

    return remove(request, version, slot=f"window-{window.pk}", act=act)


# ---------------------------------------------------------------- service levels and credits


@authoring_post
def level_create(request, version: Version, terms: VersionTerms):
    form = tc.level_form(terms, data=posted(request))

    def act() -> str:
        services.service_level_create(version=version, **form.cleaned_data)
        return f"Service level {form.cleaned_data['name']} added."

    return submit(request, version, slot="level-new", form=form, act=act)


@_row_form
def level_update(request, version: Version, terms: VersionTerms, level_id: int):
    level = row_of(terms.service_levels, level_id)
    form = tc.level_form(terms, level, data=posted(request))

    def act() -> str:
        services.service_level_update(service_level=level, data=form.cleaned_data)
        return f"Service level {level.name} saved."

    return submit(request, version, slot=f"level-{level.pk}", form=form, act=act)


@authoring_post
def level_delete(request, version: Version, terms: VersionTerms, level_id: int):
    level = row_of(terms.service_levels, level_id)

    def act() -> str:
        services.service_level_delete(service_level=level)
        return f"Service level {level.name} deleted with its credit tiers."

    return remove(request, version, slot=f"level-{level.pk}", act=act)


@authoring_post
def credit_tiers_set(request, version: Version, terms: VersionTerms, level_id: int):
    level = row_of(terms.service_levels, level_id)
    formset = tc.tiers_formset(terms, level, data=posted(request))

    def act() -> str:
        services.credit_tiers_set(service_level=level, tiers=formset.tiers)
        return f"Credit tiers of {level.name} saved."

    return submit(request, version, slot=f"tiers-{level.pk}", form=formset, act=act)


@authoring_post
def credit_cap_set(request, version: Version, terms: VersionTerms):
    form = tc.cap_form(terms, data=posted(request))

    def act() -> str:
        services.credit_cap_set(version=version, **form.cleaned_data)
        return "Credit cap saved."

    return submit(request, version, slot="cap", form=form, act=act)


@authoring_post
def credit_cap_delete(request, version: Version, _terms: VersionTerms):
    def act() -> str:
        services.credit_cap_delete(version=version)
        return "Credit cap removed: credits are no longer capped."

    return remove(request, version, slot="cap", act=act)


# ---------------------------------------------------------------- hours and responsibilities


@authoring_post
def hours_commitment_set(request, version: Version, terms: VersionTerms):
    form = tc.hours_form(terms, data=posted(request))

    def act() -> str:
        services.hours_commitment_set(version=version, **form.cleaned_data)
        return "Hours commitment saved."

    return submit(request, version, slot="hours", form=form, act=act)


@authoring_post
def hours_commitment_delete(request, version: Version, _terms: VersionTerms):
    def act() -> str:
        services.hours_commitment_delete(version=version)
        return "Hours commitment removed."

    return remove(request, version, slot="hours", act=act)


@authoring_post
def responsibility_create(request, version: Version, terms: VersionTerms):
    form = tc.responsibility_form(terms, data=posted(request))

    def act() -> str:
        services.responsibility_create(version=version, **form.cleaned_data)
        return f"Responsibility {form.cleaned_data['key']} added."

    return submit(request, version, slot="responsibility-new", form=form, act=act)


@_row_form
def responsibility_update(request, version: Version, terms: VersionTerms, responsibility_id: int):
    responsibility = row_of(terms.responsibilities, responsibility_id)
    form = tc.responsibility_form(terms, responsibility, data=posted(request))

    def act() -> str:
        services.responsibility_update(responsibility=responsibility, data=form.cleaned_data)
        return f"Responsibility {responsibility.key} saved."

    return submit(request, version, slot=f"responsibility-{responsibility.pk}", form=form, act=act)


@authoring_post
def responsibility_delete(request, version: Version, terms: VersionTerms, responsibility_id: int):
    responsibility = row_of(terms.responsibilities, responsibility_id)

    def act() -> str:
        services.responsibility_delete(responsibility=responsibility)
        return f"Responsibility {responsibility.key} deleted."

    return remove(request, version, slot=f"responsibility-{responsibility.pk}", act=act)
