"""Verifying a sealed PDF (public): a monthly report or a signed contract.

Reports and signed contracts are sealed with the same key; compliance sits above contracts
and knows both kinds of record, so the page lives here.
"""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from compliance.reports.verification import verify_pdf_bytes
from contracts.forms.signing import VerifyForm


@require_http_methods(["GET", "POST"])
def verify(request):
    """Anyone holding a PDF may check it: the result only describes the file they hold."""
    form = VerifyForm(request.POST, request.FILES) if request.method == "POST" else VerifyForm()
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            result = verify_pdf_bytes(form.cleaned_data["file"].read())
        else:
            status = 400
    return render(request, "contracts/signing/verify.html", {"form": form, "result": result}, status=status)
