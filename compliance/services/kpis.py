"""Writes of custom KPI values: one value per contract, service level and period.

Recording a value again for the same service level and period replaces it; the next
evaluation of that period sees new inputs and stores a new revision.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from compliance.engine.periods import format_period, parse_period
from compliance.models import KpiValue
from compliance.selectors.evaluations import period_check
from compliance.selectors.kpis import KpiLevels, kpi_levels
from contracts.models import AuditAction, Contract, ParameterKind
from contracts.services.audit import audit_record

# The model keeps 14 digits, 4 of them decimals.
_PLACES = 4
_LIMIT = Decimal(10) ** (14 - _PLACES)


def _clean_period(period: Any) -> str:
    if isinstance(period, tuple):
        return format_period(*period)
    try:
        return format_period(*parse_period(str(period)))
    except ValueError as exc:
        raise ValidationError({"period": f"The period is a month written YYYY-MM ({exc})."}) from None


def _clean_key(key: Any, terms: KpiLevels) -> str:
    key = str(key or "").strip()
    level = terms.levels.get(key)
    if level is None:
        raise ValidationError(
            {"service_level_key": f"{terms.version_label.capitalize()} has no service level “{key}”."}
        )
    if level.metric != "custom":
        raise ValidationError(
            {
                "service_level_key": (
                    f"“{key}” is measured from events ({level.get_metric_display().lower()}); "
                    "values are recorded only for custom KPI service levels."
                )
            }
        )
    return key


def _clean_value(value: Any, *, percentage: bool) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise ValidationError({"value": "The value is a number, e.g. 92.5."})
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError({"value": "The value is a number, e.g. 92.5."}) from None
    if not number.is_finite():
        raise ValidationError({"value": "The value is a number, e.g. 92.5."})
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -_PLACES:
        raise ValidationError({"value": f"At most {_PLACES} decimal places."})
    if abs(number) >= _LIMIT:
        raise ValidationError({"value": f"The value must be below {_LIMIT:,} in size."})
    if percentage and not Decimal(0) <= number <= Decimal(100):
        raise ValidationError({"value": "The target is a percentage: the value is a percentage, 0 to 100."})
    return number


def kpi_value_set(
    *,
    contract: Contract,
    service_level_key: str,
    period: str | tuple[int, int],
    value: Any,
    user,
    note: str = "",
) -> tuple[KpiValue, bool]:
    """Record the value of a custom KPI service level for ``period`` (``"YYYY-MM"``),
    replacing any value recorded before; returns the value and whether it is new.

    The period must be one the contract can be evaluated for (within its term, begun); the
    key must name a custom KPI level of the contract's version in force; the value is a
    number (a percentage, 0 to 100, when the level's target is one). Raises
    ``ValidationError`` with per-field messages (``service_level_key``, ``period``,
    ``value``) and writes nothing then.
    """
    label = _clean_period(period)
    try:
        period_check(contract=contract, period=label)
    except ValidationError as exc:
        raise ValidationError({"period": exc.messages}) from None
    terms = kpi_levels(contract)
    key = _clean_key(service_level_key, terms)
    number = _clean_value(value, percentage=terms.levels[key].target.kind == ParameterKind.PERCENTAGE)
    note = str(note or "").strip()
    if "\x00" in note:
        raise ValidationError({"note": "Text cannot contain NUL characters."})
    fields = {
        "value": number,
        "note": note,
        "recorded_by": user if getattr(user, "pk", None) else None,
        "recorded_at": timezone.now(),
    }
    lookup = {"contract": contract, "service_level_key": key, "period": label}
    try:
        with transaction.atomic():
            result = KpiValue.objects.update_or_create(**lookup, defaults=fields)
            _audit(contract, user, key, label, number)
    except IntegrityError:
        # Recorded at the same moment by another request: replace that value instead.
        with transaction.atomic():
            result = KpiValue.objects.update_or_create(**lookup, defaults=fields)
            _audit(contract, user, key, label, number)
    return result


def _audit(contract: Contract, user, key: str, period: str, value: Decimal) -> None:
    audit_record(
        contract=contract,
        action=AuditAction.KPI_RECORDED,
        actor=user if getattr(user, "pk", None) else None,
        summary=f"Recorded {key} = {value} for {period}",
        details={"service_level_key": key, "period": period, "value": str(value)},
    )
