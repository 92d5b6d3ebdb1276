"""Reads of the month in short: verdicts per contract and month, scorecards, standings."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, QuerySet

from compliance.engine.periods import format_period, period_of, previous_period
from compliance.selectors.contract_terms import credit_cap, credit_tier
from compliance.selectors.evaluations import period_standing
from compliance.selectors.issued import issued_figures
from compliance.selectors.trends import monthly_figures
from contracts.models import Contract, CreditCap, CreditTier, ServiceLevel, Version
from contracts.models.contract import ContractStatus
from contracts.selectors import tenancy

# ---------------------------------------------------------------- compliance figures


def availability_credit_terms(version: Version) -> tuple[dict[str, tuple], object | None]:
    """The credit tiers of each availability service level of ``version`` (by key), and
    its credit cap (``compliance.engine.credits.CreditCap`` or ``None``), in two queries."""

    tiers: dict[str, list] = {}
    levels = ServiceLevel.objects.filter(version=version, metric="availability").prefetch_related(
        Prefetch("credit_tiers", queryset=CreditTier.objects.order_by("-below"))
    )
    for level in levels:
        tiers[level.key] = tuple(credit_tier(tier) for tier in level.credit_tiers.all())
    cap = CreditCap.objects.filter(version=version).first()
    return tiers, (credit_cap(cap) if cap else None)


@dataclass(frozen=True)
class MonthVerdict:
    """One contract's month in short: missed service levels and the credit owed."""

    period: str
    missed: int
    measured: int
    credit: Decimal
    credit_hours: Decimal
    currency: str
    final: bool

    @property
    def met(self) -> bool:
        return self.missed == 0

    not_issued = False


@dataclass(frozen=True)
class MonthNotIssued:
    """A month that is over whose report the provider has not issued yet: the customer sees
    no figures for it."""

    period: str
    not_issued = True


def month_verdict(figures: dict) -> MonthVerdict:
    """The verdict of stored figures (``compliance.engine.evaluation_json``)."""
    levels = figures.get("service_levels", [])
    credits = figures["credits"]
    return MonthVerdict(
        period=figures["period"],
        missed=sum(level["met"] is False for level in levels),
        measured=sum(level["met"] is not None for level in levels),
        credit=Decimal(credits["capped_total"]),
        credit_hours=Decimal(credits["hours"]),
        currency=credits["currency"],
        final=figures.get("final", True),
    )


def provider_contracts_for(user) -> QuerySet[Contract]:
    """Active contracts of the provider organisations the user authors for (admins and
    authors), with their customers."""

    providers = tenancy.provider_organisations_authored_by(user).values("pk")
    return (
        tenancy.contracts_authored_by(user)
        .filter(provider__in=providers, status=ContractStatus.ACTIVE)
        .order_by("customer__name", "reference")
    )


@dataclass
class ScorecardRow:
    contract: Contract
    cells: list[MonthVerdict | None]
    totals: dict[str, Decimal] = field(default_factory=dict)
    hours: Decimal = Decimal(0)


@dataclass
class Scorecard:
    """The provider's contracts × months, with credits totalled per contract and per month
    (money per currency: contracts may be billed in different currencies; hours of work
    apart, as they are owed beside the money and not limited by its cap)."""

    periods: list[str]
    rows: list[ScorecardRow]
    month_totals: list[dict[str, Decimal]]
    total: dict[str, Decimal]
    missed_cells: int
    month_hours: list[Decimal]
    total_hours: Decimal

    @property
    def month_columns(self) -> list[tuple[dict[str, Decimal], Decimal]]:
        """Each month's money per currency with its hours, in the order of ``periods``."""
        return list(zip(self.month_totals, self.month_hours, strict=True))


def provider_scorecard(contracts: list[Contract], periods: list[tuple[int, int]], *, now=None) -> Scorecard:
    """Each contract's verdict per month (``None`` where it has no figures), in a number of
    queries that does not depend on the number of contracts (``compliance.selectors.trends``)."""

    figures = monthly_figures(contracts, periods, now=now)
    labels = [format_period(*month) for month in periods]
    month_totals: list[dict[str, Decimal]] = [defaultdict(Decimal) for _ in labels]
    month_hours = [Decimal(0) for _ in labels]
    total: dict[str, Decimal] = defaultdict(Decimal)
    total_hours = Decimal(0)
    rows, missed_cells = [], 0
    for contract in contracts:
        row = ScorecardRow(contract=contract, cells=[], totals=defaultdict(Decimal))
        for index, label in enumerate(labels):
            found = figures.get((contract.pk, label))
            verdict = None if found is None else month_verdict(found)
            row.cells.append(verdict)
            if verdict is not None:
                missed_cells += not verdict.met
                for bucket in (row.totals, month_totals[index], total):
                    bucket[verdict.currency] += verdict.credit
                row.hours += verdict.credit_hours
                month_hours[index] += verdict.credit_hours
                total_hours += verdict.credit_hours
        # Plain dicts: a template looking up ``totals.items`` must not get a default value.
        row.totals = dict(row.totals)
        rows.append(row)
    return Scorecard(
        periods=labels,
        rows=rows,
        month_totals=[dict(t) for t in month_totals],
        total=dict(total),
        missed_cells=missed_cells,
        month_hours=month_hours,
        total_hours=total_hours,
    )


def received_standing(
    contracts: list[Contract], *, now=None, issued_only: bool = True
) -> dict[int, MonthVerdict | MonthNotIssued]:
    """The verdict of each contract's last complete month on its own clock, by contract id.

    ``issued_only`` (the customer's view, the default): the figures of the month's latest
    issued report, or ``MonthNotIssued`` before the provider issues it; otherwise the
    figures as they stand. Contracts whose last month has no figures are left out."""

    from django.utils import timezone

    now = now or timezone.now()
    last = {c.pk: previous_period(*period_of(now, ZoneInfo(c.time_zone))) for c in contracts}
    if issued_only:
        labels = {c.pk: format_period(*last[c.pk]) for c in contracts}
        figures = issued_figures(labels, set(labels.values()))
        found: dict[int, MonthVerdict | MonthNotIssued] = {}
        for contract in contracts:
            item = figures.get((contract.pk, labels[contract.pk]))
            if item is not None:
                found[contract.pk] = month_verdict(item)
            elif period_standing(contract=contract, period=last[contract.pk], now=now).evaluable:
                found[contract.pk] = MonthNotIssued(labels[contract.pk])
        return found
    figures = monthly_figures(contracts, sorted(set(last.values())), now=now)
    found = {}
    for contract in contracts:
        item = figures.get((contract.pk, format_period(*last[contract.pk])))
        if item is not None:
            found[contract.pk] = month_verdict(item)
    return found
