"""The signed-in user's own page: the display time zone, and API tokens, created and revoked here.

A new token's secret is shown once, in the answer to the request that created it; only its
hash is stored.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from compliance.forms.events import ApiTokenForm
from compliance.selectors.tenancy import api_tokens_of
from compliance.services import tokens
from contracts.forms.parties import DisplayTimeZoneForm
from contracts.selectors.display_zones import display_time_zone_of
from contracts.selectors.tenancy import get_for_user_or_404, organisations_for_user
from contracts.services import user_display_time_zone_set


def _zone_form(request, data=None) -> DisplayTimeZoneForm:
    form = DisplayTimeZoneForm(data, initial={"display_time_zone": request.user.display_time_zone})
    form.helper.form_action = reverse("compliance:profile_time_zone")
    return form


def _page(request, form, *, zone_form=None, secret: str = "", status: int = 200):
    return render(
        request,
        "contracts/profile.html",
        {
            "form": form,
            "zone_form": zone_form or _zone_form(request),
            "now": timezone.now(),
            "shown_zone": display_time_zone_of(request.user),
            "tokens": api_tokens_of(request.user),
            "secret": secret,
        },
        status=status,
    )


@login_required
@require_GET
def profile(request):
    return _page(request, ApiTokenForm(organisations=organisations_for_user(request.user).distinct()))


@login_required
@require_POST
def api_token_create(request):
    organisations = organisations_for_user(request.user).distinct()
    form = ApiTokenForm(request.POST, organisations=organisations)
    if form.is_valid():
        try:
            token, secret = tokens.api_token_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _page(request, ApiTokenForm(organisations=organisations), secret=secret, status=201)
    return _page(request, form, status=400)


@login_required
@require_POST
def api_token_revoke(request, api_token_id: int):
    token = get_for_user_or_404(api_tokens_of(request.user), pk=api_token_id)
    tokens.api_token_revoke(token=token)
    messages.success(request, f"Token “{token.name}” revoked; tools using it can no longer call the API.")
    return redirect("compliance:profile")


@login_required
@require_POST
def profile_time_zone(request):
    zone_form = _zone_form(request, request.POST)
    if zone_form.is_valid():
        zone = zone_form.cleaned_data["display_time_zone"]
        user_display_time_zone_set(user=request.user, time_zone=zone)
        messages.success(
            request,
            f"Times are now shown in {zone}."
            if zone
            else "Times are now shown in each contract's zone, or UTC.",
        )
        return redirect("compliance:profile")
    organisations = organisations_for_user(request.user).distinct()
    return _page(request, ApiTokenForm(organisations=organisations), zone_form=zone_form, status=400)
