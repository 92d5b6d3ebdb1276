"""Compliance pages: events, figures, KPIs, the provider scorecard and monthly reports."""

from django.urls import path

from compliance.views import (
    compliance,
    credits,
    dashboards,
    disputes,
    events,
    home,
    hooks,
    imports,
    kpis,
    profile,
    reports,
    review,
    shared_sources,
    sources,
    verify,
)

app_name = "compliance"

_BASE = "contracts/<str:reference>/"

urlpatterns = [
    path("", home.dashboard, name="dashboard"),
    # The signed-in user's own page and API tokens.
    path("accounts/profile/", profile.profile, name="profile"),
    path("accounts/profile/time-zone/", profile.profile_time_zone, name="profile_time_zone"),
    path("accounts/profile/tokens/", profile.api_token_create, name="api_token_create"),
    path(
        "accounts/profile/tokens/<int:api_token_id>/revoke/",
        profile.api_token_revoke,
        name="api_token_revoke",
    ),
    # Anyone holding a sealed PDF (report or signed contract) may verify it.
    path("verify/", verify.verify, name="verify"),
    # Monitoring and ticketing tools post their events here; the token names the source.
    path("hooks/<str:hook_token>/", hooks.source_hook, name="source_hook"),
    # Provider-wide event sources of an organisation, routed to its contracts.
    path("organisations/<slug:slug>/sources/", shared_sources.shared_source_list, name="shared_source_list"),
    path(
        "organisations/<slug:slug>/sources/<int:shared_source_id>/",
        shared_sources.shared_source_detail,
        name="shared_source_detail",
    ),
    path(
        "organisations/<slug:slug>/sources/<int:shared_source_id>/test/",
        shared_sources.shared_source_test,
        name="shared_source_test",
    ),
    path(
        "organisations/<slug:slug>/sources/<int:shared_source_id>/settings/",
        shared_sources.shared_source_settings,
        name="shared_source_settings",
    ),
    path(
        "organisations/<slug:slug>/sources/<int:shared_source_id>/routes/<int:route_id>/delete/",
        shared_sources.shared_source_route_delete,
        name="shared_source_route_delete",
    ),
    path(
        "organisations/<slug:slug>/sources/<int:shared_source_id>/pause/",
        shared_sources.shared_source_pause,
        name="shared_source_pause",
    ),
    path(
        "organisations/<slug:slug>/sources/<int:shared_source_id>/rotate/",
        shared_sources.shared_source_rotate,
        name="shared_source_rotate",
    ),
    path(
        "organisations/<slug:slug>/sources/<int:shared_source_id>/delete/",
        shared_sources.shared_source_delete,
        name="shared_source_delete",
    ),
    # The contract's event sources, managed by the provider's admins.
    path(f"{_BASE}sources/", sources.source_list, name="source_list"),
    path(f"{_BASE}sources/<int:source_id>/", sources.source_detail, name="source_detail"),
    path(f"{_BASE}sources/<int:source_id>/test/", sources.source_test, name="source_test"),
    path(f"{_BASE}sources/<int:source_id>/pause/", sources.source_pause, name="source_pause"),
    path(f"{_BASE}sources/<int:source_id>/rotate/", sources.source_rotate, name="source_rotate"),
    path(f"{_BASE}sources/<int:source_id>/delete/", sources.source_delete, name="source_delete"),
    # Incidents and their pauses.
    path(f"{_BASE}incidents/", events.event_list, {"kind": "incidents"}, name="incidents"),
    path(f"{_BASE}incidents/new/", events.event_create, {"kind": "incidents"}, name="incident_create"),
    path(f"{_BASE}incidents/import/", imports.event_import, {"kind": "incidents"}, name="incident_import"),
    path(
        f"{_BASE}incidents/import/map/", imports.import_map, {"kind": "incidents"}, name="incident_import_map"
    ),
    path(f"{_BASE}incidents/<int:incident_id>/", events.incident_edit, name="incident_edit"),
    path(f"{_BASE}incidents/<int:incident_id>/pauses/", events.pause_add, name="pause_add"),
    path(
        f"{_BASE}incidents/<int:incident_id>/pauses/<int:pause_id>/delete/",
        events.pause_delete,
        name="pause_delete",
    ),
    # Outages.
    path(f"{_BASE}outages/", events.event_list, {"kind": "outages"}, name="outages"),
    path(f"{_BASE}outages/new/", events.event_create, {"kind": "outages"}, name="outage_create"),
    path(f"{_BASE}outages/import/", imports.event_import, {"kind": "outages"}, name="outage_import"),
    path(f"{_BASE}outages/import/map/", imports.import_map, {"kind": "outages"}, name="outage_import_map"),
    path(f"{_BASE}outages/<int:outage_id>/", events.outage_edit, name="outage_edit"),
    # Work logs.
    path(f"{_BASE}worklogs/", events.event_list, {"kind": "worklogs"}, name="worklogs"),
    path(f"{_BASE}worklogs/new/", events.event_create, {"kind": "worklogs"}, name="worklog_create"),
    path(f"{_BASE}worklogs/import/", imports.event_import, {"kind": "worklogs"}, name="worklog_import"),
    path(f"{_BASE}worklogs/import/map/", imports.import_map, {"kind": "worklogs"}, name="worklog_import_map"),
    path(f"{_BASE}worklogs/<int:worklog_id>/", events.worklog_edit, name="worklog_edit"),
    # Import profiles of the contract's provider: import an export with one, delete one.
    path(
        f"{_BASE}import-profiles/<int:import_profile_id>/import/",
        imports.import_profile_run,
        name="import_profile_run",
    ),
    path(
        f"{_BASE}import-profiles/<int:import_profile_id>/delete/",
        imports.import_profile_delete,
        name="import_profile_delete",
    ),
    # Compliance figures of one month (?period=YYYY-MM).
    path(f"{_BASE}compliance/", compliance.contract_compliance, name="contract_compliance"),
    # Provider authors record the month's value of a custom KPI service level.
    path(f"{_BASE}compliance/kpi/", kpis.kpi_value_set, name="kpi_value_set"),
]

urlpatterns += [
    # The provider's scorecard: active contracts × the last six complete months.
    path("compliance/provider/", dashboards.provider_dashboard, name="provider_dashboard"),
]

# Monthly compliance reports: per contract, per customer, a report with its PDF, runs.

urlpatterns += [
    path(f"{_BASE}reports/", reports.contract_reports, name="contract_reports"),
    path(f"{_BASE}reports/regenerate/", reports.report_regenerate, name="report_regenerate"),
    path(f"{_BASE}reports/<int:report_id>/", reports.report_detail, name="report_detail"),
    path(f"{_BASE}reports/<int:report_id>/pdf/", reports.report_download, name="report_download"),
    path(f"{_BASE}reports/<int:report_id>/progress/", reports.report_progress, name="report_progress"),
    path(f"{_BASE}reports/<int:report_id>/resend/", reports.report_resend, name="report_resend"),
    path("reports/customers/<slug:slug>/", reports.customer_reports, name="customer_reports"),
    path("reports/runs/<int:run_id>/", reports.report_run, name="report_run"),
    path("reports/runs/<int:run_id>/progress/", reports.report_run_progress, name="report_run_progress"),
]

# The month close: the provider reviews the month's reports and issues them; amendments of
# issued months are issued as a new revision or discarded.

urlpatterns += [
    path("reports/review/", review.reports_review, name="reports_review"),
    path("reports/review/issue/", review.reports_issue_all, name="reports_issue_all"),
    path(f"{_BASE}reports/<int:report_id>/issue/", review.report_issue, name="report_issue"),
    path(f"{_BASE}reports/amendment/", review.amendment, name="amendment"),
    path(f"{_BASE}reports/amendment/issue/", review.amendment_issue_view, name="amendment_issue"),
    path(f"{_BASE}reports/amendment/discard/", review.amendment_discard_view, name="amendment_discard"),
]

# Disputes and acknowledgements of an issued report; credit notes and the credits ledger.

urlpatterns += [
    path(f"{_BASE}reports/<int:report_id>/disputes/", disputes.dispute_raise, name="dispute_raise"),
    path(
        f"{_BASE}reports/<int:report_id>/disputes/<int:dispute_id>/answer/",
        disputes.dispute_answer,
        name="dispute_answer",
    ),
    path(
        f"{_BASE}reports/<int:report_id>/acknowledge/", disputes.report_acknowledge, name="report_acknowledge"
    ),
    path(f"{_BASE}reports/<int:report_id>/credit-note/", credits.credit_note_make, name="credit_note_make"),
    path(
        f"{_BASE}credit-notes/<str:credit_note_number>/pdf/",
        credits.credit_note_download,
        name="credit_note_download",
    ),
    path(
        f"{_BASE}credit-notes/<str:credit_note_number>/apply/",
        credits.credit_note_apply,
        name="credit_note_apply",
    ),
    path("credits/", credits.credits_ledger, name="credits_ledger"),
    path("credits/<str:table>.<str:file_format>", credits.credits_export, name="credits_export"),
]
