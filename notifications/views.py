"""A person's notifications: the list (read on opening one), and their preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contracts.selectors.tenancy import get_for_user_or_404
from notifications import selectors, services
from notifications.forms import PreferencesForm


@login_required
@require_GET
def notification_list(request):
    found = selectors.notifications_for(request.user)
    if request.GET.get("show") == "unread":
        found = found.filter(read_at__isnull=True)
    page = Paginator(found, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "show_unread": request.GET.get("show") == "unread"},
    )


@login_required
@require_POST
def notification_open(request, notification_id: int):
    """Mark the notification read and go where it points."""
    notification = get_for_user_or_404(selectors.notifications_for(request.user), pk=notification_id)
    services.notification_read(notification=notification)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect("notifications:list")
    return redirect(target)


@login_required
@require_POST
def notification_read(request, notification_id: int):
    notification = get_for_user_or_404(selectors.notifications_for(request.user), pk=notification_id)
    services.notification_read(notification=notification)
    messages.success(request, "Marked as read.")
    return redirect("notifications:list")


@login_required
@require_POST
def notifications_read_all(request):
    count = services.notifications_read_all(user=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    user = request.user
    contracts = selectors.warnable_contracts(user)
    provider_staff = contracts.exists()
    subscription = selectors.subscription_of(user)
    initial = {}
    if provider_staff:
        initial = {
            "warning_kinds": subscription.kinds,
            "all_contracts": "1" if subscription.all_contracts else "0",
            "contracts": list(subscription.contracts.all()) if subscription.pk else [],
        }
    form = PreferencesForm(
        request.POST or None,
        initial=initial,
        contracts=contracts,
        deliveries=selectors.deliveries_of([user])[user.pk],
        provider_staff=provider_staff,
    )
    if request.method == "POST":
        if form.is_valid():
            services.preferences_save(
                user=user,
                deliveries=form.deliveries(),
                warning_kinds=form.cleaned_data["warning_kinds"] if provider_staff else None,
                all_contracts=form.cleaned_data.get("all_contracts", True),
                contracts=form.cleaned_data.get("contracts") or [],
            )
            messages.success(request, "Notification preferences saved.")
            return redirect("notifications:preferences")
        return render(request, "notifications/preferences.html", {"form": form}, status=400)
    return render(request, "notifications/preferences.html", {"form": form})
