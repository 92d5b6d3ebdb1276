"""The webhooks API: a provider's admins manage subscriptions and read their deliveries.

- ``GET/POST /api/v1/webhooks/subscriptions/``
- ``GET/PATCH/DELETE /api/v1/webhooks/subscriptions/{subscription_id}/``
- ``GET …/{subscription_id}/deliveries/``: the delivery log, newest first, with attempts
- ``POST …/{subscription_id}/test/``: send a test event
- ``POST …/{subscription_id}/rotate/``: a new signing secret (answered once)

Subscriptions come through ``webhooks.selectors.subscriptions_for_user`` (narrowed to a
token's organisation): another tenant's answers 404. Writes go through the same services
as the pages; a refused URL or event answers 400 with per-field errors and writes nothing.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance.api.errors import CONFLICT_RESPONSE, flat_errors, refused
from compliance.api.views import ERRORS, _page_of, _token_organisation
from contracts.selectors.tenancy import get_for_user_or_404
from webhooks import selectors, services
from webhooks.api.serializers import (
    SubscriptionCreatedSerializer,
    SubscriptionCreateSerializer,
    SubscriptionSerializer,
    WebhookDeliverySerializer,
)
from webhooks.models import Subscription

NOT_FOUND = OpenApiResponse(description="No such subscription among those you administer.")


def _organisations(request: Request):
    organisations = selectors.webhook_organisations_for_user(request.user)
    organisation = _token_organisation(request)
    return organisations if organisation is None else organisations.filter(pk=organisation)


def _subscriptions(request: Request) -> QuerySet[Subscription]:
    return selectors.subscriptions_for_user(request.user).filter(organisation__in=_organisations(request))


def _subscription(request: Request, subscription_id: int) -> Subscription:
    return get_for_user_or_404(_subscriptions(request), pk=subscription_id)


class SubscriptionCollection(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="webhook_subscriptions_list",
        responses=_page_of(SubscriptionSerializer, "WebhookSubscription"),
        summary="Your webhook subscriptions",
    )
    def get(self, request: Request) -> Response:
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(_subscriptions(request).order_by("id"), request, view=self)
        return paginator.get_paginated_response(SubscriptionSerializer(page, many=True).data)

    @extend_schema(
        operation_id="webhook_subscriptions_create",
        request=SubscriptionCreateSerializer,
        responses={201: SubscriptionCreatedSerializer, 400: ERRORS, 409: CONFLICT_RESPONSE},
        summary="Subscribe a URL to events; the answer carries the signing secret, once",
    )
    def post(self, request: Request) -> Response:
        serializer = SubscriptionCreateSerializer(data=request.data)
        if not serializer.is_valid():
            return refused(request, flat_errors(serializer.errors))
        data = serializer.validated_data
        organisations = list(_organisations(request))
        if data.get("organisation"):
            organisations = [o for o in organisations if o.slug == data["organisation"]]
            if not organisations:
                message = "Not a provider organisation you administer."
                return refused(request, flat_errors({"organisation": [message]}))
        if len(organisations) != 1:
            message = "Name the organisation (its slug)." if organisations else "You administer no provider."
            return refused(request, flat_errors({"organisation": [message]}))
        try:
            subscription, secret = services.subscription_create(
                organisation=organisations[0],
                user=request.user,
                url=data["url"],
                event_types=data["event_types"],
                description=data["description"],
            )
        except ValidationError as exc:
            return refused(request, flat_errors(exc))
        subscription.secret = secret
        return Response(SubscriptionCreatedSerializer(subscription).data, status=status.HTTP_201_CREATED)


class SubscriptionItem(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="webhook_subscriptions_retrieve",
        responses={200: SubscriptionSerializer, 404: NOT_FOUND},
        summary="A webhook subscription",
    )
    def get(self, request: Request, subscription_id: int) -> Response:
        return Response(SubscriptionSerializer(_subscription(request, subscription_id)).data)

    @extend_schema(
        operation_id="webhook_subscriptions_update",
        request=SubscriptionSerializer(partial=True),
        responses={200: SubscriptionSerializer, 400: ERRORS, 404: NOT_FOUND, 409: CONFLICT_RESPONSE},
        summary="Change the URL, description, events, or switch it on or off",
    )
    def patch(self, request: Request, subscription_id: int) -> Response:
        subscription = _subscription(request, subscription_id)
        serializer = SubscriptionSerializer(subscription, data=request.data, partial=True)
        if not serializer.is_valid():
            return refused(request, flat_errors(serializer.errors))
        data = serializer.validated_data
        try:
            services.subscription_update(
                subscription=subscription,
                url=data.get("url", subscription.url),
                description=data.get("description", subscription.description),
                event_types=data.get("event_types", subscription.event_types),
                is_active=data.get("is_active", subscription.is_active),
            )
        except ValidationError as exc:
            subscription.refresh_from_db()
            return refused(request, flat_errors(exc))
        return Response(SubscriptionSerializer(subscription).data)

    @extend_schema(
        operation_id="webhook_subscriptions_destroy",
        responses={204: None, 404: NOT_FOUND},
        summary="Delete a subscription and its delivery log",
    )
    def delete(self, request: Request, subscription_id: int) -> Response:
        services.subscription_delete(subscription=_subscription(request, subscription_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class SubscriptionDeliveries(APIView):
    @extend_schema(
        operation_id="webhook_deliveries_list",
        responses={200: _page_of(WebhookDeliverySerializer, "WebhookDelivery"), 404: NOT_FOUND},
        summary="The delivery log of a subscription, newest first, with each attempt",
    )
    def get(self, request: Request, subscription_id: int) -> Response:
        subscription = _subscription(request, subscription_id)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.deliveries_of(subscription), request, view=self)
        return paginator.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)


class SubscriptionTest(APIView):
    @extend_schema(
        operation_id="webhook_subscriptions_test",
        request=None,
        responses={202: WebhookDeliverySerializer, 404: NOT_FOUND},
        summary="Send a test event (webhook.test) to the subscription",
    )
    def post(self, request: Request, subscription_id: int) -> Response:
        subscription = _subscription(request, subscription_id)
        delivery = services.subscription_test_send(subscription=subscription, user=request.user)
        delivery = selectors.deliveries_of(subscription).get(pk=delivery.pk)
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


ROTATED = inline_serializer(
    name="WebhookSecretRotated",
    fields={
        "secret": serializers.CharField(help_text="The new signing secret: shown in this answer only."),
        "previous_secret_expires_at": serializers.DateTimeField(
            help_text="Until then deliveries carry a signature with the previous secret too."
        ),
    },
)


class SubscriptionRotate(APIView):
    @extend_schema(
        operation_id="webhook_subscriptions_rotate",
        request=None,
        responses={200: ROTATED, 404: NOT_FOUND},
        summary="Rotate the signing secret; the previous one still signs for a day",
    )
    def post(self, request: Request, subscription_id: int) -> Response:
        subscription = _subscription(request, subscription_id)
        secret = services.subscription_secret_rotate(subscription=subscription)
        expires = subscription.previous_secret_expires_at
        return Response(
            {"secret": secret, "previous_secret_expires_at": expires.isoformat().replace("+00:00", "Z")}
        )
