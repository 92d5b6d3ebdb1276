"""Imports of other tools' exports through an import profile, its preview, and the profiles.

The export is read (CSV or XLSX), every row is reshaped by the profile's mapping
(compliance/engine/mapping.py) and then checked and written exactly as a CSV file in the
portal's own layout: all rows or none, every bad row named with its line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from compliance.engine.mapping import DATE_FORMATS, ColumnMapping, map_row, match_columns
from compliance.models import ImportProfile
from compliance.services.events import MAX_BATCH, BatchInvalid, UpsertResult, events_check, events_write
from compliance.services.import_files import Table, table_read
from compliance.services.imports import REQUIRED_COLUMNS, ImportInvalid, RowError
from compliance.services.rows import FIELDS
from contracts.models import Contract, Organisation

PREVIEW_ROWS = 10


def mapping_errors(mapping: ColumnMapping) -> dict[str, list[str]]:
    """What is wrong with a mapping, per setting (``columns``, ``date_format``, ``time_zone``,
    ``value_maps``); empty when it can be used."""
    errors: dict[str, list[str]] = {}
    if mapping.kind not in FIELDS:
        return {"kind": [f"“{mapping.kind}” is not a kind of event (choose from: {', '.join(FIELDS)})."]}
    unknown = [name for name in mapping.columns if name not in FIELDS[mapping.kind]]
    if unknown:
        errors.setdefault("columns", []).append(f"Unknown field(s): {', '.join(unknown)}.")
    missing = [name for name in REQUIRED_COLUMNS[mapping.kind] if not mapping.columns.get(name)]
    if missing:
        errors.setdefault("columns", []).append(f"Choose the column for: {', '.join(missing)}.")
    if mapping.date_format not in DATE_FORMATS:
        errors["date_format"] = [f"Choose one of: {', '.join(DATE_FORMATS)}."]
    if mapping.time_zone:
        try:
            ZoneInfo(mapping.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            errors["time_zone"] = [f"“{mapping.time_zone}” is not a known time zone."]
    unknown_maps = [name for name in mapping.values if name not in FIELDS[mapping.kind]]
    if unknown_maps:
        errors["value_maps"] = [f"Unknown field(s): {', '.join(unknown_maps)}."]
    return errors


def _label(mapping: ColumnMapping, name: str) -> str:
    column = mapping.columns.get(name)
    return f"{name} ({column})" if column else name


@dataclass
class MappedRows:
    rows: list[dict[str, str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    errors: dict[int, dict[str, list[str]]] = field(default_factory=dict)  # index -> field -> messages


def _map(table: Table, mapping: ColumnMapping, limit: int | None = None) -> MappedRows:
    positions, missing = match_columns(table.header, mapping.columns)
    if missing:
        raise ImportInvalid(
            [
                RowError(
                    1,
                    "",
                    f"Column(s) not in the file: {', '.join(missing)} "
                    f"(the file has: {', '.join(name for name in table.header if name) or 'none'}).",
                )
            ]
        )
    mapped = MappedRows()
    for line, cells in table.rows[:limit]:
        row, errors = map_row(cells, positions, mapping)
        if errors:
            mapped.errors[len(mapped.rows)] = errors
        mapped.rows.append(row)
        mapped.lines.append(line)
    return mapped


def _check(kind: str, contract: Contract, mapped: MappedRows) -> list[dict[str, Any]]:
    """The clean rows; every problem of a row (reading or checking) lands in ``mapped.errors``."""
    lines = mapped.lines
    try:
        return events_check(
            kind=kind, contract=contract, rows=mapped.rows, position=lambda index: f"line {lines[index]}"
        )
    except BatchInvalid as exc:
        for index, fields in exc.rows:
            target = mapped.errors.setdefault(index, {})
            for name, messages in fields.items():
                if name not in target:  # a value that could not be read reads as missing
                    target[name] = list(messages)
        return []


def _row_errors(mapping: ColumnMapping, mapped: MappedRows) -> list[RowError]:
    return [
        RowError(mapped.lines[index], _label(mapping, name), message)
        for index in sorted(mapped.errors)
        for name, messages in mapped.errors[index].items()
        for message in messages
    ]


def events_import_mapped(
    *,
    contract: Contract,
    user,
    mapping: ColumnMapping,
    data: bytes,
    name: str = "",
    profile: ImportProfile | None = None,
) -> UpsertResult:
    """Import an export (CSV or XLSX bytes) through ``mapping``: all rows or none.

    Raises :class:`ImportInvalid` listing every bad row (line, field with its export column,
    reason); otherwise creates or updates every event by external id. A ``profile`` used
    gets its last use stamped.
    """
    problems = mapping_errors(mapping)
    if problems:
        raise ImportInvalid(
            [RowError(0, key, message) for key, messages in problems.items() for message in messages]
        )
    table = table_read(data=data, name=name)
    if not table.rows:
        raise ImportInvalid([RowError(0, "", "The file has a header but no rows.")])
    if len(table.rows) > MAX_BATCH:
        raise ImportInvalid([RowError(0, "", f"At most {MAX_BATCH:,} rows at once; split the file.")])
    mapped = _map(table, mapping)
    cleaned = _check(mapping.kind, contract, mapped)
    if mapped.errors:
        raise ImportInvalid(_row_errors(mapping, mapped), len(mapped.rows))
    via = f"the import profile “{profile.name}”" if profile else "a mapped export"
    with transaction.atomic():
        result = events_write(kind=mapping.kind, contract=contract, user=user, cleaned=cleaned, via=via)
        if profile is not None:
            ImportProfile.objects.filter(pk=profile.pk).update(last_used_at=timezone.now())
    return result


@dataclass(frozen=True)
class PreviewRow:
    line: int
    cells: list[str]  # the portal fields' values, in the order of ``Preview.fields``
    errors: list[RowError]


@dataclass(frozen=True)
class Preview:
    header: list[str]
    fields: list[str]
    rows: list[PreviewRow]
    total: int
    problems: list[RowError]  # problems of the file or the mapping as a whole

    @property
    def bad_rows(self) -> int:
        return sum(1 for row in self.rows if row.errors)


def import_preview(
    *, contract: Contract, mapping: ColumnMapping, table: Table, limit: int = PREVIEW_ROWS
) -> Preview:
    """The first rows of an export as the mapping reads them, each with its problems.

    Reads only; nothing is written. The mapping may be incomplete (the form is being filled
    in): its problems are listed and the rows are still shown.
    """
    fields = [name for name in FIELDS[mapping.kind] if mapping.columns.get(name)]
    problems = [
        RowError(0, key, message) for key, messages in mapping_errors(mapping).items() for message in messages
    ]
    try:
        mapped = _map(table, mapping, limit)
    except ImportInvalid as exc:
        return Preview(table.header, fields, [], len(table.rows), [*problems, *exc.errors])
    if not any(problem.field == "kind" for problem in problems):
        _check(mapping.kind, contract, mapped)
    rows = []
    errors = _row_errors(mapping, mapped)
    for index, values in enumerate(mapped.rows):
        line = mapped.lines[index]
        rows.append(
            PreviewRow(
                line,
                [values.get(name, "") for name in fields],
                [error for error in errors if error.line == line],
            )
        )
    return Preview(table.header, fields, rows, len(table.rows), problems)


# ---------------------------------------------------------------- the profiles


def _validate(mapping: ColumnMapping) -> None:
    problems = mapping_errors(mapping)
    if problems:
        raise ValidationError(problems)


def import_profile_create(
    *, organisation: Organisation, user, name: str, mapping: ColumnMapping, preset: str = ""
) -> ImportProfile:
    _validate(mapping)
    if ImportProfile.objects.filter(organisation=organisation, kind=mapping.kind, name=name).exists():
        raise ValidationError({"name": [f"{organisation} already has a profile named “{name}”."]})
    return ImportProfile.objects.create(
        organisation=organisation,
        name=name,
        kind=mapping.kind,
        preset=preset,
        columns={key: value for key, value in mapping.columns.items() if value},
        date_format=mapping.date_format,
        time_zone=mapping.time_zone,
        value_maps={key: dict(value) for key, value in mapping.values.items() if value},
        created_by=user,
    )


def import_profile_update(
    *, profile: ImportProfile, user, name: str, mapping: ColumnMapping
) -> ImportProfile:
    _validate(mapping)
    if mapping.kind != profile.kind:
        raise ValidationError({"kind": ["A profile keeps its kind of event."]})
    clash = ImportProfile.objects.filter(organisation=profile.organisation_id, kind=profile.kind, name=name)
    if clash.exclude(pk=profile.pk).exists():
        raise ValidationError({"name": [f"Another profile is named “{name}”."]})
    profile.name = name
    profile.columns = {key: value for key, value in mapping.columns.items() if value}
    profile.date_format = mapping.date_format
    profile.time_zone = mapping.time_zone
    profile.value_maps = {key: dict(value) for key, value in mapping.values.items() if value}
    profile.updated_at = timezone.now()
    profile.save()
    return profile


def import_profile_delete(*, profile: ImportProfile, user) -> None:
    profile.delete()
