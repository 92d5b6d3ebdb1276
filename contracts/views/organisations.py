from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from contracts import services
from contracts.forms.parties import InvitationForm, MembershipForm
from contracts.models import Invitation, Membership
from contracts.selectors.tenancy import (
    get_for_user_or_404,
    get_organisation_for_user_or_404,
    membership_of,
    organisations_administered_by,
)


def _administered_or_404(user, slug: str):
    return get_for_user_or_404(organisations_administered_by(user), slug=slug)


@login_required
def organisation_detail(request, slug: str):
    organisation = get_organisation_for_user_or_404(request.user, slug)
    mine = membership_of(request.user, organisation)
    members = organisation.memberships.select_related("user").order_by("user__email")
    invitations = organisation.invitations.select_related("invited_by") if mine.can_manage_members else []
    return render(
        request,
        "contracts/organisation_detail.html",
        {
            "organisation": organisation,
            "mine": mine,
            "members": members,
            "invitations": invitations,
            "form": InvitationForm() if mine.can_manage_members else None,
        },
    )


@login_required
@require_POST
def invitation_create(request, slug: str):
    organisation = _administered_or_404(request.user, slug)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_create(
                organisation=organisation, invited_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            return redirect("contracts:organisation_detail", slug=slug)
    members = organisation.memberships.select_related("user").order_by("user__email")
    return render(
        request,
        "contracts/organisation_detail.html",
        {
            "organisation": organisation,
            "mine": membership_of(request.user, organisation),
            "members": members,
            "invitations": organisation.invitations.select_related("invited_by"),
            "form": form,
        },
        status=400,
    )


@login_required
@require_POST
def invitation_revoke(request, slug: str, invitation_id: int):
    organisation = _administered_or_404(request.user, slug)
    invitation = get_for_user_or_404(Invitation.objects.filter(organisation=organisation), pk=invitation_id)
    services.invitation_revoke(invitation=invitation)
    messages.success(request, f"Invitation for {invitation.email} withdrawn.")
    return redirect("contracts:organisation_detail", slug=slug)


@login_required
def membership_edit(request, slug: str, membership_id: int):
    organisation = _administered_or_404(request.user, slug)
    membership = get_for_user_or_404(
        Membership.objects.filter(organisation=organisation).select_related("user"), pk=membership_id
    )
    form = MembershipForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(
                membership=Membership.objects.get(pk=membership.pk),
                role=form.cleaned_data["role"],
                receives_reports=form.cleaned_data["receives_reports"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{membership.user.display_name} updated.")
            return redirect("contracts:organisation_detail", slug=slug)
    return render(
        request,
        "contracts/membership_form.html",
        {"organisation": organisation, "membership": membership, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def membership_remove(request, slug: str, membership_id: int):
    organisation = _administered_or_404(request.user, slug)
    membership = get_for_user_or_404(
        Membership.objects.filter(organisation=organisation).select_related("user"), pk=membership_id
    )
    try:
        services.membership_remove(membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{membership.user.display_name} removed from {organisation}.")
    return redirect("contracts:organisation_detail", slug=slug)
