from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from contracts import services
from contracts.forms.parties import AcceptInvitationForm
from contracts.models import User


def invitation_accept(request, token: str):
    """The page an invitation link opens: set a password (new people) or confirm (signed in)."""
    invitation = services.invitation_from_token(token)
    if invitation is None:
        return render(
            request, "contracts/invitation_invalid.html", {"reason": "This link is not valid."}, status=404
        )
    if invitation.status != "pending":
        reasons = {
            "accepted": "This invitation has already been used. Sign in to continue.",
            "revoked": "This invitation has been withdrawn. Ask for a new one.",
            "expired": "This invitation has expired. Ask the organisation's admin for a new one.",
        }
        return render(
            request, "contracts/invitation_invalid.html", {"reason": reasons[invitation.status]}, status=410
        )

    has_account = User.objects.filter(email__iexact=invitation.email).exists()
    signed_in_as_invitee = request.user.is_authenticated and request.user.email.lower() == invitation.email
    form = None
    if not has_account:
        form = AcceptInvitationForm(request.POST or None, email=invitation.email)

    if request.method == "POST":
        try:
            if signed_in_as_invitee:
                user = services.invitation_accept(invitation=invitation, user=request.user)
            elif form is not None and form.is_valid():
                user = services.invitation_accept(
                    invitation=invitation,
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    password=form.cleaned_data["password1"],
                )
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                user = None
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("contracts:invitation_accept", token=token)
        if user is not None:
            messages.success(request, f"Welcome to {invitation.organisation}.")
            return redirect("compliance:dashboard")

    return render(
        request,
        "contracts/invitation_accept.html",
        {
            "invitation": invitation,
            "form": form,
            "has_account": has_account,
            "signed_in_as_invitee": signed_in_as_invitee,
        },
        status=400 if form is not None and form.errors else 200,
    )
