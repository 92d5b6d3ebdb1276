"""The provider's clause library: templates by category."""

from django.urls import path

from contracts.views import library

urlpatterns = [
    path("contracts/library/", library.library, name="library"),
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
]
