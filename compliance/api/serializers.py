"""Representations of contracts and events in the API.

Incoming events are checked by the same cleaners as CSV rows (``compliance.services.rows``),
so the API and the import accept exactly the same values; these serializers describe the
fields (for the OpenAPI schema) and render stored events.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from compliance.models import Incident, IncidentPause, Outage, SourceKind, WorkLog
from compliance.models.events import EXTERNAL_ID_MAX, INCIDENT_FIELDS, OUTAGE_FIELDS, WORKLOG_FIELDS
from contracts.models import Contract

TIME_HELP = (
    "ISO 8601 with an offset (2026-03-04T09:15:00+01:00, …Z) or a zone "
    "(2026-03-04T09:15 Europe/Amsterdam); a time without either is read in the contract's time zone. "
    "Returned in UTC."
)


class ContractSerializer(serializers.ModelSerializer):
    provider = serializers.CharField(source="provider.name", read_only=True)
    customer = serializers.CharField(source="customer.name", read_only=True)
    notice_deadline = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="The last day notice to end the current term may be given (null when open-ended).",
    )

    class Meta:
        model = Contract
        fields = [
            "reference",
            "title",
            "provider",
            "customer",
            "status",
            "time_zone",
            "start_date",
            "end_date",
            "auto_renew",
            "notice_period_days",
            "renewal_months",
            "notice_deadline",
        ]
        read_only_fields = fields


class ServiceTermSerializer(serializers.Serializer):
    name = serializers.CharField()
    in_scope = serializers.BooleanField()


class ResponsibilityTermSerializer(serializers.Serializer):
    key = serializers.CharField()
    duty = serializers.CharField()


class ContractDetailSerializer(ContractSerializer):
    """A contract with the terms events are checked against (its version in force)."""

    version = serializers.IntegerField(allow_null=True, read_only=True, help_text="The version in force.")
    services = ServiceTermSerializer(many=True, read_only=True)
    priorities = serializers.ListField(child=serializers.CharField(), read_only=True)
    responsibilities = ResponsibilityTermSerializer(many=True, read_only=True)

    class Meta(ContractSerializer.Meta):
        fields = [*ContractSerializer.Meta.fields, "version", "services", "priorities", "responsibilities"]
        read_only_fields = fields


class PauseSerializer(serializers.ModelSerializer):
    start = serializers.DateTimeField(help_text=TIME_HELP)
    end = serializers.DateTimeField(allow_null=True, required=False, help_text="Empty while still waiting.")

    class Meta:
        model = IncidentPause
        fields = ["start", "end"]


def _times(*names: str, required: tuple[str, ...] = ()) -> dict:
    return {
        name: {"help_text": TIME_HELP, "required": name in required, "allow_null": name not in required}
        for name in names
    }


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "pattern": rf"^[\w.:@#+\-]{{1,{EXTERNAL_ID_MAX}}}$"},
            {"type": "integer", "format": "int64", "minimum": -(2**63), "maximum": 2**63 - 1},
        ]
    }
)
class ExternalIdField(serializers.RegexField):
    """Sent as text or as a whole number (many tools number their tickets); always answered
    as text."""


def _external_id() -> serializers.RegexField:
    return ExternalIdField(
        rf"^[\w.:@#+\-]{{1,{EXTERNAL_ID_MAX}}}$",
        help_text="The id in the sending tool, as text or a whole number; unique per contract. "
        "Sending it again updates the event. Answered as text.",
    )


class EventOriginSerializer(serializers.Serializer):
    """The event source an incident or outage came from."""

    name = serializers.CharField(read_only=True, help_text="The source’s name, e.g. “Production AM”.")
    kind = serializers.ChoiceField(choices=SourceKind.choices, read_only=True, help_text="The sending tool.")


def _origin() -> EventOriginSerializer:
    return EventOriginSerializer(
        read_only=True,
        allow_null=True,
        help_text="The monitoring or ticketing tool that sent the event (its source's name and kind); "
        "null when it was entered in the portal, imported from a file or sent through this API, "
        "or when its source was removed.",
    )


class IncidentSerializer(serializers.ModelSerializer):
    external_id = _external_id()
    source = _origin()
    pauses = PauseSerializer(
        many=True, required=False, help_text="Waiting on the customer; replaces stored pauses."
    )

    class Meta:
        model = Incident
        fields = [*INCIDENT_FIELDS, "pauses", "source", "created_at", "updated_at"]
        read_only_fields = ["source", "created_at", "updated_at"]
        extra_kwargs = {
            **_times("opened_at", "first_response_at", "resolved_at", required=("opened_at",)),
            "responsibility": {
                "help_text": "Key of the breached customer responsibility; required when cause is customer."
            },
        }


class OutageSerializer(serializers.ModelSerializer):
    external_id = _external_id()
    source = _origin()

    class Meta:
        model = Outage
        fields = [*OUTAGE_FIELDS, "source", "created_at", "updated_at"]
        read_only_fields = ["source", "created_at", "updated_at"]
        extra_kwargs = {
            **_times("start", "end", required=("start",)),
            "responsibility": {
                "help_text": "Key of the breached customer responsibility; required when cause is customer."
            },
        }


@extend_schema_field(
    {"type": "string", "format": "decimal", "pattern": r"^\d{1,4}(\.\d{1,2})?$", "example": "1.50"}
)
class HoursField(serializers.DecimalField):
    """Hours as a decimal string, at most two decimals (the schema says so exactly)."""


class WorkLogSerializer(serializers.ModelSerializer):
    external_id = _external_id()
    hours = HoursField(max_digits=6, decimal_places=2, coerce_to_string=True)

    class Meta:
        model = WorkLog
        fields = [*WORKLOG_FIELDS, "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class BatchErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="Position of the item in the list, from 0 (0 for one object).")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per field; non_field_errors for what concerns no one field.",
    )


class BatchInvalidSerializer(serializers.Serializer):
    """The body of every 400 and 409 answer of the API (compliance.api.errors)."""

    detail = serializers.CharField()
    errors = BatchErrorSerializer(many=True)


SERIALIZERS = {"incidents": IncidentSerializer, "outages": OutageSerializer, "worklogs": WorkLogSerializer}
