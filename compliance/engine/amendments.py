"""What changed between two evaluations of one month: the figures of the issued report and
the figures as they stand now (a late or corrected event, pause or KPI value).

Pure: takes the figures JSON of two evaluations (``compliance.engine.evaluation_json``) and
returns plain values. A change is listed per service level (its achieved value, or whether
it is met), for the credit owed (money and hours of work) and for the hours bank's balance.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class FigureChange:
    """One figure before → after. ``kind`` is ``service_level``, ``credit``,
    ``credit_hours`` or ``hours_bank``; ``key`` the service level's key (else the kind)."""

    kind: str
    key: str
    name: str
    before: str
    after: str

    @property
    def text(self) -> str:
        """``availability 99.95% → 99.80%``."""
        return f"{self.name} {self.before} → {self.after}"


def _level_value(level: dict | None, *, with_verdict: bool) -> str:
    if level is None:
        return "not in the contract"
    if level.get("achieved") is None:
        return "not measured"
    unit = "%" if level.get("target_unit") == "percent" else " min"
    shown = level.get("achieved_display") or level["achieved"]
    verdict = {True: "met", False: "missed"}.get(level.get("met"), "")
    return f"{shown}{unit}" + (f" ({verdict})" if verdict and with_verdict else "")


def _level_key_value(level: dict | None) -> tuple:
    if level is None:
        return (None,)
    return (level.get("achieved_display"), level.get("achieved"), level.get("met"))


def figures_changes(before: dict, after: dict) -> list[FigureChange]:
    """The figures that differ between ``before`` (issued) and ``after`` (live), service
    levels first in the order of ``after``, then the credit and the hours bank. Empty when
    the month reads the same."""
    changes: list[FigureChange] = []
    old_levels = {level["key"]: level for level in before.get("service_levels", [])}
    new_levels = {level["key"]: level for level in after.get("service_levels", [])}
    keys = list(new_levels) + [key for key in old_levels if key not in new_levels]
    for key in keys:
        old, new = old_levels.get(key), new_levels.get(key)
        if _level_key_value(old) == _level_key_value(new):
            continue
        name = (new or old)["name"]
        verdict_changed = (old or {}).get("met") != (new or {}).get("met")
        old_text = _level_value(old, with_verdict=verdict_changed)
        new_text = _level_value(new, with_verdict=verdict_changed)
        if old_text == new_text:  # the same shown value, a change below its precision
            old_text, new_text = f"{(old or {}).get('achieved')}", f"{(new or {}).get('achieved')}"
        changes.append(FigureChange("service_level", key, name, old_text, new_text))
    old_credits, new_credits = before.get("credits") or {}, after.get("credits") or {}
    if old_credits.get("capped_total") != new_credits.get("capped_total"):
        changes.append(
            FigureChange(
                "credit",
                "credit",
                "credit",
                f"{old_credits.get('capped_total')} {old_credits.get('currency', '')}".strip(),
                f"{new_credits.get('capped_total')} {new_credits.get('currency', '')}".strip(),
            )
        )
    if old_credits.get("hours") != new_credits.get("hours"):
        changes.append(
            FigureChange(
                "credit_hours",
                "credit_hours",
                "credit in hours of work",
                f"{old_credits.get('hours')} h",
                f"{new_credits.get('hours')} h",
            )
        )
    old_bank, new_bank = before.get("hours_bank") or {}, after.get("hours_bank") or {}
    if old_bank.get("carried_on") != new_bank.get("carried_on"):
        changes.append(
            FigureChange(
                "hours_bank",
                "hours_bank",
                "hours bank balance",
                f"{old_bank.get('carried_on', '0')} h",
                f"{new_bank.get('carried_on', '0')} h",
            )
        )
    return changes


def changes_summary(changes: list[FigureChange]) -> str:
    """``Amended: availability 99.95% → 99.80%, credit 420.00 EUR → 840.00 EUR``."""
    if not changes:
        return ""
    return "Amended: " + ", ".join(change.text for change in changes)


def changes_digest(changes: list[FigureChange]) -> str:
    """A SHA-256 naming this set of changes: the same figures changed the same way give the
    same digest (a discarded amendment stays discarded until the figures change again)."""
    text = json.dumps([asdict(change) for change in changes], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
