"""Evaluating contracts for a period, and storing what was computed.

``evaluation_run`` stores a new revision only when the inputs changed since the latest
revision; a period that is not over yet is computed but not stored (its open events are
still running).

Only a month within the contract's term that has started can be evaluated
(``period_standing``): a month before the term, after it, or in the future has no figures,
and evaluating it stores nothing and records nothing in the audit log.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import dateformat, timezone

from compliance.engine.evaluation import evaluate
from compliance.engine.evaluation_json import figures_json, inputs_hash
from compliance.engine.periods import format_period, next_period, parse_period, period_bounds
from compliance.models import Evaluation
from compliance.selectors.evaluation_inputs import LoadedInputs, evaluation_inputs_for
from contracts.models import AuditAction, Contract
from contracts.services.audit import audit_record_automatic_many


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


class PeriodStanding(StrEnum):
    """Where a month stands against a contract's term and the current time."""

    BEFORE_TERM = "before_term"
    AFTER_TERM = "after_term"
    NOT_STARTED = "not_started"
    RUNNING = "running"
    OVER = "over"

    @property
    def evaluable(self) -> bool:
        """Whether the month has figures: it overlaps the term and has started."""
        return self in (PeriodStanding.RUNNING, PeriodStanding.OVER)


def period_standing(
    *, contract: Contract, period: str | tuple[int, int], now: datetime | None = None
) -> PeriodStanding:
    """Where ``period`` stands for ``contract`` at ``now`` (default: the current time).

    A month overlapping the term by a single day is within it (the term's first and last
    months are evaluated). Months are read on the contract's clock, so the running month
    starts at local midnight on the 1st.
    """
    year, month = _period(period)
    first_day = date(year, month, 1)
    last_day = date(*next_period(year, month), 1) - timedelta(days=1)
    if last_day < contract.start_date:
        return PeriodStanding.BEFORE_TERM
    if contract.end_date is not None and first_day > contract.end_date:
        return PeriodStanding.AFTER_TERM
    start, end = period_bounds(year, month, ZoneInfo(contract.time_zone))
    now = now or timezone.now()
    if now < start:
        return PeriodStanding.NOT_STARTED
    return PeriodStanding.RUNNING if now < end else PeriodStanding.OVER


def period_check(*, contract: Contract, period: str | tuple[int, int], now: datetime | None = None) -> None:
    """Nothing when ``period`` can be evaluated for ``contract``; otherwise a
    ``ValidationError`` saying why, in words for either party, with the
    ``PeriodStanding`` value as its code."""
    now = now or timezone.now()
    standing = period_standing(contract=contract, period=period, now=now)
    if standing.evaluable:
        return
    month = dateformat.format(date(*_period(period), 1), "F Y")
    today = timezone.localtime(now, ZoneInfo(contract.time_zone)).date()
    if standing is PeriodStanding.BEFORE_TERM:
        verb = "started" if contract.start_date <= today else "starts"
        message = f"{month} is before this contract's term, which {verb} on {_day(contract.start_date)}."
    elif standing is PeriodStanding.AFTER_TERM:
        verb = "ended" if contract.end_date < today else "ends"
        message = f"{month} is after this contract's term, which {verb} on {_day(contract.end_date)}."
    else:
        message = f"{month} has not started yet."
    raise ValidationError(message, code=standing.value)


def _day(value: date) -> str:
    return dateformat.format(value, "j F Y")


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
    version, and those for which the period cannot be evaluated (``period_standing``), are
    left out), storing new revisions where the inputs changed. Reads in a constant number
    of queries; writes the new revisions in one bulk insert."""
    period = _period(period)
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

    ``ValidationError`` for a malformed period, a period that cannot be evaluated (see
    ``period_check``; its code is the ``PeriodStanding``) or a contract without any version.
    """
    now = now or timezone.now()
    period_check(contract=contract, period=period, now=now)
    runs = evaluations_run(contracts=[contract], period=period, now=now)
    if contract.pk not in runs:
        raise ValidationError("The contract has no version to evaluate yet.")
    return runs[contract.pk]
