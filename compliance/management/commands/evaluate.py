"""``manage.py evaluate REF --period YYYY-MM [--json]``: one contract's figures for a month.

Stores a new revision when the period is over and its inputs changed (see
``compliance.services.evaluations``); prints a summary, or the stored JSON with ``--json``.
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from compliance.services.evaluations import evaluation_run
from contracts.models import Contract


class Command(BaseCommand):
    help = "Evaluate one contract for one month and print the figures."

    def add_arguments(self, parser) -> None:
        parser.add_argument("reference", help="The contract's reference, e.g. SLA-2026-0001.")
        parser.add_argument(
            "--period", required=True, help="The month, YYYY-MM, in the contract's time zone."
        )
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print the figures as JSON.")

    def handle(self, *args, reference: str, period: str, as_json: bool, **options) -> None:
        try:
            contract = Contract.objects.get(reference=reference)
        except Contract.DoesNotExist:
            raise CommandError(f"No contract with reference {reference}.") from None
        try:
            run = evaluation_run(contract=contract, period=period)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if as_json:
            self.stdout.write(_dumps(run.figures))
            return
        self.stdout.write(_summary(run))


def _dumps(figures: dict) -> str:
    return json.dumps(figures, indent=2, ensure_ascii=False)


def _summary(run) -> str:
    figures = run.figures
    evaluation = run.evaluation
    state = (
        f"revision {evaluation.revision}{' (new)' if run.created else ''}"
        if run.stored
        else "period still running, not stored"
    )
    lines = [f"{figures['contract']} {figures['period']} · version {figures['version']} · {state}"]
    for level in figures["service_levels"]:
        if not level["measured"]:
            lines.append(f"  {level['name']}: not measured ({level['note']})")
            continue
        unit = " min" if level["target_unit"] == "minutes" else "%"
        outcome = "met" if level["met"] else "MISSED"
        figure = f"{level['achieved_display']}%"
        detail = f"target {level['target']}{unit}"
        if level["share"]:
            detail += f" for {level['share']}% of {level['counted']} incidents"
        lines.append(f"  {level['name']}: {figure} ({detail}) {outcome}")
        budget = level["error_budget"]
        if budget:
            lines.append(
                f"    error budget {budget['allowed_minutes']} min, used {budget['used_minutes']}, "
                f"left {budget['left_minutes']}"
            )
    for exclusion in figures["exclusions"]:
        clause = exclusion["clause"]
        where = f" (clause {clause['number']}, {clause['heading']})" if clause else ""
        lines.append(
            f"  excluded {exclusion['kind']} {exclusion['external_id']}: {exclusion['explanation']}{where}"
        )
    credits = figures["credits"]
    currency = credits["currency"]
    for line in credits["lines"]:
        lines.append(f"  credit {line['service_level']}: {line['amount']} {currency}")
    cap = f", cap {credits['cap']}" if credits["cap"] is not None else ""
    lines.append(
        f"  credits total {credits['total']} {currency}{cap}, due {credits['capped_total']} {currency}"
    )
    bank = figures["hours_bank"]
    if bank:
        lines.append(
            f"  hours bank: committed {bank['committed']}, delivered {bank['delivered']}, "
            f"brought forward {bank['brought_forward']}, carried on {bank['carried_on']}"
        )
    return "\n".join(lines)
