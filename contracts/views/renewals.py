"""Renewals: the contracts ending, or with notice due, soon; starting a renewal; the term and
renewal terms set on a draft."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contracts.forms.renewals import ContractTermForm, RenewalWindowForm
from contracts.selectors.renewals import WINDOW_CHOICES, renewals_for_user
from contracts.selectors.tenancy import contracts_authored_by, get_for_user_or_404
from contracts.selectors.versions import draft_version, version_for_author
from contracts.services.renewals import contract_term_set
from contracts.services.renewals import renewal_start as start_renewal_service


@login_required
@require_GET
def renewal_list(request):
    form = RenewalWindowForm(request.GET)
    days = form.window()
    rows = renewals_for_user(request.user, days=days) if days else []
    return render(
        request,
        "contracts/renewal_list.html",
        {"form": form, "days": days, "rows": rows, "choices": WINDOW_CHOICES},
        status=200 if days else 400,
    )


@login_required
@require_POST
def renewal_start(request, reference: str):
    """The contract's next version as a draft copy of the current one; opens it in the editor."""
    contract = get_for_user_or_404(contracts_authored_by(request.user), reference=reference)
    try:
        version = start_renewal_service(contract=contract, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        existing = draft_version(contract)
        if existing is not None:
            return redirect("contracts:version_edit", reference=reference, number=existing.number)
        return redirect("contracts:renewal_list")
    messages.success(
        request,
        f"Renewal started: version {version.number} is a draft copy of the current version. "
        "Change the terms, publish it and send it for signature.",
    )
    return redirect("contracts:version_edit", reference=reference, number=version.number)


@login_required
@require_http_methods(["GET", "POST"])
def version_term(request, reference: str, number: int):
    """The contract's term and renewal terms, set while this draft is open; a frozen version
    shows them read-only."""
    version = version_for_author(request.user, reference, number)
    contract = version.contract
    initial = {
        "end_date": contract.end_date,
        "notice_period_days": contract.notice_period_days,
        "renewal_months": contract.renewal_months,
        "auto_renew": contract.auto_renew,
    }
    form = ContractTermForm(
        request.POST if request.method == "POST" else None, initial=initial, start_date=contract.start_date
    )
    if request.method == "POST":
        if not version.is_draft:
            messages.error(
                request, f"Version {version.number} is frozen: start a renewal or a new draft first."
            )
            return redirect("contracts:version_term", reference=reference, number=number)
        if form.is_valid():
            try:
                contract_term_set(version=version, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc.messages)
            else:
                messages.success(request, "Term saved: both texts of the draft name the new values.")
                return redirect("contracts:version_edit", reference=reference, number=number)
    return render(
        request,
        "contracts/version_term.html",
        {"contract": contract, "version": version, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )
