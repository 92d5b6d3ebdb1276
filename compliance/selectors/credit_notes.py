"""Reads of credit notes and the credits ledger, scoped through ``contracts.selectors.tenancy``.

The ledger has one row per contract and month with an issued report: what the month owes
(its latest issued revision), the credit note issued for it and whether it was applied
(with the invoice). Read in a constant number of queries, whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db.models import QuerySet

from compliance.models import CreditNote, Report
from contracts.selectors import tenancy


def decimal_or_zero(value) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return Decimal(0)


def owed_credits(figures: dict) -> tuple[Decimal, Decimal]:
    """The money (capped total) and the hours of work an evaluation owes."""
    credits = figures.get("credits") or {}
    return decimal_or_zero(credits.get("capped_total")), decimal_or_zero(credits.get("hours"))


def credit_note_of(report: Report) -> CreditNote | None:
    return CreditNote.objects.filter(report=report).first()


def credit_notes_for_user(user) -> QuerySet[CreditNote]:
    return CreditNote.objects.filter(contract__in=tenancy.contracts_for_user(user)).select_related(
        "contract__provider", "contract__customer", "report"
    )


def credit_note_for_user_or_404(user, number: str, reference: str) -> CreditNote:
    return tenancy.get_for_user_or_404(
        credit_notes_for_user(user), number=number, contract__reference=reference
    )


def credit_note_authored_by_or_404(user, number: str, reference: str) -> CreditNote:
    notes = CreditNote.objects.filter(contract__in=tenancy.contracts_authored_by(user)).select_related(
        "contract"
    )
    return tenancy.get_for_user_or_404(notes, number=number, contract__reference=reference)


@dataclass(frozen=True)
class LedgerRow:
    customer: str
    reference: str
    title: str
    period: str
    revision: int
    currency: str
    owed: Decimal
    owed_hours: Decimal
    credit_note: CreditNote | None
    report_id: int

    @property
    def issued(self) -> Decimal:
        return self.credit_note.amount if self.credit_note else Decimal("0.00")

    @property
    def applied(self) -> Decimal:
        return (
            self.credit_note.amount if self.credit_note and self.credit_note.is_applied else Decimal("0.00")
        )

    @property
    def invoice_reference(self) -> str:
        return self.credit_note.invoice_reference if self.credit_note else ""

    @property
    def applied_at(self) -> datetime | None:
        return self.credit_note.applied_at if self.credit_note else None


def _latest_issued_reports(user, contracts: QuerySet | None = None) -> list[Report]:
    """The latest issued revision per contract and month, of ``contracts`` (by default
    every contract the user is a party to; the API narrows them to a token's organisation)."""
    contracts = tenancy.contracts_for_user(user) if contracts is None else contracts
    reports = (
        Report.objects.filter(contract__in=contracts, issued_at__isnull=False)
        .select_related("contract__customer", "evaluation", "credit_note")
        .order_by("contract__customer__name", "contract__reference", "-period", "-revision")
    )
    seen: set[tuple[int, str]] = set()
    latest = []
    for report in reports:
        key = (report.contract_id, report.period)
        if key not in seen:
            seen.add(key)
            latest.append(report)
    return latest


def _credit_note(report: Report) -> CreditNote | None:
    try:
        return report.credit_note
    except CreditNote.DoesNotExist:
        return None


def credits_ledger(user, contracts: QuerySet | None = None) -> list[LedgerRow]:
    """Per customer, contract and month (newest first): owed, issued, applied."""
    rows = []
    for report in _latest_issued_reports(user, contracts):
        figures = report.evaluation.figures
        owed, hours = owed_credits(figures)
        rows.append(
            LedgerRow(
                customer=report.contract.customer.name,
                reference=report.contract.reference,
                title=report.contract.title,
                period=report.period,
                revision=report.revision,
                currency=(figures.get("credits") or {}).get("currency") or report.contract.currency,
                owed=owed,
                owed_hours=hours,
                credit_note=_credit_note(report),
                report_id=report.pk,
            )
        )
    return rows


def ledger_totals(rows: list[LedgerRow]) -> list[dict]:
    """Owed, issued and applied per currency."""
    totals: dict[str, dict] = {}
    for row in rows:
        entry = totals.setdefault(
            row.currency,
            {"currency": row.currency, "owed": Decimal(0), "issued": Decimal(0), "applied": Decimal(0)},
        )
        entry["owed"] += row.owed
        entry["issued"] += row.issued
        entry["applied"] += row.applied
    return [totals[currency] for currency in sorted(totals)]


LEDGER_HEADER = [
    "Customer",
    "Contract",
    "Month",
    "Report revision",
    "Currency",
    "Owed",
    "Owed hours",
    "Credit note",
    "Issued",
    "Applied",
    "Invoice",
]


def ledger_table(rows: list[LedgerRow]) -> list[list]:
    return [
        [
            row.customer,
            row.reference,
            row.period,
            row.revision,
            row.currency,
            row.owed,
            row.owed_hours,
            row.credit_note.number if row.credit_note else "",
            row.issued,
            row.applied,
            row.invoice_reference,
        ]
        for row in rows
    ]


FIGURES_HEADER = [
    "Customer",
    "Contract",
    "Month",
    "Report revision",
    "Service level",
    "Target",
    "Achieved",
    "Result",
    "Credit",
    "Credit hours",
    "Currency",
]


def figures_table(user, contracts: QuerySet | None = None) -> list[list]:
    """The months' figures: one row per issued month and service level."""
    table = []
    for report in _latest_issued_reports(user, contracts):
        figures = report.evaluation.figures
        credits = figures.get("credits") or {}
        by_level = {line.get("service_level"): line for line in credits.get("lines", [])}
        for level in figures.get("service_levels", []):
            line = by_level.get(level.get("name")) or by_level.get(level.get("key")) or {}
            met = level.get("met")
            table.append(
                [
                    report.contract.customer.name,
                    report.contract.reference,
                    report.period,
                    report.revision,
                    level.get("name", ""),
                    level.get("target", ""),
                    level.get("achieved_display") or level.get("achieved") or "",
                    "Met" if met is True else "Missed" if met is False else "Not measured",
                    line.get("amount", "") if line.get("tier_kind") != "hours" else "",
                    line.get("hours", "") if line.get("tier_kind") == "hours" else "",
                    credits.get("currency", ""),
                ]
            )
    return table
