"""Contracts as files: importing a YAML contract file, and downloading one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from contracts.contract_files.export import ContractFileInvalid, contract_file_text
from contracts.forms.files import ContractImportForm
from contracts.selectors import tenancy
from contracts.selectors.versions import latest_version, version_terms
from contracts.services import imports
from contracts.services.imports import PartyChoice


def _providers_or_404(user):
    """The provider organisations the user drafts for; none → this page does not exist for them."""
    providers = tenancy.provider_organisations_authored_by(user).order_by("name", "id")
    if not providers.exists():
        raise Http404("No provider organisation of yours drafts contracts.")
    return providers


@login_required
@require_http_methods(["GET", "POST"])
def contract_import(request):
    providers = _providers_or_404(request.user)
    if request.method == "GET":
        form = ContractImportForm(providers=providers)
        return render(request, "contracts/files/import.html", {"form": form})
    form = ContractImportForm(request.POST, request.FILES, providers=providers)
    problems = []
    if form.is_valid():
        data = form.cleaned_data
        try:
            contract = imports.contract_import(
                document=form.document,
                provider=PartyChoice(providers.filter(pk=data["provider"].pk)),
                customer=PartyChoice(
                    tenancy.customer_choices_for(request.user),
                    create_missing=data["create_customer"],
                    missing_hint="tick “Create the customer organisation” to create it",
                ),
                user=request.user,
                file_name=data["file"].name,
                signed_on=data["signed_on"] if data["signed_outside_portal"] else None,
            )
        except ContractFileInvalid as exc:
            problems = exc.problems
        else:
            how = "signed outside the portal and in force" if data["signed_outside_portal"] else "a draft"
            messages.success(request, f"Imported {contract.reference}: version 1 is {how}.")
            return redirect("contracts:contract_detail", reference=contract.reference)
    return render(
        request,
        "contracts/files/import.html",
        {"form": form, "problems": problems or form.problems},
        status=400,
    )


@login_required
@require_GET
def contract_export(request, reference: str):
    contract = tenancy.get_for_user_or_404(tenancy.contracts_authored_by(request.user), reference=reference)
    version = latest_version(contract)
    text = contract_file_text(contract, version_terms(version) if version else None)
    response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{contract.reference}.yaml"'
    return response
