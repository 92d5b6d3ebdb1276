"""Writes on the terms of a draft version. Every function refuses on a frozen version.

Updates take ``data``, a mapping of field name to new value (a form's ``cleaned_data``);
only the fields listed per function may change, anything else is a ``TypeError``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, time
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from contracts.models import (
    Calendar,
    CreditCap,
    CreditTier,
    HoursCommitment,
    MaintenanceWindow,
    Parameter,
    Responsibility,
    Service,
    ServiceLevel,
    Version,
    draft_confirmed,
)
from contracts.services.drafts import ensure_draft
from contracts.texts.extra_holidays import extra_holidays_of
from contracts.texts.wording import RESERVED_PARAMETER_NAMES, RESPONSIBILITY_PREFIX


def _save(row: models.Model) -> models.Model:
    ensure_draft(row.version)
    with draft_confirmed(row.version_id):
        row.full_clean()
        row.save()
    return row


def _update(row: models.Model, data: Mapping[str, Any], allowed: Iterable[str]) -> models.Model:
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"cannot change {', '.join(sorted(unknown))} of a {type(row).__name__}")
    ensure_draft(row.version)
    for name, value in data.items():
        setattr(row, name, value)
    return _save(row)


def _delete(row: models.Model) -> None:
    ensure_draft(row.version)
    row.delete()


# ---------------------------------------------------------------- parameters


@transaction.atomic
def parameter_set(
    *,
    version: Version,
    name: str,
    kind: str,
    value: Any,
    business_time: bool = False,
    description: str = "",
) -> Parameter:
    """Create the parameter ``name`` or change its type and value; the value is validated
    and stored as canonical text for its type (see ``Parameter.typed_value``)."""
    ensure_draft(version)
    if name in RESERVED_PARAMETER_NAMES or name.startswith(RESPONSIBILITY_PREFIX):
        raise ValidationError({"name": f"“{name}” is reserved for a value the portal generates."})
    parameter = Parameter.objects.filter(version=version, name=name).first() or Parameter(
        version=version, name=name
    )
    parameter.kind = kind
    parameter.value = value if isinstance(value, str) else _as_text(value)
    parameter.business_time = business_time
    parameter.description = description
    return _save(parameter)


def _as_text(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


@transaction.atomic
def parameter_delete(*, parameter: Parameter) -> None:
    """Delete a parameter no service level uses as its target or share."""
    ensure_draft(parameter.version)
    users = ServiceLevel.objects.filter(models.Q(target=parameter) | models.Q(share=parameter))
    names = sorted(users.values_list("name", flat=True))
    if names:
        raise ValidationError(f"{parameter.name} is used by the service level(s) {', '.join(names)}.")
    parameter.delete()


# ---------------------------------------------------------------- scope


def service_create(
    *, version: Version, name: str, in_scope: bool = True, out_of_scope_reason: str = ""
) -> Service:
    """Name a service in the scope; out-of-scope services say why (another supplier …)."""
    return _save(
        Service(version=version, name=name, in_scope=in_scope, out_of_scope_reason=out_of_scope_reason)
    )


def service_update(*, service: Service, data: Mapping[str, Any]) -> Service:
    return _update(service, data, ("name", "in_scope", "out_of_scope_reason"))


@transaction.atomic
def service_delete(*, service: Service) -> None:
    """Delete a service no service level measures."""
    _refuse_if_used(service, service.service_levels.all(), "measured by")
    _delete(service)


def _refuse_if_used(row, levels, verb: str) -> None:
    names = sorted(level.name for level in levels)
    if names:
        raise ValidationError(f"{row} is {verb} the service level(s) {', '.join(names)}: change those first.")


# ---------------------------------------------------------------- calendars and maintenance


def _hours(hours: Mapping[int | str, str] | None) -> dict[str, str]:
    return {str(day): spec for day, spec in (hours or {}).items()}


def _holidays(values: Iterable) -> list[dict[str, str]]:
    """Extra holidays as stored: ``{"date", "name"}`` in date order. ``values`` may hold
    dates, ISO texts, (date, name) pairs, mappings or ``ExtraHoliday``."""
    try:
        return [holiday.as_json() for holiday in extra_holidays_of(values)]
    except ValueError as exc:
        raise ValidationError({"extra_holidays": str(exc)}) from exc


def calendar_create(
    *,
    version: Version,
    name: str,
    around_the_clock: bool = False,
    hours: Mapping[int | str, str] | None = None,
    holiday_country: str = "",
    holiday_subdivision: str = "",
    extra_holidays: Iterable = (),
) -> Calendar:
    """A calendar: 24×7, or business hours ``{0: "09:00-17:00", …}`` (Monday = 0) minus the
    public holidays of ``holiday_country`` and the ``extra_holidays`` (dates, or
    ``{"date", "name"}`` / ``(date, name)`` for named ones)."""
    return _save(
        Calendar(
            version=version,
            name=name,
            around_the_clock=around_the_clock,
            hours={} if around_the_clock else _hours(hours),
            holiday_country=holiday_country.upper(),
            holiday_subdivision=holiday_subdivision,
            extra_holidays=_holidays(extra_holidays),
        )
    )


def calendar_update(*, calendar: Calendar, data: Mapping[str, Any]) -> Calendar:
    data = dict(data)
    if "hours" in data:
        data["hours"] = _hours(data["hours"])
    if "extra_holidays" in data:
        data["extra_holidays"] = _holidays(data["extra_holidays"])
    if data.get("around_the_clock"):
        data["hours"] = {}
    return _update(
        calendar,
        data,
        ("name", "around_the_clock", "hours", "holiday_country", "holiday_subdivision", "extra_holidays"),
    )


@transaction.atomic
def calendar_delete(*, calendar: Calendar) -> None:
    """Delete a calendar no service level runs on."""
    _refuse_if_used(calendar, calendar.service_levels.all(), "the calendar of")
    _delete(calendar)


def maintenance_window_create(
    *, version: Version, weekday: int, start: time, duration_minutes: int, description: str = ""
) -> MaintenanceWindow:
    """A weekly planned maintenance window (Monday = 0), local time in the contract's zone."""
    return _save(
        MaintenanceWindow(
            version=version,
            weekday=weekday,
            start=start,
            duration_minutes=duration_minutes,
            description=description,
        )
    )


def maintenance_window_update(*, window: MaintenanceWindow, data: Mapping[str, Any]) -> MaintenanceWindow:
    return _update(window, data, ("weekday", "start", "duration_minutes", "description"))


def maintenance_window_delete(*, window: MaintenanceWindow) -> None:
    _delete(window)


# ---------------------------------------------------------------- service levels and credits


def service_level_create(
    *,
    version: Version,
    key: str,
    name: str,
    metric: str,
    target: Parameter,
    calendar: Calendar | None = None,
    service: Service | None = None,
    priority: str = "",
    share: Parameter | None = None,
    remove_excluded_from_measured: bool = False,
) -> ServiceLevel:
    """A service level whose target is the parameter ``target``, listed after the version's
    others. Whether the target's type fits the metric is the consistency checker's to
    report, so drafts can be saved midway."""
    last = ServiceLevel.objects.filter(version=version).aggregate(last=models.Max("position"))["last"]
    return _save(
        ServiceLevel(
            position=(last or 0) + 1,
            version=version,
            key=key,
            name=name,
            metric=metric,
            target=target,
            calendar=calendar,
            service=service,
            priority=priority,
            share=share,
            remove_excluded_from_measured=remove_excluded_from_measured,
        )
    )


def service_level_update(*, service_level: ServiceLevel, data: Mapping[str, Any]) -> ServiceLevel:
    return _update(
        service_level,
        data,
        (
            "key",
            "name",
            "metric",
            "target",
            "calendar",
            "service",
            "priority",
            "share",
            "remove_excluded_from_measured",
        ),
    )


@transaction.atomic
def service_level_delete(*, service_level: ServiceLevel) -> None:
    """Delete a service level with its credit tiers."""
    _delete(service_level)


def credit_tier_create(
    *, service_level: ServiceLevel, below: Decimal | str, value: Decimal | str, kind: str = "percent_of_fee"
) -> CreditTier:
    """A tier: achieved strictly below ``below`` percent → a credit of ``value`` per ``kind``."""
    return _save(
        CreditTier(
            version_id=service_level.version_id,
            service_level=service_level,
            below=Decimal(below),
            kind=kind,
            value=Decimal(value),
        )
    )


def credit_tier_update(*, tier: CreditTier, data: Mapping[str, Any]) -> CreditTier:
    return _update(tier, data, ("below", "kind", "value"))


def credit_tier_delete(*, tier: CreditTier) -> None:
    _delete(tier)


@transaction.atomic
def credit_tiers_set(
    *, service_level: ServiceLevel, tiers: Sequence[tuple[Decimal | str, str, Decimal | str]]
) -> list[CreditTier]:
    """Replace the service level's schedule with ``(below, kind, value)`` tiers."""
    ensure_draft(service_level.version)
    service_level.credit_tiers.all().delete()
    return [
        credit_tier_create(service_level=service_level, below=below, kind=kind, value=value)
        for below, kind, value in tiers
    ]


@transaction.atomic
def credit_cap_set(*, version: Version, kind: str, value: Decimal | str) -> CreditCap:
    """The most credited in one month, over all service levels: a percentage of the fee or an amount."""
    ensure_draft(version)
    cap = CreditCap.objects.filter(version=version).first() or CreditCap(version=version)
    cap.kind, cap.value = kind, Decimal(value)
    return _save(cap)


def credit_cap_delete(*, version: Version) -> None:
    ensure_draft(version)
    CreditCap.objects.filter(version=version).delete()


# ---------------------------------------------------------------- hours and responsibilities


@transaction.atomic
def hours_commitment_set(
    *,
    version: Version,
    hours_per_month: Decimal | str | int,
    deficit_carry_months: int | None,
    surplus_carry_months: int | None = 0,
) -> HoursCommitment:
    """Hours of work committed per month; carry limits in months (None: no limit, 0: none)."""
    ensure_draft(version)
    commitment = HoursCommitment.objects.filter(version=version).first() or HoursCommitment(version=version)
    commitment.hours_per_month = Decimal(hours_per_month)
    commitment.deficit_carry_months = deficit_carry_months
    commitment.surplus_carry_months = surplus_carry_months
    return _save(commitment)


def hours_commitment_delete(*, version: Version) -> None:
    ensure_draft(version)
    HoursCommitment.objects.filter(version=version).delete()


def responsibility_create(
    *, version: Version, key: str, duty: str, category: str, consequence: str
) -> Responsibility:
    """A duty of the customer and its consequence; explain it in a clause with
    ``{{ responsibility_<key> }}`` or ``{{ responsibilities_list }}``."""
    return _save(
        Responsibility(version=version, key=key, duty=duty, category=category, consequence=consequence)
    )


def responsibility_update(*, responsibility: Responsibility, data: Mapping[str, Any]) -> Responsibility:
    return _update(responsibility, data, ("key", "duty", "category", "consequence"))


def responsibility_delete(*, responsibility: Responsibility) -> None:
    _delete(responsibility)
