"""Writes of renewals: start the next version of a contract for its renewal, set the term and
renewal terms while a draft is open, and roll the term of an auto-renewing contract forward
on its end date (background work, audited).

Dates are read on the contract's clock (its time zone): see ``contracts.texts.renewals``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contracts.models import AuditAction, Contract, User, Version
from contracts.models.contract import ContractStatus
from contracts.services.audit import audit_draft_change, audit_record
from contracts.services.drafts import ensure_draft
from contracts.services.versions import version_create_draft
from contracts.texts import renewals
from contracts.texts.formats import format_date


def renewal_start(*, contract: Contract, user: User) -> Version:
    """Start the renewal of ``contract``: its next version as a draft copy of the current one,
    with a note naming the term it renews. ValidationError while a draft exists already."""
    if contract.end_date is not None:
        note = f"Renewal of the term ending {format_date(contract.end_date)}."
    else:
        note = "Renewal."
    return version_create_draft(contract=contract, user=user, note=note)


def contract_renew(*, contract: Contract, now: datetime | None = None) -> list:
    """Roll an active auto-renewing contract's term forward when its end date has come on its
    own clock: the end date moves by its renewal term (several times if renewals were missed),
    each renewal in the audit log as "Renewed automatically until …". The new end dates; none
    when nothing was due or another worker renewed it first."""
    now = now or timezone.now()
    today = renewals.local_today(now, contract.time_zone)
    if contract.status != ContractStatus.ACTIVE or not contract.auto_renew or contract.end_date is None:
        return []
    ends = renewals.renewed_term_ends(contract.end_date, contract.renewal_months, today)
    if not ends:
        return []
    with transaction.atomic():
        # The claim: only the worker that still sees the old end date moves it.
        moved = Contract.objects.filter(
            pk=contract.pk, end_date=contract.end_date, auto_renew=True, status=ContractStatus.ACTIVE
        ).update(end_date=ends[-1], updated_at=now)
        if not moved:
            return []
        previous = contract.end_date
        for end in ends:
            audit_record(
                contract=contract,
                action=AuditAction.RENEWED,
                summary=f"Renewed automatically until {format_date(end)}",
                details={
                    "previous_end_date": previous.isoformat(),
                    "end_date": end.isoformat(),
                    "renewal_months": contract.renewal_months,
                },
            )
            previous = end
    contract.end_date = ends[-1]
    return ends


def contracts_renew_due(*, now: datetime | None = None) -> int:
    """Renew every auto-renewing contract whose end date has come; how many were renewed.
    Safe to run at any time and any number of times."""
    now = now or timezone.now()
    # Every zone's date is within a day of UTC's: the rest is read on each contract's clock.
    latest = now.astimezone(UTC).date() + timedelta(days=1)
    due = Contract.objects.filter(status=ContractStatus.ACTIVE, auto_renew=True, end_date__lte=latest)
    due = due.order_by("pk")
    return sum(1 for contract in due if contract_renew(contract=contract, now=now))


@transaction.atomic
def contract_term_set(
    *,
    version: Version,
    user: User | None,
    end_date,
    auto_renew: bool,
    notice_period_days: int,
    renewal_months: int,
) -> Contract:
    """Set the contract's term and renewal terms while ``version`` is its draft (the texts of
    the draft name them; a renewal sets the new term here). VersionFrozen on a frozen version,
    ValidationError on a term ending before it starts; nothing changes then. Audited."""
    ensure_draft(version)
    contract = Contract.objects.select_for_update().get(pk=version.contract_id)
    contract.end_date, contract.auto_renew = end_date, auto_renew
    contract.notice_period_days, contract.renewal_months = notice_period_days, renewal_months
    if end_date is not None and end_date < contract.start_date:
        raise ValidationError({"end_date": "The contract cannot end before it starts."})
    contract.full_clean(exclude=["reference"])
    contract.save(
        update_fields=["end_date", "auto_renew", "notice_period_days", "renewal_months", "updated_at"]
    )
    end = f"ends {format_date(end_date)}" if end_date else "open-ended"
    renews = f"renews {'automatically ' if auto_renew else ''}for {renewal_months} months"
    audit_draft_change(
        version=version,
        user=user,
        action=AuditAction.TERMS_EDITED,
        change=f"Term set: {end}, {notice_period_days} days' notice, {renews}",
    )
    version.contract = contract
    return contract
