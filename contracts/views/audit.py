"""The audit log: a contract's activity, and an organisation's activity across its contracts.

A contract's log is read by the provider's admins and by every member of the customer
(``tenancy.contracts_audited_for_user``); anyone else gets 404. The organisation's page is
for its admins and lists the events of every contract the organisation is a party to.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.views.decorators.http import require_GET

from contracts.forms.audit import AuditFilterForm
from contracts.models import AuditAction
from contracts.selectors.tenancy import (
    audit_events_for_user,
    contracts_audited_for_user,
    get_for_user_or_404,
    organisations_administered_by,
)

PAGE_SIZE = 50


def _page(request, events):
    """The filter form, the label of the action it selects and the page of ``events`` of
    that action, newest first."""
    form = AuditFilterForm(request.GET or None)
    action = form.cleaned_data["action"] if form.is_valid() else ""
    if action:
        events = events.filter(action=action)
    page = Paginator(events.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return form, (AuditAction(action).label if action else ""), page


@login_required
@require_GET
def contract_activity(request, reference: str):
    contract = get_for_user_or_404(contracts_audited_for_user(request.user), reference=reference)
    events = audit_events_for_user(request.user).filter(contract=contract).select_related("organisation")
    form, action_label, page = _page(request, events)
    return render(
        request,
        "contracts/activity/contract_activity.html",
        {"contract": contract, "form": form, "action_label": action_label, "page": page},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def organisation_activity(request, slug: str):
    organisation = get_for_user_or_404(organisations_administered_by(request.user), slug=slug)
    events = (
        audit_events_for_user(request.user)
        .filter(Q(contract__provider=organisation) | Q(contract__customer=organisation))
        .select_related("contract", "organisation")
    )
    form, action_label, page = _page(request, events)
    return render(
        request,
        "contracts/activity/organisation_activity.html",
        {"organisation": organisation, "form": form, "action_label": action_label, "page": page},
        status=400 if form.errors else 200,
    )
