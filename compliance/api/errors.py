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

import functools
import re

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


def flat_errors(errors) -> Errors:
    """A serializer's or a service's field errors as ``{field: [messages]}``. A message about
    a value inside the field (a nested serializer's, a dict's or a list's) says where it
    belongs: ``value_maps → “priority” → “x”: Null characters are not allowed.``"""
    if isinstance(errors, ValidationError):
        return field_errors(errors)
    return {str(field): _messages(detail, (str(field),)) for field, detail in dict(errors).items()}


def _messages(detail, where: tuple[str, ...]) -> list[str]:
    """The messages of ``detail`` at ``where`` (the field, then the keys and indexes within it)."""
    if isinstance(detail, dict):
        return [m for key, value in detail.items() for m in _messages(value, (*where, _key(key)))]
    if isinstance(detail, list | tuple):
        if any(isinstance(item, dict) for item in detail):  # a nested list serializer: errors per item
            return [m for index, item in enumerate(detail) for m in _messages(item, (*where, str(index)))]
        return [m for item in detail for m in _messages(item, where)]
    return [f"{' → '.join(where)}: {detail}" if len(where) > 1 else str(detail)]


def _key(key) -> str:
    """A dict key as a message names it: text quoted, with characters that do not print (NUL,
    control characters) written as escapes; a list index as its number."""
    if isinstance(key, int):
        return str(key)
    text = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in str(key))
    return f"“{text}”"


def one_error(field: str, message: str, *, conflict: bool = False) -> Response:
    return invalid({field: [message]}, conflict=conflict)


# ---------------------------------------------------------------- 400 or 409


@functools.cache
def _request_schemas() -> tuple[dict, dict]:
    """The request body schema of each operation, by (path, method), and the components: the
    schema the API serves, generated once per process."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    bodies = {}
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            content = (
                (operation.get("requestBody") or {}).get("content", {}) if isinstance(operation, dict) else {}
            )
            if "application/json" in content:
                bodies[(path, method)] = content["application/json"]["schema"]
    return _json_schema(bodies), _json_schema(schema.get("components", {}))


def _json_schema(node):
    """OpenAPI 3.0 schemas as JSON Schema: ``nullable: true`` becomes a type that admits null."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        if "type" in node:
            node["type"] = (
                [node["type"], "null"] if isinstance(node["type"], str) else [*node["type"], "null"]
            )
            if "enum" in node:
                node["enum"] = [*node["enum"], None]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


def matches_request_schema(path: str, method: str, body) -> bool:
    """Whether ``body`` is valid for the request schema of the operation at ``path`` (as the
    schema writes it, ``/api/v1/contracts/{reference}/incidents/``) and ``method``.

    A refused body that matches its schema is answered 409, one that does not 400: the schema
    tells which answers a client can expect from the shape of what it sends."""
    import jsonschema

    bodies, components = _request_schemas()
    schema = bodies.get((path, method.lower()))
    if schema is None:
        return False
    validator = jsonschema.Draft202012Validator({**schema, "components": components})
    return validator.is_valid(body)


def schema_path(request) -> str:
    """The path of the request's operation as the schema writes it."""
    route = request.resolver_match.route
    return "/api/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route.removeprefix("api/"))


def refused(
    request, errors: Errors | list[tuple[int, Errors]] | ValidationError, *, detail: str | None = None
) -> Response:
    """The answer to a request whose content was refused: 409 when what was sent matches the
    operation's request schema (for a list, when every refused item does), else 400."""
    path, method, data = schema_path(request), request.method, request.data
    if isinstance(data, list) and isinstance(errors, list):
        conflict = all(
            index < len(data) and matches_request_schema(path, method, data[index]) for index, _ in errors
        )
    else:
        conflict = matches_request_schema(path, method, data)
    return invalid(errors, conflict=conflict, detail=detail)


def exception_handler(exc, context):
    """DRF's answers in the one shape: a body that cannot be read (400) lists its problem as
    item 0's ``non_field_errors``; other errors keep ``{"detail": …}``."""
    from rest_framework import exceptions
    from rest_framework.views import exception_handler as drf_handler

    response = drf_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ParseError | exceptions.ValidationError | exceptions.UnsupportedMediaType):
        detail = exc.detail
        errors = flat_errors(detail if isinstance(detail, dict) else {"non_field_errors": detail})
        body = {"detail": INVALID, "errors": [{"index": 0, "errors": errors}]}
        if isinstance(exc, exceptions.UnsupportedMediaType):
            body = {"detail": str(exc.detail)}
        response.data = body
    return response
