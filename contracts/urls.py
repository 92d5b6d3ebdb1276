"""The contracts pages, grouped per object: invitations, organisations, the editor, terms,
contract files, the clause library, reading, signing, activity, and the contract page."""

from django.urls import path

from contracts.views import (
    agreement_templates,
    audit,
    contract_list,
    contracts,
    documents,
    editor,
    editor_clauses,
    editor_versions,
    files,
    invitations,
    library,
    organisations,
    renewals,
    signing,
    terms,
    terms_order,
    terms_rows,
)

app_name = "contracts"

VERSION = "contracts/<str:reference>/versions/<int:number>/"
TERMS = VERSION + "terms/"

urlpatterns = [
    path("invitations/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    # Organisations and their members.
    path("organisations/<slug:slug>/", organisations.organisation_detail, name="organisation_detail"),
    path(
        "organisations/<slug:slug>/time-zone/",
        organisations.organisation_time_zone,
        name="organisation_time_zone",
    ),
    # A provider's branding: set by its admins, shown on its contracts' pages and documents.
    path(
        "organisations/<slug:slug>/branding/",
        organisations.organisation_branding,
        name="organisation_branding",
    ),
    path(
        "organisations/<slug:slug>/branding/logo/remove/",
        organisations.organisation_logo_remove,
        name="organisation_logo_remove",
    ),
    path(
        "organisations/<slug:slug>/branding.css",
        organisations.organisation_branding_css,
        name="organisation_branding_css",
    ),
    path("organisations/<slug:slug>/logo.png", organisations.organisation_logo, name="organisation_logo"),
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
    # ---- New contracts and the editor: clauses side by side, previews, publishing.
    path("contracts/", contract_list.contract_list, name="contract_list"),
    path("contracts/new/", editor.contract_new, name="contract_new"),
    # ---- Renewals: contracts ending or with notice due soon; a renewal starts as a draft.
    path("contracts/renewals/", renewals.renewal_list, name="renewal_list"),
    path("contracts/<str:reference>/renewal/start/", renewals.renewal_start, name="renewal_start"),
    path(
        "contracts/<str:reference>/save-as-template/",
        agreement_templates.agreement_template_save,
        name="agreement_template_save",
    ),
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
    # The contract's term and renewal terms, set while the draft is open.
    path(VERSION + "term/", renewals.version_term, name="version_term"),
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
    # ---- The terms page of a version and the posts of its sections.
    path(TERMS, terms.version_terms, name="version_terms"),
    path(
        VERSION + "parameters/<int:parameter_id>/value/",
        terms.parameter_quick_edit,
        name="parameter_quick_edit",
    ),
    # Parameters.
    path(TERMS + "parameters/", terms_rows.parameter_create, name="terms_parameter_create"),
    path(
        TERMS + "parameters/<int:parameter_id>/", terms_rows.parameter_update, name="terms_parameter_update"
    ),
    path(
        TERMS + "parameters/<int:parameter_id>/delete/",
        terms_rows.parameter_delete,
        name="terms_parameter_delete",
    ),
    # Scope.
    path(TERMS + "services/", terms_rows.service_create, name="terms_service_create"),
    path(TERMS + "services/<int:service_id>/", terms_rows.service_update, name="terms_service_update"),
    path(TERMS + "services/<int:service_id>/delete/", terms_rows.service_delete, name="terms_service_delete"),
    # Calendars and maintenance windows.
    path(TERMS + "calendars/", terms_rows.calendar_create, name="terms_calendar_create"),
    path(TERMS + "calendars/<int:calendar_id>/", terms_rows.calendar_update, name="terms_calendar_update"),
    path(
        TERMS + "calendars/<int:calendar_id>/delete/",
        terms_rows.calendar_delete,
        name="terms_calendar_delete",
    ),
    path(TERMS + "maintenance/", terms_rows.window_create, name="terms_window_create"),
    path(TERMS + "maintenance/<int:window_id>/", terms_rows.window_update, name="terms_window_update"),
    path(TERMS + "maintenance/<int:window_id>/delete/", terms_rows.window_delete, name="terms_window_delete"),
    # Service levels and credits.
    path(TERMS + "service-levels/", terms_rows.level_create, name="terms_level_create"),
    path(TERMS + "service-levels/<int:level_id>/", terms_rows.level_update, name="terms_level_update"),
    path(TERMS + "service-levels/<int:level_id>/delete/", terms_rows.level_delete, name="terms_level_delete"),
    path(TERMS + "service-levels/<int:level_id>/move/", terms_order.level_move, name="terms_level_move"),
    path(TERMS + "service-levels/order/", terms_order.level_reorder, name="terms_level_reorder"),
    path(
        TERMS + "service-levels/<int:level_id>/credits/",
        terms_rows.credit_tiers_set,
        name="terms_credit_tiers_set",
    ),
    path(TERMS + "credit-cap/", terms_rows.credit_cap_set, name="terms_credit_cap_set"),
    path(TERMS + "credit-cap/delete/", terms_rows.credit_cap_delete, name="terms_credit_cap_delete"),
    # Hours commitment and customer responsibilities.
    path(TERMS + "hours/", terms_rows.hours_commitment_set, name="terms_hours_set"),
    path(TERMS + "hours/delete/", terms_rows.hours_commitment_delete, name="terms_hours_delete"),
    path(TERMS + "responsibilities/", terms_rows.responsibility_create, name="terms_responsibility_create"),
    path(
        TERMS + "responsibilities/<int:responsibility_id>/",
        terms_rows.responsibility_update,
        name="terms_responsibility_update",
    ),
    path(
        TERMS + "responsibilities/<int:responsibility_id>/delete/",
        terms_rows.responsibility_delete,
        name="terms_responsibility_delete",
    ),
    # ---- Contracts as YAML files: import and export.
    path("contracts/import/", files.contract_import, name="contract_import"),
    path("contracts/<str:reference>/export.yaml", files.contract_export, name="contract_export"),
    # ---- The provider's clause library: templates by category.
    path("contracts/library/", library.library, name="library"),
    path(
        "contracts/library/agreements/",
        agreement_templates.agreement_templates,
        name="agreement_templates",
    ),
    path(
        "contracts/library/agreements/<str:choice>/file/",
        agreement_templates.agreement_template_file,
        name="agreement_template_file",
    ),
    path(
        "contracts/library/agreements/<int:agreement_id>/delete/",
        agreement_templates.agreement_template_delete,
        name="agreement_template_delete",
    ),
    path("contracts/library/preview/", library.template_preview, name="library_preview"),
    path("contracts/library/templates/new/", library.template_create, name="library_template_create"),
    path(
        "contracts/library/templates/<int:template_id>/", library.template_edit, name="library_template_edit"
    ),
    path(
        "contracts/library/templates/<int:template_id>/delete/",
        library.template_delete,
        name="library_template_delete",
    ),
    path("contracts/library/categories/new/", library.category_create, name="library_category_create"),
    path(
        "contracts/library/categories/<int:category_id>/delete/",
        library.category_delete,
        name="library_category_delete",
    ),
    # ---- Reading: a version, the redline between two versions, a version's PDF.
    path("contracts/<str:reference>/compare/", documents.version_compare, name="version_compare"),
    # The same page preset to compare version ``other`` (from) with version ``number`` (to);
    # ``?from=&to=`` still override. Lets a version's page link to "compare with version N".
    path(
        "contracts/<str:reference>/versions/<int:number>/compare/<int:other>/",
        documents.version_compare,
        name="version_compare",
    ),
    path("contracts/<str:reference>/versions/<int:number>/", documents.version_detail, name="version_detail"),
    path("contracts/<str:reference>/versions/<int:number>/pdf/", documents.version_pdf, name="version_pdf"),
    # ---- Signing a version.
    path("contracts/<str:reference>/sign/send/", signing.signing_send, name="signing_send"),
    path("contracts/<str:reference>/sign/panel/", signing.signing_panel, name="signing_panel"),
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
    # ---- Who did what.
    path("contracts/<str:reference>/activity/", audit.contract_activity, name="contract_activity"),
    path("organisations/<slug:slug>/activity/", audit.organisation_activity, name="organisation_activity"),
    # ---- The contract page (last: its reference would match the fixed paths above).
    path("contracts/<str:reference>/", contracts.contract_detail, name="contract_detail"),
]
