"""Recording a custom KPI's value for a month, from the contract's compliance page.

Only provider authors record values: the contract comes through
``tenancy.contracts_authored_by`` (anyone else gets a 404). Bad input shows the compliance
page again with the form's errors (400) and writes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from compliance.engine.periods import parse_period
from compliance.forms.events import PeriodForm
from compliance.forms.kpis import KpiValueForm
from compliance.selectors.kpis import kpi_levels
from compliance.services import kpis
from compliance.views.compliance import compliance_page, default_period
from compliance.views.events import add_service_errors
from contracts.selectors import tenancy


@login_required
@require_POST
def kpi_value_set(request, reference: str):
    contract = tenancy.get_for_user_or_404(tenancy.contracts_authored_by(request.user), reference=reference)
    form = KpiValueForm(request.POST, levels=kpi_levels(contract))
    form.helper.form_action = reverse("compliance:kpi_value_set", kwargs={"reference": reference})
    if form.is_valid():
        data = form.cleaned_data
        try:
            kpi, _ = kpis.kpi_value_set(
                contract=contract,
                service_level_key=data["service_level_key"],
                period=data["period"],
                value=data["value"],
                note=data["note"],
                user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Value {kpi.value.normalize():f} recorded for {kpi.period}.")
            page = reverse("compliance:contract_compliance", kwargs={"reference": reference})
            return redirect(f"{page}?period={kpi.period}")
    period = (
        parse_period(form.cleaned_data["period"])
        if "period" in form.cleaned_data
        else default_period(contract.time_zone)
    )
    context = {"contract": contract, "form": PeriodForm(), "run": None, "figures": None, "problem": ""}
    return compliance_page(request, contract, period, context, kpi_form=form, status=400)
