"""Reads of the monthly run: the month a run reports on, the contracts and recipients of a
month, and how far a run has come."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from compliance.engine.periods import format_period, parse_period, period_of, previous_period
from compliance.models import Delivery, DeliveryStatus, ItemStatus, RecipientKind, ReportRun, ReportRunItem
from contracts.models import Contract, Membership, Role
from contracts.models.contract import ContractStatus


def default_report_period(now: datetime | None = None) -> str:
    """The month before the current one in ``settings.TIME_ZONE``."""
    return format_period(*previous_period(*period_of(now or timezone.now(), ZoneInfo(settings.TIME_ZONE))))


def parse_period_or_error(period: str) -> tuple[int, int]:
    try:
        return parse_period(period)
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from None


def contracts_for_period(period: str) -> QuerySet[Contract]:
    """Active contracts whose term overlaps the period."""
    year, month = parse_period_or_error(period)
    first = datetime(year, month, 1).date()
    last = (datetime(*_next(year, month), 1) - timedelta(days=1)).date()
    return (
        Contract.objects.filter(status=ContractStatus.ACTIVE, start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .order_by("reference")
    )


def _next(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


@dataclass(frozen=True)
class Recipient:
    email: str
    user_id: int
    kind: str


def report_recipients(contract: Contract) -> list[Recipient]:
    """The customer's members flagged "receives monthly reports", then, in copy, the
    provider's admins with the same flag (its account owners). One entry per address."""
    return report_recipients_many([contract])[contract.pk]


def report_recipients_many(contracts: Sequence[Contract]) -> dict[int, list[Recipient]]:
    """``report_recipients`` of many contracts (by contract id) in one query."""
    organisation_ids = {pk for c in contracts for pk in (c.customer_id, c.provider_id)}
    members = (
        Membership.objects.filter(
            receives_reports=True, user__is_active=True, organisation_id__in=organisation_ids
        )
        .values_list("organisation_id", "role", "user_id", "user__email")
        .order_by("user__email")
    )
    by_organisation: dict[int, list[tuple[str, int, str]]] = {}
    for organisation_id, role, user_id, email in members:
        by_organisation.setdefault(organisation_id, []).append((role, user_id, email))
    found: dict[int, list[Recipient]] = {}
    for contract in contracts:
        chosen: dict[str, Recipient] = {}
        for _role, user_id, email in by_organisation.get(contract.customer_id, []):  # customer first
            chosen.setdefault(email.lower(), Recipient(email.lower(), user_id, RecipientKind.CUSTOMER))
        for role, user_id, email in by_organisation.get(contract.provider_id, []):
            if role == Role.ADMIN:
                chosen.setdefault(
                    email.lower(), Recipient(email.lower(), user_id, RecipientKind.PROVIDER_COPY)
                )
        found[contract.pk] = list(chosen.values())
    return found


def run_items(run: ReportRun, contracts: QuerySet[Contract]) -> QuerySet[ReportRunItem]:
    """The run's items among ``contracts``, each with its deliveries counted."""
    deliveries = Delivery.objects.filter(report=OuterRef("report"))
    return (
        ReportRunItem.objects.filter(run=run, contract__in=contracts)
        .select_related("contract__customer", "report")
        .annotate(
            unsent=Exists(deliveries.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING])),
            undelivered=Exists(deliveries.filter(status=DeliveryStatus.FAILED)),
            sent=Count("report__deliveries", filter=Q(report__deliveries__status=DeliveryStatus.SENT)),
            recipients=Count("report__deliveries"),
        )
        .order_by("contract__reference")
    )


@dataclass(frozen=True)
class RunProgress:
    total: int
    done: int
    failed: int
    pending: int

    @property
    def finished(self) -> bool:
        return self.pending == 0


def run_progress(run: ReportRun, contracts: QuerySet[Contract]) -> RunProgress:
    """Done (report stored and every email sent), failed (the report, or an email after
    its last try) and pending, over the run's items among ``contracts``; one query."""
    deliveries = Delivery.objects.filter(report=OuterRef("report"))
    counts = (
        ReportRunItem.objects.filter(run=run, contract__in=contracts)
        .annotate(
            unsent=Exists(deliveries.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING])),
            undelivered=Exists(deliveries.filter(status=DeliveryStatus.FAILED)),
        )
        .aggregate(
            total=Count("pk"),
            failed=Count("pk", filter=Q(status=ItemStatus.FAILED) | Q(undelivered=True)),
            done=Count("pk", filter=Q(status=ItemStatus.DONE, unsent=False, undelivered=False)),
        )
    )
    total, failed, done = counts["total"], counts["failed"], counts["done"]
    return RunProgress(total=total, done=done, failed=failed, pending=total - done - failed)
