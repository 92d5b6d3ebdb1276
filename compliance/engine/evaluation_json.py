"""Evaluation figures as JSON, and the fingerprint of an evaluation's inputs.

The JSON is what is stored with each evaluation and served by the API unchanged: numbers
are strings (Decimal, never float), times ISO 8601 in UTC, minutes to two decimals.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from operator import attrgetter, itemgetter
from typing import Any

from compliance.engine.availability import ErrorBudget
from compliance.engine.evaluation import (
    Breach,
    ClauseRef,
    EvaluationInputs,
    Exclusion,
    LevelResult,
    PeriodFigures,
)
from compliance.engine.hours_bank import HoursBankRow

_CENTS = Decimal("0.01")


def _two(value: Decimal) -> str:
    return str(value.quantize(_CENTS, rounding=ROUND_HALF_UP))


def _plain(value: Decimal) -> str:
    """A threshold or rate without trailing zeros: 99.9000 → "99.9", 10.00 → "10"."""
    return format(value.normalize(), "f")


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def _clause(clause: ClauseRef | None) -> dict | None:
    return None if clause is None else {"number": clause.number, "heading": clause.heading}


def exclusion_json(exclusion: Exclusion) -> dict:
    data = {
        "kind": exclusion.kind,
        "external_id": exclusion.external_id,
        "service": exclusion.service,
        "reason": exclusion.reason,
        "explanation": exclusion.explanation,
        "clause": _clause(exclusion.clause),
        # What else followed a customer cause ("" for other reasons); billable: the work on
        # the event is invoiced outside the contract and the hours bank.
        "consequence": exclusion.consequence,
        "billable": exclusion.billable,
    }
    if exclusion.kind == "incident":
        data["priority"] = exclusion.priority
    else:
        data["excluded_minutes"] = _two(Decimal(exclusion.excluded_seconds or 0) / 60)
        data["partial"] = exclusion.partial
    return data


def _breach(breach: Breach) -> dict:
    return {
        "external_id": breach.external_id,
        "minutes": str(breach.minutes),
        "detail": breach.detail,
        "open": breach.open,
        "deadline": _iso(breach.deadline),
    }


def _budget(budget: ErrorBudget | None) -> dict | None:
    if budget is None:
        return None
    return {
        "allowed_minutes": _two(budget.allowed_minutes),
        "used_minutes": _two(budget.used_minutes),
        "left_minutes": _two(budget.left_minutes),
        "exhausted": budget.exhausted,
    }


def level_plotted(level: dict) -> Decimal | None:
    """A service level's figure as the charts plot it: ``None`` (a gap) when it was not
    measured, or for a response or resolution target in a month without incidents, whose
    share of nothing the pages give as "No incidents this month" rather than 100%."""
    if not level.get("measured") or level.get("achieved") is None:
        return None
    if level.get("target_unit") == "minutes" and level.get("counted", 1) == 0:
        return None
    return Decimal(level["achieved"])


def _level(level: LevelResult) -> dict:
    data: dict[str, Any] = {
        "key": level.key,
        "name": level.name,
        "metric": level.metric,
        "service": level.service,
        "priority": level.priority,
        "target": str(level.target),
        "target_unit": "minutes" if level.metric in ("first_response", "resolution") else "percent",
        "share": None if level.share is None else str(level.share),
        "measured": level.measured,
        "achieved": None if level.achieved is None else str(level.achieved),
        "achieved_display": level.achieved_display,
        "met": level.met,
        "counted": level.counted,
        "within": level.within,
        "pending": level.pending,
        "note": level.note,
        "breaches": [_breach(b) for b in level.breaches],
        "excluded_events": [exclusion_json(e) for e in level.exclusions],
        "error_budget": _budget(level.error_budget),
        "business_time": level.business_time,
    }
    if level.availability is not None:
        figures = level.availability
        data["availability"] = {
            "period_minutes": _two(Decimal(figures.period_seconds) / 60),
            "measured_minutes": _two(Decimal(figures.measured_seconds) / 60),
            "unavailable_minutes": _two(Decimal(figures.unavailable_seconds) / 60),
            "excluded_minutes": _two(Decimal(figures.excluded_seconds) / 60),
        }
    return data


def _hours_row(row: HoursBankRow) -> dict:
    return {
        "period": row.period,
        "committed": str(row.committed),
        "delivered": str(row.delivered),
        "brought_forward": str(row.brought_forward),
        "made_up": str(row.made_up),
        "expired": str(row.expired),
        "expired_deficit": str(row.expired_deficit),
        "expired_surplus": str(row.expired_surplus),
        "carried_on": str(row.carried_forward),
    }


def figures_json(figures: PeriodFigures) -> dict:
    """The figures as plain JSON values (see the module docstring)."""
    credits = figures.credits
    return {
        "contract": figures.contract,
        "period": figures.period,
        "version": figures.version,
        "currency": figures.currency,
        "monthly_fee": str(figures.monthly_fee),
        "period_start": _iso(figures.period_start),
        "period_end": _iso(figures.period_end),
        "as_of": _iso(figures.as_of),
        "final": figures.final,
        "service_levels": [_level(level) for level in figures.levels],
        "error_budgets": [
            {"service_level": level.key, **_budget(level.error_budget)}
            for level in figures.levels
            if level.error_budget is not None
        ],
        "exclusions": [exclusion_json(e) for e in figures.exclusions],
        "credits": {
            "lines": [
                {
                    "service_level": line.name,
                    "achieved": str(line.achieved),
                    "tier_below": None if line.tier is None else _plain(line.tier.below),
                    "tier_kind": None if line.tier is None else line.tier.kind.value,
                    "tier_value": None if line.tier is None else _plain(line.tier.value),
                    "amount": str(line.amount),
                    "hours": str(line.hours),
                }
                for line in credits.lines
            ],
            "total": str(credits.total),
            "cap": None if credits.cap is None else str(credits.cap),
            "capped_total": str(credits.capped_total),
            "cap_applied": credits.cap_applied,
            "hours": str(credits.hours),
            "currency": figures.currency,
        },
        "hours_bank": None
        if figures.hours is None
        else {**_hours_row(figures.hours), "ledger": [_hours_row(row) for row in figures.hours_ledger]},
    }


def _canonical(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _canonical(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not f.name.startswith("_")
        }
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value // timedelta(microseconds=1)
    if isinstance(value, Decimal):
        return str(value.normalize())
    if isinstance(value, tzinfo):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, frozenset | set):
        return sorted(_canonical(v) for v in value)
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def _event_lines(events) -> str:
    # Events are many: each is written as the repr of its field values (strings, UTC
    # datetimes, booleans, pause tuples) rather than walked field by field.
    if not events:
        return ""
    fields = attrgetter(*(f.name for f in dataclasses.fields(events[0])))
    return "\n".join(map(repr, sorted(map(fields, events), key=itemgetter(0))))


def inputs_hash(inputs: EvaluationInputs, *, extra: dict | None = None) -> str:
    """SHA-256 of the inputs in a canonical form (events sorted by external id), plus any
    ``extra`` values (e.g. the signed document's hash); equal inputs give equal hashes."""
    terms = _canonical(dataclasses.replace(inputs, incidents=(), outages=()))
    if not inputs.kpi_values:
        # Inputs without KPI values hash as they did before KPI values existed, so that
        # stored revisions are not superseded by identical figures.
        del terms["kpi_values"]
    data = {"terms": terms, "extra": _canonical(extra or {})}
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode())
    for events in (inputs.incidents, inputs.outages):
        digest.update(b"\x00")
        digest.update(_event_lines(events).encode())
    return digest.hexdigest()
