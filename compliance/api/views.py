"""The REST API: contracts, and their incidents, outages and work logs.

Every object comes through ``contracts.selectors.tenancy``: a contract none of the user's (or the
token's) organisations is a party to answers 404. Members of either party read; writes need
the author role at the provider (403 for other members). Writes go through the same
services as the portal's forms and CSV imports.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance import services
from compliance.api.errors import BAD_REQUEST, CONFLICT_RESPONSE, field_errors, invalid, one_error, refused
from compliance.api.parsers import EventJSONParser
from compliance.api.serializers import (
    REPLACE_SERIALIZERS,
    SERIALIZERS,
    ContractDetailSerializer,
    ContractSerializer,
)
from compliance.engine.periods import parse_period
from compliance.models import ApiToken, Priority
from compliance.selectors.events import EVENTS_OF, event_terms
from compliance.selectors.tenancy import incidents_for_user, outages_for_user, worklogs_for_user
from contracts.caching.pages import cached_get
from contracts.models import Contract
from contracts.selectors import tenancy

#: A real month, YYYY-MM (years 1000 to 9999, months 01 to 12).
PERIOD_PATTERN = r"^[1-9]\d{3}-(0[1-9]|1[0-2])$"
PERIOD = OpenApiParameter(
    "period",
    OpenApiTypes.STR,
    description="A month, YYYY-MM, in the contract's time zone.",
    pattern=PERIOD_PATTERN,
)
ERRORS = BAD_REQUEST
NOT_FOUND = OpenApiResponse(description="No such contract or event among yours.")
EVENTS_FOR_USER = {
    "incidents": incidents_for_user,
    "outages": outages_for_user,
    "worklogs": worklogs_for_user,
}


def _page_of(serializer, name: str):
    """The schema of one page of a paginated list (PageNumberPagination)."""
    return inline_serializer(
        name=f"Paginated{name}List",
        fields={
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer(many=True),
        },
    )


def _token_organisation(request: Request) -> int | None:
    token = request.auth
    return token.organisation_id if isinstance(token, ApiToken) else None


def _contracts(request: Request) -> QuerySet[Contract]:
    """Contracts the request may read: the user's, narrowed to the token's organisation."""
    contracts = tenancy.contracts_for_user(request.user)
    organisation = _token_organisation(request)
    if organisation is not None:
        contracts = contracts.filter(Q(provider_id=organisation) | Q(customer_id=organisation))
    return contracts


def _contract(request: Request, reference: str, *, write: bool = False) -> Contract:
    contract = tenancy.get_for_user_or_404(_contracts(request), reference=reference)
    if write:
        authored = tenancy.contracts_authored_by(request.user).filter(pk=contract.pk)
        organisation = _token_organisation(request)
        if organisation is not None:
            authored = authored.filter(provider_id=organisation)
        if not authored.exists():
            raise PermissionDenied("Recording events needs the author role at the contract's provider.")
    return contract


_field_errors = field_errors


class ContractList(APIView):
    @extend_schema(
        operation_id="contracts_list",
        responses=_page_of(ContractSerializer, "Contract"),
        summary="Your contracts",
    )
    @cached_get
    def get(self, request: Request) -> Response:
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(_contracts(request).order_by("reference"), request, view=self)
        return paginator.get_paginated_response(ContractSerializer(page, many=True).data)


class ContractDetail(APIView):
    @extend_schema(
        responses={200: ContractDetailSerializer, 404: NOT_FOUND}, summary="A contract and its terms"
    )
    @cached_get
    def get(self, request: Request, reference: str) -> Response:
        contract = _contract(request, reference)
        terms = event_terms(contract)
        contract.version = terms.version.number if terms.version else None
        contract.services = [
            {"name": name, "in_scope": in_scope} for name, in_scope in terms.services.items()
        ]
        contract.priorities = list(Priority.values)
        contract.responsibilities = [
            {"key": key, "duty": duty} for key, duty in terms.responsibilities.items()
        ]
        return Response(ContractDetailSerializer(contract).data)


class _EventCollection(APIView):
    kind = ""
    parser_classes = [EventJSONParser]

    def _list(self, request: Request, reference: str) -> Response:
        contract = _contract(request, reference)
        period = None
        if "period" in request.query_params:
            try:
                period = parse_period(request.query_params["period"])
            except ValueError as exc:
                return one_error("period", f"The period is a month written YYYY-MM ({exc}).")
        events = EVENTS_OF[self.kind](contract, period)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(events, request, view=self)
        return paginator.get_paginated_response(SERIALIZERS[self.kind](page, many=True).data)

    def _create(self, request: Request, reference: str) -> Response:
        contract = _contract(request, reference, write=True)
        data = request.data
        if isinstance(data, list):
            if not data:
                return one_error("non_field_errors", "The list is empty.")
            try:
                result = _upsert(self.kind, contract, request.user, data)
            except services.BatchInvalid as exc:
                # 400 when a bad item does not match the schema, 409 when all of them do.
                return refused(request, exc.rows, detail=exc.messages[0])
            except ValidationError as exc:
                return refused(request, field_errors(exc))
            code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
            return Response({"created": result.created, "updated": result.updated}, status=code)
        if not isinstance(data, dict):
            return one_error("non_field_errors", "Send an event object, or a list of them.")
        try:
            result = _upsert(self.kind, contract, request.user, [data])
        except services.BatchInvalid as exc:
            return refused(request, exc.rows[0][1])
        event = EVENTS_FOR_USER[self.kind](request.user).get(
            contract=contract, external_id=str(data["external_id"]).strip()
        )
        code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        return Response(SERIALIZERS[self.kind](event).data, status=code)


class _EventItem(APIView):
    kind = ""
    parser_classes = [EventJSONParser]

    def _event(self, request: Request, contract: Contract, external_id: str):
        return tenancy.get_for_user_or_404(
            EVENTS_FOR_USER[self.kind](request.user).filter(contract=contract), external_id=external_id
        )

    def _get(self, request: Request, reference: str, external_id: str) -> Response:
        contract = _contract(request, reference)
        return Response(SERIALIZERS[self.kind](self._event(request, contract, external_id)).data)

    def _put(self, request: Request, reference: str, external_id: str) -> Response:
        contract = _contract(request, reference, write=True)
        data = request.data
        if not isinstance(data, dict):
            return one_error("non_field_errors", "Send an event object.")
        if data.get("external_id") is not None and not _same_id(data["external_id"], external_id):
            # 409 when the body matches the schema, 400 when the id it sends could not be one.
            return refused(request, {"external_id": ["Differs from the external id in the URL."]})
        try:
            result = _upsert(
                self.kind, contract, request.user, [{**data, "external_id": external_id}], sent=[data]
            )
        except services.BatchInvalid as exc:
            return refused(request, exc.rows[0][1])
        event = self._event(request, contract, external_id)
        code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        return Response(SERIALIZERS[self.kind](event).data, status=code)

    def _patch(self, request: Request, reference: str, external_id: str) -> Response:
        contract = _contract(request, reference, write=True)
        event = self._event(request, contract, external_id)
        data = request.data
        if not isinstance(data, dict):
            return one_error("non_field_errors", "Send an event object.")
        nulls = _nulls_refused(self.kind, data)
        if nulls:
            return invalid(nulls)
        try:
            event = services.event_save(
                kind=self.kind, contract=contract, user=request.user, data=data, instance=event, partial=True
            )
        except ValidationError as exc:
            return refused(request, field_errors(exc))
        return Response(SERIALIZERS[self.kind](event).data)


def _nulls_refused(kind: str, data: dict) -> dict[str, list[str]]:
    """Fields sent as null that the schema does not let be null: the cleaners read a null as
    left out (as an empty CSV cell), but the schema promises that such a body is refused."""
    fields = SERIALIZERS[kind]().fields
    return {
        name: ["This field may not be null."]
        for name, value in data.items()
        if value is None and name in fields and not fields[name].read_only and not fields[name].allow_null
    }


def _upsert(
    kind: str, contract: Contract, user, rows: list, *, sent: list | None = None
) -> services.UpsertResult:
    """``services.events_upsert``, refusing also the nulls the schema does not allow in what
    was ``sent`` (``rows`` unless the view changed them): :class:`services.BatchInvalid` then
    names them with every other problem of the rows, and nothing is written."""
    nulls = {
        index: errors
        for index, row in enumerate(rows if sent is None else sent)
        if isinstance(row, dict) and (errors := _nulls_refused(kind, row))
    }
    if not nulls:
        return services.events_upsert(kind=kind, contract=contract, user=user, rows=rows)
    try:
        services.events_check(kind=kind, contract=contract, rows=rows)
        problems = {}
    except services.BatchInvalid as exc:
        problems = dict(exc.rows)
    for index, errors in nulls.items():
        # "This field may not be null." says more than "required" of a null the cleaner skipped.
        problems[index] = {**problems.get(index, {}), **errors}
    raise services.BatchInvalid(sorted(problems.items()), len(rows))


def _same_id(sent, external_id: str) -> bool:
    """Whether the body's external id (text, or a whole number) is the URL's."""
    if isinstance(sent, int) and not isinstance(sent, bool):
        sent = str(sent)
    return sent == external_id


def _collection(kind: str, label: str) -> type[_EventCollection]:
    serializer = SERIALIZERS[kind]

    class Collection(_EventCollection):
        @extend_schema(
            operation_id=f"{kind}_list",
            parameters=[PERIOD],
            responses={200: _page_of(serializer, kind.title()), 400: ERRORS, 404: NOT_FOUND},
            summary=f"List {label}",
        )
        @cached_get
        def get(self, request: Request, reference: str) -> Response:
            return self._list(request, reference)

        @extend_schema(
            operation_id=f"{kind}_create",
            request=serializer,
            responses={
                200: serializer,
                201: serializer,
                400: BAD_REQUEST,
                403: OpenApiResponse(description="Needs the author role at the provider."),
                404: NOT_FOUND,
                409: CONFLICT_RESPONSE,
            },
            summary=f"Record {label}: one object, or a list (all or nothing)",
            description=(
                f"Send one object to create or update one of the {label} (by external id), or a JSON list "
                "of objects to create or update them all at once (at most 100,000); a list is answered with "
                "the counts {created, updated}. A list with any bad item writes nothing and answers with the "
                "errors per item index: 400 when an item does not match this schema, 409 when it does but "
                "does not fit the contract's terms (a service or responsibility its version lacks, times "
                "out of order). A single object is item 0."
            ),
        )
        def post(self, request: Request, reference: str) -> Response:
            return self._create(request, reference)

    Collection.kind = kind
    Collection.__name__ = Collection.__qualname__ = f"{kind.title()}Collection"
    return Collection


def _item(kind: str, label: str) -> type[_EventItem]:
    serializer = SERIALIZERS[kind]
    answers = {
        200: serializer,
        400: ERRORS,
        403: OpenApiResponse(description="Needs the author role at the provider."),
        404: NOT_FOUND,
        409: CONFLICT_RESPONSE,
    }

    class Item(_EventItem):
        @extend_schema(
            operation_id=f"{kind}_retrieve",
            responses={200: serializer, 404: NOT_FOUND},
            summary=f"One of the {label}",
        )
        @cached_get
        def get(self, request: Request, reference: str, external_id: str) -> Response:
            return self._get(request, reference, external_id)

        @extend_schema(
            request=REPLACE_SERIALIZERS[kind],
            responses={**answers, 201: serializer},
            summary="Create or replace",
            description=(
                f"Create or replace one of the {label}, named by the URL's external id. The body may leave "
                "out external_id; one that differs from the URL's is answered 409."
            ),
        )
        def put(self, request: Request, reference: str, external_id: str) -> Response:
            return self._put(request, reference, external_id)

        @extend_schema(
            operation_id=f"{kind}_partial_update",
            request=serializer,
            responses=answers,
            summary="Change some fields",
        )
        def patch(self, request: Request, reference: str, external_id: str) -> Response:
            return self._patch(request, reference, external_id)

    Item.kind = kind
    Item.__name__ = Item.__qualname__ = f"{kind.title()}Item"
    return Item


IncidentCollection = _collection("incidents", "incidents")
OutageCollection = _collection("outages", "outages")
WorkLogCollection = _collection("worklogs", "work logs")
IncidentItem = _item("incidents", "incidents")
OutageItem = _item("outages", "outages")
WorkLogItem = _item("worklogs", "work logs")
