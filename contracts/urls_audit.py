from django.urls import path

from contracts.views import audit

urlpatterns = [
    path("contracts/<str:reference>/activity/", audit.contract_activity, name="contract_activity"),
    path("organisations/<slug:slug>/activity/", audit.organisation_activity, name="organisation_activity"),
]
