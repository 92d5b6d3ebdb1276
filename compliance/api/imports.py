"""Import profiles over the API: list and create a provider's profiles, and import another
tool's export (CSV or XLSX) into a contract through one of them. The same services as the
mapping page; all rows or none."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance import services
from compliance.api.errors import BAD_REQUEST, CONFLICT_RESPONSE, flat_errors, invalid, refused
from compliance.api.serializers import TextField, TextMapField
from compliance.api.views import NOT_FOUND, _contract, _page_of, _token_organisation
from compliance.engine.import_presets import PRESETS
from compliance.engine.mapping import DATE_FORMATS, ColumnMapping
from compliance.forms.events import MAX_UPLOAD_BYTES
from compliance.models import ImportProfile
from compliance.selectors import tenancy as compliance_tenancy
from compliance.services.rows import FIELDS
from contracts.selectors import tenancy


class ImportProfileSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = ImportProfile
        fields = [
            "id",
            "organisation",
            "name",
            "kind",
            "preset",
            "columns",
            "date_format",
            "time_zone",
            "value_maps",
            "created_at",
            "last_used_at",
        ]


class ImportProfileCreateSerializer(serializers.Serializer):
    organisation = serializers.SlugField(
        required=False, help_text="Slug of the provider organisation; needed when you author for several."
    )
    name = TextField(max_length=100)
    kind = serializers.ChoiceField(choices=list(FIELDS))
    preset = serializers.ChoiceField(
        choices=list(PRESETS),
        required=False,
        help_text="Fills the columns, date format and priority values not given.",
    )
    # Stored as jsonb, which holds no NUL characters: refused in keys (409) and values (400).
    columns = TextMapField(
        child=TextField(max_length=200),
        required=False,
        help_text="Portal field → export column (no NUL characters in either).",
    )
    date_format = serializers.ChoiceField(choices=list(DATE_FORMATS), required=False)
    time_zone = TextField(max_length=64, required=False, allow_blank=True)
    value_maps = TextMapField(
        child=TextMapField(child=TextField(max_length=200)),
        required=False,
        help_text="Portal field → {export value: portal value}, e.g. priority or service (no NUL characters "
        "in any of them).",
    )


def _profiles(request: Request) -> QuerySet[ImportProfile]:
    profiles = compliance_tenancy.import_profiles_authored_by(request.user)
    organisation = _token_organisation(request)
    return profiles.filter(organisation_id=organisation) if organisation is not None else profiles


def _invalid(exc: services.ImportInvalid) -> Response:
    """Every bad row of the file, as item ``line`` of the one error shape."""
    by_line: dict[int, dict[str, list[str]]] = {}
    for error in exc.errors:
        by_line.setdefault(error.line, {}).setdefault(error.field or "non_field_errors", []).append(
            error.message
        )
    return invalid(sorted(by_line.items()), detail=exc.messages[0])


class ImportProfileList(APIView):
    # JSON only: a profile's columns and value maps are objects, which forms cannot carry.
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="import_profiles_list",
        responses=_page_of(ImportProfileSerializer, "ImportProfile"),
        summary="Import profiles of the organisations you record events for",
    )
    def get(self, request: Request) -> Response:
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(
            _profiles(request).select_related("organisation").order_by("name", "id"), request, view=self
        )
        return paginator.get_paginated_response(ImportProfileSerializer(page, many=True).data)

    @extend_schema(
        operation_id="import_profiles_create",
        request=ImportProfileCreateSerializer,
        responses={201: ImportProfileSerializer, 400: BAD_REQUEST, 409: CONFLICT_RESPONSE},
        summary="Save a mapping of another tool's export as an import profile",
    )
    def post(self, request: Request) -> Response:
        serializer = ImportProfileCreateSerializer(data=request.data)
        if not serializer.is_valid():
            return refused(request, flat_errors(serializer.errors))
        data = serializer.validated_data
        organisations = tenancy.provider_organisations_authored_by(request.user)
        token_organisation = _token_organisation(request)
        if token_organisation is not None:
            organisations = organisations.filter(pk=token_organisation)
        if "organisation" in data:
            organisations = organisations.filter(slug=data["organisation"])
        choices = list(organisations[:2])
        if len(choices) != 1:
            message = (
                "Not a provider organisation you author for."
                if "organisation" in data or not choices
                else "Name the organisation (its slug): you author for several."
            )
            return refused(request, flat_errors({"organisation": [message]}))
        preset = PRESETS.get(data.get("preset", ""))
        if preset is not None and preset.kind != data["kind"]:
            return refused(request, {"preset": [f"The preset {preset.key} is for {preset.kind}."]})
        columns = {**(preset.columns if preset else {}), **data.get("columns", {})}
        value_maps = {
            key: {k.casefold(): v for k, v in pairs.items()}
            for key, pairs in data.get("value_maps", {}).items()
        }
        if preset and "priority" not in value_maps and preset.priorities:
            value_maps["priority"] = {k.casefold(): v for k, v in preset.priorities.items()}
        mapping = ColumnMapping(
            kind=data["kind"],
            columns=columns,
            date_format=data.get("date_format") or (preset.date_format if preset else "iso"),
            time_zone=data.get("time_zone", ""),
            values=value_maps,
        )
        try:
            profile = services.import_profile_create(
                organisation=choices[0],
                user=request.user,
                name=data["name"],
                mapping=mapping,
                preset=preset.key if preset else "",
            )
        except ValidationError as exc:
            return refused(request, flat_errors(exc.message_dict))
        return Response(ImportProfileSerializer(profile).data, status=status.HTTP_201_CREATED)


class ContractImport(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="contracts_import_create",
        request={
            "multipart/form-data": inline_serializer(
                name="ImportUpload",
                fields={
                    "profile": serializers.IntegerField(
                        help_text="Id of one of the provider's import profiles."
                    ),
                    "file": serializers.FileField(help_text="The export: CSV or XLSX."),
                },
            )
        },
        responses={
            201: inline_serializer(
                name="ImportResult",
                fields={
                    "kind": serializers.CharField(),
                    "created": serializers.IntegerField(),
                    "updated": serializers.IntegerField(),
                },
            ),
            400: BAD_REQUEST,
            404: NOT_FOUND,
        },
        summary="Import another tool's export into the contract with an import profile (all rows or none)",
    )
    def post(self, request: Request, reference: str) -> Response:
        contract = _contract(request, reference, write=True)
        profile_id = str(request.data.get("profile", ""))
        if not profile_id.lstrip("-").isdigit():
            return invalid(flat_errors({"profile": ["Give the id of an import profile."]}))
        profiles = _profiles(request).filter(organisation=contract.provider_id)
        profile = tenancy.get_for_user_or_404(profiles, pk=int(profile_id))
        upload = request.data.get("file")
        if upload is None or not hasattr(upload, "read"):
            return invalid(flat_errors({"file": ["Send the export as the file part."]}))
        if upload.size > MAX_UPLOAD_BYTES:
            return invalid({"file": [f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."]})
        try:
            result = services.events_import_mapped(
                contract=contract,
                user=request.user,
                mapping=profile.mapping,
                data=upload.read(),
                name=upload.name or "",
                profile=profile,
            )
        except services.ImportInvalid as exc:
            return _invalid(exc)
        return Response(
            {"kind": profile.kind, "created": result.created, "updated": result.updated},
            status=status.HTTP_201_CREATED,
        )
