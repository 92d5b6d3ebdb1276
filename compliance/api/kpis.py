"""The API's custom KPI values: one value per contract, service level and month.

``GET`` and ``PUT /api/v1/contracts/{reference}/kpis/{YYYY-MM}/{level_key}/``. Members of
either party read; recording needs the author role at the provider (403 for other
members); another tenant's contract is a 404. ``PUT`` goes through the same service as the
compliance page's form: 201 when the month had no value yet, 200 when it replaced one.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance.api.compliance import PERIOD_PATH
from compliance.api.errors import CONFLICT_RESPONSE, field_errors, one_error, refused
from compliance.api.parsers import EventJSONParser
from compliance.api.views import ERRORS, NOT_FOUND, _contract
from compliance.engine.periods import format_period, parse_period
from compliance.models import KpiValue
from compliance.selectors.kpis import kpi_values_of
from compliance.services.kpis import kpi_value_set
from contracts.selectors import tenancy

LEVEL_PATH = OpenApiParameter(
    "level_key",
    OpenApiTypes.STR,
    location=OpenApiParameter.PATH,
    description="The key of a custom KPI service level of the version in force.",
)
KPI_VALUE = inline_serializer(
    name="KpiValue",
    fields={
        "contract": serializers.CharField(),
        "service_level_key": serializers.CharField(),
        "period": serializers.CharField(),
        "value": serializers.CharField(help_text="A decimal number as a string."),
        "note": serializers.CharField(),
        "recorded_by": serializers.EmailField(allow_null=True),
        "recorded_at": serializers.DateTimeField(),
    },
)


@extend_schema_field(
    {"oneOf": [{"type": "string", "pattern": r"^\s*[-+]?\d+(\.\d+)?\s*$"}, {"type": "number"}]}
)
class KpiNumberField(serializers.CharField):
    """A number, as a string or a JSON number (the schema says exactly which)."""


KPI_VALUE_WRITE = inline_serializer(
    name="KpiValueWrite",
    fields={
        "value": KpiNumberField(help_text='A number (string or JSON number), e.g. "92.5".'),
        "note": serializers.CharField(required=False, allow_blank=True),
    },
)


def _json(kpi: KpiValue, reference: str) -> dict:
    return {
        "contract": reference,
        "service_level_key": kpi.service_level_key,
        "period": kpi.period,
        "value": format(kpi.value.normalize(), "f"),
        "note": kpi.note,
        "recorded_by": kpi.recorded_by.email if kpi.recorded_by else None,
        "recorded_at": kpi.recorded_at.isoformat().replace("+00:00", "Z"),
    }


def _period(period: str) -> str | Response:
    try:
        return format_period(*parse_period(period))
    except ValueError as exc:
        return one_error("period", f"The period is a month written YYYY-MM ({exc}).")


class KpiValueItem(APIView):
    parser_classes = [EventJSONParser]

    @extend_schema(
        operation_id="kpis_retrieve",
        parameters=[PERIOD_PATH, LEVEL_PATH],
        responses={200: KPI_VALUE, 400: ERRORS, 404: NOT_FOUND},
        summary="The value of a custom KPI for one month",
    )
    def get(self, request: Request, reference: str, period: str, level_key: str) -> Response:
        contract = _contract(request, reference)
        label = _period(period)
        if isinstance(label, Response):
            return label
        kpi = tenancy.get_for_user_or_404(
            kpi_values_of(contract, label).select_related("recorded_by"), service_level_key=level_key
        )
        return Response(_json(kpi, contract.reference))

    @extend_schema(
        operation_id="kpis_update",
        parameters=[PERIOD_PATH, LEVEL_PATH],
        request=KPI_VALUE_WRITE,
        responses={
            200: KPI_VALUE,
            201: KPI_VALUE,
            400: ERRORS,
            403: OpenApiResponse(description="Needs the author role at the provider."),
            404: NOT_FOUND,
            409: CONFLICT_RESPONSE,
        },
        summary="Record the value of a custom KPI for one month",
        description=(
            "Higher is better: the service level is met when the value is at least its target (a "
            "percentage, 0 to 100, when the target is one). Recording again replaces the value; the "
            "month's next evaluation is a new revision."
        ),
    )
    def put(self, request: Request, reference: str, period: str, level_key: str) -> Response:
        contract = _contract(request, reference, write=True)
        label = _period(period)
        if isinstance(label, Response):
            return label
        data = request.data
        if not isinstance(data, dict):
            return one_error("non_field_errors", "Send an object with a value and a note.")
        if "value" not in data:
            return one_error("value", "This field is required.")
        try:
            kpi, created = kpi_value_set(
                contract=contract,
                service_level_key=level_key,
                period=period,
                value=data["value"],
                note=data.get("note", ""),
                user=request.user,
            )
        except ValidationError as exc:
            return refused(request, field_errors(exc))
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(_json(kpi, contract.reference), status=code)
