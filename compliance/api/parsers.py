"""A JSON parser for event payloads, which may be large batches.

DRF's own JSON parser reads the body through Django's ``request.body`` and so stops at
``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB), well below a batch of 10,000 incidents. This one
reads the stream itself up to its own bound, and reads numbers with decimals as ``Decimal``
(hours are decimals, never binary floats).
"""

from __future__ import annotations

import json
from decimal import Decimal

from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import BaseParser

MAX_BODY_BYTES = 64 * 1024 * 1024


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = f"The body is larger than {MAX_BODY_BYTES // (1024 * 1024)} MB; split the batch."
    default_code = "payload_too_large"


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number")


class EventJSONParser(BaseParser):
    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        body = stream.read(MAX_BODY_BYTES + 1) if stream is not None else b""
        if len(body) > MAX_BODY_BYTES:
            raise PayloadTooLarge()
        try:
            return json.loads(body.decode("utf-8"), parse_float=Decimal, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
