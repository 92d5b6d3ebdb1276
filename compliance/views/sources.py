"""Event source pages of a contract, for the provider's admins: the sources with their URL
and secret, each source's mapping and delivery log, pausing, secret rotation and removal.

Contracts and sources come through ``compliance.selectors.tenancy``: a contract the user
does not administer as the provider, or another contract's source, is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from compliance.forms.source_json import SourceTrialForm
from compliance.forms.sources import SourceCreateForm, SourceMappingForm
from compliance.selectors.events import event_terms
from compliance.selectors.sources import shared_sources_feeding, sources_of
from compliance.selectors.tenancy import contracts_with_sources_managed_by, sources_managed_by
from compliance.services import sources as source_services
from compliance.views.events import add_service_errors
from compliance.views.source_pages import SourceOwner, source_actions, source_page_context, trial_answer
from contracts.selectors.tenancy import get_for_user_or_404


def _contract(user, reference: str):
    return get_for_user_or_404(contracts_with_sources_managed_by(user), reference=reference)


def _source(user, contract, source_id: int):
    return get_for_user_or_404(sources_managed_by(user).filter(contract=contract), pk=source_id)


def _owner(contract) -> SourceOwner:
    return SourceOwner("compliance:source_", {"reference": contract.reference})


def _resolve(user, reference: str, source_id: int):
    contract = _contract(user, reference)
    return _owner(contract), _source(user, contract, source_id)


@login_required
@require_http_methods(["GET", "POST"])
def source_list(request, reference: str):
    contract = _contract(request.user, reference)
    form = SourceCreateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                source = source_services.source_create(
                    contract=contract, user=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, f"Source “{source.name}” added. Point the tool at its URL with its secret."
                )
                return redirect("compliance:source_detail", reference=contract.reference, source_id=source.pk)
        status = 400
    return render(
        request,
        "compliance/source_list.html",
        {
            "contract": contract,
            "sources": sources_of(contract),
            "shared_routes": shared_sources_feeding(contract),
            "form": form,
            "label": "Event sources",
        },
        status=status,
    )


def _detail_page(request, contract, source, form, status=200, trial_form=None, trial=None):
    return render(
        request,
        "compliance/source_detail.html",
        {
            **source_page_context(request, _owner(contract), source),
            "contract": contract,
            "log_zone": contract.time_zone,
            "form": form,
            "trial_form": trial_form or SourceTrialForm(),
            "trial": trial,
            "label": source.name,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def source_detail(request, reference: str, source_id: int):
    contract = _contract(request.user, reference)
    source = _source(request.user, contract, source_id)
    services = list(event_terms(contract).services)
    form = SourceMappingForm(request.POST or None, source=source, services=services)
    if request.method == "POST":
        if form.is_valid():
            try:
                source_services.source_update(
                    source=source,
                    name=form.cleaned_data["name"],
                    rate_limit=form.cleaned_data["rate_limit"],
                    mapping=form.mapping(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Mapping of “{source.name}” saved.")
                return redirect("compliance:source_detail", reference=contract.reference, source_id=source.pk)
        return _detail_page(request, contract, source, form, status=400)
    return _detail_page(request, contract, source, form)


@login_required
@require_POST
def source_test(request, reference: str, source_id: int):
    """The live test of a pasted payload (see ``trial_answer``)."""
    contract = _contract(request.user, reference)
    source = _source(request.user, contract, source_id)

    def page(**trial):
        form = SourceMappingForm(source=source, services=list(event_terms(contract).services))
        return _detail_page(request, contract, source, form, **trial)

    return trial_answer(request, _owner(contract), source, {"contract": contract}, page)


source_pause, source_rotate, source_delete = source_actions(_resolve)
