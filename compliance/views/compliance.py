"""A contract's compliance page: one month's figures, for both parties.

The contract comes through ``contracts.selectors.tenancy`` (another tenant's is a 404). The figures
are the stored evaluation of the month (a new revision only when its inputs changed), or,
for the month still running, figures computed so far and not stored, with the forecast of
where the month is heading. Trend charts cover the twelve months ending at the month shown
(``compliance.selectors.trends``: earlier months from their stored revisions, missing ones evaluated
in bulk). A month before the contract's term, after it, or in the future says so and has
no figures; the links to other months stay within the months that have figures.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from compliance.engine.periods import format_period, next_period, period_of, previous_period
from compliance.forms.events import PeriodForm
from compliance.forms.kpis import KpiValueForm
from compliance.selectors import issued, scorecards, trends
from compliance.selectors.evaluations import (
    EvaluationRun,
    PeriodStanding,
    evaluation_current,
    period_standing,
)
from compliance.selectors.kpis import kpi_levels
from contracts.caching.pages import cached_page
from contracts.selectors import tenancy


def default_period(time_zone: str, now: datetime | None = None) -> tuple[int, int]:
    """The last month that is over on the contract's clock."""
    return previous_period(*period_of(now or timezone.now(), ZoneInfo(time_zone)))


@login_required
@require_GET
@cached_page
def contract_compliance(request, reference: str):
    contract = tenancy.get_contract_for_user_or_404(request.user, reference)
    form = PeriodForm(request.GET or None)
    context = {"contract": contract, "form": form, "run": None, "figures": None, "problem": "", "period": ""}
    if form.is_bound and not form.is_valid():
        return render(request, "compliance/compliance_contract.html", context, status=400)
    period = (form.cleaned_data.get("period") if form.is_bound else None) or default_period(
        contract.time_zone
    )
    return compliance_page(request, contract, period, context)


def compliance_page(
    request, contract, period: tuple[int, int], context: dict, *, kpi_form=None, status: int = 200
):
    """The compliance page of ``contract`` for ``period``; provider authors also get the
    form recording custom KPI values (``kpi_form`` when re-shown with errors)."""
    now = timezone.now()
    customer_view = issued.sees_issued_only(request.user, contract)
    context.update(
        period=format_period(*period), customer_view=customer_view, **_months_around(contract, period, now)
    )
    try:
        run, report = _month_figures(contract, period, now, customer_view=customer_view)
    except ValidationError as exc:
        context["problem"] = " ".join(exc.messages)
    else:
        over = period_standing(contract=contract, period=period, now=now) is PeriodStanding.OVER
        context.update(issued_report=report, month_over=over, not_issued=run is None)
        if report is not None and not customer_view:
            context["amendment"] = issued.amendment_of(report, run.evaluation)
        if run is not None:
            context.update(
                run=run,
                figures=run.figures,
                **_trends_and_forecast(contract, period, run, issued_only=customer_view),
            )
    # Values are recorded only for a month that has figures.
    if kpi_form is None and context["run"] is not None:
        kpi_form = kpi_form_for(request.user, contract, period)
    context["kpi_form"] = kpi_form
    return render(request, "compliance/compliance_contract.html", context, status=status)


def _month_figures(contract, period: tuple[int, int], now: datetime, *, customer_view: bool):
    """The figures shown and the month's latest issued report: for the customer the issued
    figures of a month that is over (``None`` before it is issued) and the running month
    live; for provider staff the live figures."""
    if customer_view:
        month = issued.customer_month(contract=contract, period=period, now=now)
        return month.run, month.report
    run = evaluation_current(contract=contract, period=period, now=now)
    report = None
    if period_standing(contract=contract, period=period, now=now) is PeriodStanding.OVER:
        report = issued.issued_report(contract, period)
    return run, report


def _months_around(contract, period: tuple[int, int], now: datetime) -> dict:
    """The previous and next months when they have figures (empty otherwise), and the first
    and last months that have any, for the month picker (``last_month`` empty when no month
    has started yet)."""

    def label_if_evaluable(month: tuple[int, int]) -> str:
        evaluable = period_standing(contract=contract, period=month, now=now).evaluable
        return format_period(*month) if evaluable else ""

    first = (contract.start_date.year, contract.start_date.month)
    last = period_of(now, ZoneInfo(contract.time_zone))
    if contract.end_date is not None:
        last = min(last, (contract.end_date.year, contract.end_date.month))
    return {
        "previous": label_if_evaluable(previous_period(*period)),
        "next": label_if_evaluable(next_period(*period)),
        "first_month": format_period(*first),
        "last_month": format_period(*last) if last >= first else "",
    }


def kpi_form_for(user, contract, period: tuple[int, int]) -> KpiValueForm | None:
    """An empty KPI form for provider authors of a contract with custom KPI levels."""
    if not tenancy.contracts_authored_by(user).filter(pk=contract.pk).exists():
        return None
    levels = kpi_levels(contract)
    if not levels.custom:
        return None
    form = KpiValueForm(levels=levels, initial={"period": format_period(*period)})
    form.helper.form_action = reverse("compliance:kpi_value_set", kwargs={"reference": contract.reference})
    return form


def _safe(charts: list[trends.Chart]) -> list[dict]:
    # The SVG is written by compliance.engine.charts from our own figures; every text in it
    # (titles, service level names, summaries) is XML-escaped there, so it can be inlined
    # as markup.
    return [{"title": chart.title, "svg": mark_safe(chart.svg)} for chart in charts]  # noqa: S308


def _trends_and_forecast(
    contract, period: tuple[int, int], run: EvaluationRun, *, issued_only: bool = False
) -> dict:
    """The trend charts over the twelve months ending at ``period``, the month's own charts,
    and for the running month the forecast of each availability level with credit tiers,
    with the other service levels already missed so far (the forecast does not cover them)."""
    figures = run.figures
    trend = trends.contract_trend(contract, period, selected=figures, issued_only=issued_only)
    forecasts, missed_so_far = [], []
    if not figures.get("final", True):
        tiers, cap = scorecards.availability_credit_terms(run.evaluation.version)
        forecasts = trends.month_forecasts(figures, tiers, cap, contract.time_zone)
        forecast_keys = {item.key for item in forecasts}
        missed_so_far = [
            level["name"]
            for level in figures["service_levels"]
            if level["met"] is False and level["key"] not in forecast_keys
        ]
    return {
        "trend": trend,
        "trend_charts": _safe(trends.trend_charts(trend)),
        "month_charts": _safe(trends.month_charts(figures)),
        "forecasts": forecasts,
        "missed_so_far": missed_so_far,
    }
