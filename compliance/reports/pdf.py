"""What a compliance report PDF shows: report data → HTML (``compliance.reports.rendering``
turns it into sealed PDF bytes; this module loads no PDF library, so pages that only show
report figures do not pay for WeasyPrint).

Pure: plain values in (``ReportData``, built by ``compliance.services.reports``), text out;
no ORM, no request. The HTML is rendered from ``templates/pdf/report.html`` (its own print
stylesheet, apart from the web templates) and turned into PDF by ``contracts.documents.pdf.html_to_pdf``,
whose fetcher serves only the static tree. Charts are the portal's own SVG charts
(``compliance.engine.charts``), inlined.

The PDF's document information carries the report's verification code and the SHA-256 of
the signed contract version measured against; the file is then sealed with the portal's key
(``contracts.documents.sealing.seal_pdf``), so ``manage.py verify_pdf`` tells a genuine report from an
altered one (``compliance.reports.verification``).
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.template.loader import render_to_string

from compliance.engine import charts
from compliance.engine.display import achieved_text, target_text
from compliance.engine.evaluation_json import level_plotted
from contracts.branding.brand import Branding
from contracts.documents.info_keys import INFO_DOCUMENT_SHA256
from contracts.texts import formats

TEMPLATE = "pdf/report.html"
#: Document information keys of a report PDF (the document hash key is shared with signing),
#: written from ``<meta name="…">`` tags of the report template.
INFO_REPORT_CODE = "/SLAPortalReportCode"
INFO_REPORT_PERIOD = "/SLAPortalReportPeriod"
INFO_DOCUMENT = INFO_DOCUMENT_SHA256

CAUSES = {
    "provider": "provider",
    "customer": "customer",
    "third_party": "third party",
    "out_of_scope": "out-of-scope system",
}
LEDGER_MONTHS = 6
TIER_KINDS = {
    "percent_of_fee": "{value}% of the monthly fee",
    "fixed_amount": "{value} {currency}",
    "hours": "{value} {hours} of work",
}


@dataclass(frozen=True)
class ReportParty:
    name: str
    company: str = ""  # the company a department belongs to (internal SLAs)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.company})" if self.company else self.name


@dataclass(frozen=True)
class ReportIncident:
    external_id: str
    service: str
    priority: str
    opened_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    cause: str
    summary: str = ""


@dataclass(frozen=True)
class ReportOutage:
    external_id: str
    service: str
    start: datetime
    end: datetime | None
    planned: bool
    cause: str
    summary: str = ""


@dataclass(frozen=True)
class ReportTier:
    below: Decimal
    kind: str
    value: Decimal


@dataclass(frozen=True)
class ReportData:
    """Everything one report shows. ``figures`` is the stored evaluation's JSON;
    ``history`` maps a service level key to (period, plotted figure) pairs of earlier
    months, oldest first, for the trend charts (see ``level_plotted``); times are shown in ``time_zone``."""

    reference: str
    title: str
    provider: ReportParty
    customer: ReportParty
    internal: bool
    period: str
    revision: int
    version: int
    figures: dict
    verification_code: str
    document_sha256: str
    computed_at: datetime
    time_zone: str
    verify_url: str
    report_url: str
    cap_label: str = ""
    tiers: dict[str, tuple[ReportTier, ...]] = field(default_factory=dict)
    history: dict[str, tuple[tuple[str, Decimal | None], ...]] = field(default_factory=dict)
    incidents: tuple[ReportIncident, ...] = ()
    outages: tuple[ReportOutage, ...] = ()
    #: The version was signed on paper and imported: the portal holds no signed document.
    signed_outside_portal: bool = False
    #: An amended report: the revision it amends, what changed ("availability 99.95% →
    #: 99.80%") and why.
    amends_revision: int | None = None
    amendment: tuple[str, ...] = ()
    amendment_reason: str = ""
    #: The latest stored month before this one ("2026-10") and its figures, for "what
    #: changed since last month"; none for a contract's first month.
    previous_period: str = ""
    previous_figures: dict | None = None
    #: The provider's logo and accent colour, as they were when the report was rendered.
    branding: Branding | None = None


# ---------------------------------------------------------------- plain-language values


def period_label(period: str) -> str:
    """``"2026-03"`` → ``"March 2026"``."""
    return formats.format_month(period)


def verdict(figures: dict) -> dict[str, Any]:
    """The at-a-glance verdict: levels met and missed, credit due, hours balance, in words."""
    levels = figures.get("service_levels", [])
    measured = [level for level in levels if level.get("measured")]
    missed = [level for level in measured if level.get("met") is False]
    credits = figures.get("credits") or {}
    currency = credits.get("currency", figures.get("currency", ""))
    due = _decimal(credits.get("capped_total"))
    hours_due = _decimal(credits.get("hours"))
    if not measured:
        headline = "No service level could be measured this month."
    elif not missed:
        headline = f"All {len(measured)} measured service levels were met."
    else:
        headline = f"{len(missed)} of {len(measured)} measured service levels were missed."
    if due or hours_due:
        owed = " and ".join(
            [formats.format_money(due, currency)] * bool(due)
            + [f"{formats.format_hours(hours_due)} of work"] * bool(hours_due)
        )
        credit_text = f"The customer is owed {owed} in service credits."
    else:
        credit_text = "No service credits are owed this month."
    bank = figures.get("hours_bank")
    return {
        "headline": headline,
        "met": len(measured) - len(missed),
        "missed": len(missed),
        "measured": len(measured),
        "missed_names": [level["name"] for level in missed],
        "credit_due": credits.get("capped_total", "0.00"),
        "credit_due_text": formats.format_money(due, currency),
        "credit_hours": credits.get("hours", "0"),
        "owes_credit": bool(due or hours_due),
        "credit_text": credit_text,
        "currency": currency,
        "hours_balance": (bank or {}).get("carried_on"),
        "hours_text": _hours_text(bank),
    }


def _hours_text(bank: dict | None) -> str:
    if not bank:
        return ""
    return (
        f"{formats.format_hours(bank['committed'])} committed, {formats.format_hours(bank['delivered'])} "
        f"delivered this month; balance: {formats.format_hours_balance(bank['carried_on'])}."
    )


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def _clause_text(clause: dict | None) -> str:
    if not clause:
        return "the contract's term"
    return f"clause {clause['number']}, “{clause['heading']}”"


def _target_text(level: dict) -> str:
    return target_text(level)


def _plain(value) -> str:
    return format(formats.trim(Decimal(str(value))), "f")


def _business(level: dict) -> bool:
    return bool(level.get("business_time"))


def level_summary(level: dict) -> str:
    """One plain sentence per service level for the first page."""
    name = level["name"]
    if not level.get("measured"):
        return f"{name}: not measured ({level.get('note') or 'no figures'})."
    if level["metric"] == "availability":
        return f"{name}: {achieved_text(level)} available against a target of {_target_text(level)}."
    if level["metric"] == "custom":
        return f"{name}: {achieved_text(level)} recorded against a target of {_target_text(level)}."
    within = formats.format_duration(int(Decimal(level["target"])), business_time=_business(level))
    if not level.get("counted"):
        pending = f"; {level['pending']} still open within time" if level.get("pending") else ""
        return f"{name}: no incidents to count{pending}."
    return (
        f"{name}: {level['within']} of {level['counted']} "
        f"incident{'' if level['counted'] == 1 else 's'} within {within} "
        f"({achieved_text(level)}; the target is {_plain(level.get('share') or 100)}%)."
    )


def breach_text(level: dict, breach: dict) -> str:
    """``"DEMO-I18 (P1 Email): 6 h 36 min of business time against 4 business hours"``."""
    if level["metric"] == "availability":
        measured = f"{formats.format_elapsed(breach['minutes'])} down"
    else:
        measured = formats.format_against(breach["minutes"], level["target"], business_time=_business(level))
    still_open = ", still open" if breach.get("open") else ""
    return f"{breach['external_id']} ({breach['detail']}): {measured}{still_open}"


def changes_since(figures: dict, previous: dict | None, previous_period: str) -> list[str]:
    """What changed against the month before, in words: verdicts that turned, the credit and
    the hours balance. Empty when nothing a reader would notice changed."""
    if not previous:
        return []
    month = formats.format_month(previous_period)
    lines = []
    before = {level["key"]: level for level in previous.get("service_levels", [])}
    for level in figures.get("service_levels", []):
        old = before.get(level["key"])
        if old is None:
            lines.append(f"{level['name']} is new this month.")
            continue
        now_met, was_met = level.get("met"), old.get("met")
        if now_met is not was_met and None not in (now_met, was_met):
            turned = "now met" if now_met else "now missed"
            lines.append(
                f"{level['name']}: {turned} ({achieved_text(level)}; "
                f"{month}: {achieved_text(old) or 'not measured'})."
            )
    credits, old_credits = figures.get("credits") or {}, previous.get("credits") or {}
    currency = credits.get("currency", "")
    now_due, was_due = _decimal(credits.get("capped_total")), _decimal(old_credits.get("capped_total"))
    if now_due != was_due:
        lines.append(
            f"Service credits: {formats.format_money(now_due, currency)} "
            f"({month}: {formats.format_money(was_due, currency)})."
        )
    bank, old_bank = figures.get("hours_bank"), previous.get("hours_bank")
    if bank and old_bank and _decimal(bank.get("carried_on")) != _decimal(old_bank.get("carried_on")):
        lines.append(
            f"Hours bank: {formats.format_hours_balance(bank['carried_on'])} "
            f"({month}: {formats.format_hours_balance(old_bank['carried_on'])})."
        )
    return lines


def _tier_text(tier: ReportTier, currency: str) -> str:
    below = format(tier.below.normalize(), "f")
    if tier.kind == "percent_of_fee":
        text = f"{_plain(tier.value)}% of the monthly fee"
    elif tier.kind == "fixed_amount":
        text = formats.format_money(tier.value, currency)
    else:
        text = f"{formats.format_hours(tier.value)} of work"
    return f"below {below}%: {text}"


# ---------------------------------------------------------------- charts


def chart_image(svg: str) -> dict[str, str] | None:
    """An SVG chart as an ``<img>`` source (a ``data:`` URI) and its text alternative.

    WeasyPrint draws an SVG image with its SVG renderer alone; inlined, every element of the
    chart would also go through the HTML cascade, which costs time and logs a warning per
    SVG-only property.
    """
    if not svg:
        return None
    match = re.search(r'aria-label="([^"]*)"', svg)
    alt = html.unescape(match.group(1)) if match else "Chart"
    encoded = base64.b64encode(svg.encode()).decode("ascii")
    return {"src": f"data:image/svg+xml;base64,{encoded}", "alt": alt}


def level_chart(level: dict, history: tuple[tuple[str, Decimal | None], ...], period: str) -> str:
    """The level's chart: the error budget for availability, the trend of the share within
    target over the recent months for response and resolution; "" when not measured."""

    if not level.get("measured"):
        return ""
    budget = level.get("error_budget")
    if level["metric"] == "availability" and budget:
        return charts.error_budget_chart(
            allowed_minutes=Decimal(budget["allowed_minutes"]),
            used_minutes=Decimal(budget["used_minutes"]),
            elapsed_fraction=1,
            title=f"{level['name']}: downtime allowed",
        )
    points = [*history, (period, level_plotted(level))]
    if all(value is None for _, value in points):
        return ""  # no incidents in any of these months: nothing to draw
    return charts.trend_chart(
        title=f"{level['name']}: share within target",
        periods=[p for p, _ in points],
        series=[charts.Series(level["name"], [value for _, value in points])],
        target=Decimal(level["share"]) if level.get("share") else Decimal(100),
        unit="%",
    )


def hours_chart(hours_bank: dict | None) -> str:

    if not hours_bank or not hours_bank.get("ledger"):
        return ""
    ledger = hours_bank["ledger"][-12:]
    return charts.hours_bank_chart(
        periods=[row["period"] for row in ledger],
        committed=[Decimal(row["committed"]) for row in ledger],
        delivered=[Decimal(row["delivered"]) for row in ledger],
        balance=[Decimal(row["carried_on"]) for row in ledger],
    )


# ---------------------------------------------------------------- the document


def report_context(data: ReportData) -> dict[str, Any]:
    """What ``pdf/report.html`` shows."""
    figures = data.figures
    currency = (figures.get("credits") or {}).get("currency", figures.get("currency", ""))
    levels = []
    for level in figures.get("service_levels", []):
        levels.append(
            {
                **level,
                "target_text": _target_text(level),
                "achieved_text": achieved_text(level),
                "summary": level_summary(level),
                "breach_texts": [breach_text(level, breach) for breach in level.get("breaches", [])],
                "chart": chart_image(level_chart(level, data.history.get(level["key"], ()), data.period)),
                "tiers": [_tier_text(t, currency) for t in data.tiers.get(level["key"], ())],
                "exclusions": [
                    {**e, "clause_text": _clause_text(e["clause"])} for e in level.get("excluded_events", [])
                ],
            }
        )
    exclusions = [{**e, "clause_text": _clause_text(e["clause"])} for e in figures.get("exclusions", [])]
    hours = figures.get("hours_bank")
    return {
        "data": data,
        "figures": figures,
        "period_label": period_label(data.period),
        "verdict": verdict(figures),
        "levels": levels,
        "exclusions": exclusions,
        "credits": figures.get("credits") or {},
        "currency": currency,
        "credit_lines": [
            {
                **line,
                "achieved_text": formats.format_percent(line["achieved"]),
                "credit_text": formats.format_hours_short(line["hours"])
                if line.get("tier_kind") == "hours"
                else formats.format_money(line["amount"], currency),
            }
            for line in (figures.get("credits") or {}).get("lines", [])
        ],
        "changes": changes_since(figures, data.previous_figures, data.previous_period),
        "previous_label": period_label(data.previous_period) if data.previous_period else "",
        "hours": hours,
        #: The ledger's last six months; the chart shows up to a year.
        "hours_ledger": (hours or {}).get("ledger", [])[-LEDGER_MONTHS:],
        "hours_chart": chart_image(hours_chart(hours)),
        "causes": CAUSES,
        "kind_label": "internal SLA" if data.internal else "service level agreement",
    }


def report_html(data: ReportData) -> str:
    return render_to_string(TEMPLATE, report_context(data))
