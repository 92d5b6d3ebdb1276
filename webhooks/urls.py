from django.urls import path

from webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("webhooks/", views.subscription_list, name="subscription_list"),
    path("webhooks/new/", views.subscription_new, name="subscription_new"),
    path("webhooks/<int:subscription_id>/", views.subscription_detail, name="subscription_detail"),
    path("webhooks/<int:subscription_id>/edit/", views.subscription_edit, name="subscription_edit"),
    path("webhooks/<int:subscription_id>/delete/", views.subscription_delete, name="subscription_delete"),
    path("webhooks/<int:subscription_id>/test/", views.subscription_test, name="subscription_test"),
    path("webhooks/<int:subscription_id>/rotate/", views.subscription_rotate, name="subscription_rotate"),
]
