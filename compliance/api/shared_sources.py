"""The API's provider-wide event sources: one URL for all of an organisation's contracts,
with routes (value → contract and its service mapping) and the delivery log.

``/api/v1/organisations/{slug}/sources/``, ``…/sources/{shared_source_id}/`` (with
``rotate/``, ``routes/``, ``routes/{route_id}/`` and ``deliveries/``). Only the organisation's admins reach
them; anyone else, and another tenant's organisation, source or contract, gets 404 or a field
error. Writes go through the same services as the pages.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance.api.errors import CONFLICT_RESPONSE
from compliance.api.parsers import EventJSONParser
from compliance.api.serializers import TextField, TextMapField
from compliance.api.sources import (
    HookUrlField,
    SourceDeliverySerializer,
    deliveries_response,
    source_errors,
    source_patch,
)
from compliance.api.views import ERRORS, NOT_FOUND, _page_of, _token_organisation
from compliance.models import EventSource, SourceKind, SourceRoute
from compliance.selectors.sources import routes_of_source, shared_sources_of
from compliance.selectors.tenancy import (
    contracts_with_sources_managed_by,
    organisations_with_sources_managed_by,
    shared_sources_managed_by,
)
from compliance.services import source_routes
from compliance.services import sources as source_services
from contracts.selectors.tenancy import get_for_user_or_404


class SourceRouteSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    match_value = serializers.CharField(
        max_length=200, help_text="The route field's value that names the contract, e.g. “harbour”."
    )
    contract = serializers.CharField(
        source="contract.reference", help_text="The reference of a contract the organisation provides."
    )
    # Stored as jsonb, which holds no NUL characters: refused in keys (409) and values (400).
    services = TextMapField(
        child=TextField(),
        required=False,
        source="mapping.services",
        help_text="{tool value: service of the contract} (no NUL characters in either)",
    )
    default_service = serializers.CharField(
        required=False, allow_blank=True, source="mapping.default_service", default=""
    )


class SharedSourceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=SourceKind.choices)
    name = serializers.CharField(max_length=100)
    route_field = serializers.CharField(
        required=False,
        allow_blank=True,
        source="mapping.route_field",
        help_text="Where a payload names the contract: an alert label (Alertmanager, Grafana; default "
        "contract), else a dotted path into the body (Zammad ticket.organization.name, Jira "
        "issue.fields.project.key, Uptime Kuma monitor.name).",
    )
    url = HookUrlField()
    secret = serializers.CharField(read_only=True)
    paused = serializers.BooleanField(read_only=True)
    rate_limit = serializers.IntegerField(min_value=1, max_value=100_000, required=False)
    routes = serializers.SerializerMethodField()

    @extend_schema(responses=SourceRouteSerializer(many=True))
    def get_routes(self, source: EventSource) -> list[dict]:
        return SourceRouteSerializer(routes_of_source(source), many=True).data


class SharedSourceChangeSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    route_field = serializers.CharField(max_length=100, required=False)
    paused = serializers.BooleanField(required=False)
    rate_limit = serializers.IntegerField(min_value=1, max_value=100_000, required=False)


def _organisation(request: Request, slug: str):
    organisations = organisations_with_sources_managed_by(request.user)
    token_organisation = _token_organisation(request)
    if token_organisation is not None:
        organisations = organisations.filter(pk=token_organisation)
    return get_for_user_or_404(organisations, slug=slug)


def _source(request: Request, slug: str, source_id: int) -> EventSource:
    organisation = _organisation(request, slug)
    sources = shared_sources_managed_by(request.user).filter(organisation=organisation)
    return get_for_user_or_404(sources, pk=source_id)


class SharedSourceCollection(APIView):
    parser_classes = [EventJSONParser]

    @extend_schema(
        operation_id="shared_sources_list",
        responses={200: SharedSourceSerializer(many=True), 404: NOT_FOUND},
        summary="The organisation's provider-wide event sources (its admins)",
    )
    def get(self, request: Request, slug: str) -> Response:
        organisation = _organisation(request, slug)
        sources = shared_sources_of(organisation)
        return Response(SharedSourceSerializer(sources, many=True, context={"request": request}).data)

    @extend_schema(
        operation_id="shared_sources_create",
        request=SharedSourceSerializer,
        responses={201: SharedSourceSerializer, 400: ERRORS, 404: NOT_FOUND, 409: CONFLICT_RESPONSE},
        summary="Add a provider-wide source; the answer holds its URL and secret",
    )
    def post(self, request: Request, slug: str) -> Response:
        organisation = _organisation(request, slug)
        incoming = SharedSourceSerializer(data=request.data, context={"request": request})
        if not incoming.is_valid():
            return source_errors(request, incoming)
        data = incoming.validated_data
        try:
            source = source_routes.shared_source_create(
                organisation=organisation,
                user=request.user,
                kind=data["kind"],
                name=data["name"],
                route_field=(data.get("mapping") or {}).get("route_field", ""),
                rate_limit=data.get("rate_limit", 600),
            )
        except ValidationError as exc:
            return source_errors(request, exc)
        return Response(SharedSourceSerializer(source, context={"request": request}).data, status=201)


class SharedSourceItem(APIView):
    parser_classes = [EventJSONParser]

    @extend_schema(
        operation_id="shared_sources_retrieve",
        responses={200: SharedSourceSerializer, 404: NOT_FOUND},
        summary="A provider-wide source with its routes",
    )
    def get(self, request: Request, slug: str, shared_source_id: int) -> Response:
        source = _source(request, slug, shared_source_id)
        return Response(SharedSourceSerializer(source, context={"request": request}).data)

    @extend_schema(
        operation_id="shared_sources_partial_update",
        request=SharedSourceChangeSerializer,
        responses={200: SharedSourceSerializer, 400: ERRORS, 404: NOT_FOUND, 409: CONFLICT_RESPONSE},
        summary="Rename a provider-wide source, change its route field or rate limit, pause or resume it",
    )
    def patch(self, request: Request, slug: str, shared_source_id: int) -> Response:
        source = _source(request, slug, shared_source_id)

        def update(data: dict) -> None:
            source_routes.shared_source_update(
                source=source,
                name=data.get("name", source.name),
                route_field=data.get("route_field", source.mapping.get("route_field", "")),
                rate_limit=data.get("rate_limit", source.rate_limit),
            )

        return source_patch(request, source, SharedSourceChangeSerializer, update, SharedSourceSerializer)

    @extend_schema(
        operation_id="shared_sources_destroy",
        responses={204: None, 404: NOT_FOUND},
        summary="Remove a provider-wide source; the events it sent stay",
    )
    def delete(self, request: Request, slug: str, shared_source_id: int) -> Response:
        source_services.source_delete(source=_source(request, slug, shared_source_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class SharedSourceRotate(APIView):
    @extend_schema(
        operation_id="shared_sources_rotate",
        request=None,
        responses={200: SharedSourceSerializer, 404: NOT_FOUND},
        summary="Give the provider-wide source a new secret; the old one stops working at once",
    )
    def post(self, request: Request, slug: str, shared_source_id: int) -> Response:
        source = _source(request, slug, shared_source_id)
        source_services.source_rotate_secret(source=source)
        return Response(SharedSourceSerializer(source, context={"request": request}).data)


class SharedSourceRoutes(APIView):
    parser_classes = [EventJSONParser]

    @extend_schema(
        operation_id="shared_sources_routes_save",
        request=SourceRouteSerializer,
        responses={201: SourceRouteSerializer, 400: ERRORS, 404: NOT_FOUND, 409: CONFLICT_RESPONSE},
        summary="Route a value to a contract (replacing that value's route)",
    )
    def post(self, request: Request, slug: str, shared_source_id: int) -> Response:
        source = _source(request, slug, shared_source_id)
        incoming = SourceRouteSerializer(data=request.data)
        if not incoming.is_valid():
            return source_errors(request, incoming)
        data = incoming.validated_data
        mapping = data.get("mapping") or {}
        contract = (
            contracts_with_sources_managed_by(request.user)
            .filter(provider=source.organisation_id, reference=data["contract"]["reference"])
            .first()
        )
        if contract is None:
            unknown = "No contract your organisation provides has this reference."
            return source_errors(request, {"contract": [unknown]})
        try:
            route = source_routes.route_save(
                source=source,
                match_value=data["match_value"],
                contract=contract,
                services=mapping.get("services") or {},
                default_service=mapping.get("default_service") or "",
            )
        except ValidationError as exc:
            return source_errors(request, exc)
        return Response(SourceRouteSerializer(route).data, status=201)


class SharedSourceRouteItem(APIView):
    @extend_schema(
        operation_id="shared_sources_routes_destroy",
        responses={204: None, 404: NOT_FOUND},
        summary="Remove a route; that value's deliveries are refused from now on",
    )
    def delete(self, request: Request, slug: str, shared_source_id: int, route_id: int) -> Response:
        source = _source(request, slug, shared_source_id)
        route = get_for_user_or_404(SourceRoute.objects.filter(source=source), pk=route_id)
        source_routes.route_delete(route=route)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SharedSourceDeliveries(APIView):
    @extend_schema(
        operation_id="shared_sources_deliveries",
        responses={200: _page_of(SourceDeliverySerializer, "SharedSourceDelivery"), 404: NOT_FOUND},
        summary="The provider-wide source's delivery log, newest first",
    )
    def get(self, request: Request, slug: str, shared_source_id: int) -> Response:
        return deliveries_response(self, request, _source(request, slug, shared_source_id))
