"""Imports per contract and kind of event: a CSV file in the portal's columns, or another
tool's export through an import profile (mapped in the browser with a live preview). All
rows or none, every bad row shown."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from compliance import services
from compliance.engine.import_presets import PRESETS, presets_for
from compliance.forms.events import MAX_UPLOAD_BYTES, ImportForm
from compliance.forms.import_profiles import (
    MappingForm,
    ProfileRunForm,
    column_key,
    guess_columns,
    initial_from_preset,
    initial_from_profile,
)
from compliance.selectors import tenancy as compliance_tenancy
from compliance.services.imports import REQUIRED_COLUMNS
from compliance.services.rows import FIELDS
from compliance.views.events import LABELS
from contracts.selectors import tenancy

# More errors than this are counted, not listed: the first ones show what is wrong.
SHOWN_ERRORS = 500
SINGULAR = {"incidents": "incident", "outages": "outage", "worklogs": "worklog"}


def _contract(request, reference: str):
    return tenancy.get_for_user_or_404(tenancy.contracts_authored_by(request.user), reference=reference)


def _import_page(
    request, contract, kind: str, *, form=None, errors=(), summary="", profile=None, run_form=None
):
    errors = list(errors)
    return render(
        request,
        "compliance/event_import.html",
        {
            "contract": contract,
            "kind": kind,
            "label": LABELS[kind],
            "form": form or ImportForm(),
            "errors": errors[:SHOWN_ERRORS],
            "hidden_errors": max(0, len(errors) - SHOWN_ERRORS),
            "summary": summary,
            "columns": FIELDS[kind],
            "required": REQUIRED_COLUMNS[kind],
            "profiles": compliance_tenancy.import_profiles_for_contract(request.user, contract, kind),
            "failed_profile": profile,
            "run_form": run_form,
            "map_url": reverse(f"compliance:{SINGULAR[kind]}_import_map", args=[contract.reference]),
        },
        status=400 if (form is not None and form.errors) or errors or (run_form and run_form.errors) else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_import(request, reference: str, kind: str):
    contract = _contract(request, reference)
    if request.method != "POST":
        return _import_page(request, contract, kind)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, contract, kind, form=form)
    try:
        result = services.events_import_csv(
            kind=kind, contract=contract, user=request.user, source=form.cleaned_data["file"]
        )
    except services.ImportInvalid as exc:
        return _import_page(request, contract, kind, form=form, errors=exc.errors, summary=exc.messages[0])
    messages.success(
        request,
        f"Imported {result.total} {LABELS[kind].lower()}: {result.created} new, {result.updated} updated.",
    )
    return redirect(f"compliance:{kind}", reference=reference)


@login_required
@require_POST
def import_profile_run(request, reference: str, import_profile_id: int):
    """Next month's export through a saved profile: choose the file, one click."""
    contract = _contract(request, reference)
    profile = tenancy.get_for_user_or_404(
        compliance_tenancy.import_profiles_for_contract(request.user, contract), pk=import_profile_id
    )
    kind = profile.kind
    form = ProfileRunForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, contract, kind, profile=profile, run_form=form)
    upload = form.cleaned_data["file"]
    try:
        result = services.events_import_mapped(
            contract=contract,
            user=request.user,
            mapping=profile.mapping,
            data=upload.read(),
            name=upload.name,
            profile=profile,
        )
    except services.ImportInvalid as exc:
        return _import_page(
            request, contract, kind, errors=exc.errors, summary=exc.messages[0], profile=profile
        )
    messages.success(
        request,
        f"Imported {result.total} {LABELS[kind].lower()} with “{profile.name}”: "
        f"{result.created} new, {result.updated} updated.",
    )
    return redirect(f"compliance:{kind}", reference=reference)


@login_required
@require_POST
def import_profile_delete(request, reference: str, import_profile_id: int):
    contract = _contract(request, reference)
    profile = tenancy.get_for_user_or_404(
        compliance_tenancy.import_profiles_for_contract(request.user, contract), pk=import_profile_id
    )
    kind = profile.kind
    services.import_profile_delete(profile=profile, user=request.user)
    messages.success(request, f"Import profile “{profile.name}” deleted.")
    return redirect(f"compliance:{SINGULAR[kind]}_import", reference=reference)


def _read_upload(upload) -> tuple[bytes, services.Table | None, list[services.RowError]]:
    if upload is None:
        return b"", None, []
    if upload.size > MAX_UPLOAD_BYTES:
        message = f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."
        return b"", None, [services.RowError(0, "", message)]
    data = upload.read()
    try:
        return data, services.table_read(data=data, name=upload.name), []
    except services.ImportInvalid as exc:
        return data, None, exc.errors


def _posted_mapping(request, kind: str, header: list[str]):
    """The posted mapping, with a newly chosen preset or a newly uploaded file applied."""
    data = request.POST.copy()
    preset = data.get("preset", "")
    if preset in PRESETS and preset != data.get("applied_preset", ""):
        for key, value in initial_from_preset(PRESETS[preset]).items():
            data[key] = value
    if header and data.get("seen_header", "") != "\x1f".join(header):
        for name in FIELDS[kind]:
            data[column_key(name)] = ""
        for key, value in guess_columns(kind, header, preset).items():
            data[key] = value
    return data


@login_required
@require_http_methods(["GET", "POST"])
def import_map(request, reference: str, kind: str):
    """Map an export's columns to the portal's fields; each change re-renders the preview
    (htmx posts the form, file included); save the mapping as a profile, and import."""
    contract = _contract(request, reference)
    profiles = compliance_tenancy.import_profiles_for_contract(request.user, contract, kind)
    profile_id = request.POST.get("profile") or request.GET.get("profile")
    profile = (
        tenancy.get_for_user_or_404(profiles, pk=int(profile_id) if str(profile_id).isdigit() else 0)
        if profile_id
        else None
    )
    data, table, file_errors = _read_upload(request.FILES.get("file"))
    header = table.header if table else []
    if request.method == "GET":
        initial = initial_from_profile(profile) if profile else {}
        form = MappingForm(initial=initial, kind=kind, header=header, contract_zone=contract.time_zone)
        bound = False
    else:
        posted = _posted_mapping(request, kind, header)
        form = MappingForm(posted, kind=kind, header=header, contract_zone=contract.time_zone)
        form.is_valid()
        bound = True
    action = request.POST.get("action", "preview") if bound else "preview"
    status = 200
    if action in ("save", "save_import"):
        response = _save(request, contract, kind, form, profile, data, table, file_errors)
        if response is not None:
            return response
        status = 400
    mapping = form.mapping()
    preview = services.import_preview(contract=contract, mapping=mapping, table=table) if table else None
    context = {
        "contract": contract,
        "kind": kind,
        "label": LABELS[kind],
        "form": form,
        "profile": profile,
        "presets": presets_for(kind),
        "preview": preview,
        "file_errors": file_errors,
        "seen_header": "\x1f".join(header),
        "applied_preset": form["preset"].value() or "",
        "import_url": reverse(f"compliance:{SINGULAR[kind]}_import", args=[contract.reference]),
        "action_url": request.path,
    }
    if request.headers.get("HX-Request") == "true" and action == "preview":
        return render(request, "compliance/_import_mapping.html", context)
    return render(request, "compliance/import_map.html", context, status=status)


def _save(request, contract, kind, form, profile, data, table, file_errors):
    """Save the profile (and import the file with it); None when the page must show errors."""
    name = (form.cleaned_data.get("name") or "").strip() if hasattr(form, "cleaned_data") else ""
    if not name:
        form.add_error("name", "Name the profile, e.g. the tool it reads.")
    if table is None and not file_errors:
        file_errors.append(services.RowError(0, "", "Choose the export file."))
    if form.errors or file_errors:
        return None
    mapping = form.mapping()
    importing = request.POST.get("action") == "save_import"
    try:
        with transaction.atomic():
            if profile is None:
                profile = services.import_profile_create(
                    organisation=contract.provider,
                    user=request.user,
                    name=name,
                    mapping=mapping,
                    preset=form.cleaned_data.get("preset") or "",
                )
            else:
                profile = services.import_profile_update(
                    profile=profile, user=request.user, name=name, mapping=mapping
                )
            result = (
                services.events_import_mapped(
                    contract=contract, user=request.user, mapping=mapping, data=data, profile=profile
                )
                if importing
                else None
            )
    except services.ImportInvalid as exc:
        form.import_errors = exc.errors[:SHOWN_ERRORS]
        form.import_summary = f"{exc.messages[0]} The profile was not saved either."
        return None
    except ValidationError as exc:
        for key, messages_ in exc.message_dict.items():
            for message in messages_:
                form.add_error(key if key in form.fields else None, message)
        return None
    if result is None:
        messages.success(request, f"Import profile “{profile.name}” saved.")
        return redirect(f"compliance:{SINGULAR[kind]}_import", reference=contract.reference)
    messages.success(
        request,
        f"Import profile “{profile.name}” saved. Imported {result.total} {LABELS[kind].lower()}: "
        f"{result.created} new, {result.updated} updated.",
    )
    return redirect(f"compliance:{kind}", reference=contract.reference)
