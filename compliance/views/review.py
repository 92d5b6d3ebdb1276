"""The month close for provider staff: the month's reports held for review, issuing one or
all of them, and the amendments of issued months (issue as a new revision, or discard).

Only provider authors and admins have these pages; contracts and reports come through the
tenant selectors, so another tenant's report, a customer member or a viewer gets a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from compliance.forms.reports import AmendmentIssueForm, MonthForm
from compliance.reports.pdf import period_label
from compliance.selectors import report_runs
from compliance.selectors import reports as selectors
from compliance.selectors.issued import amendment_for
from compliance.services import reports as services
from compliance.services.amendments import amendment_discard, amendment_issue
from compliance.views.events import add_service_errors
from contracts.selectors import tenancy


def _provider_staff_or_404(user) -> None:
    if not tenancy.provider_organisations_authored_by(user).exists():
        raise Http404


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = fallback
    return redirect(target)


def _review_url(period: str) -> str:
    return reverse("compliance:reports_review") + f"?period={period}"


@login_required
@require_GET
def reports_review(request):
    """The month's reports of every contract the user provides, held or issued."""
    _provider_staff_or_404(request.user)
    form = MonthForm(request.GET or {"period": report_runs.default_report_period()})
    if not form.is_valid():
        return render(request, "compliance/report_review.html", {"form": form, "rows": []}, status=400)
    period = form.cleaned_data["period"]
    rows = selectors.reports_to_review(request.user, period)
    return render(
        request,
        "compliance/report_review.html",
        {
            "form": form,
            "period": period,
            "period_label": period_label(period),
            "rows": rows,
            "held": sum(row.held for row in rows),
            "amendments": sum(bool(row.amendment and row.amendment.pending) for row in rows),
        },
    )


@login_required
@require_POST
def report_issue(request, reference: str, report_id: int):
    report = selectors.report_authored_by_or_404(request.user, reference, report_id)
    if services.report_issue(report=report, user=request.user):
        messages.success(
            request, f"The report for {period_label(report.period)} is issued and being emailed."
        )
    elif report.is_issued:
        messages.info(request, "The report had been issued already: nothing was sent again.")
    else:
        messages.error(request, "Only a ready report that no later revision replaces can be issued.")
    return _back(request, reverse("compliance:report_detail", args=[reference, report.pk]))


@login_required
@require_POST
def reports_issue_all(request):
    _provider_staff_or_404(request.user)
    form = MonthForm(request.POST)
    if not form.is_valid():
        raise Http404
    period = form.cleaned_data["period"]
    held = list(selectors.held_reports_for(request.user, period))
    issued = services.reports_issue(reports=held, user=request.user)
    messages.success(
        request, f"{issued} report{'s' if issued != 1 else ''} issued for {period_label(period)}."
    )
    return redirect(_review_url(period))


def _amendment_contract(request, reference: str):
    return tenancy.get_for_user_or_404(tenancy.contracts_authored_by(request.user), reference=reference)


def _amendment_page(request, contract, period: str, form=None, status: int = 200):
    try:
        amendment = amendment_for(contract=contract, period=period)
    except ValidationError as exc:
        raise Http404(" ".join(exc.messages)) from None
    return render(
        request,
        "compliance/amendment.html",
        {
            "contract": contract,
            "period": period,
            "period_label": period_label(period),
            "amendment": amendment,
            "form": form or AmendmentIssueForm(initial={"period": period}),
        },
        status=status,
    )


@login_required
@require_GET
def amendment(request, reference: str):
    """The issued month against its live figures: what changed, before → after."""
    contract = _amendment_contract(request, reference)
    form = MonthForm(request.GET)
    if not form.is_valid():
        raise Http404
    return _amendment_page(request, contract, form.cleaned_data["period"])


@login_required
@require_POST
def amendment_issue_view(request, reference: str):
    contract = _amendment_contract(request, reference)
    form = AmendmentIssueForm(request.POST)
    if not form.is_valid():
        if "period" in form.errors:
            raise Http404
        return _amendment_page(request, contract, form.cleaned_data["period"], form, status=400)
    period = form.cleaned_data["period"]
    try:
        report = amendment_issue(
            contract=contract, period=period, user=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _amendment_page(request, contract, period, form, status=400)
    if report.is_issued:  # without a worker, the PDF was made within this request
        messages.success(
            request, f"Revision {report.revision} of {period_label(period)} is issued and being emailed."
        )
    else:
        messages.success(
            request,
            f"Revision {report.revision} of {period_label(period)} is being prepared; "
            "it is issued and emailed once its PDF is ready.",
        )
    return redirect("compliance:report_detail", reference=reference, report_id=report.pk)


@login_required
@require_POST
def amendment_discard_view(request, reference: str):
    contract = _amendment_contract(request, reference)
    form = MonthForm(request.POST)
    if not form.is_valid():
        raise Http404
    period = form.cleaned_data["period"]
    try:
        amendment_discard(contract=contract, period=period, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"The issued report for {period_label(period)} stands; the changes are set aside."
        )
    return redirect(_review_url(period))
