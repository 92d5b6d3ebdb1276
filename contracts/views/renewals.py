"""Renewals: the contracts ending, or with notice due, soon; starting a renewal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from contracts.forms.renewals import RenewalWindowForm
from contracts.selectors.renewals import WINDOW_CHOICES, renewals_for_user
from contracts.selectors.tenancy import contracts_authored_by, get_for_user_or_404
from contracts.selectors.versions import draft_version
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
