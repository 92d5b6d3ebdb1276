"""The starter agreement templates: complete contracts in the contract-file format.

Each file under ``agreements/`` holds clauses in order and every term with a default value,
so that a contract started from it has no consistency error and asks only for the customer,
the dates and the fee. They are offered to every provider beside its own saved templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

FOLDER = Path(__file__).with_name("agreements")


@dataclass(frozen=True)
class StarterAgreement:
    key: str
    name: str
    description: str

    @property
    def text(self) -> str:
        return _text(self.key)


STARTER_AGREEMENTS = [
    StarterAgreement(
        "managed-it-support",
        "Managed IT support with an hours bank",
        "Availability, response and resolution per priority in office hours, credits, a "
        "monthly hours commitment and the customer's duties.",
    ),
    StarterAgreement(
        "hosting-availability",
        "Hosting and cloud availability",
        "99.95% availability around the clock with credits in three tiers, P1 response and "
        "resolution at any hour, and a monthly cap.",
    ),
    StarterAgreement(
        "internal-sla",
        "Internal SLA between departments",
        "Two departments of one company: service levels in office hours, missed targets "
        "made up in hours of work rather than money.",
    ),
]


def starter_agreement(key: str) -> StarterAgreement | None:
    return next((a for a in STARTER_AGREEMENTS if a.key == key), None)


@cache
def _text(key: str) -> str:
    return (FOLDER / f"{key}.yaml").read_text(encoding="utf-8")
