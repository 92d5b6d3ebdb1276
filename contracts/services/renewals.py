"""Writes of renewals: start the next version of a contract for its renewal, and roll the term
of an auto-renewing contract forward on its end date (background work, audited).

Dates are read on the contract's clock (its time zone): see ``contracts.texts.renewals``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from contracts.models import AuditAction, Contract, User, Version
from contracts.models.contract import ContractStatus
from contracts.services.audit import audit_record
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
