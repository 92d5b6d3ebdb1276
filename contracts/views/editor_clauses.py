"""Editor actions on the clauses of a draft: save, add (blank or from the library), delete, move.

Every action is a POST that works without JavaScript (redirect back to the editor); saving
a clause from the page answers htmx with the clause's own partial instead.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render
from django.views.decorators.http import require_POST

from contracts import services
from contracts.forms.editor import ClauseAddForm, ClauseFromTemplateForm
from contracts.models import AuditAction, Clause, Version
from contracts.selectors.tenancy import get_for_user_or_404
from contracts.selectors.versions import (
    clause_templates_for_version,
    version_findings,
    version_for_author,
    version_render_values,
    version_rendered_clauses,
    version_terms,
)
from contracts.views.editor import (
    ClauseRow,
    add_service_errors,
    back_to_editor,
    clause_form,
    edited_from_library,
    is_htmx,
    refuse_frozen,
    render_editor,
    version_urls,
)


def _log(request, version: Version, change: str) -> None:
    services.audit_draft_change(
        version=version, user=request.user, action=AuditAction.CLAUSE_EDITED, change=change
    )


def _clause_of(version: Version, clause_id: int) -> Clause:
    # The version came through the author selector, so its clauses are the user's to edit.
    return get_for_user_or_404(version.clauses.all(), pk=clause_id)


def _clause_partial(request, version: Version, clause: Clause, form, *, status: int = 200, headers=None):
    terms = version_terms(version)
    values = version_render_values(terms)
    rendered = next(r for r in version_rendered_clauses(terms, values) if r.clause.pk == clause.pk)
    keys = [c.pk for c in terms.clauses]
    findings = [f for f in version_findings(terms, values) if f.clause == clause.key]
    row = ClauseRow(
        rendered=rendered,
        form=form,
        first=keys[0] == clause.pk,
        last=keys[-1] == clause.pk,
        finding_errors=sum(f.is_error for f in findings),
        finding_warnings=sum(not f.is_error for f in findings),
        edited=clause.pk in edited_from_library([clause]),
        expanded=True,
    )
    context = {"row": row, "version": terms.version, "urls": version_urls(terms.version)}
    response = render(request, "contracts/editor/_clause.html", context, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@login_required
@require_POST
def clause_save(request, reference: str, number: int, clause_id: int):
    version = version_for_author(request.user, reference, number)
    clause = _clause_of(version, clause_id)
    if not version.is_draft:
        return refuse_frozen(request, version)
    form = clause_form(version, clause, request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                services.clause_update(clause=clause, data=form.cleaned_data)
                _log(request, version, f"Clause “{clause.heading}” saved")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if is_htmx(request):
                fresh = clause_form(version, clause)
                return _clause_partial(
                    request, version, clause, fresh, headers={"HX-Trigger": "clause-saved"}
                )
            messages.success(request, f"Clause “{clause.heading}” saved.")
            return back_to_editor(request, version, f"clause-{clause.key}")
    if is_htmx(request):
        # The stored clause stays as it was; the partial shows what was typed, with errors.
        stored = Clause.objects.get(pk=clause.pk)
        return _clause_partial(request, version, stored, form, status=400)
    return render_editor(request, version, status=400, clause_forms={clause.pk: form})


@login_required
@require_POST
def clause_add(request, reference: str, number: int):
    version = version_for_author(request.user, reference, number)
    if not version.is_draft:
        return refuse_frozen(request, version)
    form = ClauseAddForm(request.POST, action=version_urls(version)["clause_add"])
    if form.is_valid():
        try:
            with transaction.atomic():
                clause = services.clause_add(
                    version=version, heading=form.cleaned_data["heading"], legal_text="", plain_text=""
                )
                _log(request, version, f"Clause “{clause.heading}” added")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Clause “{clause.heading}” added.")
            return back_to_editor(request, version, f"clause-{clause.key}")
    return render_editor(request, version, status=400, add_form=form)


@login_required
@require_POST
def clause_add_template(request, reference: str, number: int):
    version = version_for_author(request.user, reference, number)
    if not version.is_draft:
        return refuse_frozen(request, version)
    form = ClauseFromTemplateForm(
        request.POST,
        templates=clause_templates_for_version(version),
        action=version_urls(version)["clause_add_template"],
    )
    if form.is_valid():
        try:
            with transaction.atomic():
                clause = services.clause_add_from_template(
                    version=version, template=form.cleaned_data["template"]
                )
                _log(request, version, f"Clause “{clause.heading}” added from the library")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Clause “{clause.heading}” added from the library.")
            return back_to_editor(request, version, f"clause-{clause.key}")
    return render_editor(request, version, status=400, template_form=form)


@login_required
@require_POST
def clause_delete(request, reference: str, number: int, clause_id: int):
    version = version_for_author(request.user, reference, number)
    clause = _clause_of(version, clause_id)
    if not version.is_draft:
        return refuse_frozen(request, version)
    with transaction.atomic():
        services.clause_delete(clause=clause)
        _log(request, version, f"Clause “{clause.heading}” deleted")
    messages.success(request, f"Clause “{clause.heading}” deleted.")
    return back_to_editor(request, version, "clauses-heading")


@login_required
@require_POST
def clause_move(request, reference: str, number: int, clause_id: int):
    """Move a clause one place up or down (``direction``); the first cannot go up, the last
    cannot go down."""
    version = version_for_author(request.user, reference, number)
    clause = _clause_of(version, clause_id)
    if not version.is_draft:
        return refuse_frozen(request, version)
    direction = request.POST.get("direction", "")
    if direction not in services.MOVE_DIRECTIONS:
        messages.error(request, "Move a clause up or down.")
        return render_editor(request, version, status=400)
    if services.clause_move(clause=clause, direction=direction, user=request.user):
        messages.success(request, f"Clause “{clause.heading}” moved {direction} to number {clause.position}.")
    else:
        where = "first" if direction == "up" else "last"
        messages.info(request, f"Clause “{clause.heading}” is already {where}: nothing moved.")
    return back_to_editor(request, version, f"clause-{clause.key}")
