"""Provider-wide event sources, for the provider organisation's admins: the list with a form
to add one, each source's URL, secret, routes (value → contract and services) and delivery
log, pausing, secret rotation and removal.

Organisations, sources and routes come through ``compliance.selectors.tenancy``: an
organisation the user does not administer, or another organisation's source, is a 404; only
contracts the organisation provides can be chosen for a route.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from compliance.forms.shared_sources import SharedSourceCreateForm, SharedSourceSettingsForm, SourceRouteForm
from compliance.forms.source_json import SourceTrialForm
from compliance.models import SourceRoute
from compliance.selectors.sources import routes_of_source, shared_sources_of
from compliance.selectors.tenancy import (
    contracts_with_sources_managed_by,
    organisations_with_sources_managed_by,
    shared_sources_managed_by,
)
from compliance.services import source_routes
from compliance.views.events import add_service_errors
from compliance.views.source_pages import SourceOwner, source_actions, source_page_context, trial_answer
from contracts.selectors.tenancy import get_for_user_or_404


def _organisation(user, slug: str):
    return get_for_user_or_404(organisations_with_sources_managed_by(user), slug=slug)


def _source(user, organisation, shared_source_id: int):
    sources = shared_sources_managed_by(user).filter(organisation=organisation)
    return get_for_user_or_404(sources, pk=shared_source_id)


def _owner(organisation) -> SourceOwner:
    return SourceOwner("compliance:shared_source_", {"slug": organisation.slug}, "shared_source_id")


def _resolve(user, slug: str, shared_source_id: int):
    organisation = _organisation(user, slug)
    return _owner(organisation), _source(user, organisation, shared_source_id)


def _contracts(user, organisation):
    return (
        contracts_with_sources_managed_by(user)
        .filter(provider=organisation)
        .select_related("customer")
        .order_by("reference")
    )


@login_required
@require_http_methods(["GET", "POST"])
def shared_source_list(request, slug: str):
    organisation = _organisation(request.user, slug)
    form = SharedSourceCreateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                source = source_routes.shared_source_create(
                    organisation=organisation, user=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"Source “{source.name}” added. Route its values to contracts, then point the tool here.",
                )
                return redirect("compliance:shared_source_detail", slug=slug, shared_source_id=source.pk)
        status = 400
    return render(
        request,
        "compliance/shared_source_list.html",
        {"organisation": organisation, "sources": shared_sources_of(organisation), "form": form},
        status=status,
    )


def _with_action(settings_form: SharedSourceSettingsForm, source) -> SharedSourceSettingsForm:
    settings_form.helper.form_action = _owner(source.organisation).url("settings", source)
    return settings_form


def _detail_page(
    request, organisation, source, form, status=200, settings_form=None, trial_form=None, trial=None
):
    return render(
        request,
        "compliance/shared_source_detail.html",
        {
            **source_page_context(request, _owner(organisation), source),
            "organisation": organisation,
            "log_zone": "UTC",
            "routes": routes_of_source(source),
            "form": form,
            "settings_form": _with_action(settings_form or SharedSourceSettingsForm(source=source), source),
            "trial_form": trial_form or SourceTrialForm(),
            "trial": trial,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def shared_source_detail(request, slug: str, shared_source_id: int):
    """The source with its routes; a POST adds (or replaces) the route of a value."""
    organisation = _organisation(request.user, slug)
    source = _source(request.user, organisation, shared_source_id)
    form = SourceRouteForm(request.POST or None, contracts=_contracts(request.user, organisation))
    if request.method == "POST":
        if form.is_valid():
            try:
                route = source_routes.route_save(source=source, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"“{route.match_value}” now goes to {route.contract.reference}.")
                return redirect("compliance:shared_source_detail", slug=slug, shared_source_id=source.pk)
        return _detail_page(request, organisation, source, form, status=400)
    return _detail_page(request, organisation, source, form)


@login_required
@require_POST
def shared_source_test(request, slug: str, shared_source_id: int):
    """The live test of a pasted payload through the source's routes (see ``trial_answer``)."""
    organisation = _organisation(request.user, slug)
    source = _source(request.user, organisation, shared_source_id)

    def page(**trial):
        form = SourceRouteForm(contracts=_contracts(request.user, organisation))
        return _detail_page(request, organisation, source, form, **trial)

    return trial_answer(request, _owner(organisation), source, {"organisation": organisation}, page)


@login_required
@require_POST
def shared_source_settings(request, slug: str, shared_source_id: int):
    """Rename the source, or change its route field or rate limit."""
    organisation = _organisation(request.user, slug)
    source = _source(request.user, organisation, shared_source_id)
    settings_form = SharedSourceSettingsForm(request.POST, source=source)
    if settings_form.is_valid():
        try:
            source_routes.shared_source_update(source=source, **settings_form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(settings_form, exc)
        else:
            messages.success(request, f"Settings of “{source.name}” saved.")
            return redirect("compliance:shared_source_detail", slug=slug, shared_source_id=source.pk)
    source.refresh_from_db()  # the page shows the stored name; the form keeps what was typed
    form = SourceRouteForm(contracts=_contracts(request.user, organisation))
    return _detail_page(request, organisation, source, form, status=400, settings_form=settings_form)


@login_required
@require_POST
def shared_source_route_delete(request, slug: str, shared_source_id: int, route_id: int):
    organisation = _organisation(request.user, slug)
    source = _source(request.user, organisation, shared_source_id)
    route = get_for_user_or_404(SourceRoute.objects.filter(source=source), pk=route_id)
    source_routes.route_delete(route=route)
    messages.success(request, f"Route “{route.match_value}” removed; its deliveries are now refused.")
    return redirect("compliance:shared_source_detail", slug=slug, shared_source_id=source.pk)


shared_source_pause, shared_source_rotate, shared_source_delete = source_actions(_resolve)
