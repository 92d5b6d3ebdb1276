"""Verifying a sealed PDF (public): a monthly report or a signed contract.

Reports and signed contracts are sealed with the same key; compliance sits above contracts
and knows both kinds of record, so the page lives here. The page needs no sign-in, so it is
built not to be a way to stop the site: uploads are limited per address (per account when
signed in) before the body is read, a file that cannot be a sealed PDF of this portal is
refused without parsing, and the rest is parsed in a bounded pool of child processes with
time and memory limits (``compliance.reports.verification.verify_pdf_upload``).
"""

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from compliance.reports.verification import UploadRefused, verify_pdf_upload
from contracts.forms.signing import MAX_UPLOAD_BYTES, VerifyForm
from slaportal.security import client_ip

TEMPLATE = "contracts/signing/verify.html"


def _rate_key(request) -> tuple[str, int]:
    limit = settings.VERIFY_UPLOADS_PER_WINDOW
    if request.user.is_authenticated:
        return f"verify-uploads:user:{request.user.pk}", limit * 5
    return f"verify-uploads:ip:{client_ip(request) or 'unknown'}", limit


def _over_rate(request) -> bool:
    """Count this upload; True when its sender has used up the window."""
    key, limit = _rate_key(request)
    cache.add(key, 0, timeout=settings.VERIFY_RATE_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.VERIFY_RATE_WINDOW)
        count = 1
    return count > limit


def _refused(request, message: str, status: int):
    form = VerifyForm()
    headers = {"Retry-After": "60"} if status in (429, 503) else {}
    response = render(request, TEMPLATE, {"form": form, "refusal": message}, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


@require_http_methods(["GET", "POST"])
def verify(request):
    """Anyone holding a PDF may check it: the result only describes the file they hold."""
    if request.method == "GET":
        return render(request, TEMPLATE, {"form": VerifyForm(), "result": None})
    if _over_rate(request):
        minutes = max(settings.VERIFY_RATE_WINDOW // 60, 1)
        return _refused(
            request,
            f"Too many files checked from your address: at most {settings.VERIFY_UPLOADS_PER_WINDOW} "
            f"in {minutes} minutes. Please try again later, or sign in.",
            429,
        )
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_UPLOAD_BYTES + 64 * 1024:
        return _refused(
            request, "The file is larger than 25 MB: this is not a sealed PDF of the portal.", 400
        )
    form = VerifyForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form, "result": None}, status=400)
    try:
        result = verify_pdf_upload(form.cleaned_data["file"].read())
    except UploadRefused as refused:
        return _refused(request, refused.message, refused.status)
    return render(request, TEMPLATE, {"form": VerifyForm(), "result": result})
