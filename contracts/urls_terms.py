"""The terms page of a version and the posts of its sections."""

from django.urls import path

from contracts.views import terms, terms_rows

VERSION = "contracts/<str:reference>/versions/<int:number>/"
TERMS = VERSION + "terms/"

urlpatterns = [
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
]
