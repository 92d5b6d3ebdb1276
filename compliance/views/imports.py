"""CSV upload per contract and kind of event: all rows or none, every bad row shown."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from compliance import services
from compliance.forms.events import ImportForm
from compliance.services.imports import REQUIRED_COLUMNS
from compliance.services.rows import FIELDS
from compliance.views.events import LABELS
from contracts.selectors import tenancy

# More errors than this are counted, not listed: the first ones show what is wrong.
SHOWN_ERRORS = 500


@login_required
@require_http_methods(["GET", "POST"])
def event_import(request, reference: str, kind: str):
    contract = tenancy.get_for_user_or_404(tenancy.contracts_authored_by(request.user), reference=reference)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    errors: list[services.RowError] = []
    summary = ""
    if request.method == "POST" and form.is_valid():
        try:
            result = services.events_import_csv(
                kind=kind, contract=contract, user=request.user, source=form.cleaned_data["file"]
            )
        except services.ImportInvalid as exc:
            errors, summary = exc.errors, exc.messages[0]
        else:
            messages.success(
                request,
                f"Imported {result.total} {LABELS[kind].lower()}: "
                f"{result.created} new, {result.updated} updated.",
            )
            return redirect(f"compliance:{kind}", reference=reference)
    return render(
        request,
        "compliance/event_import.html",
        {
            "contract": contract,
            "kind": kind,
            "label": LABELS[kind],
            "form": form,
            "errors": errors[:SHOWN_ERRORS],
            "hidden_errors": max(0, len(errors) - SHOWN_ERRORS),
            "summary": summary,
            "columns": FIELDS[kind],
            "required": REQUIRED_COLUMNS[kind],
        },
        status=400 if form.errors or errors else 200,
    )
