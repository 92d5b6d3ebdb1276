"""The customer acknowledges a report or disputes an item of it; the provider answers.

Each view is a POST: the report comes through a tenant selector (another tenant's report
is a 404, so is a customer action for someone not of the customer, or an answer from
someone not an admin or author at the provider), the form validates, the service decides
and writes. A refused step shows the report page again with the reason (400).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from compliance.forms.disputes import AcknowledgeForm, AnswerForm, DisputeForm
from compliance.selectors import disputes as selectors
from compliance.services import disputes as services
from compliance.views.events import add_service_errors
from compliance.views.reports import report_page


def _back(report):
    return redirect("compliance:report_detail", reference=report.contract.reference, report_id=report.pk)


def _refused(request, report, form, exc: ValidationError, name: str):
    add_service_errors(form, exc)
    return report_page(request, report, status=400, **{name: form})


@login_required
@require_POST
def dispute_raise(request, reference: str, report_id: int):
    report = selectors.report_for_customer_or_404(request.user, reference, report_id)
    form = DisputeForm(request.POST)
    if not form.is_valid():
        return report_page(request, report, status=400, dispute_form=form)
    try:
        services.dispute_raise(report=report, user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        return _refused(request, report, form, exc, "dispute_form")
    messages.success(request, "Your dispute is recorded; the provider has been told and will answer.")
    return _back(report)


@login_required
@require_POST
def report_acknowledge(request, reference: str, report_id: int):
    report = selectors.report_for_customer_or_404(request.user, reference, report_id)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        return report_page(request, report, status=400, acknowledge_form=form)
    try:
        services.report_acknowledge(report=report, user=request.user, note=form.cleaned_data["note"])
    except ValidationError as exc:
        return _refused(request, report, form, exc, "acknowledge_form")
    messages.success(request, "You acknowledged the report; the provider has been told.")
    return _back(report)


@login_required
@require_POST
def dispute_answer(request, reference: str, report_id: int, dispute_id: int):
    dispute = selectors.dispute_for_provider_or_404(request.user, reference, report_id, dispute_id)
    report = dispute.report
    form = AnswerForm(request.POST, prefix_id=dispute.pk)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == AnswerForm.ACCEPT
        try:
            services.dispute_answer(
                dispute=dispute, user=request.user, accept=accept, answer=form.cleaned_data["answer"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if accept:
                messages.success(
                    request,
                    "Dispute accepted; the customer has been told. Correct the event on its page: "
                    "an amendment of the report follows.",
                )
            else:
                messages.success(request, "Dispute rejected; the customer has been told with your reason.")
            return _back(report)
    return report_page(request, report, status=400, answer_forms={dispute.pk: form})
