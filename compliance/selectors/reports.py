"""Reads of reports and runs, scoped by user through ``contracts.selectors.tenancy``: a report of a
contract the user is not a party to is in no queryset here (looking it up answers 404)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from compliance.engine.periods import format_period, parse_period, previous_period
from compliance.models import DeliveryStatus, Report, ReportRun, ReportStatus
from compliance.selectors.issued import Amendment, amendments_for
from compliance.selectors.scorecards import MonthVerdict, month_verdict
from compliance.selectors.trends import latest_stored
from contracts.models import Contract, Organisation
from contracts.selectors import tenancy


def reports_for_user(user) -> QuerySet[Report]:
    """Reports of the contracts the user's organisations are a party to, with their
    deliveries counted. The customer's members see issued reports only; a report held for
    the provider's review is in no queryset of theirs (404)."""
    member_of = tenancy.memberships_for_user(user).values("organisation_id")
    return (
        Report.objects.filter(contract__in=tenancy.contracts_for_user(user))
        .filter(Q(contract__provider__in=member_of) | Q(issued_at__isnull=False))
        .select_related("contract__provider", "contract__customer")
        .annotate(
            recipients=Count("deliveries"),
            sent=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.SENT)),
            failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
        )
        .order_by("-period", "contract__reference", "-revision")
    )


def report_for_user_or_404(user, reference: str, report_id: int) -> Report:
    return tenancy.get_for_user_or_404(reports_for_user(user), pk=report_id, contract__reference=reference)


def report_authored_by_or_404(user, reference: str, report_id: int) -> Report:
    """A report the user may resend: their organisation is the provider, they author."""
    reports = Report.objects.filter(contract__in=tenancy.contracts_authored_by(user)).select_related(
        "contract"
    )
    return tenancy.get_for_user_or_404(reports, pk=report_id, contract__reference=reference)


def customer_for_user_or_404(user, slug: str) -> Organisation:
    """A customer organisation of one of the user's contracts (or the user's own)."""
    customers = Organisation.objects.filter(
        contracts_as_customer__in=tenancy.contracts_for_user(user)
    ).distinct()
    return tenancy.get_for_user_or_404(customers, slug=slug)


def run_contracts_for_user(user) -> QuerySet[Contract]:
    return tenancy.contracts_for_user(user)


def run_for_user_or_404(user, run_id: int) -> ReportRun:
    """A run with at least one contract the user is a party to."""
    runs = ReportRun.objects.filter(items__contract__in=tenancy.contracts_for_user(user)).distinct()
    return tenancy.get_for_user_or_404(runs, pk=run_id)


def runs_for_user(user) -> QuerySet[ReportRun]:
    return (
        ReportRun.objects.filter(items__contract__in=tenancy.contracts_for_user(user))
        .distinct()
        .order_by("-started_at", "-id")
    )


# ---------------------------------------------------------------- the month's review


@dataclass(frozen=True)
class ReviewRow:
    """One contract's report of the month on the provider's review page."""

    contract: Contract
    report: Report
    verdict: MonthVerdict
    previous: MonthVerdict | None
    amendment: Amendment | None

    @property
    def held(self) -> bool:
        return self.report.is_ready and not self.report.is_issued

    @property
    def credit_change(self) -> Decimal | None:
        if self.previous is None or self.previous.currency != self.verdict.currency:
            return None
        return self.verdict.credit - self.previous.credit

    @property
    def missed_change(self) -> int | None:
        return None if self.previous is None else self.verdict.missed - self.previous.missed


def reports_to_review(user, period: str, *, now=None) -> list[ReviewRow]:
    """The month's latest report of each contract the user authors for as the provider,
    with its key figures, the previous month's for comparison, and for an issued month the
    amendment (live figures against it). Queries do not grow with the contracts."""

    contracts = tenancy.contracts_authored_by(user)
    newest = Report.objects.filter(contract=OuterRef("contract"), period=OuterRef("period")).order_by(
        "-revision"
    )
    reports = list(
        Report.objects.filter(
            contract__in=contracts, period=period, revision=Subquery(newest.values("revision")[:1])
        )
        .select_related("contract__customer", "evaluation")
        .order_by("contract__customer__name", "contract__reference")
    )
    before = format_period(*previous_period(*parse_period(period)))
    earlier = {
        (row.contract_id, row.period): row.figures
        for row in latest_stored([r.contract_id for r in reports], [before]).values()
    }
    issued = [r.contract for r in reports if r.is_issued]
    amendments = amendments_for(issued, period, now=now) if issued else {}
    rows = []
    for report in reports:
        previous = earlier.get((report.contract_id, before))
        rows.append(
            ReviewRow(
                contract=report.contract,
                report=report,
                verdict=month_verdict(report.evaluation.figures),
                previous=None if previous is None else month_verdict(previous),
                amendment=amendments.get(report.contract_id),
            )
        )
    return rows


def held_reports_for(user, period: str) -> QuerySet[Report]:
    """The month's ready reports held for review, of contracts the user authors for."""
    return Report.objects.filter(
        contract__in=tenancy.contracts_authored_by(user),
        period=period,
        status=ReportStatus.READY,
        issued_at__isnull=True,
    ).select_related("contract")
