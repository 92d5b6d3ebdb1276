"""Reading another tool's export: a CSV (comma, semicolon or tab separated) or an XLSX
workbook (its first sheet), as a header and numbered rows of cells."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook

from compliance.services.imports import ImportInvalid, RowError

_DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[tuple[int, list[Any]]]  # (line or sheet row number, cells)


def _is_xlsx(data: bytes, name: str) -> bool:
    return name.lower().endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04"


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheet programs on Windows save "CSV" in their ANSI code page.
        return data.decode("cp1252", errors="replace")


def _csv(data: bytes) -> list[tuple[int, list[Any]]]:
    text = _text(data)
    first = text.split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for values in reader:
            rows.append((reader.line_num, values))
    except csv.Error as exc:
        raise ImportInvalid([RowError(reader.line_num, "", f"Not valid CSV: {exc}.")]) from None
    return rows


def _xlsx(data: bytes) -> list[tuple[int, list[Any]]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportInvalid([RowError(0, "", f"Not an XLSX workbook ({exc}).")]) from None
    try:
        sheet = workbook.worksheets[0]
        return [(number, list(values)) for number, values in enumerate(sheet.iter_rows(values_only=True), 1)]
    finally:
        workbook.close()


def table_read(*, data: bytes, name: str = "") -> Table:
    """The header and the non-empty rows of an uploaded export; :class:`ImportInvalid` when it
    cannot be read or has no header."""
    rows = _xlsx(data) if _is_xlsx(data, name) else _csv(data)
    rows = [(line, cells) for line, cells in rows if any(cell not in (None, "") for cell in cells)]
    if not rows:
        raise ImportInvalid([RowError(0, "", "The file is empty; the first line names the columns.")])
    (_, header), *body = rows
    names = ["" if cell is None else str(cell).strip() for cell in header]
    while names and not names[-1]:
        names.pop()
    return Table(header=names, rows=body)
