"""The terms page of a version, and the quick parameter panel of the clause editor.

Only the provider's authors reach these pages (``versions.version_for_author``; anyone
else gets 404). A frozen version is shown read-only and every post is refused. The section
forms post to the views in ``contracts.views.terms_rows``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from contracts import services
from contracts.caching.pages import cached_page
from contracts.forms.terms import ParameterValueForm, add_service_error
from contracts.models import AuditAction, Version
from contracts.selectors import versions
from contracts.selectors.versions import VersionTerms, version_for_author
from contracts.views.terms_context import (
    find_row,
    is_row_slot,
    parameter_usage,
    section_of,
    terms_page_context,
)

FROZEN_MESSAGE = (
    "Version {number} is frozen and its terms cannot change: create a new draft version to change them."
)
PANEL_ID = "parameters-panel"


def terms_url(version: Version, section: str = "") -> str:
    url = reverse(
        "contracts:version_terms", kwargs={"reference": version.contract.reference, "number": version.number}
    )
    return f"{url}#{section}" if section else url


def row_of(rows, pk: int):
    """The row with ``pk`` among a version's rows already loaded, or 404."""
    for item in rows:
        if item.pk == pk:
            return item
    raise Http404("No such term in this version.")


def render_terms_page(request, version: Version, *, status: int = 200, **context_args) -> HttpResponse:
    terms = versions.version_terms(version)
    return render(
        request,
        "contracts/terms/terms_page.html",
        terms_page_context(version, terms, **context_args),
        status=status,
    )


@login_required
@require_GET
@cached_page
def version_terms(request, reference: str, number: int):
    version = version_for_author(request.user, reference, number)
    return render_terms_page(request, version)


# ---------------------------------------------------------------- shared by the POST views


def open_draft(
    request, reference: str, number: int
) -> tuple[Version, VersionTerms | None, HttpResponse | None]:
    """The author's version with its terms, or, on a frozen version, the refusal to send."""
    version = version_for_author(request.user, reference, number)
    if version.is_frozen:
        message = FROZEN_MESSAGE.format(number=version.number)
        if request.method == "POST" or is_htmx(request):
            messages.error(request, message)
        if is_htmx(request):
            # A row edited after the version was frozen: load the read-only page, which says why.
            return version, None, HttpResponse(status=204, headers={"HX-Redirect": terms_url(version)})
        return version, None, redirect(terms_url(version))
    return version, versions.version_terms(version), None


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def render_row(
    request, version: Version, slot: str, *, form=None, editing: bool = False, saved: str = ""
) -> HttpResponse:
    """One row of the terms page for htmx to swap in place: its display (after a save or a
    cancel, focus back on its Edit button) or its edit form (``form`` bound with errors, or
    blank), focus on the first field (in error). Errors come with status 200: htmx swaps only 2xx."""
    terms = versions.version_terms(version)
    context = terms_page_context(
        version, terms, bound={slot: form} if form is not None else None, open_slot=slot if editing else ""
    )
    row = find_row(context, slot)
    row.refocus = True
    row.saved = saved
    if row.form is not None:
        # Focus the first field in error, else the first field.
        wrong = [name for name in row.form.fields if name in row.form.errors]
        first = next(iter(wrong or row.form.fields), None)
        if first is not None:
            row.form.fields[first].widget.attrs["autofocus"] = True
    response = render(request, "contracts/terms/_term_row.html", {**context, "row": row})
    if saved and not slot.startswith("level-"):
        # The service levels show their targets' values, services and calendars: a saved
        # term refreshes that list too, out of band.
        levels = render(request, "contracts/terms/_levels_list.html", {**context, "levels_oob": True})
        response.content += levels.content
    return response


def posted(request):
    """The submitted data, or None on GET (an unbound form)."""
    return request.POST if request.method == "POST" else None


def submit(request, version: Version, *, slot: str, form, act: Callable[[], str]) -> HttpResponse:
    """Validate ``form``; when valid run ``act`` (a service call returning the success
    message) and go back to the section. A form or service error re-renders the page with
    the form as submitted and status 400; nothing is saved.

    A GET shows the row's form: without JavaScript the page with that row's form unfolded.
    With htmx a row edited in place (``is_row_slot``) is answered with the row alone: its
    form on GET (its display with ``?cancel=1``), its display after a save (with
    ``HX-Trigger: terms-changed``, so the consistency panel refreshes), its form with the
    errors when refused."""
    in_place = is_htmx(request) and is_row_slot(slot)
    if request.method != "POST":
        if in_place:
            return render_row(request, version, slot, editing="cancel" not in request.GET)
        if is_htmx(request):
            return render(request, "contracts/terms/_row_form.html", {"form": form, "action": request.path})
        return render_terms_page(request, version, open_slot=slot)
    if form.is_valid():
        try:
            message = audited(request, version, act)
        except ValidationError as exc:
            _add_error(form, exc)
        else:
            if in_place:
                response = render_row(request, version, slot, saved=message)
                response["HX-Trigger"] = "terms-changed"
                return response
            messages.success(request, message)
            return redirect(terms_url(version, section_of(slot)))
    if in_place:
        return render_row(request, version, slot, form=form)
    return render_terms_page(request, version, bound={slot: form}, status=400)


def remove(request, version: Version, *, slot: str, act: Callable[[], str]) -> HttpResponse:
    """Run a delete service; when it refuses, show why next to the row (status 400)."""
    try:
        message = audited(request, version, act)
    except ValidationError as exc:
        return render_terms_page(request, version, row_errors={slot: exc.messages}, status=400)
    messages.success(request, message)
    return redirect(terms_url(version, section_of(slot)))


def audited(request, version: Version, act: Callable[[], str]) -> str:
    """Run ``act`` and log its confirmation as a terms edit, in one transaction."""
    with transaction.atomic():
        message = act()
        services.audit_draft_change(
            version=version, user=request.user, action=AuditAction.TERMS_EDITED, change=message
        )
    return message


def _add_error(form, exc: ValidationError) -> None:
    if hasattr(form, "management_form"):
        # A formset: the schedule as a whole was refused.
        form.non_form_errors().extend(exc.messages)
    else:
        add_service_error(form, exc)


# ---------------------------------------------------------------- quick parameter panel


@dataclass
class PanelRow:
    parameter: Any
    display: str
    form: ParameterValueForm | None
    clauses: int


def parameters_panel_context(
    version: Version,
    terms: VersionTerms,
    *,
    bound: dict[int, ParameterValueForm] | None = None,
    message: str = "",
) -> dict:
    """Context for ``contracts/terms/_parameters_panel.html``: every parameter with its display
    value and, on a draft, a one-field form posting its new value with htmx.

    Everything sits under the one key ``parameters_panel`` so that the panel can be included
    in another page's template without clashing with its context."""
    bound = bound or {}
    editable = version.is_draft
    usage = parameter_usage(terms)
    currency = terms.contract.currency
    rows = [
        PanelRow(
            parameter=p,
            display=p.display(currency=currency),
            form=(bound.get(p.pk) or _value_form(p)) if editable else None,
            clauses=len(usage.get(p.name, [])),
        )
        for p in terms.parameters
    ]
    return {
        "parameters_panel": {
            "id": PANEL_ID,
            "reference": terms.contract.reference,
            "number": version.number,
            "editable": editable,
            "rows": rows,
            "message": message,
            "terms_url": terms_url(version, "parameters"),
        }
    }


def _value_form(parameter, data=None) -> ParameterValueForm:
    return ParameterValueForm(
        data, parameter=parameter, initial={"value": parameter.value}, auto_id=f"id_quick-{parameter.pk}_%s"
    )


def _render_panel(request, version: Version, *, status: int = 200, **context_args) -> HttpResponse:
    terms = versions.version_terms(version)
    return render(
        request,
        "contracts/terms/_parameters_panel.html",
        parameters_panel_context(version, terms, **context_args),
        status=status,
    )


def _back(request, version: Version) -> str:
    """The editor or terms page the plain form was posted from, else the terms page."""
    referer = request.headers.get("Referer", "")
    base = terms_url(version).removesuffix("terms/")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        if parts.path.startswith(base):
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return terms_url(version, "parameters")


@login_required
@require_POST
def parameter_quick_edit(request, reference: str, number: int, parameter_id: int):
    """Set one parameter's value from the editor's panel.

    With htmx the answer is the re-rendered panel, with ``HX-Trigger: terms-changed`` after
    a change. A value with errors comes back as the panel with the field error and status
    200, because htmx does not swap 4xx answers by default and the author must see the
    error; a plain post with errors gets a page with the panel and status 400.
    """
    htmx = request.headers.get("HX-Request") == "true"
    version = version_for_author(request.user, reference, number)
    if version.is_frozen:
        message = FROZEN_MESSAGE.format(number=version.number)
        if htmx:
            return _render_panel(request, version, message=message)
        messages.error(request, message)
        return redirect(_back(request, version))
    terms = versions.version_terms(version)
    parameter = row_of(terms.parameters, parameter_id)
    form = _value_form(parameter, request.POST)
    if form.is_valid():

        def act() -> str:
            services.parameter_set(
                version=version,
                name=parameter.name,
                kind=parameter.kind,
                value=form.cleaned_data["value"],
                business_time=parameter.business_time,
                description=parameter.description,
            )
            return f"Parameter {parameter.name} saved."

        try:
            audited(request, version, act)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            if htmx:
                response = _render_panel(request, version, message=f"{parameter.name} saved.")
                response["HX-Trigger"] = "terms-changed"
                return response
            messages.success(request, f"{parameter.name} saved.")
            return redirect(_back(request, version))
    if htmx:
        return _render_panel(request, version, bound={parameter.pk: form})
    context = parameters_panel_context(version, versions.version_terms(version), bound={parameter.pk: form})
    context.update(version=version, contract=terms.contract, back_url=_back(request, version))
    return render(request, "contracts/terms/parameter_quick_edit.html", context, status=400)
