"""The contract editor: new contracts, clauses side by side, previews, publishing."""

from django.urls import path

from contracts.views import editor, editor_clauses, editor_versions

VERSION = "contracts/<str:reference>/versions/<int:number>/"

urlpatterns = [
    path("contracts/new/", editor.contract_new, name="contract_new"),
    # How the contract's monthly reports reach the customer: held for review or issued at once.
    path(
        "contracts/<str:reference>/settings/reports/",
        editor.contract_reports_settings,
        name="contract_reports_settings",
    ),
    path(
        "contracts/<str:reference>/versions/new/", editor_versions.version_new_draft, name="version_new_draft"
    ),
    # The editor page and the fragments it refreshes.
    path(VERSION + "edit/", editor.version_edit, name="version_edit"),
    path(VERSION + "edit/preview/", editor.clause_preview, name="editor_preview"),
    path(VERSION + "edit/findings/", editor.findings_panel, name="editor_findings"),
    path(VERSION + "publish/", editor_versions.version_publish, name="version_publish"),
    # Clauses of a draft.
    path(VERSION + "edit/clauses/add/", editor_clauses.clause_add, name="editor_clause_add"),
    path(
        VERSION + "edit/clauses/add-from-library/",
        editor_clauses.clause_add_template,
        name="editor_clause_add_template",
    ),
    path(VERSION + "edit/clauses/<int:clause_id>/", editor_clauses.clause_save, name="editor_clause_save"),
    path(
        VERSION + "edit/clauses/<int:clause_id>/delete/",
        editor_clauses.clause_delete,
        name="editor_clause_delete",
    ),
    path(
        VERSION + "edit/clauses/<int:clause_id>/move/", editor_clauses.clause_move, name="editor_clause_move"
    ),
]
