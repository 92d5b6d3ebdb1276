"""Contracts as YAML files: import and export."""

from django.urls import path

from contracts.views import files

urlpatterns = [
    path("contracts/import/", files.contract_import, name="contract_import"),
    path("contracts/<str:reference>/export.yaml", files.contract_export, name="contract_export"),
]
