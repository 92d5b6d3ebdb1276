"""Signing a contract version, and verifying a signed PDF (public)."""

from django.urls import path

from contracts.views import signing

urlpatterns = [
    path("contracts/<str:reference>/sign/send/", signing.signing_send, name="signing_send"),
    path("contracts/<str:reference>/sign/<int:request_id>/", signing.signing_page, name="signing_page"),
    path(
        "contracts/<str:reference>/sign/<int:request_id>/decline/",
        signing.signing_decline,
        name="signing_decline",
    ),
    path(
        "contracts/<str:reference>/sign/<int:request_id>/document/",
        signing.signing_document,
        name="signing_document",
    ),
    path(
        "contracts/<str:reference>/sign/<int:request_id>/signed/",
        signing.signing_signed_document,
        name="signing_signed_document",
    ),
    path(
        "contracts/<str:reference>/sign/<int:request_id>/remind/",
        signing.signing_remind,
        name="signing_remind",
    ),
    path(
        "contracts/<str:reference>/sign/<int:request_id>/withdraw/",
        signing.signing_withdraw,
        name="signing_withdraw",
    ),
    path(
        "contracts/<str:reference>/sign/<int:request_id>/seal/",
        signing.signing_seal_retry,
        name="signing_seal_retry",
    ),
]
