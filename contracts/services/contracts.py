"""Writes on contracts."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contracts.models import AuditAction, Contract, Organisation, ReferenceCounter, User
from contracts.models.contract import ContractStatus
from contracts.services.audit import audit_record


def contract_reference_next(*, year: int) -> str:
    """The next free reference for the year, e.g. SLA-2026-0007. Call inside a transaction."""
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"SLA-{year}-{counter.last_number:04d}"


@transaction.atomic
def contract_create(
    *,
    provider: Organisation,
    customer: Organisation,
    title: str,
    start_date: date,
    created_by: User | None = None,
    currency: str = "EUR",
    monthly_fee: Decimal = Decimal("0.00"),
    time_zone: str = "Europe/Amsterdam",
    end_date: date | None = None,
    auto_renew: bool = False,
    reports_issued_automatically: bool = False,
    status: str = ContractStatus.DRAFT,
    dispute_window_days: int = 14,
    notice_period_days: int = 90,
    renewal_months: int = 12,
) -> Contract:
    contract = Contract(
        provider=provider,
        customer=customer,
        title=title,
        start_date=start_date,
        end_date=end_date,
        auto_renew=auto_renew,
        reports_issued_automatically=reports_issued_automatically,
        currency=currency,
        monthly_fee=monthly_fee,
        time_zone=time_zone,
        dispute_window_days=dispute_window_days,
        notice_period_days=notice_period_days,
        renewal_months=renewal_months,
        status=status,
        created_by=created_by,
    )
    if provider.pk == customer.pk:
        raise ValidationError({"customer": "The customer must be another organisation than the provider."})
    contract.full_clean(exclude=["reference"])
    contract.reference = contract_reference_next(year=timezone.localdate().year)
    contract.save()
    audit_record(
        contract=contract,
        action=AuditAction.CONTRACT_CREATED,
        actor=created_by,
        summary=f"Created contract {contract.reference} “{contract.title}”",
        details={"provider": provider.name, "customer": customer.name},
    )
    return contract


def contract_reports_issuance_set(*, contract: Contract, automatically: bool, user: User | None) -> bool:
    """Choose whether the contract's monthly reports are issued (emailed to the customer)
    as soon as they are made, or held for the provider's review (the default). Audited.
    Returns whether the choice changed."""
    with transaction.atomic():
        changed = (
            Contract.objects.filter(pk=contract.pk)
            .exclude(reports_issued_automatically=automatically)
            .update(reports_issued_automatically=automatically)
        )
        contract.reports_issued_automatically = automatically
        if changed:
            audit_record(
                contract=contract,
                action=AuditAction.REPORT_SETTINGS,
                actor=user,
                summary="Monthly reports are issued "
                + ("as soon as they are made" if automatically else "after the provider's review"),
                details={"reports_issued_automatically": automatically},
            )
    return bool(changed)
