from django.urls import path

from webhooks.api import views

urlpatterns = [
    path(
        "v1/webhooks/subscriptions/",
        views.SubscriptionCollection.as_view(),
        name="api-webhook-subscription-list",
    ),
    path(
        "v1/webhooks/subscriptions/<int:subscription_id>/",
        views.SubscriptionItem.as_view(),
        name="api-webhook-subscription-detail",
    ),
    path(
        "v1/webhooks/subscriptions/<int:subscription_id>/deliveries/",
        views.SubscriptionDeliveries.as_view(),
        name="api-webhook-delivery-list",
    ),
    path(
        "v1/webhooks/subscriptions/<int:subscription_id>/test/",
        views.SubscriptionTest.as_view(),
        name="api-webhook-subscription-test",
    ),
    path(
        "v1/webhooks/subscriptions/<int:subscription_id>/rotate/",
        views.SubscriptionRotate.as_view(),
        name="api-webhook-subscription-rotate",
    ),
]
