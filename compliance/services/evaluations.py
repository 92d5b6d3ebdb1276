"""Evaluating contracts for a period, and storing what was computed.

``evaluation_run`` stores a new revision only when the inputs changed since the latest
revision; a period that is not over yet is computed but not stored (its open events are
still running).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from contracts.models import AuditAction, Contract
from contracts.services.audit import audit_record_automatic_many

from ..evaluation import evaluate
from ..evaluation_inputs import LoadedInputs, evaluation_inputs_for
from ..evaluation_json import figures_json, inputs_hash
from ..models import Evaluation
from ..periods import format_period, parse_period


@dataclass(frozen=True)
class EvaluationRun:
    """The evaluation shown for a period: a stored revision (``created`` when new), or, for
    a period still running, an unsaved one (``stored`` False)."""

    evaluation: Evaluation
    created: bool
    stored: bool

    @property
    def figures(self) -> dict:
        return self.evaluation.figures


def _period(period: str | tuple[int, int]) -> tuple[int, int]:
    if isinstance(period, str):
        try:
            return parse_period(period)
        except ValueError as exc:
            raise ValidationError({"period": str(exc)}) from None
    return period


def _run_one(loaded: LoadedInputs, label: str, latest: Evaluation | None) -> EvaluationRun:
    version = loaded.version
    digest = inputs_hash(loaded.inputs, extra={"document_sha256": version.document_sha256})
    if latest is not None and latest.inputs_hash == digest:
        return EvaluationRun(evaluation=latest, created=False, stored=True)
    evaluation = Evaluation(
        contract=loaded.contract,
        version=version,
        document_sha256=version.document_sha256,
        period=label,
        revision=(latest.revision + 1) if latest else 1,
        computed_at=timezone.now(),
        figures={**figures_json(evaluate(loaded.inputs)), "document_sha256": version.document_sha256},
        inputs_hash=digest,
    )
    return EvaluationRun(evaluation=evaluation, created=loaded.final, stored=loaded.final)


def evaluations_run(
    *, contracts: Sequence[Contract], period: str | tuple[int, int], now: datetime | None = None
) -> dict[int, EvaluationRun]:
    """Evaluate many contracts for one period (per contract id; contracts without a
    version are left out), storing new revisions where the inputs changed. Reads in a
    constant number of queries; writes the new revisions in one bulk insert."""
    period = _period(period)
    label = format_period(*period)
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
    runs = {cid: _run_one(item, label, latest.get(cid)) for cid, item in loaded.items()}
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

    ``ValidationError`` for a malformed period or a contract without any version.
    """
    runs = evaluations_run(contracts=[contract], period=period, now=now)
    if contract.pk not in runs:
        raise ValidationError("The contract has no version to evaluate yet.")
    return runs[contract.pk]
