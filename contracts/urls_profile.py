from django.urls import path

from contracts.views import profile

urlpatterns = [
    path("accounts/profile/", profile.profile, name="profile"),
    path("accounts/profile/tokens/", profile.api_token_create, name="api_token_create"),
    path(
        "accounts/profile/tokens/<int:api_token_id>/revoke/",
        profile.api_token_revoke,
        name="api_token_revoke",
    ),
]
