"""Reading evaluations: where a month stands for a contract, and its figures as they are now.

Nothing here stores. A page shows the latest stored revision while its inputs are
unchanged, else the figures computed live; storing is for the monthly run, the ``evaluate``
command and explicit actions (``compliance.services.evaluations``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils import dateformat, timezone

from compliance.engine.evaluation import evaluate
from compliance.engine.evaluation_json import figures_json, inputs_hash
from compliance.engine.periods import format_period, next_period, parse_period, period_bounds
from compliance.models import Evaluation
from compliance.selectors.evaluation_inputs import LoadedInputs, evaluation_inputs_for
from contracts.models import Contract


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
    year, month = parse_period_or_error(period)
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
    month = dateformat.format(date(*parse_period_or_error(period), 1), "F Y")
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


def parse_period_or_error(period: str | tuple[int, int]) -> tuple[int, int]:
    if isinstance(period, str):
        try:
            return parse_period(period)
        except ValueError as exc:
            raise ValidationError({"period": str(exc)}) from None
    return period


def evaluation_of(loaded: LoadedInputs, label: str, latest: Evaluation | None) -> EvaluationRun:
    """The evaluation of ``loaded`` for the period ``label``: ``latest`` when its inputs are
    unchanged, else a new, unsaved revision after it (``created`` when the period is over
    and a service may store it)."""
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


def latest_evaluation(contract: Contract, label: str) -> Evaluation | None:
    """The latest stored revision of ``contract`` for the period ``label``."""
    return (
        Evaluation.objects.filter(contract=contract, period=label)
        .select_related("version")
        .order_by("-revision")
        .first()
    )


def evaluation_current(
    *, contract: Contract, period: str | tuple[int, int], now: datetime | None = None
) -> EvaluationRun:
    """The figures of one contract's period as they stand now, without storing anything:
    the latest stored revision while its inputs are unchanged, else computed live (``stored``
    False). ``ValidationError`` as ``period_check`` says, or for a contract without a version."""
    now = now or timezone.now()
    period_check(contract=contract, period=period, now=now)
    period = parse_period_or_error(period)
    label = format_period(*period)
    loaded = evaluation_inputs_for([contract], period, now=now).get(contract.pk)
    if loaded is None:
        raise ValidationError("The contract has no version to evaluate yet.")
    run = evaluation_of(loaded, label, latest_evaluation(contract, label))
    return EvaluationRun(evaluation=run.evaluation, created=False, stored=not run.created and run.stored)
