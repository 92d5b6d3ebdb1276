"""Reading contracts: a version, the redline between two versions, a version's PDF.

The contract page itself (``contracts:contract_detail``) is routed in ``contracts.urls``.
"""

from django.urls import path

from contracts.views import documents

urlpatterns = [
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
]
