"""Credit notes and the credits ledger.

Provider staff (admins and authors) make a report's credit note and mark it applied with
the invoice (POSTs); both parties read the ledger of their contracts and download the
credit notes and the exports (CSV and XLSX, safe against formula injection).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from compliance.forms.disputes import CreditNoteApplyForm
from compliance.selectors import credit_notes as selectors
from compliance.selectors import reports as report_selectors
from compliance.services import credit_notes as services
from compliance.views.events import add_service_errors
from compliance.views.reports import report_page
from contracts.selectors import tenancy
from slaportal import exports
from slaportal.files import stored_pdf_response

EXPORTS = {
    "ledger": ("credits-ledger", "Credits ledger"),
    "figures": ("monthly-figures", "Monthly figures"),
}


@login_required
@require_POST
def credit_note_make(request, reference: str, report_id: int):
    report = report_selectors.report_authored_by_or_404(request.user, reference, report_id)
    try:
        note = services.credit_note_create(report=report, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if note is None:
            messages.info(request, "This month owes no credits: there is no credit note to make.")
        else:
            messages.success(
                request,
                f"Credit note {note.number} is made; its PDF is being prepared and then emailed.",
            )
    return redirect("compliance:report_detail", reference=reference, report_id=report.pk)


@login_required
@require_GET
def credit_note_download(request, reference: str, credit_note_number: str):
    note = selectors.credit_note_for_user_or_404(request.user, credit_note_number, reference)
    return stored_pdf_response(note.pdf.name, note.filename)


@login_required
@require_POST
def credit_note_apply(request, reference: str, credit_note_number: str):
    note = selectors.credit_note_authored_by_or_404(request.user, credit_note_number, reference)
    form = CreditNoteApplyForm(request.POST)
    if form.is_valid():
        try:
            services.credit_note_apply(
                credit_note=note, user=request.user, invoice_reference=form.cleaned_data["invoice_reference"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Credit note {note.number} is marked applied.")
            if request.POST.get("next") == "ledger":
                return redirect("compliance:credits_ledger")
            return redirect("compliance:report_detail", reference=reference, report_id=note.report_id)
    report = report_selectors.report_for_user_or_404(request.user, reference, note.report_id)
    return report_page(request, report, status=400, apply_form=form)


@login_required
@require_GET
def credits_ledger(request):
    rows = selectors.credits_ledger(request.user)
    authored = set(tenancy.contracts_authored_by(request.user).values_list("reference", flat=True))
    return render(
        request,
        "compliance/credits_ledger.html",
        {
            "rows": rows,
            "totals": selectors.ledger_totals(rows),
            "authored": authored,
            "apply_form": CreditNoteApplyForm(),
        },
    )


def export_response(user, table: str, file_format: str, contracts=None) -> HttpResponse:
    """The ledger or the months' figures of ``user``'s contracts (or of ``contracts``) as
    CSV or XLSX."""
    if table not in EXPORTS or file_format not in ("csv", "xlsx"):
        raise Http404("No such export.")
    if table == "ledger":
        header, rows = (
            selectors.LEDGER_HEADER,
            selectors.ledger_table(selectors.credits_ledger(user, contracts)),
        )
    else:
        header, rows = selectors.FIGURES_HEADER, selectors.figures_table(user, contracts)
    name, title = EXPORTS[table]
    stamp = timezone.localdate().isoformat()
    if file_format == "csv":
        response = HttpResponse(exports.to_csv(header, rows), content_type=exports.CSV_TYPE)
    else:
        response = HttpResponse(exports.to_xlsx(header, rows, title=title), content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{file_format}"'
    return response


@login_required
@require_GET
def credits_export(request, table: str, file_format: str):
    return export_response(request.user, table, file_format)
