"""Contracts as YAML files: the document model and the exporter.

A contract file holds a contract (parties by name, title, money, time zone, term) and one
version of it: every term and clause. ``docs/contract-format.md`` documents each key.
:func:`contract_file_text` writes one; :func:`contracts.contract_files.parse.parse_contract_file`
reads one back into a :class:`ContractDocument`; ``contracts.services.imports`` turns a
document into a new contract.

The exporter is deterministic: keys in a fixed order, rows in a fixed order (parameters,
calendars, service levels and responsibilities by name or key; services in scope first;
clauses by position), multi-line texts as literal blocks (``|``), numbers in their shortest
exact form. Export → import → export therefore gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal

import yaml
from django.core.exceptions import ValidationError

from contracts.models import Contract
from contracts.texts.wording import WEEKDAYS, trim

FORMAT_VERSION = 1
HEADER = "# SLA portal contract file; the keys are described in docs/contract-format.md\n"
WEEKDAY_KEYS = [day.lower() for day in WEEKDAYS]

# ---------------------------------------------------------------- problems


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a contract file: where (line, key path) and what."""

    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.path}: {self.message}" if self.path else f"{where}{self.message}"


class ContractFileInvalid(ValidationError):
    """A contract file that cannot be imported; ``problems`` lists every reason with its line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.line is None, p.line or 0))
        super().__init__([str(p) for p in self.problems], code="contract_file_invalid")


# ---------------------------------------------------------------- the document


@dataclass
class Item:
    """Where a part of the file was written: its path, first line, and the line of each key."""

    path: str = ""
    line: int | None = None
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key, self.line)


@dataclass
class ParameterItem(Item):
    name: str = ""
    kind: str = ""
    value: str = ""
    business_time: bool = False
    description: str = ""


@dataclass
class ServiceItem(Item):
    name: str = ""
    in_scope: bool = True
    out_of_scope_reason: str = ""


@dataclass
class CalendarItem(Item):
    name: str = ""
    around_the_clock: bool = False
    hours: dict[str, str] = field(default_factory=dict)
    holiday_country: str = ""
    holiday_subdivision: str = ""
    #: ``{"date", "name"}`` per holiday (see ``contracts.texts.extra_holidays``).
    extra_holidays: list[dict[str, str]] = field(default_factory=list)


@dataclass
class WindowItem(Item):
    weekday: int = 0
    start: time = time(0, 0)
    duration_minutes: int = 0
    description: str = ""


@dataclass
class TierItem(Item):
    below: Decimal = Decimal(0)
    kind: str = "percent_of_fee"
    value: Decimal = Decimal(0)


@dataclass
class ServiceLevelItem(Item):
    key: str = ""
    name: str = ""
    metric: str = ""
    service: str | None = None
    priority: str = ""
    target: str = ""
    share: str | None = None
    calendar: str | None = None
    remove_excluded_from_measured: bool = False
    credit_tiers: list[TierItem] = field(default_factory=list)


@dataclass
class CapItem(Item):
    kind: str = "percent_of_fee"
    value: Decimal = Decimal(0)


@dataclass
class HoursItem(Item):
    hours_per_month: Decimal = Decimal(0)
    deficit_carry_months: int | None = None
    surplus_carry_months: int | None = 0


@dataclass
class ResponsibilityItem(Item):
    key: str = ""
    category: str = ""
    consequence: str = ""
    duty: str = ""


@dataclass
class ClauseItem(Item):
    key: str = ""
    heading: str = ""
    legal_text: str = ""
    plain_text: str = ""


@dataclass
class ContractDocument(Item):
    """A parsed contract file: the contract's own values and one version's terms and clauses."""

    title: str = ""
    provider: str = ""
    customer: str = ""
    currency: str = "EUR"
    monthly_fee: Decimal = Decimal("0.00")
    time_zone: str = "Europe/Amsterdam"
    start_date: date | None = None
    end_date: date | None = None
    auto_renew: bool = False
    notice_period_days: int = 90
    renewal_months: int = 12
    parameters: list[ParameterItem] = field(default_factory=list)
    services: list[ServiceItem] = field(default_factory=list)
    calendars: list[CalendarItem] = field(default_factory=list)
    maintenance_windows: list[WindowItem] = field(default_factory=list)
    service_levels: list[ServiceLevelItem] = field(default_factory=list)
    credit_cap: CapItem | None = None
    hours_commitment: HoursItem | None = None
    responsibilities: list[ResponsibilityItem] = field(default_factory=list)
    clauses: list[ClauseItem] = field(default_factory=list)


# ---------------------------------------------------------------- export


class _Plain(str):
    """A value written as a plain scalar: a number or a date, never quoted."""


class _Literal(str):
    """A clause text: always a literal block, so every clause reads and diffs alike."""


class _Quoted(str):
    """A time of day: quoted, since YAML 1.1 readers take an unquoted 22:00 for a number."""


class _Dumper(yaml.SafeDumper):
    """Block style, lists indented under their key, literal blocks for multi-line texts."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_plain(dumper: yaml.SafeDumper, value: _Plain) -> yaml.ScalarNode:
    text = str(value)
    return dumper.represent_scalar(dumper.resolve(yaml.ScalarNode, text, (True, False)), text)


def _represent_literal(dumper: yaml.SafeDumper, value: _Literal) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="|")


def _represent_quoted(dumper: yaml.SafeDumper, value: _Quoted) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="'")


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(_Plain, _represent_plain)
_Dumper.add_representer(_Literal, _represent_literal)
_Dumper.add_representer(_Quoted, _represent_quoted)


def _number(value: Decimal) -> _Plain:
    return _Plain(f"{trim(value)}")


def _text(value: str) -> str:
    # Line endings are not part of a clause's meaning; CR would force quoted style.
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _time(value: time) -> _Quoted:
    return _Quoted(value.strftime("%H:%M:%S" if value.second else "%H:%M"))


def _with(row: dict, **optional) -> dict:
    """``row`` plus the optional keys that differ from their default (falsy) value."""
    row.update({key: value for key, value in optional.items() if value})
    return row


def contract_file_data(contract: Contract, terms=None) -> dict:
    """The file's content as plain data in the order it is written.

    ``terms`` is a ``selectors.VersionTerms`` of the version to write, or ``None`` for a
    contract without versions.
    """
    data: dict = {
        "format": FORMAT_VERSION,
        "title": contract.title,
        "provider": contract.provider.name,
        "customer": contract.customer.name,
        "currency": contract.currency,
        "monthly_fee": _Plain(f"{contract.monthly_fee:.2f}"),
        "time_zone": contract.time_zone,
        "start_date": _Plain(contract.start_date.isoformat()),
        "end_date": _Plain(contract.end_date.isoformat()) if contract.end_date else None,
        "auto_renew": contract.auto_renew,
        "notice_period_days": contract.notice_period_days,
        "renewal_months": contract.renewal_months,
    }
    if terms is None:
        data.update(
            parameters=[],
            services=[],
            calendars=[],
            maintenance_windows=[],
            service_levels=[],
            credit_cap=None,
            hours_commitment=None,
            responsibilities=[],
            clauses=[],
        )
        return data
    data["parameters"] = [
        _with(
            {
                "name": p.name,
                "kind": p.kind,
                "value": _text(p.value) if p.kind == "text" else _Plain(p.value),
            },
            business_time=p.business_time,
            description=_text(p.description),
        )
        for p in sorted(terms.parameters, key=lambda p: p.name)
    ]
    data["services"] = [
        _with(
            {"name": s.name, "in_scope": s.in_scope},
            out_of_scope_reason=_text(s.out_of_scope_reason),
        )
        for s in sorted(terms.services, key=lambda s: (not s.in_scope, s.name))
    ]
    data["calendars"] = [
        _with(
            {"name": c.name, "around_the_clock": c.around_the_clock},
            hours={
                WEEKDAY_KEYS[int(day)]: spec for day, spec in sorted(c.hours.items(), key=lambda i: int(i[0]))
            },
            holiday_country=c.holiday_country,
            holiday_subdivision=c.holiday_subdivision,
            extra_holidays=[
                {"date": _Plain(h.day.isoformat()), "name": h.name} if h.name else _Plain(h.day.isoformat())
                for h in c.named_extra_holidays
            ],
        )
        for c in sorted(terms.calendars, key=lambda c: c.name)
    ]
    data["maintenance_windows"] = [
        _with(
            {
                "weekday": WEEKDAY_KEYS[w.weekday],
                "start": _time(w.start),
                "duration_minutes": w.duration_minutes,
            },
            description=_text(w.description),
        )
        for w in sorted(
            terms.maintenance_windows, key=lambda w: (w.weekday, w.start, w.duration_minutes, w.description)
        )
    ]
    data["service_levels"] = [
        _service_level(level, terms)
        for level in sorted(terms.service_levels, key=lambda x: (x.position, x.key))
    ]
    cap = terms.credit_cap
    data["credit_cap"] = {"kind": cap.kind, "value": _number(cap.value)} if cap else None
    hours = terms.hours_commitment
    data["hours_commitment"] = (
        {
            "hours_per_month": _number(hours.hours_per_month),
            "deficit_carry_months": hours.deficit_carry_months,
            "surplus_carry_months": hours.surplus_carry_months,
        }
        if hours
        else None
    )
    data["responsibilities"] = [
        {"key": r.key, "category": r.category, "consequence": r.consequence, "duty": _text(r.duty)}
        for r in sorted(terms.responsibilities, key=lambda r: r.key)
    ]
    data["clauses"] = [
        {
            "key": c.key,
            "heading": c.heading,
            "legal_text": _Literal(_text(c.legal_text)),
            "plain_text": _Literal(_text(c.plain_text)),
        }
        for c in terms.clauses
    ]
    return data


def _service_level(level, terms) -> dict:
    row = {"key": level.key, "name": level.name, "metric": level.metric}
    if level.service_id:
        row["service"] = level.service.name
    if level.priority:
        row["priority"] = level.priority
    row["target"] = level.target.name
    if level.share_id:
        row["share"] = level.share.name
    row["calendar"] = level.calendar.name if level.calendar_id else None
    if level.remove_excluded_from_measured:
        row["remove_excluded_from_measured"] = True
    tiers = sorted(terms.tiers_of(level), key=lambda t: t.below, reverse=True)
    if tiers:
        row["credit_tiers"] = [
            {"below": _number(t.below), "kind": t.kind, "value": _number(t.value)} for t in tiers
        ]
    return row


def contract_file_text(contract: Contract, terms=None) -> str:
    """The YAML text of ``contract`` with the version ``terms`` (see :func:`contract_file_data`)."""
    body = yaml.dump(
        contract_file_data(contract, terms),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100_000,
    )
    return HEADER + body
