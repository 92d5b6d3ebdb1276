"""Report pages: a report with its PDF for both parties, lists per contract and per
customer, regenerate and resend for provider authors, and a run's progress.

Reports come through ``compliance.selectors.reports`` (built on ``contracts.selectors.tenancy``): another
tenant's report, run or contract is a 404, and so is an action for a member without the
author role at the provider.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from compliance.engine.amendments import changes_summary, figures_changes
from compliance.engine.disputes import format_day
from compliance.forms.disputes import AcknowledgeForm, AnswerForm, CreditNoteApplyForm, DisputeForm
from compliance.forms.reports import RegenerateForm
from compliance.models import Delivery, ReportStatus
from compliance.reports.pdf import period_label, verdict
from compliance.selectors import disputes as dispute_selectors
from compliance.selectors import report_runs
from compliance.selectors import reports as selectors
from compliance.selectors.credit_notes import credit_note_of
from compliance.selectors.issued import issued_before
from compliance.services import reports as services
from compliance.views.compliance import default_period
from compliance.views.events import add_service_errors
from contracts.caching.pages import cached_page
from contracts.forms.editor import ContractReportsForm
from contracts.selectors import tenancy
from slaportal.files import stored_pdf_response


def _can_author(user, contract) -> bool:
    return tenancy.contracts_authored_by(user).filter(pk=contract.pk).exists()


def _contract_reports(request, contract, form, status=200):
    reports = selectors.reports_for_user(request.user).filter(contract=contract)
    settings_form = ContractReportsForm(
        initial={
            "reports_issued_automatically": contract.reports_issued_automatically,
            "next": reverse("compliance:contract_reports", kwargs={"reference": contract.reference}),
        },
        action=reverse("contracts:contract_reports_settings", kwargs={"reference": contract.reference}),
    )
    return render(
        request,
        "compliance/report_list.html",
        {
            "contract": contract,
            "reports": reports,
            "form": form,
            "settings_form": settings_form,
            "can_author": _can_author(request.user, contract),
            "runs": selectors.runs_for_user(request.user).filter(items__contract=contract)[:5],
        },
        status=status,
    )


@login_required
@require_GET
@cached_page
def contract_reports(request, reference: str):
    contract = tenancy.get_contract_for_user_or_404(request.user, reference)
    period = "-".join(f"{part:02d}" for part in default_period(contract.time_zone))
    return _contract_reports(request, contract, RegenerateForm(initial={"period": period}))


@login_required
@require_GET
def customer_reports(request, slug: str):
    customer = selectors.customer_for_user_or_404(request.user, slug)
    reports = selectors.reports_for_user(request.user).filter(contract__customer=customer)
    return render(request, "compliance/report_customer.html", {"customer": customer, "reports": reports})


@login_required
@require_GET
def report_detail(request, reference: str, report_id: int):
    report = selectors.report_for_user_or_404(request.user, reference, report_id)
    return report_page(request, report)


def report_page(request, report, *, status: int = 200, **forms):
    """The report page; ``forms`` replace the empty dispute, acknowledge and answer forms
    (bound, with their errors, after a refused POST)."""
    deliveries = Delivery.objects.filter(report=report).order_by("kind", "email")
    figures = report.evaluation.figures
    amends = issued_before(report)
    changes = figures_changes(amends.evaluation.figures, figures) if amends else []
    standing = dispute_selectors.report_standing(report)
    is_customer = (
        dispute_selectors.contracts_as_customer_member(request.user).filter(pk=report.contract_id).exists()
    )
    can_author = _can_author(request.user, report.contract)
    disputes = list(dispute_selectors.disputes_of(report))
    answer_forms = forms.get("answer_forms", {})
    for dispute in disputes:
        dispute.answer_form = answer_forms.get(dispute.pk) or AnswerForm(prefix_id=dispute.pk)
    acknowledgement = dispute_selectors.acknowledgement_of(report)
    may_respond = is_customer and standing.window_open and acknowledgement is None
    return render(
        request,
        "compliance/report_detail.html",
        {
            "report": report,
            "contract": report.contract,
            "period_label": period_label(report.period),
            "verdict": verdict(figures),
            "figures": figures,
            "deliveries": deliveries,
            "amends": amends,
            "amendment_text": changes_summary(changes),
            "can_author": can_author,
            "newer": selectors.reports_for_user(request.user)
            .filter(contract=report.contract, period=report.period, revision__gt=report.revision)
            .first(),
            "standing": standing,
            "closes_on": format_day(standing.closes_on) if standing.closes_on else "",
            "disputes": disputes,
            "corrects": list(dispute_selectors.disputes_corrected_by(report)),
            "acknowledgement": acknowledgement,
            "is_customer": is_customer,
            "may_respond": may_respond,
            "event_ids": [e.get("external_id") for e in figures.get("exclusions", [])],
            "dispute_form": forms.get("dispute_form") or DisputeForm(exclusions=True),
            "acknowledge_form": forms.get("acknowledge_form") or AcknowledgeForm(),
            **_progress_context(report),
            "apply_form": forms.get("apply_form") or CreditNoteApplyForm(),
        },
        status=status,
    )


def _progress_context(report) -> dict:
    credit_note = credit_note_of(report)
    return {
        "report": report,
        "contract": report.contract,
        "credit_note": credit_note,
        "preparing": report.status == ReportStatus.PENDING
        or (credit_note is not None and not credit_note.pdf),
    }


@login_required
@require_GET
def report_progress(request, reference: str, report_id: int):
    """What of the report is still being prepared in the background (its PDF, its credit
    note's PDF), polled by htmx; once nothing is, the downloads, and htmx reloads the page
    (which then shows the report issued and its emails)."""
    report = selectors.report_for_user_or_404(request.user, reference, report_id)
    context = _progress_context(report)
    response = render(request, "compliance/_report_progress.html", context)
    if not context["preparing"] and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_GET
def report_download(request, reference: str, report_id: int):
    report = selectors.report_for_user_or_404(request.user, reference, report_id)
    if report.status != ReportStatus.READY:
        raise Http404("The report's PDF is not ready.")
    return stored_pdf_response(report.pdf.name, report.filename)


@login_required
@require_POST
def report_resend(request, reference: str, report_id: int):
    report = selectors.report_authored_by_or_404(request.user, reference, report_id)
    try:
        queued = services.report_resend(report=report, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if queued:
            messages.success(
                request, f"The report is being sent to {queued} recipient(s) who have not received it."
            )
        else:
            messages.info(request, "Every recipient has received the report already: nothing to send.")
    return redirect("compliance:report_detail", reference=reference, report_id=report.pk)


@login_required
@require_POST
def report_regenerate(request, reference: str):
    contract = tenancy.get_for_user_or_404(tenancy.contracts_authored_by(request.user), reference=reference)
    form = RegenerateForm(request.POST)
    if form.is_valid():
        try:
            run = services.report_regenerate(
                contract=contract, period=form.cleaned_data["period"], user=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            then = "issued at once" if contract.reports_issued_automatically else "held for your review"
            messages.success(
                request, f"The report for {period_label(run.period)} is being made again, to be {then}."
            )
            return redirect("compliance:report_run", run_id=run.pk)
    return _contract_reports(request, contract, form, status=400)


def _run_context(request, run):
    contracts = selectors.run_contracts_for_user(request.user)
    return {
        "run": run,
        "period_label": period_label(run.period),
        "progress": report_runs.run_progress(run, contracts),
        "items": report_runs.run_items(run, contracts),
    }


@login_required
@require_GET
def report_run(request, run_id: int):
    run = selectors.run_for_user_or_404(request.user, run_id)
    return render(request, "compliance/report_run.html", _run_context(request, run))


@login_required
@require_GET
def report_run_progress(request, run_id: int):
    """The progress panel alone, polled by htmx while items are pending."""
    run = selectors.run_for_user_or_404(request.user, run_id)
    return render(request, "compliance/_report_run_progress.html", _run_context(request, run))
