"""The API's one error body shape.

Every error answer is a JSON object with ``detail``, a sentence for people. An answer about
the request's content (400, 409) adds ``errors``: a list of ``{"index": n, "errors": {field:
[messages]}}``, one entry per bad item (a single object is item 0; ``non_field_errors`` holds
what concerns no one field). 400 means the request does not match the schema; 409 means it
does but conflicts with the contract's terms or the stored data (a service or responsibility
the contract's version lacks, times out of order, a dispute window that has closed). Other
errors (401, 403, 404, 405, 429) carry ``detail`` only. Nothing is written with any error.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers, status
from rest_framework.response import Response

from compliance.api.serializers import BatchInvalidSerializer as InvalidSerializer

INVALID = "The request is not valid: nothing was written."
CONFLICT = "The request does not fit the contract's terms or the stored data: nothing was written."

Errors = dict[str, list[str]]


class DetailSerializer(serializers.Serializer):
    """The body of any other error answer."""

    detail = serializers.CharField()


BAD_REQUEST = OpenApiResponse(
    InvalidSerializer,
    description="The request does not match the schema; errors per item. Nothing was written.",
)
CONFLICT_RESPONSE = OpenApiResponse(
    InvalidSerializer,
    description=(
        "The request matches the schema but not the contract's terms or the stored data (for example a "
        "service or responsibility its version lacks); errors per item. Nothing was written."
    ),
)


def field_errors(exc: ValidationError) -> Errors:
    if hasattr(exc, "error_dict"):
        return {field: [m for e in errors for m in e.messages] for field, errors in exc.error_dict.items()}
    return {"non_field_errors": exc.messages}


def invalid(
    errors: Errors | list[tuple[int, Errors]] | ValidationError,
    *,
    conflict: bool = False,
    detail: str | None = None,
) -> Response:
    """A 400 (or with ``conflict`` a 409) answer in the one error shape."""
    if isinstance(errors, ValidationError):
        errors = field_errors(errors)
    items = [(0, errors)] if isinstance(errors, dict) else errors
    body = {
        "detail": detail or (CONFLICT if conflict else INVALID),
        "errors": [{"index": index, "errors": item} for index, item in items],
    }
    return Response(body, status=status.HTTP_409_CONFLICT if conflict else status.HTTP_400_BAD_REQUEST)


def one_error(field: str, message: str, *, conflict: bool = False) -> Response:
    return invalid({field: [message]}, conflict=conflict)
