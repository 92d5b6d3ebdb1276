"""Reading contract files: YAML text → :class:`ContractDocument`, or every problem with its line.

The text is composed into YAML nodes (``yaml.compose`` with the safe loader; no Python
objects are ever constructed), so each key keeps the line it was written on, and every
scalar is read from the characters as written: ``99.9`` stays the decimal 99.9 (never a
float), ``NO`` stays the country code, ``02:00`` stays a time. Anchors and aliases are
refused. Checks that need no database run here: types, choices, names, references between
parts (a service level's target names a parameter of the file), and the models' own field
validation, so that one pass lists every problem.
"""

from __future__ import annotations

from datetime import time
from decimal import Decimal

import yaml
from django.core.exceptions import ValidationError

from contracts.contract_files.export import (
    FORMAT_VERSION,
    WEEKDAY_KEYS,
    CalendarItem,
    CapItem,
    ClauseItem,
    ContractDocument,
    ContractFileInvalid,
    HoursItem,
    Item,
    ParameterItem,
    Problem,
    ResponsibilityItem,
    ServiceItem,
    ServiceLevelItem,
    TierItem,
    WindowItem,
)
from contracts.contract_files.reader import NodeReader as _Reader
from contracts.contract_files.reader import SafeNodeLoader
from contracts.models import (
    Calendar,
    CapKind,
    Clause,
    Consequence,
    Contract,
    CreditCap,
    CreditKind,
    CreditTier,
    HoursCommitment,
    MaintenanceWindow,
    Metric,
    Parameter,
    ParameterKind,
    Priority,
    Responsibility,
    ResponsibilityCategory,
    Service,
    ServiceLevel,
)
from contracts.models.terms import parameter_value_text
from contracts.texts.wording import RESERVED_PARAMETER_NAMES, RESPONSIBILITY_PREFIX

TOP_KEYS = (
    "format",
    "title",
    "provider",
    "customer",
    "currency",
    "monthly_fee",
    "time_zone",
    "start_date",
    "end_date",
    "auto_renew",
    "notice_period_days",
    "renewal_months",
    "parameters",
    "services",
    "calendars",
    "maintenance_windows",
    "service_levels",
    "credit_cap",
    "hours_commitment",
    "responsibilities",
    "clauses",
)


# ---------------------------------------------------------------- the parts of a file


_VERSION_FK = ("version",)


def _parameter(r: _Reader, node, path: str) -> ParameterItem:
    item = ParameterItem()
    f = r.mapping(
        node,
        path,
        item,
        keys=("name", "kind", "value", "business_time", "description"),
        required=("name", "kind", "value"),
    )
    if f is None:
        return item
    item.name = r.text(f, "name", path)
    item.kind = r.choice(f, "kind", path, ParameterKind)
    item.business_time = r.boolean(f, "business_time", path)
    item.description = r.text(f, "description", path)
    raw = r.text(f, "value", path)
    if item.kind and "value" in f:
        try:
            item.value = parameter_value_text(item.kind, raw)
        except ValidationError as exc:
            for message in exc.messages:
                r.problem(item.line_of("value"), f"{path}.value", message.rstrip("."))
    if item.name in RESERVED_PARAMETER_NAMES or item.name.startswith(RESPONSIBILITY_PREFIX):
        r.problem(
            item.line_of("name"),
            f"{path}.name",
            f"“{item.name}” is reserved for a value the portal generates",
        )
    if item.name and item.kind and item.value:
        parameter = Parameter(
            name=item.name,
            kind=item.kind,
            value=item.value,
            business_time=item.business_time,
            description=item.description,
        )
        r.validate(parameter, item, exclude=_VERSION_FK, clean=False)
    return item


def _service(r: _Reader, node, path: str) -> ServiceItem:
    item = ServiceItem()
    f = r.mapping(node, path, item, keys=("name", "in_scope", "out_of_scope_reason"), required=("name",))
    if f is None:
        return item
    item.name = r.text(f, "name", path)
    item.in_scope = r.boolean(f, "in_scope", path, default=True)
    item.out_of_scope_reason = r.text(f, "out_of_scope_reason", path)
    if item.name:
        service = Service(
            name=item.name, in_scope=item.in_scope, out_of_scope_reason=item.out_of_scope_reason
        )
        r.validate(service, item, exclude=_VERSION_FK, clean=False)
    return item


def _calendar(r: _Reader, node, path: str) -> CalendarItem:
    item = CalendarItem()
    keys = ("name", "around_the_clock", "hours", "holiday_country", "holiday_subdivision", "extra_holidays")
    f = r.mapping(node, path, item, keys=keys, required=("name",))
    if f is None:
        return item
    item.name = r.text(f, "name", path)
    item.around_the_clock = r.boolean(f, "around_the_clock", path)
    item.holiday_country = r.text(f, "holiday_country", path)
    item.holiday_subdivision = r.text(f, "holiday_subdivision", path)
    hours_node = f.get("hours")
    if hours_node is not None and not r.is_null(hours_node):
        hours_item = Item()
        days = r.mapping(hours_node, f"{path}.hours", hours_item, keys=tuple(WEEKDAY_KEYS))
        for day, spec_node in (days or {}).items():
            spec = r.scalar(spec_node, f"{path}.hours.{day}")
            if spec is not None:
                item.hours[str(WEEKDAY_KEYS.index(day))] = spec
    for index, day_node in enumerate(r.sequence(f.get("extra_holidays"), f"{path}.extra_holidays")):
        where = f"{path}.extra_holidays[{index}]"
        if isinstance(day_node, yaml.MappingNode):
            # A named holiday: {date: 2026-12-24, name: Company day}.
            named = r.mapping(day_node, where, Item(), keys=("date", "name"), required=("date",)) or {}
            holiday, name = r.date(named, "date", where), r.text(named, "name", where)
        else:
            holiday, name = r.date({"day": day_node}, "day", where), ""
        if holiday:
            item.extra_holidays.append({"date": holiday.isoformat(), "name": name})
    if item.name:
        calendar = Calendar(
            name=item.name,
            around_the_clock=item.around_the_clock,
            hours=item.hours,
            holiday_country=item.holiday_country,
            holiday_subdivision=item.holiday_subdivision,
            extra_holidays=item.extra_holidays,
        )
        r.validate(calendar, item, exclude=_VERSION_FK)
    return item


def _window(r: _Reader, node, path: str) -> WindowItem:
    item = WindowItem()
    keys = ("weekday", "start", "duration_minutes", "description")
    f = r.mapping(node, path, item, keys=keys, required=("weekday", "start", "duration_minutes"))
    if f is None:
        return item
    weekday = r.weekday(f.get("weekday"), f"{path}.weekday")
    start_text = r.text(f, "start", path)
    start = None
    if start_text:
        try:
            start = time.fromisoformat(start_text.strip())
        except ValueError:
            r.problem(
                item.line_of("start"), f"{path}.start", f"“{start_text}” is not a time; write it as HH:MM"
            )
    duration = r.integer(f, "duration_minutes", path)
    item.description = r.text(f, "description", path)
    if weekday is not None and start is not None and duration is not None:
        item.weekday, item.start, item.duration_minutes = weekday, start, duration
        window = MaintenanceWindow(
            weekday=weekday, start=start, duration_minutes=duration, description=item.description
        )
        r.validate(window, item, exclude=_VERSION_FK, clean=False)
    return item


def _tier(r: _Reader, node, path: str) -> TierItem:
    item = TierItem()
    f = r.mapping(node, path, item, keys=("below", "kind", "value"), required=("below", "value"))
    if f is None:
        return item
    below = r.decimal(f, "below", path)
    item.kind = r.choice(f, "kind", path, CreditKind, default=CreditKind.PERCENT_OF_FEE)
    value = r.decimal(f, "value", path)
    if below is not None and value is not None:
        item.below, item.value = below, value
        tier = CreditTier(below=below, kind=item.kind, value=value)
        r.validate(tier, item, exclude=("version", "service_level"))
    return item


def _service_level(r: _Reader, node, path: str) -> ServiceLevelItem:
    item = ServiceLevelItem()
    keys = (
        "key",
        "name",
        "metric",
        "service",
        "priority",
        "target",
        "share",
        "calendar",
        "remove_excluded_from_measured",
        "credit_tiers",
    )
    f = r.mapping(node, path, item, keys=keys, required=("key", "name", "metric", "target"))
    if f is None:
        return item
    item.key = r.text(f, "key", path)
    item.name = r.text(f, "name", path)
    item.metric = r.choice(f, "metric", path, Metric)
    item.service = r.text(f, "service", path) or None
    item.priority = r.choice(f, "priority", path, Priority)
    item.target = r.text(f, "target", path)
    item.share = r.text(f, "share", path) or None
    item.calendar = r.text(f, "calendar", path) or None
    item.remove_excluded_from_measured = r.boolean(f, "remove_excluded_from_measured", path)
    tiers = r.sequence(f.get("credit_tiers"), f"{path}.credit_tiers")
    item.credit_tiers = [_tier(r, tier, f"{path}.credit_tiers[{i}]") for i, tier in enumerate(tiers)]
    _unique(r, item.credit_tiers, "below", "threshold")
    if item.key and item.name and item.metric:
        level = ServiceLevel(key=item.key, name=item.name, metric=item.metric, priority=item.priority)
        r.validate(level, item, exclude=("version", "service", "target", "share", "calendar"), clean=False)
    return item


def _cap(r: _Reader, node, path: str) -> CapItem | None:
    if node is None or r.is_null(node):
        return None
    item = CapItem()
    f = r.mapping(node, path, item, keys=("kind", "value"), required=("value",))
    if f is None:
        return None
    item.kind = r.choice(f, "kind", path, CapKind, default=CapKind.PERCENT_OF_FEE)
    value = r.decimal(f, "value", path)
    if value is not None:
        item.value = value
        r.validate(CreditCap(kind=item.kind, value=value), item, exclude=_VERSION_FK)
    return item


def _hours(r: _Reader, node, path: str) -> HoursItem | None:
    if node is None or r.is_null(node):
        return None
    item = HoursItem()
    keys = ("hours_per_month", "deficit_carry_months", "surplus_carry_months")
    f = r.mapping(node, path, item, keys=keys, required=("hours_per_month",))
    if f is None:
        return None
    hours = r.decimal(f, "hours_per_month", path)
    item.deficit_carry_months = r.integer(f, "deficit_carry_months", path)
    item.surplus_carry_months = r.integer(
        f, "surplus_carry_months", path, default=0 if "surplus_carry_months" not in f else None
    )
    if hours is not None:
        item.hours_per_month = hours
        commitment = HoursCommitment(
            hours_per_month=hours,
            deficit_carry_months=item.deficit_carry_months,
            surplus_carry_months=item.surplus_carry_months,
        )
        r.validate(commitment, item, exclude=_VERSION_FK, clean=False)
    return item


def _responsibility(r: _Reader, node, path: str) -> ResponsibilityItem:
    item = ResponsibilityItem()
    keys = ("key", "category", "consequence", "duty")
    f = r.mapping(node, path, item, keys=keys, required=keys)
    if f is None:
        return item
    item.key = r.text(f, "key", path)
    item.category = r.choice(f, "category", path, ResponsibilityCategory)
    item.consequence = r.choice(f, "consequence", path, Consequence)
    item.duty = r.text(f, "duty", path)
    if item.key and item.category and item.consequence and item.duty:
        responsibility = Responsibility(
            key=item.key, category=item.category, consequence=item.consequence, duty=item.duty
        )
        r.validate(responsibility, item, exclude=_VERSION_FK, clean=False)
    return item


def _clause(r: _Reader, node, path: str) -> ClauseItem:
    item = ClauseItem()
    keys = ("key", "heading", "legal_text", "plain_text")
    f = r.mapping(node, path, item, keys=keys, required=("heading",))
    if f is None:
        return item
    item.key = r.text(f, "key", path)
    item.heading = r.text(f, "heading", path)
    item.legal_text = r.text(f, "legal_text", path)
    item.plain_text = r.text(f, "plain_text", path)
    if item.heading:
        clause = Clause(
            position=1,
            key=item.key or "clause",
            heading=item.heading,
            legal_text=item.legal_text,
            plain_text=item.plain_text,
        )
        r.validate(clause, item, exclude=("version", "template"), clean=False)
    return item


def _unique(r: _Reader, items: list[Item], attribute: str, label: str) -> None:
    seen: set = set()
    for item in items:
        value = getattr(item, attribute)
        if value in ("", None):
            continue
        if value in seen:
            r.problem(
                item.line_of(attribute), f"{item.path}.{attribute}", f"another {label} is also “{value}”"
            )
        seen.add(value)


def _references(r: _Reader, doc: ContractDocument) -> None:
    """Every name a service level uses must be a part of the same file."""
    parameters = {p.name for p in doc.parameters}
    services = {s.name for s in doc.services}
    calendars = {c.name for c in doc.calendars}
    for level in doc.service_levels:
        for key, names, what in (
            ("target", parameters, "parameter"),
            ("share", parameters, "parameter"),
            ("service", services, "service"),
            ("calendar", calendars, "calendar"),
        ):
            name = getattr(level, key)
            if name and name not in names:
                r.problem(level.line_of(key), f"{level.path}.{key}", f"no {what} named '{name}'")


# ---------------------------------------------------------------- the whole file


def parse_contract_file(text: str) -> ContractDocument:
    """Read a contract file, or raise :class:`ContractFileInvalid` listing every problem.

    Nothing touches the database: parties are still names, service levels refer to their
    target, share, service and calendar by name (all checked to exist in the file).
    """
    r = _Reader()
    try:
        root = yaml.compose(text, Loader=SafeNodeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise ContractFileInvalid(
            [Problem(line, "", f"not valid YAML: {exc.problem or exc.context}")]
        ) from exc
    except yaml.YAMLError as exc:
        raise ContractFileInvalid([Problem(None, "", f"not valid YAML: {exc}")]) from exc
    if root is None:
        raise ContractFileInvalid([Problem(1, "", "the file is empty")])

    doc = ContractDocument()
    f = r.mapping(root, "", doc, keys=TOP_KEYS, required=("title", "provider", "customer", "start_date"))
    if f is None:
        raise ContractFileInvalid(r.problems)

    version = r.integer(f, "format", "", default=FORMAT_VERSION)
    if version != FORMAT_VERSION:
        r.problem(
            doc.line_of("format"), "format", f"this portal reads format {FORMAT_VERSION}, not {version}"
        )
    doc.title = r.text(f, "title", "")
    doc.provider = r.text(f, "provider", "").strip()
    doc.customer = r.text(f, "customer", "").strip()
    doc.currency = r.text(f, "currency", "", default="EUR")
    doc.monthly_fee = r.decimal(f, "monthly_fee", "", default=Decimal("0.00"))
    doc.time_zone = r.text(f, "time_zone", "", default="Europe/Amsterdam")
    doc.start_date = r.date(f, "start_date", "")
    doc.end_date = r.date(f, "end_date", "")
    doc.auto_renew = r.boolean(f, "auto_renew", "")
    doc.notice_period_days = r.integer(f, "notice_period_days", "", default=90)
    doc.renewal_months = r.integer(f, "renewal_months", "", default=12)
    if doc.provider and doc.provider == doc.customer:
        r.problem(
            doc.line_of("customer"), "customer", "the customer must be another organisation than the provider"
        )
    if doc.start_date and doc.end_date and doc.end_date < doc.start_date:
        r.problem(doc.line_of("end_date"), "end_date", "the term ends before it starts")
    contract = Contract(
        title=doc.title,
        currency=doc.currency,
        monthly_fee=doc.monthly_fee,
        time_zone=doc.time_zone,
        start_date=doc.start_date,
        end_date=doc.end_date,
        auto_renew=doc.auto_renew,
        notice_period_days=doc.notice_period_days,
        renewal_months=doc.renewal_months,
    )
    if doc.title and doc.start_date:
        r.validate(
            contract, doc, exclude=("reference", "provider", "customer", "created_by", "status"), clean=False
        )

    def each(key, read):
        return [read(r, node, f"{key}[{i}]") for i, node in enumerate(r.sequence(f.get(key), key))]

    doc.parameters = each("parameters", _parameter)
    doc.services = each("services", _service)
    doc.calendars = each("calendars", _calendar)
    doc.maintenance_windows = each("maintenance_windows", _window)
    doc.service_levels = each("service_levels", _service_level)
    doc.credit_cap = _cap(r, f.get("credit_cap"), "credit_cap")
    doc.hours_commitment = _hours(r, f.get("hours_commitment"), "hours_commitment")
    doc.responsibilities = each("responsibilities", _responsibility)
    doc.clauses = each("clauses", _clause)

    _unique(r, doc.parameters, "name", "parameter")
    _unique(r, doc.services, "name", "service")
    _unique(r, doc.calendars, "name", "calendar")
    _unique(r, doc.service_levels, "key", "service level")
    _unique(r, doc.responsibilities, "key", "responsibility")
    _unique(r, doc.clauses, "key", "clause")
    _references(r, doc)
    if r.problems:
        raise ContractFileInvalid(r.problems)
    return doc
