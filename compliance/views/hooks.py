"""The webhook URL of every event source: ``POST /hooks/<token>/``.

The view only hands the body and headers to the intake service and returns its answer; the
token is the only way to a source, so an unknown one answers 404 like any missing page.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from compliance.services.intake import MAX_BODY_BYTES, delivery_receive


@csrf_exempt
@require_POST
def source_hook(request, hook_token: str):
    body = request.read(MAX_BODY_BYTES + 1)
    receipt = delivery_receive(token=hook_token, body=body, headers=request.headers)
    response = JsonResponse(receipt.body, status=receipt.status)
    if receipt.status == 429:
        response["Retry-After"] = "60"
    return response
