"""The API's event sources: a contract's sources, their mapping and their delivery log.

``/api/v1/contracts/{reference}/sources/`` and ``…/sources/{source_id}/`` (with ``rotate/``
and ``deliveries/``). Only the provider's admins reach them; anyone else, and another
tenant's contract or source, gets 404. Writes go through the same services as the pages.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance.api.errors import CONFLICT_RESPONSE, flat_errors, refused
from compliance.api.parsers import EventJSONParser
from compliance.api.views import ERRORS, NOT_FOUND, _contracts, _page_of
from compliance.models import EventSource, SourceKind
from compliance.selectors.sources import deliveries_of, sources_of
from compliance.selectors.tenancy import contracts_with_sources_managed_by, sources_managed_by
from compliance.services import sources as source_services
from contracts.selectors.tenancy import get_for_user_or_404

MAPPING_HELP = (
    "How the tool's values map to the contract's: services {tool value: service}, default_service; "
    "for alerts service_label and maintenance_label; for tickets statuses {tool status: open | waiting | "
    "resolved | closed}, priorities {tool priority: P1–P4} and default_priority; for Zabbix time_zone "
    "(the clock of its dates; empty for the contract's); for generic JSON the JSON paths id_path, "
    "state_path, start_path, end_path, service_path, planned_path, summary_path "
    "(e.g. alerts[0].labels.service), open_values and resolved_values (lists), "
    "time_format (iso, epoch or epoch_ms) and time_zone."
)


@extend_schema_field(OpenApiTypes.STR)
class HookUrlField(serializers.Field):
    """The URL a source's tool posts to, whoever owns the source."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, help_text="Where the tool posts its webhooks.", **kwargs)

    def to_representation(self, source: EventSource) -> str:
        return self.context["request"].build_absolute_uri(f"/hooks/{source.token}/")


class SourceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=SourceKind.choices)
    name = serializers.CharField(max_length=100)
    url = HookUrlField()
    secret = serializers.CharField(
        read_only=True, help_text="A bearer token, or the key of the body's HMAC signature."
    )
    secret_rotated_at = serializers.DateTimeField(read_only=True, allow_null=True)
    paused = serializers.BooleanField(required=False)
    rate_limit = serializers.IntegerField(min_value=1, max_value=100_000, required=False)
    mapping = serializers.DictField(required=False, help_text=MAPPING_HELP)
    created_at = serializers.DateTimeField(read_only=True)


class SourceChangeSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    paused = serializers.BooleanField(required=False)
    rate_limit = serializers.IntegerField(min_value=1, max_value=100_000, required=False)
    mapping = serializers.DictField(required=False, help_text=MAPPING_HELP)


class SourceDeliverySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    received_at = serializers.DateTimeField()
    outcome = serializers.ChoiceField(choices=["applied", "refused"])
    status_code = serializers.IntegerField()
    reason = serializers.CharField()
    events = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()),
        help_text="Each event touched: kind, external_id, change (created, updated or unchanged).",
    )


def _contract(request: Request, reference: str):
    managed = contracts_with_sources_managed_by(request.user)
    return get_for_user_or_404(_contracts(request).filter(pk__in=managed.values("pk")), reference=reference)


def _source(request: Request, reference: str, source_id: int) -> EventSource:
    contract = _contract(request, reference)
    return get_for_user_or_404(sources_managed_by(request.user).filter(contract=contract), pk=source_id)


def source_errors(request: Request, serializer_or_exc) -> Response:
    """The one error answer for a refused serializer or service validation."""
    errors = serializer_or_exc.errors if hasattr(serializer_or_exc, "errors") else serializer_or_exc
    return refused(request, flat_errors(errors))


def source_patch(request: Request, source: EventSource, incoming_class, update, answer_class) -> Response:
    """A PATCH of a source, whoever owns it: the fields sent (``incoming_class``), checked and
    saved by ``update(data)`` (a service call), then paused or resumed; answered as
    ``answer_class``, or with the one error shape and nothing changed."""
    incoming = incoming_class(data=request.data)
    if not incoming.is_valid():
        return source_errors(request, incoming)
    data = incoming.validated_data
    try:
        update(data)
    except ValidationError as exc:
        return source_errors(request, exc)
    if "paused" in data:
        source_services.source_pause(source=source, paused=data["paused"])
    return Response(answer_class(source, context={"request": request}).data)


def deliveries_response(view: APIView, request: Request, source: EventSource) -> Response:
    """A page of the source's delivery log, newest first."""
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(deliveries_of(source), request, view=view)
    return paginator.get_paginated_response(SourceDeliverySerializer(page, many=True).data)


class SourceCollection(APIView):
    parser_classes = [EventJSONParser]

    @extend_schema(
        operation_id="sources_list",
        responses={200: SourceSerializer(many=True), 404: NOT_FOUND},
        summary="The contract's event sources (provider admins)",
    )
    def get(self, request: Request, reference: str) -> Response:
        contract = _contract(request, reference)
        return Response(SourceSerializer(sources_of(contract), many=True, context={"request": request}).data)

    @extend_schema(
        operation_id="sources_create",
        request=SourceSerializer,
        responses={201: SourceSerializer, 400: ERRORS, 404: NOT_FOUND, 409: CONFLICT_RESPONSE},
        summary="Add an event source; the answer holds its URL and secret",
    )
    def post(self, request: Request, reference: str) -> Response:
        contract = _contract(request, reference)
        incoming = SourceSerializer(data=request.data, context={"request": request})
        if not incoming.is_valid():
            return source_errors(request, incoming)
        data = incoming.validated_data
        try:
            source = source_services.source_create(
                contract=contract,
                user=request.user,
                kind=data["kind"],
                name=data["name"],
                mapping=data.get("mapping"),
                rate_limit=data.get("rate_limit", 600),
            )
        except ValidationError as exc:
            return source_errors(request, exc)
        if data.get("paused"):
            source_services.source_pause(source=source, paused=True)
        return Response(SourceSerializer(source, context={"request": request}).data, status=201)


class SourceItem(APIView):
    parser_classes = [EventJSONParser]

    @extend_schema(
        operation_id="sources_retrieve",
        responses={200: SourceSerializer, 404: NOT_FOUND},
        summary="An event source",
    )
    def get(self, request: Request, reference: str, source_id: int) -> Response:
        source = _source(request, reference, source_id)
        return Response(SourceSerializer(source, context={"request": request}).data)

    @extend_schema(
        operation_id="sources_partial_update",
        request=SourceChangeSerializer,
        responses={200: SourceSerializer, 400: ERRORS, 404: NOT_FOUND, 409: CONFLICT_RESPONSE},
        summary="Rename, remap, pause or resume a source, or change its rate limit",
    )
    def patch(self, request: Request, reference: str, source_id: int) -> Response:
        source = _source(request, reference, source_id)

        def update(data: dict) -> None:
            source_services.source_update(
                source=source,
                name=data.get("name", source.name),
                mapping=data.get("mapping", source.mapping),
                rate_limit=data.get("rate_limit", source.rate_limit),
            )

        return source_patch(request, source, SourceChangeSerializer, update, SourceSerializer)

    @extend_schema(
        operation_id="sources_destroy",
        responses={204: None, 404: NOT_FOUND},
        summary="Remove a source; the events it sent stay",
    )
    def delete(self, request: Request, reference: str, source_id: int) -> Response:
        source_services.source_delete(source=_source(request, reference, source_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class SourceRotate(APIView):
    @extend_schema(
        operation_id="sources_rotate",
        request=None,
        responses={200: SourceSerializer, 404: NOT_FOUND},
        summary="Give the source a new secret; the old one stops working at once",
    )
    def post(self, request: Request, reference: str, source_id: int) -> Response:
        source = _source(request, reference, source_id)
        source_services.source_rotate_secret(source=source)
        return Response(SourceSerializer(source, context={"request": request}).data)


class SourceDeliveries(APIView):
    @extend_schema(
        operation_id="sources_deliveries",
        responses={200: _page_of(SourceDeliverySerializer, "SourceDelivery"), 404: NOT_FOUND},
        summary="The source's delivery log, newest first",
    )
    def get(self, request: Request, reference: str, source_id: int) -> Response:
        return deliveries_response(self, request, _source(request, reference, source_id))
