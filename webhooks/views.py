"""Pages of the webhooks: a provider's admins list, add, change and delete subscriptions,
send a test event, rotate the secret and read the delivery log. Every subscription comes
through ``selectors.subscriptions_for_user``: another tenant's answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from contracts.selectors.tenancy import get_for_user_or_404
from webhooks import events, selectors, services
from webhooks.forms import SubscriptionForm

LOG_PAGE = 25


def _subscription(request, subscription_id: int):
    return get_for_user_or_404(selectors.subscriptions_for_user(request.user), pk=subscription_id)


@login_required
@require_http_methods(["GET"])
def subscription_list(request):
    organisations = list(selectors.webhook_organisations_for_user(request.user))
    subscriptions = selectors.subscriptions_for_user(request.user).order_by("organisation__name", "url", "id")
    return render(
        request,
        "webhooks/subscription_list.html",
        {"organisations": organisations, "subscriptions": subscriptions, "labels": dict(events.CHOICES)},
    )


def _detail(request, subscription, *, secret: str = "", status: int = 200):
    page = Paginator(selectors.deliveries_of(subscription), LOG_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "webhooks/subscription_detail.html",
        {
            "subscription": subscription,
            "secret": secret,
            "page": page,
            "event_labels": [events.label_of(name) for name in subscription.event_types],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def subscription_new(request):
    organisations = selectors.webhook_organisations_for_user(request.user)
    if not organisations.exists():
        raise Http404("Only a provider's admins manage its webhooks.")
    form = SubscriptionForm(request.POST or None, organisations=organisations)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                subscription, secret = services.subscription_create(
                    organisation=data["organisation"],
                    user=request.user,
                    url=data["url"],
                    event_types=data["event_types"],
                    description=data["description"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return _detail(request, subscription, secret=secret, status=201)
    return render(request, "webhooks/subscription_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET"])
def subscription_detail(request, subscription_id: int):
    return _detail(request, _subscription(request, subscription_id))


@login_required
@require_http_methods(["GET", "POST"])
def subscription_edit(request, subscription_id: int):
    subscription = _subscription(request, subscription_id)
    initial = {
        "url": subscription.url,
        "description": subscription.description,
        "event_types": subscription.event_types,
        "is_active": subscription.is_active,
    }
    form = SubscriptionForm(request.POST or None, initial=initial, organisations=None, editing=True)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.subscription_update(subscription=subscription, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Subscription saved.")
                return redirect("webhooks:subscription_detail", subscription.pk)
    return render(
        request,
        "webhooks/subscription_form.html",
        {"form": form, "subscription": subscription},
        status=status,
    )


@login_required
@require_POST
def subscription_delete(request, subscription_id: int):
    subscription = _subscription(request, subscription_id)
    url = subscription.url
    services.subscription_delete(subscription=subscription)
    messages.success(request, f"Subscription {url} deleted: nothing more is sent to it.")
    return redirect("webhooks:subscription_list")


@login_required
@require_POST
def subscription_test(request, subscription_id: int):
    subscription = _subscription(request, subscription_id)
    services.subscription_test_send(subscription=subscription, user=request.user)
    messages.success(request, "Test event queued: its attempt shows in the delivery log below.")
    return redirect("webhooks:subscription_detail", subscription.pk)


@login_required
@require_POST
def subscription_rotate(request, subscription_id: int):
    subscription = _subscription(request, subscription_id)
    secret = services.subscription_secret_rotate(subscription=subscription)
    return _detail(request, subscription, secret=secret)
