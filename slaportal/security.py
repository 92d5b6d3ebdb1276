"""Sign-in lockout helpers for django-axes, and the password reset view that lifts a lockout."""

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest
from django.shortcuts import render


def client_ip(request: HttpRequest) -> str | None:
    """The address a request came from (recorded for sign-in lockouts and signatures).

    Behind a reverse proxy (BEHIND_PROXY=1) every request arrives from the proxy, so the
    address is the last one in X-Forwarded-For: the one the proxy itself appended, which a
    client cannot forge (addresses a client sends itself come before it).
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if addresses:
            return addresses[-1]
    return request.META.get("REMOTE_ADDR")


def client_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The email address a sign-in attempt was for, in one spelling whatever its case."""
    source = credentials if credentials is not None else getattr(request, "data", request.POST)
    value = source.get("username") or source.get("email")
    return value.strip().lower() if isinstance(value, str) else value


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset view; a new password also ends a sign-in lockout for that account."""

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=client_username(self.request, {"email": form.user.email}))
        return response


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None):
    """The page shown instead of signing in while an account is locked out (HTTP 429)."""
    minutes = settings.AXES_COOLOFF_MINUTES
    response = render(
        request,
        "registration/locked_out.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response["Retry-After"] = str(minutes * 60)
    return response
