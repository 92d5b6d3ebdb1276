"""Storing evaluations: the monthly run, the ``evaluate`` command and explicit actions.

``evaluation_run`` stores a new revision only when the inputs changed since the latest
revision; a period that is not over yet is computed but not stored (its open events are
still running). Pages never store: they read through ``compliance.selectors.evaluations``.

Only a month within the contract's term that has started can be evaluated
(``period_standing``): a month before the term, after it, or in the future has no figures,
and evaluating it stores nothing and records nothing in the audit log.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from compliance.engine.periods import format_period
from compliance.models import Evaluation
from compliance.selectors.evaluation_inputs import evaluation_inputs_for
from compliance.selectors.evaluations import (
    EvaluationRun,
    evaluation_of,
    parse_period_or_error,
    period_check,
    period_standing,
)
from contracts.models import AuditAction, Contract
from contracts.services.audit import audit_record_automatic_many


def evaluations_run(
    *, contracts: Sequence[Contract], period: str | tuple[int, int], now: datetime | None = None
) -> dict[int, EvaluationRun]:
    """Evaluate many contracts for one period (per contract id; contracts without a
    version, and those for which the period cannot be evaluated (``period_standing``), are
    left out), storing new revisions where the inputs changed. Reads in a constant number
    of queries; writes the new revisions in one bulk insert."""
    period = parse_period_or_error(period)
    label = format_period(*period)
    now = now or timezone.now()
    contracts = [c for c in contracts if period_standing(contract=c, period=period, now=now).evaluable]
    loaded = evaluation_inputs_for(contracts, period, now=now)
    latest_revision = dict(
        Evaluation.objects.filter(contract_id__in=list(loaded), period=label)
        .values("contract_id")
        .annotate(last=Max("revision"))
        .values_list("contract_id", "last")
    )
    latest = {
        e.contract_id: e
        for e in Evaluation.objects.filter(
            contract_id__in=list(latest_revision), period=label, revision__in=set(latest_revision.values())
        ).select_related("version")
        if latest_revision[e.contract_id] == e.revision
    }
    runs = {cid: evaluation_of(item, label, latest.get(cid)) for cid, item in loaded.items()}
    new = [run.evaluation for run in runs.values() if run.created]
    if new:
        try:
            with transaction.atomic():
                Evaluation.objects.bulk_create(new)
                audit_record_automatic_many(
                    action=AuditAction.EVALUATED,
                    entries=[
                        (
                            e.contract_id,
                            f"Evaluated {e.period} (revision {e.revision})",
                            {"period": e.period, "revision": e.revision},
                        )
                        for e in new
                    ],
                )
        except IntegrityError:
            # Another run stored the same revision first: evaluate again against it.
            return evaluations_run(contracts=contracts, period=period, now=now)
    return runs


def evaluation_run(
    *, contract: Contract, period: str | tuple[int, int], now: datetime | None = None
) -> EvaluationRun:
    """Evaluate one contract for one period (``"YYYY-MM"``); see the module docstring.

    ``ValidationError`` for a malformed period, a period that cannot be evaluated (see
    ``period_check``; its code is the ``PeriodStanding``) or a contract without any version.
    """
    now = now or timezone.now()
    period_check(contract=contract, period=period, now=now)
    runs = evaluations_run(contracts=[contract], period=period, now=now)
    if contract.pk not in runs:
        raise ValidationError("The contract has no version to evaluate yet.")
    return runs[contract.pk]
