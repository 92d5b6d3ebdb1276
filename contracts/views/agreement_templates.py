"""Agreement templates: the starter ones and those a provider saved from its contracts.

For provider staff only; another provider's template answers 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contracts.contract_files.starter_agreements import STARTER_AGREEMENTS
from contracts.forms.agreement_templates import AgreementTemplateSaveForm
from contracts.selectors import tenancy
from contracts.selectors.agreement_templates import (
    SAVED,
    agreement_of_choice,
    agreement_template_for_user_or_404,
    agreement_templates_for,
)
from contracts.services import agreement_templates as services
from contracts.views.library import _add_errors, _owners_or_404


@login_required
@require_GET
def agreement_templates(request):
    _owners_or_404(request.user)
    return render(
        request,
        "contracts/library/agreements.html",
        {
            "starters": STARTER_AGREEMENTS,
            "saved": [
                (template, f"{SAVED}:{template.pk}")
                for template in agreement_templates_for(request.user).order_by("owner__name", "name")
            ],
        },
    )


@login_required
@require_GET
def agreement_template_file(request, choice: str):
    """The template as a contract file: to read, change and import, or to keep."""
    _owners_or_404(request.user)
    agreement = agreement_of_choice(request.user, choice)
    if agreement is None:
        raise Http404("No such agreement template.")
    response = HttpResponse(agreement.text, content_type="application/yaml; charset=utf-8")
    name = slugify(agreement.name) or "agreement-template"
    response["Content-Disposition"] = f'attachment; filename="{name}.yaml"'
    return response


@login_required
@require_POST
def agreement_template_delete(request, agreement_id: int):
    template = agreement_template_for_user_or_404(request.user, agreement_id)
    services.agreement_template_delete(template=template)
    messages.success(
        request, f"Template “{template.name}” deleted; contracts started from it keep their terms."
    )
    return redirect("contracts:agreement_templates")


@login_required
@require_http_methods(["GET", "POST"])
def agreement_template_save(request, reference: str):
    contract = tenancy.get_for_user_or_404(tenancy.contracts_authored_by(request.user), reference=reference)
    form = AgreementTemplateSaveForm(request.POST or None, initial={"name": contract.title})
    if request.method == "POST" and form.is_valid():
        try:
            template = services.agreement_template_save(
                contract=contract,
                user=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Saved as the agreement template “{template.name}”.")
            return redirect("contracts:agreement_templates")
    return render(
        request,
        "contracts/library/agreement_save.html",
        {"contract": contract, "form": form},
        status=400 if form.errors else 200,
    )
