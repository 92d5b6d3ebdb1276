from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from contracts import services
from contracts.forms.parties import BrandingForm, InvitationForm, MembershipForm, OrganisationTimeZoneForm
from contracts.models import Invitation, Membership
from contracts.selectors.branding import organisations_branding_visible_to
from contracts.selectors.tenancy import (
    get_for_user_or_404,
    get_organisation_for_user_or_404,
    membership_of,
    organisations_administered_by,
)


def _administered_or_404(user, slug: str):
    return get_for_user_or_404(organisations_administered_by(user), slug=slug)


def _zone_form(organisation, data=None) -> OrganisationTimeZoneForm:
    form = OrganisationTimeZoneForm(data, initial={"display_time_zone": organisation.default_time_zone})
    form.helper.form_action = reverse("contracts:organisation_time_zone", kwargs={"slug": organisation.slug})
    return form


def _detail_context(user, organisation, *, form=None, branding_form=None, zone_form=None) -> dict:
    mine = membership_of(user, organisation)
    admin = mine.can_manage_members
    return {
        "organisation": organisation,
        "mine": mine,
        "members": organisation.memberships.select_related("user").order_by("user__email"),
        "invitations": organisation.invitations.select_related("invited_by") if admin else [],
        "form": (form or InvitationForm()) if admin else None,
        # Branding is the provider's: shown to the customers of the contracts it provides.
        "branding_form": (branding_form or _branding_form(organisation))
        if admin and organisation.is_provider
        else None,
        "zone_form": (zone_form or _zone_form(organisation)) if admin else None,
    }


def _branding_form(organisation) -> BrandingForm:
    return BrandingForm(
        initial={
            "accent_colour": organisation.accent_colour or "#1f6feb",
            "no_accent": not organisation.accent_colour,
        }
    )


@login_required
def organisation_detail(request, slug: str):
    organisation = get_organisation_for_user_or_404(request.user, slug)
    return render(request, "contracts/organisation_detail.html", _detail_context(request.user, organisation))


def _branded_or_404(user, slug: str):
    """An organisation the user administers that provides services (only providers brand)."""
    return get_for_user_or_404(organisations_administered_by(user).filter(is_provider=True), slug=slug)


@login_required
@require_POST
def organisation_branding(request, slug: str):
    organisation = _branded_or_404(request.user, slug)
    form = BrandingForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.organisation_branding_update(
                organisation=organisation,
                accent_colour=form.cleaned_data["accent_colour"],
                logo=form.cleaned_data["logo"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Branding saved. New documents and emails carry it.")
            return redirect("contracts:organisation_detail", slug=slug)
    organisation.refresh_from_db()
    return render(
        request,
        "contracts/organisation_detail.html",
        _detail_context(request.user, organisation, branding_form=form),
        status=400,
    )


@login_required
@require_POST
def organisation_time_zone(request, slug: str):
    """The zone the organisation's members see times in when they picked none of their own."""
    organisation = _administered_or_404(request.user, slug)
    zone_form = _zone_form(organisation, request.POST)
    if zone_form.is_valid():
        zone = zone_form.cleaned_data["display_time_zone"]
        services.organisation_default_time_zone_set(organisation=organisation, time_zone=zone)
        messages.success(
            request,
            f"Members who picked no time zone now see times in {zone}."
            if zone
            else "Members who picked no time zone now see each contract's zone, or UTC.",
        )
        return redirect("contracts:organisation_detail", slug=slug)
    return render(
        request,
        "contracts/organisation_detail.html",
        _detail_context(request.user, organisation, zone_form=zone_form),
        status=400,
    )


@login_required
@require_POST
def organisation_logo_remove(request, slug: str):
    organisation = _branded_or_404(request.user, slug)
    services.organisation_logo_remove(organisation=organisation)
    messages.success(request, "Logo removed.")
    return redirect("contracts:organisation_detail", slug=slug)


@login_required
@require_GET
def organisation_logo(request, slug: str):
    """The logo, for the organisation's members and the customers of its contracts."""
    organisation = get_for_user_or_404(organisations_branding_visible_to(request.user), slug=slug)
    if not organisation.logo:
        raise Http404("No logo.")
    try:
        handle = default_storage.open(organisation.logo.name, "rb")
    except OSError as exc:
        raise Http404("No logo.") from exc
    response = FileResponse(handle, content_type="image/png")
    # The page links the logo with its stored name (a content hash) in the query, so a new
    # logo is a new URL; private: only signed-in members and customers may see it.
    response["Cache-Control"] = "private, max-age=86400"
    return response


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
    return render(
        request,
        "contracts/organisation_detail.html",
        _detail_context(request.user, organisation, form=form),
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


@login_required
@require_GET
def organisation_branding_css(request, slug: str):
    """The accent colour as a stylesheet: the portal's CSP allows no inline style."""
    organisation = get_for_user_or_404(organisations_branding_visible_to(request.user), slug=slug)
    if not organisation.accent:
        raise Http404("No accent colour.")
    # The colours are validated #rrggbb values: nothing else reaches the stylesheet.
    css = (
        f".provider-band-accent {{ background-color: {organisation.accent}; "
        f"color: {organisation.accent_text_colour}; }}\n"
    )
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "private, max-age=86400"
    return response
