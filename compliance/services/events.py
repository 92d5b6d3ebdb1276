"""Writes of events: one at a time (forms, API item updates) or a whole batch at once
(CSV imports, API batches).

A batch is all or nothing: every row is checked first and the first problem found does not
stop the check, so the caller can show every bad row; only a fully valid batch is written,
in bulk and inside one transaction. An event whose external id the contract already has is
updated (upsert), never duplicated.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone

from compliance.models import Incident, IncidentPause, Outage, WorkLog
from compliance.models.events import EVENT_FIELDS
from compliance.selectors.events import EventTerms, event_terms
from compliance.services.rows import CLEANERS, Errors, Invalid, parse_instant
from contracts.models import AuditAction, Contract
from contracts.services.audit import audit_record

MODELS: dict[str, type[models.Model]] = {"incidents": Incident, "outages": Outage, "worklogs": WorkLog}
KINDS = tuple(MODELS)
NOUNS = {
    "incidents": ("incident", "incidents"),
    "outages": ("outage", "outages"),
    "worklogs": ("work log", "work logs"),
}
# Written on update; created_at and created_by keep their first values.
_UPDATE_FIELDS = {
    kind: [name for name in names if name != "external_id"] + ["updated_at"]
    for kind, names in EVENT_FIELDS.items()
}
# Ids per DELETE of replaced pauses: below SQLite's 999 bound parameters.
_DELETE_CHUNK = 900
MAX_BATCH = 100_000


class BatchInvalid(ValidationError):
    """Some rows of a batch are bad; ``rows`` holds ``(index, {field: [message, …]})`` for
    each of them, in order. Nothing was written."""

    def __init__(self, rows: list[tuple[int, Errors]], total: int) -> None:
        self.rows = rows
        self.total = total
        super().__init__(
            f"{len(rows)} of {total} rows are invalid; nothing was written.", code="batch_invalid"
        )


@dataclass(frozen=True)
class UpsertResult:
    created: int
    updated: int

    @property
    def total(self) -> int:
        return self.created + self.updated


def _item(index: int) -> str:
    return f"item {index}"


def events_check(
    *,
    kind: str,
    contract: Contract,
    rows: Sequence[Any],
    terms: EventTerms | None = None,
    position: Callable[[int], str] = _item,
) -> list[dict[str, Any]]:
    """The clean values of every row, or :class:`BatchInvalid` naming every bad row.

    ``position`` names a row in messages about another row (``"line 7"``, ``"item 6"``).
    """
    if len(rows) > MAX_BATCH:
        raise ValidationError(
            f"At most {MAX_BATCH:,} events at once; split the batch.", code="batch_too_large"
        )
    terms = terms or event_terms(contract)
    clean = CLEANERS[kind]
    cleaned: list[dict[str, Any]] = []
    bad: list[tuple[int, Errors]] = []
    first_seen: dict[str, int] = {}
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            bad.append((index, {"non_field_errors": ["Each event is an object with fields."]}))
            continue
        values, errors = clean(row, terms)
        external_id = values.get("external_id")
        if external_id is not None:
            earlier = first_seen.setdefault(external_id, index)
            if earlier != index:
                errors.setdefault("external_id", []).append(
                    f"“{external_id}” appears twice in this batch (also {position(earlier)})."
                )
        if errors:
            bad.append((index, errors))
        else:
            cleaned.append(values)
    if bad:
        raise BatchInvalid(bad, len(rows))
    return cleaned


def events_upsert(
    *,
    kind: str,
    contract: Contract,
    user,
    rows: Sequence[Any],
    position: Callable[[int], str] = _item,
) -> UpsertResult:
    """Check every row, then create or update all of them in one transaction.

    Rows are matched to stored events by external id. An incident's pauses are replaced by
    the row's pauses. Raises :class:`BatchInvalid` (nothing written) when any row is bad.
    """
    cleaned = events_check(kind=kind, contract=contract, rows=rows, position=position)
    return events_write(kind=kind, contract=contract, user=user, cleaned=cleaned)


def events_write(
    *, kind: str, contract: Contract, user, cleaned: list[dict[str, Any]], via: str = "the API"
) -> UpsertResult:
    """Create or update rows already checked by :func:`events_check`, in bulk, in one transaction.

    The contract's audit log gets one entry for the whole batch, saying ``via`` what (“the
    API”, “a CSV file”) and how many events were created and updated."""
    model = MODELS[kind]
    now = timezone.now()
    pauses_of = [values.pop("pauses") for values in cleaned] if kind == "incidents" else []
    with transaction.atomic():
        existing = set(model.objects.filter(contract=contract).values_list("external_id", flat=True))
        _upsert(model, kind, contract, getattr(user, "pk", None), now, cleaned)
        if kind == "incidents":
            ids = dict(Incident.objects.filter(contract=contract).values_list("external_id", "id"))
            _replace_pauses(
                [ids[values["external_id"]] for values in cleaned],
                pauses_of,
                replace=bool(existing),
            )
        updated = sum(1 for values in cleaned if values["external_id"] in existing)
        result = UpsertResult(created=len(cleaned) - updated, updated=updated)
        _audit_batch(kind=kind, contract=contract, user=user, cleaned=cleaned, result=result, via=via)
    return result


def _audit_batch(*, kind: str, contract: Contract, user, cleaned, result: UpsertResult, via: str) -> None:
    noun = NOUNS[kind]
    if result.total == 1 and via == "the API":
        external_id = cleaned[0]["external_id"]
        verb = "Recorded" if result.created else "Changed"
        audit_record(
            contract=contract,
            action=AuditAction.EVENT_RECORDED,
            actor=user,
            summary=f"{verb} {noun[0]} {external_id} through {via}",
            details={"kind": kind, "external_id": external_id, "created": bool(result.created)},
        )
        return
    audit_record(
        contract=contract,
        action=AuditAction.EVENTS_IMPORTED,
        actor=user,
        summary=(
            f"Imported {result.total} {noun[0] if result.total == 1 else noun[1]} from {via} "
            f"({result.created} new, {result.updated} updated)"
        ),
        details={"kind": kind, "via": via, "created": result.created, "updated": result.updated},
    )


def _adapter(field):
    """How a clean value of ``field`` is sent to the database, as the ORM would send it."""
    ops = connection.ops
    internal = field.get_internal_type()
    if internal == "DateTimeField":
        if connection.vendor == "sqlite":
            # Clean values are aware UTC datetimes; SQLite stores naive UTC text.
            return lambda value: value.isoformat(" ")[:-6]
        return ops.adapt_datetimefield_value
    if internal == "DateField":
        return ops.adapt_datefield_value
    if internal == "DecimalField":
        return lambda value: ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
    return None


def _insert_many(model, names: list[str], rows: list[tuple], *, conflict: list[str] | None = None) -> None:
    """Insert ``rows`` (values of the fields ``names``, clean Python values) through one
    ``executemany``; with ``conflict``, rows clashing on those fields update the others.

    The same statements as ``bulk_create`` (with ``update_conflicts``; PostgreSQL and SQLite
    both speak ``ON CONFLICT … DO UPDATE``), without the ORM's per-value SQL compilation,
    which dominated the run time of large imports.
    """
    ops = connection.ops
    fields = [model._meta.get_field(name) for name in names]
    columns = [ops.quote_name(field.column) for field in fields]
    # Only quoted table and column names from the model's meta go into the text; every value
    # is a query parameter.
    sql = (
        f"INSERT INTO {ops.quote_name(model._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    if conflict:
        keys = {model._meta.get_field(name).column for name in conflict}
        updates = ", ".join(
            f"{column} = EXCLUDED.{column}"
            for field, column in zip(fields, columns, strict=True)
            if field.column not in keys and field.name not in ("created_at", "created_by")
        )
        sql += f" ON CONFLICT ({', '.join(ops.quote_name(k) for k in sorted(keys))}) DO UPDATE SET {updates}"
    adapters = [(index, adapt) for index, adapt in enumerate(map(_adapter, fields)) if adapt is not None]
    if adapters:
        rows = [list(row) for row in rows]
        for row in rows:
            for index, adapt in adapters:
                if row[index] is not None:
                    row[index] = adapt(row[index])
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _upsert(model, kind: str, contract: Contract, user_id, now, cleaned: list[dict[str, Any]]) -> None:
    names = ["external_id", *(name for name in _UPDATE_FIELDS[kind] if name != "updated_at")]
    head = (contract.pk, user_id, now, now)
    _insert_many(
        model,
        ["contract", "created_by", "created_at", "updated_at", *names],
        [(*head, *(values[name] for name in names)) for values in cleaned],
        conflict=["contract", "external_id"],
    )


def _replace_pauses(incident_ids: list[int], pauses_of: list[list], *, replace: bool) -> None:
    if replace:
        for offset in range(0, len(incident_ids), _DELETE_CHUNK):
            IncidentPause.objects.filter(
                incident_id__in=incident_ids[offset : offset + _DELETE_CHUNK]
            ).delete()
    _insert_many(
        IncidentPause,
        ["incident", "start", "end"],
        [
            (incident_id, start, end)
            for incident_id, pauses in zip(incident_ids, pauses_of, strict=True)
            for start, end in pauses
        ],
    )


# ---------------------------------------------------------------- one event at a time


def _fields_of(instance: models.Model, kind: str) -> dict[str, Any]:
    names = ["external_id", *(name for name in _UPDATE_FIELDS[kind] if name != "updated_at")]
    return {name: getattr(instance, name) for name in names}


def event_save(
    *,
    kind: str,
    contract: Contract,
    user,
    data: Mapping[str, Any],
    instance: models.Model | None = None,
    partial: bool = False,
) -> models.Model:
    """Record a new event (``instance`` None) or change ``instance``; ``partial`` keeps the
    stored value of every field ``data`` leaves out.

    A new event without an external id gets one (``portal-…``). An incident's pauses are
    replaced only when ``data`` names them; otherwise the stored pauses stay and are checked
    against the new times. Raises ``ValidationError`` with per-field messages.
    """
    model = MODELS[kind]
    values: dict[str, Any] = {}
    if instance is not None and partial:
        values.update(_fields_of(instance, kind))
    values.update(data)
    if instance is None and not values.get("external_id"):
        values["external_id"] = f"portal-{secrets.token_hex(5)}"
    pauses_given = kind == "incidents" and "pauses" in data
    if kind == "incidents" and not pauses_given:
        values["pauses"] = (
            [(pause.start, pause.end) for pause in instance.pauses.all()] if instance is not None else []
        )
    clean, errors = CLEANERS[kind](values, event_terms(contract))
    if not errors:
        clash = model.objects.filter(contract=contract, external_id=clean["external_id"])
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            errors["external_id"] = [
                f"This contract already has an event with external id “{clean['external_id']}”."
            ]
    if errors:
        raise ValidationError(errors)
    pauses = clean.pop("pauses", None)
    now = timezone.now()
    with transaction.atomic():
        if instance is None:
            instance = model(contract=contract, created_by=user, created_at=now, **clean)
        else:
            for name, value in clean.items():
                setattr(instance, name, value)
        created = instance._state.adding
        instance.updated_at = now
        instance.save()
        if pauses_given:
            instance.pauses.all().delete()
            IncidentPause.objects.bulk_create(
                IncidentPause(incident=instance, start=start, end=end) for start, end in pauses
            )
        audit_record(
            contract=contract,
            action=AuditAction.EVENT_RECORDED,
            actor=user,
            summary=f"{'Recorded' if created else 'Changed'} {NOUNS[kind][0]} {instance.external_id}",
            details={"kind": kind, "external_id": instance.external_id, "created": created},
        )
    return instance


def incident_pause_add(*, incident: Incident, start, end=None, user=None) -> IncidentPause:
    """Add a pause (waiting on the customer) to an incident; it must lie within the incident
    and not overlap another pause. Recorded in the contract's audit log."""
    terms = event_terms(incident.contract)
    try:
        start = parse_instant(start, terms.tz)
        end = None if end is None else parse_instant(end, terms.tz)
    except Invalid as exc:
        raise ValidationError(str(exc)) from None
    pauses = [(pause.start, pause.end) for pause in incident.pauses.all()]
    data = {**_fields_of(incident, "incidents"), "pauses": [*pauses, (start, end)]}
    _, errors = CLEANERS["incidents"](data, terms)
    if errors:
        messages = errors.pop("pauses", [])
        raise ValidationError(messages + [m for field_messages in errors.values() for m in field_messages])
    with transaction.atomic():
        pause = IncidentPause.objects.create(incident=incident, start=start, end=end)
        Incident.objects.filter(pk=incident.pk).update(updated_at=timezone.now())
        _audit_pause(incident, user, f"Added a pause to incident {incident.external_id}")
    return pause


def incident_pause_delete(*, pause: IncidentPause, user=None) -> None:
    """Remove a pause from its incident; recorded in the contract's audit log."""
    incident = pause.incident
    with transaction.atomic():
        pause.delete()
        Incident.objects.filter(pk=incident.pk).update(updated_at=timezone.now())
        _audit_pause(incident, user, f"Removed a pause from incident {incident.external_id}")


def _audit_pause(incident: Incident, user, summary: str) -> None:
    audit_record(
        contract=incident.contract,
        action=AuditAction.EVENT_RECORDED,
        actor=user if getattr(user, "pk", None) else None,
        summary=summary,
        details={"kind": "incidents", "external_id": incident.external_id, "pauses": True},
    )
