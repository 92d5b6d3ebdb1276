"""Reads of reports and runs, scoped by user through ``contracts.selectors.tenancy``: a report of a
contract the user is not a party to is in no queryset here (looking it up answers 404)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from compliance.models import DeliveryStatus, Report, ReportRun
from contracts.models import Contract, Organisation
from contracts.selectors import tenancy


def reports_for_user(user) -> QuerySet[Report]:
    """Reports of the contracts the user's organisations are a party to, with their
    deliveries counted."""
    return (
        Report.objects.filter(contract__in=tenancy.contracts_for_user(user))
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
