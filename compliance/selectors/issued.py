"""What was issued of a month, and how the live figures stand against it.

A customer's members see of a month that is over only what the provider issued: the latest
issued report's evaluation (nothing, "not issued yet", before the first issue). Provider
staff see the live figures (``compliance.selectors.evaluations.evaluation_current``) and,
where a report was issued, the *amendment*: the figures that changed since, before → after.
Nothing here stores.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from compliance.engine.amendments import FigureChange, changes_digest, changes_summary, figures_changes
from compliance.engine.periods import format_period
from compliance.models import Evaluation, Report, ReportStatus
from compliance.selectors.evaluation_inputs import evaluation_inputs_for
from compliance.selectors.evaluations import (
    EvaluationRun,
    PeriodStanding,
    evaluation_current,
    evaluation_of,
    parse_period_or_error,
    period_standing,
)
from contracts.models import Contract, Membership

# ---------------------------------------------------------------- who sees what


def sees_issued_only(user, contract: Contract) -> bool:
    """Whether ``user`` reads ``contract`` as the customer: a member of the customer and not
    of the provider (provider staff read live figures)."""
    if not user.is_authenticated:
        return True
    return not Membership.objects.filter(user=user, organisation_id=contract.provider_id).exists()


def provider_org_ids(user) -> QuerySet:
    """The organisations ``user`` is a member of (for "is this the provider?" filters)."""
    return Membership.objects.filter(user=user).values("organisation_id")


# ---------------------------------------------------------------- issued reports


def issued_reports() -> QuerySet[Report]:
    """Issued reports that no later issued revision of the same month replaces."""
    newer = Report.objects.filter(
        contract=OuterRef("contract"),
        period=OuterRef("period"),
        revision__gt=OuterRef("revision"),
        issued_at__isnull=False,
    )
    return Report.objects.filter(issued_at__isnull=False, status=ReportStatus.READY).exclude(Exists(newer))


def issued_report(contract: Contract, period: str | tuple[int, int]) -> Report | None:
    """The latest issued report of ``contract`` for ``period``, with its evaluation."""
    label = format_period(*parse_period_or_error(period))
    return (
        Report.objects.filter(
            contract=contract, period=label, issued_at__isnull=False, status=ReportStatus.READY
        )
        .select_related("evaluation", "issued_by")
        .order_by("-revision")
        .first()
    )


def issued_before(report: Report) -> Report | None:
    """The report this one amends: the latest issued earlier revision of its month."""
    return (
        Report.objects.filter(
            contract_id=report.contract_id,
            period=report.period,
            revision__lt=report.revision,
            issued_at__isnull=False,
        )
        .select_related("evaluation")
        .order_by("-revision")
        .first()
    )


def issued_figures(contract_ids: Iterable[int], labels: Iterable[str]) -> dict[tuple[int, str], dict]:
    """The figures of the latest issued report per (contract id, period label), one query."""
    rows = (
        issued_reports()
        .filter(contract_id__in=list(contract_ids), period__in=list(labels))
        .values_list("contract_id", "period", "evaluation__figures")
    )
    return {(contract_id, period): figures for contract_id, period, figures in rows}


@dataclass(frozen=True)
class CustomerMonth:
    """What the customer sees of a month: live figures (the running month), the issued
    report's figures, or nothing yet (``not_issued``)."""

    run: EvaluationRun | None
    report: Report | None

    @property
    def not_issued(self) -> bool:
        return self.run is None

    @property
    def figures(self) -> dict | None:
        return None if self.run is None else self.run.figures


def customer_month(
    *, contract: Contract, period: str | tuple[int, int], now: datetime | None = None
) -> CustomerMonth:
    """The customer's view of one month: the running month live, a month that is over as it
    was issued. ``ValidationError`` as ``evaluation_current`` for a month without figures."""
    now = now or timezone.now()
    period = parse_period_or_error(period)
    if period_standing(contract=contract, period=period, now=now) is not PeriodStanding.OVER:
        return CustomerMonth(run=evaluation_current(contract=contract, period=period, now=now), report=None)
    report = issued_report(contract, period)
    if report is None:
        return CustomerMonth(run=None, report=None)
    return CustomerMonth(
        run=EvaluationRun(evaluation=report.evaluation, created=False, stored=True), report=report
    )


# ---------------------------------------------------------------- amendments


@dataclass(frozen=True)
class Amendment:
    """The live figures of an issued month against its issued report."""

    report: Report
    live: Evaluation
    changes: tuple[FigureChange, ...]

    @property
    def digest(self) -> str:
        return changes_digest(list(self.changes))

    @property
    def summary(self) -> str:
        return changes_summary(list(self.changes))

    @property
    def discarded(self) -> bool:
        """The provider reviewed exactly these changes and kept the issued figures."""
        return bool(self.changes) and self.report.amendment_discarded_digest == self.digest

    @property
    def pending(self) -> bool:
        return bool(self.changes) and not self.discarded


def amendment_of(report: Report, live: Evaluation) -> Amendment:
    return Amendment(
        report=report, live=live, changes=tuple(figures_changes(report.evaluation.figures, live.figures))
    )


def amendment_for(
    *, contract: Contract, period: str | tuple[int, int], now: datetime | None = None
) -> Amendment | None:
    """The amendment of an issued month (``pending`` when its figures changed and the
    provider has not discarded these changes), or ``None`` when nothing was issued."""
    report = issued_report(contract, period)
    if report is None:
        return None
    live = evaluation_current(contract=contract, period=period, now=now).evaluation
    return amendment_of(report, live)


def amendments_for(
    contracts: Sequence[Contract], period: str | tuple[int, int], *, now: datetime | None = None
) -> dict[int, Amendment]:
    """The amendment of each contract's issued month, by contract id, reading the inputs of
    all the contracts in a constant number of queries (``evaluation_inputs_for``)."""
    now = now or timezone.now()
    period = parse_period_or_error(period)
    label = format_period(*period)
    reports = {
        r.contract_id: r
        for r in issued_reports()
        .filter(contract__in=[c.pk for c in contracts], period=label)
        .select_related("evaluation")
    }
    if not reports:
        return {}
    chosen = [c for c in contracts if c.pk in reports]
    loaded = evaluation_inputs_for(chosen, period, now=now)
    latest = {}
    for evaluation in Evaluation.objects.filter(contract_id__in=list(loaded), period=label).order_by(
        "revision"
    ):
        latest[evaluation.contract_id] = evaluation
    found = {}
    for contract_id, inputs in loaded.items():
        live = evaluation_of(inputs, label, latest.get(contract_id)).evaluation
        found[contract_id] = amendment_of(reports[contract_id], live)
    return found
