"""Event pages of a contract: lists per period for both parties, forms for provider authors.

Contracts and events come through ``contracts.selectors.tenancy``: another tenant's contract or event
is a 404, and so is an authoring page for a member without the author role at the provider.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from compliance import services
from compliance.forms.event_filters import FILTERS
from compliance.forms.events import FORMS, PauseForm, PeriodForm, initial_of
from compliance.selectors import events
from compliance.selectors.tenancy import (
    incident_pauses_authored_by,
    incidents_authored_by,
    outages_authored_by,
    worklogs_authored_by,
)
from contracts.selectors import tenancy
from slaportal import exports

PAGE_SIZE = 50
LABELS = {"incidents": "Incidents", "outages": "Outages", "worklogs": "Work logs"}
SINGULAR = {"incidents": "incident", "outages": "outage", "worklogs": "work log"}
AUTHORED = {
    "incidents": incidents_authored_by,
    "outages": outages_authored_by,
    "worklogs": worklogs_authored_by,
}


def _authored_contract(user, reference: str):
    return tenancy.get_for_user_or_404(tenancy.contracts_authored_by(user), reference=reference)


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's errors on the form's fields, or above the form for other fields."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def event_list(request, reference: str, kind: str):
    contract = tenancy.get_contract_for_user_or_404(request.user, reference)
    # One look at the user's role at the provider answers both: authors record events,
    # admins also manage the contract's event sources.
    at_provider = tenancy.membership_of(request.user, contract.provider)
    can_author = at_provider is not None and at_provider.can_author
    filter_form = PeriodForm(request.GET or None)
    period = filter_form.cleaned_data["period"] if filter_form.is_valid() else None
    file_format = request.GET.get("export")
    wants_breached = kind != "worklogs" and (bool(request.GET.get("breached")) or file_format)
    found = FILTERS[kind](
        request.GET,
        events.EVENTS_OF[kind](contract, period),
        services=events.event_services(contract, kind),
        sources=events.event_sources(contract) if kind != "worklogs" else (),
        breached_ids=events.breached_ids(contract, period) if wants_breached else set(),
    )
    rows = found.qs
    # A bad month or filter exports nothing: the page says what is wrong instead.
    if file_format in ("csv", "xlsx") and not filter_form.errors and found.is_valid():
        return _export(contract, kind, rows, file_format, found.breached_ids)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    for key in ("page", "export"):
        query.pop(key, None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    return render(
        request,
        "compliance/event_list.html",
        {
            "contract": contract,
            "kind": kind,
            "label": LABELS[kind],
            "singular": SINGULAR[kind],
            "page": page,
            "filter_form": filter_form,
            "filter": found,
            "filtered": found.filtered,
            "query": query.urlencode(),
            "sort_query": sort_query.urlencode(),
            "sort": request.GET.get("sort", ""),
            "period": filter_form.data.get("period", "") if period else "",
            "can_author": can_author,
            "can_manage_sources": at_provider is not None and at_provider.can_manage_members,
        },
        status=400 if filter_form.errors or not found.is_valid() else 200,
    )


def _export(contract, kind: str, rows, file_format: str, breached: set[str]) -> HttpResponse:
    header = events.EXPORT_HEADERS[kind]
    body_rows = events.export_rows(kind, rows, contract=contract, breached=breached)
    if file_format == "csv":
        response = HttpResponse(exports.to_csv(header, body_rows), content_type=exports.CSV_TYPE)
    else:
        body = exports.to_xlsx(header, body_rows, title=LABELS[kind])
        response = HttpResponse(body, content_type=exports.XLSX_TYPE)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="{contract.reference}-{kind}-{stamp}.{file_format}"'
    )
    return response


def _form_page(request, *, contract, kind, form, event=None, pause_form=None, status=200):
    if pause_form is not None:
        pause_form.helper.form_action = reverse(
            "compliance:pause_add", kwargs={"reference": contract.reference, "incident_id": event.pk}
        )
    return render(
        request,
        "compliance/event_form.html",
        {
            "contract": contract,
            "kind": kind,
            "label": LABELS[kind],
            "singular": SINGULAR[kind],
            "form": form,
            "event": event,
            "pauses": list(event.pauses.all()) if event is not None and kind == "incidents" else [],
            "pause_form": pause_form,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request, reference: str, kind: str):
    contract = _authored_contract(request.user, reference)
    terms = events.event_terms(contract)
    form = FORMS[kind](request.POST if request.method == "POST" else None, terms=terms)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_save(
                kind=kind, contract=contract, user=request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{SINGULAR[kind].capitalize()} {event.external_id} recorded.")
            if kind == "incidents":
                return redirect("compliance:incident_edit", reference=reference, incident_id=event.pk)
            return redirect(f"compliance:{kind}", reference=reference)
    return _form_page(request, contract=contract, kind=kind, form=form, status=400 if form.errors else 200)


def _event_edit(request, reference: str, kind: str, event_id: int):
    event = tenancy.get_for_user_or_404(
        AUTHORED[kind](request.user).filter(contract__reference=reference).select_related("contract"),
        pk=event_id,
    )
    contract = event.contract
    terms = events.event_terms(contract)
    form = FORMS[kind](
        request.POST if request.method == "POST" else None, terms=terms, initial=initial_of(event, kind)
    )
    pause_form = PauseForm(terms=terms) if kind == "incidents" else None
    if request.method == "POST" and form.is_valid():
        try:
            services.event_save(
                kind=kind, contract=contract, user=request.user, data=form.cleaned_data, instance=event
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{SINGULAR[kind].capitalize()} {event.external_id} saved.")
            return redirect(f"compliance:{kind}", reference=reference)
    return _form_page(
        request,
        contract=contract,
        kind=kind,
        form=form,
        event=event,
        pause_form=pause_form,
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_edit(request, reference: str, incident_id: int):
    return _event_edit(request, reference, "incidents", incident_id)


@login_required
@require_http_methods(["GET", "POST"])
def outage_edit(request, reference: str, outage_id: int):
    return _event_edit(request, reference, "outages", outage_id)


@login_required
@require_http_methods(["GET", "POST"])
def worklog_edit(request, reference: str, worklog_id: int):
    return _event_edit(request, reference, "worklogs", worklog_id)


@login_required
@require_POST
def pause_add(request, reference: str, incident_id: int):
    incident = tenancy.get_for_user_or_404(
        incidents_authored_by(request.user).filter(contract__reference=reference).select_related("contract"),
        pk=incident_id,
    )
    terms = events.event_terms(incident.contract)
    pause_form = PauseForm(request.POST, terms=terms)
    if pause_form.is_valid():
        try:
            services.incident_pause_add(incident=incident, user=request.user, **pause_form.cleaned_data)
        except ValidationError as exc:
            pause_form.add_error(None, exc)
        else:
            messages.success(request, "Pause added.")
            return redirect("compliance:incident_edit", reference=reference, incident_id=incident.pk)
    form = FORMS["incidents"](terms=terms, initial=initial_of(incident, "incidents"))
    return _form_page(
        request,
        contract=incident.contract,
        kind="incidents",
        form=form,
        event=incident,
        pause_form=pause_form,
        status=400,
    )


@login_required
@require_POST
def pause_delete(request, reference: str, incident_id: int, pause_id: int):
    pause = tenancy.get_for_user_or_404(
        incident_pauses_authored_by(request.user).filter(
            incident_id=incident_id, incident__contract__reference=reference
        ),
        pk=pause_id,
    )
    services.incident_pause_delete(pause=pause, user=request.user)
    messages.success(request, "Pause removed.")
    return redirect("compliance:incident_edit", reference=reference, incident_id=incident_id)
