"""Display texts beside the raw figures: ``*_text`` fields for the API, in the shared formats
(``contracts.texts.formats``) the pages and PDFs use.

Pure: takes the figures JSON (``compliance.engine.evaluation_json``) and returns a copy with
``*_text`` fields added next to the raw values, which are left as they are.
"""

from __future__ import annotations

from decimal import Decimal

from contracts.texts import formats


def _plain(value) -> str:
    return format(formats.trim(Decimal(str(value))), "f")


def target_text(level: dict) -> str:
    """The target in the contract's words: "4 business hours for 90% of incidents", "99.9%"."""
    if level["target_unit"] == "minutes":
        within = formats.format_duration(
            int(Decimal(level["target"])), business_time=bool(level.get("business_time"))
        )
        share = f"{_plain(level['share'])}% of incidents" if level.get("share") else "every incident"
        return f"{within} for {share}"
    if level["metric"] == "custom":
        return _plain(level["target"])
    return f"{_plain(level['target'])}%"


def achieved_text(level: dict) -> str:
    """What was achieved, in one precision: "66.66%"; a KPI as recorded; "" when not measured."""
    if not level.get("measured") or level.get("achieved") is None:
        return ""
    if level["metric"] == "custom":
        return _plain(level["achieved"])
    return formats.format_percent(level["achieved"])


def _level(level: dict) -> dict:
    business = bool(level.get("business_time"))
    data = {**level, "target_text": target_text(level), "achieved_text": achieved_text(level)}
    data["breaches"] = [
        {
            **breach,
            "minutes_text": formats.format_elapsed(breach["minutes"])
            if level["metric"] == "availability"
            else formats.format_against(breach["minutes"], level["target"], business_time=business),
        }
        for breach in level.get("breaches", [])
    ]
    if level.get("error_budget"):
        budget = level["error_budget"]
        data["error_budget"] = {
            **budget,
            **{
                f"{key}_text": formats.format_elapsed(budget[f"{key}_minutes"])
                for key in ("allowed", "used", "left")
            },
        }
    if level.get("availability"):
        figures = level["availability"]
        data["availability"] = {
            **figures,
            **{f"{key}_text": formats.format_elapsed(value) for key, value in figures.items()},
        }
    return data


def figures_with_texts(figures: dict) -> dict:
    """``figures`` with ``*_text`` display fields beside the raw values (see the module docstring)."""
    currency = figures.get("currency", "")
    data = {
        **figures,
        "period_text": formats.format_month(figures.get("period")),
        "service_levels": [_level(level) for level in figures.get("service_levels", [])],
    }
    if "monthly_fee" in figures:
        data["monthly_fee_text"] = formats.format_money(figures["monthly_fee"], currency)
    credits = figures.get("credits")
    if credits:
        data["credits"] = {
            **credits,
            "total_text": formats.format_money(credits.get("total"), currency),
            "cap_text": formats.format_money(credits.get("cap"), currency),
            "capped_total_text": formats.format_money(credits.get("capped_total"), currency),
            "hours_text": formats.format_hours(credits.get("hours")),
            "lines": [
                {
                    **line,
                    "achieved_text": formats.format_percent(line.get("achieved")),
                    "amount_text": formats.format_money(line.get("amount"), currency),
                    "hours_text": formats.format_hours(line.get("hours")),
                }
                for line in credits.get("lines", [])
            ],
        }
    bank = figures.get("hours_bank")
    if bank:
        data["hours_bank"] = {
            **bank,
            "committed_text": formats.format_hours(bank.get("committed")),
            "delivered_text": formats.format_hours(bank.get("delivered")),
            "carried_on_text": formats.format_hours_balance(bank.get("carried_on")),
        }
    return data
