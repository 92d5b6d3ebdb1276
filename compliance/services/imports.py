"""CSV imports of events: header check, every row checked, then one bulk upsert.

The column layout per kind is documented in docs/import-formats.md. Line numbers count the
header as line 1, as a spreadsheet shows them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError

from compliance.services.events import BatchInvalid, UpsertResult, events_check, events_write
from compliance.services.rows import FIELDS
from contracts.models import Contract

REQUIRED_COLUMNS = {
    "incidents": ("external_id", "service", "priority", "opened_at"),
    "outages": ("external_id", "service", "start"),
    "worklogs": ("external_id", "date", "hours", "person"),
}


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ImportInvalid(ValidationError):
    """The file is bad; ``errors`` lists every problem with its line. Nothing was written."""

    def __init__(self, errors: list[RowError], rows: int = 0) -> None:
        self.errors = errors
        self.rows = rows
        bad_lines = len({error.line for error in errors})
        summary = f"{bad_lines} of {rows} rows are invalid" if rows else "The file is invalid"
        super().__init__(f"{summary}; nothing was imported.", code="import_invalid")


def _text(source: IO[bytes] | IO[str] | bytes | str) -> str:
    data = source if isinstance(source, bytes | str) else source.read()
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportInvalid(
            [RowError(0, "", f"The file is not UTF-8 text ({exc.reason} at byte {exc.start}).")]
        ) from None


def _header(names: list[str], kind: str) -> list[str]:
    header = [name.strip().lower() for name in names]
    problems = []
    missing = [name for name in REQUIRED_COLUMNS[kind] if name not in header]
    if missing:
        problems.append(f"Missing column(s): {', '.join(missing)}.")
    unknown = [name for name in header if name not in FIELDS[kind]]
    if unknown:
        problems.append(f"Unknown column(s): {', '.join(unknown)} (allowed: {', '.join(FIELDS[kind])}).")
    doubled = sorted({name for name in header if header.count(name) > 1})
    if doubled:
        problems.append(f"Column(s) given twice: {', '.join(doubled)}.")
    if problems:
        raise ImportInvalid([RowError(1, "", problem) for problem in problems])
    return header


def events_import_csv(
    *, kind: str, contract: Contract, user, source: IO[bytes] | IO[str] | bytes | str
) -> UpsertResult:
    """Import a CSV file of ``kind`` events into ``contract``: all rows or none.

    Raises :class:`ImportInvalid` listing every bad row (line, column, reason) when the header
    or any row is wrong; otherwise creates or updates every event (by external id).
    """
    reader = csv.reader(io.StringIO(_text(source), newline=""))
    try:
        header = _header(next(reader), kind)
    except StopIteration:
        raise ImportInvalid(
            [RowError(0, "", "The file is empty; the first line names the columns.")]
        ) from None
    except csv.Error as exc:
        raise ImportInvalid([RowError(1, "", f"Not a CSV file: {exc}.")]) from None
    width = len(header)
    rows: list[dict[str, str]] = []
    lines: list[int] = []
    errors: list[RowError] = []
    try:
        for values in reader:
            if not any(values):
                continue
            line = reader.line_num
            if len(values) != width:
                errors.append(RowError(line, "", f"Has {len(values)} fields; the header has {width}."))
                continue
            rows.append(dict(zip(header, values, strict=True)))
            lines.append(line)
    except csv.Error as exc:
        errors.append(RowError(reader.line_num, "", f"Not valid CSV: {exc}."))
    total = len(rows) + len(errors)
    if not rows and not errors:
        raise ImportInvalid([RowError(0, "", "The file has a header but no rows.")])
    try:
        cleaned = events_check(kind=kind, contract=contract, rows=rows, position=lambda i: f"line {lines[i]}")
    except BatchInvalid as exc:
        errors.extend(
            RowError(lines[index], field, message)
            for index, fields in exc.rows
            for field, messages in fields.items()
            for message in messages
        )
        cleaned = []
    except ValidationError as exc:
        raise ImportInvalid([RowError(0, "", message) for message in exc.messages], total) from None
    if errors:
        errors.sort(key=lambda error: error.line)
        raise ImportInvalid(errors, total)
    return events_write(kind=kind, contract=contract, user=user, cleaned=cleaned, via="a CSV file")
