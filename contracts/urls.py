from django.urls import include, path

from contracts.views import contracts, invitations, organisations

app_name = "contracts"

urlpatterns = [
    path("invitations/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    # Organisations and their members.
    path("organisations/<slug:slug>/", organisations.organisation_detail, name="organisation_detail"),
    path("organisations/<slug:slug>/invite/", organisations.invitation_create, name="invitation_create"),
    path(
        "organisations/<slug:slug>/invitations/<int:invitation_id>/revoke/",
        organisations.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "organisations/<slug:slug>/members/<int:membership_id>/",
        organisations.membership_edit,
        name="membership_edit",
    ),
    path(
        "organisations/<slug:slug>/members/<int:membership_id>/remove/",
        organisations.membership_remove,
        name="membership_remove",
    ),
    # Contracts: authoring, terms, documents (read, redline, PDF) and files (import/export).
    path("", include("contracts.urls_editor")),
    path("", include("contracts.urls_terms")),
    path("", include("contracts.urls_files")),
    path("", include("contracts.urls_library")),
    path("", include("contracts.urls_documents")),
    path("", include("contracts.urls_signing")),
    path("", include("contracts.urls_audit")),
    path("contracts/<str:reference>/", contracts.contract_detail, name="contract_detail"),
]
