"""Giving warnings before a target is missed: each one once, whoever finds it first.

``breach_warnings_check`` computes what is due for every active contract (the running month
and, for incidents still open, the month before) with ``compliance.engine.warnings``, and
stores each new warning as a ``BreachWarning`` row. The row's unique key is the claim: of two
workers, runs or restarts finding the same warning, only the one whose insert succeeds
announces it (``compliance.signals.breach_warning``, after commit).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from compliance.engine.periods import period_of, previous_period
from compliance.engine.warnings import BreachWarning as DueWarning
from compliance.engine.warnings import breach_warnings
from compliance.models import BreachWarning
from compliance.selectors.evaluation_inputs import evaluation_inputs_for
from compliance.signals import breach_warning
from contracts.models import Contract
from contracts.models.contract import ContractStatus
from slaportal.signals import send_on_commit

# Contracts whose inputs are loaded at once (a constant number of queries per chunk).
CHUNK = 200


def breach_warnings_due(*, contracts=None, now: datetime | None = None) -> dict[int, list[DueWarning]]:
    """The warnings due at ``now`` per contract id (given or not), for the ``contracts``
    given (default: every active contract). Reads only."""
    now = now or timezone.now()
    if contracts is None:
        contracts = Contract.objects.filter(status=ContractStatus.ACTIVE)
    by_period: dict[tuple[int, int], list[Contract]] = defaultdict(list)
    for contract in contracts:
        by_period[period_of(now, ZoneInfo(contract.time_zone))].append(contract)
    due: dict[int, list[DueWarning]] = defaultdict(list)
    for period, contracts_of_period in by_period.items():
        for start in range(0, len(contracts_of_period), CHUNK):
            _due_in(due, contracts_of_period[start : start + CHUNK], period, now)
    return due


def _due_in(due: dict, group: list[Contract], period: tuple[int, int], now: datetime) -> None:
    """Add the warnings due in ``group``'s running ``period`` and the month before to ``due``."""
    for month in (previous_period(*period), period):
        for contract_id, loaded in evaluation_inputs_for(group, month, now=now).items():
            due[contract_id].extend(
                breach_warnings(
                    loaded.inputs,
                    now,
                    shares=settings.BREACH_WARNING_SHARES,
                    burn_from=settings.BREACH_WARNING_BURN_FROM,
                    pace_from=settings.BREACH_WARNING_PACE_FROM,
                )
            )


def breach_warnings_check(*, contracts=None, now: datetime | None = None) -> list[BreachWarning]:
    """Store and announce every warning due at ``now`` that was not given before; the new
    rows. Safe to run from several workers at once: each warning is stored once."""
    now = now or timezone.now()
    due = breach_warnings_due(contracts=contracts, now=now)
    if not due:
        return []
    given = set(
        BreachWarning.objects.filter(contract_id__in=list(due)).values_list("contract_id", "period", "key")
    )
    new = [
        _row(contract_id, warning, now)
        for contract_id, warnings in due.items()
        for warning in warnings
        if (contract_id, warning.period, warning.key) not in given
    ]
    if not new:
        return []
    with transaction.atomic():
        try:
            # Usually nobody else stored any of them: all in one insert.
            with transaction.atomic():
                created = BreachWarning.objects.bulk_create(new)
        except IntegrityError:
            # Another worker stored some meanwhile: one savepoint each, keep what is ours.
            created = [row for row in (_claim(row) for row in new) if row is not None]
        for row in created:
            send_on_commit(breach_warning, sender=BreachWarning, warning=row)
    return created


def _row(contract_id: int, warning: DueWarning, now: datetime) -> BreachWarning:
    return BreachWarning(
        contract_id=contract_id,
        period=warning.period,
        key=warning.key,
        kind=warning.kind,
        level_key=warning.level_key,
        level_name=warning.level_name,
        threshold=warning.threshold,
        subject=warning.subject,
        used=warning.used,
        message=warning.message,
        reached_at=warning.reached_at,
        deadline=warning.deadline,
        created_at=now,
    )


def _claim(row: BreachWarning) -> BreachWarning | None:
    """``row`` stored, or None when another run stored the same warning first."""
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        return None
    return row
