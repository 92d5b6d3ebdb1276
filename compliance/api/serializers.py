"""Representations of contracts and events in the API.

Incoming events are checked by the same cleaners as CSV rows (``compliance.services.rows``),
so the API and the import accept exactly the same values; these serializers describe the
fields (for the OpenAPI schema) and render stored events.
"""

from __future__ import annotations

from django.db import models
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


# Text without NUL characters, which PostgreSQL stores in neither text nor jsonb columns. One
# character at least: for a field that may be blank the schema offers "" as a oneOf branch of
# its own, which must be the only branch to match it (one that may not be has minLength 1).
@extend_schema_field({"type": "string", "pattern": r"^[^\u0000]+$"})
class TextField(serializers.CharField):
    """Text as it can be stored: a CharField refuses NUL characters, and the schema says so
    (its length limits are added from the validators as for any CharField)."""


class TextMapField(serializers.DictField):
    """An object whose keys are text as it can be stored (see :class:`TextField`): a key with
    a NUL character is refused like such a value. OpenAPI 3.0 has no keyword for keys (it
    left out JSON Schema's ``propertyNames``), so the schema cannot say it: such a body
    matches the schema and its refusal is a 409."""

    default_error_messages = {"null_key": "Null characters are not allowed in a key."}

    def run_child_validation(self, data):
        bad_keys = {str(key): [self.error_messages["null_key"]] for key in data if "\x00" in str(key)}
        try:
            result = super().run_child_validation(data)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({**exc.detail, **bad_keys}) from None
        if bad_keys:
            raise serializers.ValidationError(bad_keys)
        return result


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


def _external_id(*, in_url: bool = False) -> serializers.RegexField:
    help_text = (
        "The id in the sending tool, as text or a whole number; unique per contract. "
        "Sending it again updates the event. Answered as text."
    )
    if in_url:
        help_text = "May be left out, as the URL names the event; if sent, the same id as in the URL."
    return ExternalIdField(rf"^[\w.:@#+\-]{{1,{EXTERNAL_ID_MAX}}}$", required=not in_url, help_text=help_text)


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


class _EventSerializer(serializers.ModelSerializer):
    # Text fields say in the schema that they hold no NUL characters (the cleaners refuse them).
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: TextField,
        models.TextField: TextField,
    }


class IncidentSerializer(_EventSerializer):
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


class OutageSerializer(_EventSerializer):
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


class WorkLogSerializer(_EventSerializer):
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


# The request bodies of PUT: the URL names the event, so the body's external id is optional.
class IncidentReplaceSerializer(IncidentSerializer):
    external_id = _external_id(in_url=True)


class OutageReplaceSerializer(OutageSerializer):
    external_id = _external_id(in_url=True)


class WorkLogReplaceSerializer(WorkLogSerializer):
    external_id = _external_id(in_url=True)


SERIALIZERS = {"incidents": IncidentSerializer, "outages": OutageSerializer, "worklogs": WorkLogSerializer}
REPLACE_SERIALIZERS = {
    "incidents": IncidentReplaceSerializer,
    "outages": OutageReplaceSerializer,
    "worklogs": WorkLogReplaceSerializer,
}
