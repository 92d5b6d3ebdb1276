from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from slaportal.health import healthz
from slaportal.security import PasswordResetConfirmView

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Accounts: Django's auth views with the portal's templates.
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    path("api/", include("webhooks.api.urls")),
    path("api/", include("compliance.api.urls")),
    path("", include("webhooks.urls")),
    path("", include("notifications.urls")),
    path("", include("compliance.urls")),
    path("", include("contracts.urls")),
]
