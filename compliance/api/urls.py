"""The REST API (under /api/): version 1 of the contract and event endpoints, the OpenAPI
schema and its browsable docs (Swagger UI served from the installed sidecar, no CDN)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from compliance.api import compliance, disputes, imports, kpis, shared_sources, sources, views

urlpatterns = [
    path("v1/contracts/", views.ContractList.as_view(), name="api-contract-list"),
    path("v1/contracts/<str:reference>/", views.ContractDetail.as_view(), name="api-contract-detail"),
    path("v1/import-profiles/", imports.ImportProfileList.as_view(), name="api-import-profile-list"),
    path(
        "v1/contracts/<str:reference>/imports/", imports.ContractImport.as_view(), name="api-contract-import"
    ),
    path(
        "v1/contracts/<str:reference>/incidents/",
        views.IncidentCollection.as_view(),
        name="api-incident-list",
    ),
    path(
        "v1/contracts/<str:reference>/incidents/<str:external_id>/",
        views.IncidentItem.as_view(),
        name="api-incident-detail",
    ),
    path("v1/contracts/<str:reference>/outages/", views.OutageCollection.as_view(), name="api-outage-list"),
    path(
        "v1/contracts/<str:reference>/outages/<str:external_id>/",
        views.OutageItem.as_view(),
        name="api-outage-detail",
    ),
    path(
        "v1/contracts/<str:reference>/worklogs/", views.WorkLogCollection.as_view(), name="api-worklog-list"
    ),
    path(
        "v1/contracts/<str:reference>/worklogs/<str:external_id>/",
        views.WorkLogItem.as_view(),
        name="api-worklog-detail",
    ),
    path(
        "v1/contracts/<str:reference>/compliance/<str:period>/",
        compliance.ContractCompliance.as_view(),
        name="api-contract-compliance",
    ),
    path(
        "v1/contracts/<str:reference>/kpis/<str:period>/<str:level_key>/",
        kpis.KpiValueItem.as_view(),
        name="api-kpi-value",
    ),
    path(
        "v1/contracts/<str:reference>/reports/<int:report_id>/disputes/",
        disputes.ReportDisputes.as_view(),
        name="api-report-disputes",
    ),
    path(
        "v1/contracts/<str:reference>/reports/<int:report_id>/disputes/<int:dispute_id>/answer/",
        disputes.DisputeAnswer.as_view(),
        name="api-dispute-answer",
    ),
    path(
        "v1/contracts/<str:reference>/reports/<int:report_id>/acknowledge/",
        disputes.ReportAcknowledge.as_view(),
        name="api-report-acknowledge",
    ),
    path("v1/credits/ledger/", disputes.CreditsLedger.as_view(), name="api-credits-ledger"),
    path(
        "v1/credits/<str:table>/export/<str:file_format>/",
        disputes.CreditsExport.as_view(),
        name="api-credits-export",
    ),
    path("v1/contracts/<str:reference>/sources/", sources.SourceCollection.as_view(), name="api-source-list"),
    path(
        "v1/contracts/<str:reference>/sources/<int:source_id>/",
        sources.SourceItem.as_view(),
        name="api-source-detail",
    ),
    path(
        "v1/contracts/<str:reference>/sources/<int:source_id>/rotate/",
        sources.SourceRotate.as_view(),
        name="api-source-rotate",
    ),
    path(
        "v1/contracts/<str:reference>/sources/<int:source_id>/deliveries/",
        sources.SourceDeliveries.as_view(),
        name="api-source-deliveries",
    ),
    path(
        "v1/organisations/<slug:slug>/sources/",
        shared_sources.SharedSourceCollection.as_view(),
        name="api-shared-source-list",
    ),
    path(
        "v1/organisations/<slug:slug>/sources/<int:shared_source_id>/",
        shared_sources.SharedSourceItem.as_view(),
        name="api-shared-source-detail",
    ),
    path(
        "v1/organisations/<slug:slug>/sources/<int:shared_source_id>/rotate/",
        shared_sources.SharedSourceRotate.as_view(),
        name="api-shared-source-rotate",
    ),
    path(
        "v1/organisations/<slug:slug>/sources/<int:shared_source_id>/routes/",
        shared_sources.SharedSourceRoutes.as_view(),
        name="api-shared-source-routes",
    ),
    path(
        "v1/organisations/<slug:slug>/sources/<int:shared_source_id>/routes/<int:route_id>/",
        shared_sources.SharedSourceRouteItem.as_view(),
        name="api-shared-source-route-detail",
    ),
    path(
        "v1/organisations/<slug:slug>/sources/<int:shared_source_id>/deliveries/",
        shared_sources.SharedSourceDeliveries.as_view(),
        name="api-shared-source-deliveries",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
