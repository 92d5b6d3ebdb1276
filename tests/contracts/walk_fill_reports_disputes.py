"""Dispute and credit note URL keywords for the tenancy walk: a dispute of the first
tenant's March 2026 report (made by ``walk_fill_reports``) and a credit note row (no PDF:
the walk checks access, not content). The credits ledger and its exports show every
signed-in user only their own contracts."""

from compliance.models import CreditNote, Dispute, Report

OWN = {
    "compliance:credits_ledger",
    "compliance:credits_export",
    "api-credits-ledger",
    "api-credits-export",
}


def fill(tenants) -> dict:
    contract = tenants.contract
    report = Report.objects.get(contract=contract, period="2026-03")
    dispute = Dispute.objects.create(
        report=report, kind="credit", reason="Walk", raised_by=tenants.customer_admin
    )
    # Issuing the report made its credit note when the month owes credits; else one is added.
    note = CreditNote.objects.filter(report=report).first() or CreditNote.objects.create(
        report=report,
        contract=contract,
        provider=contract.provider,
        period=report.period,
        number="CN-2026-9999",  # beyond what the counter reaches in the walk
        currency="EUR",
        total=100,
        amount=100,
    )
    return {
        "dispute_id": dispute.pk,
        "credit_note_number": note.number,
        "table": "ledger",
        "file_format": "csv",
    }
