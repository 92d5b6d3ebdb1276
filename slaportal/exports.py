"""Tables as CSV and XLSX files, safe to open in a spreadsheet.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would
be read by a spreadsheet as a formula (formula injection: a customer name such as
``=HYPERLINK(…)``); such text is written with a leading single quote, so it stays text.
Numbers (``Decimal``, ``int``) are written as numbers. Pure: rows in, bytes out.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """A cell's value, with text that a spreadsheet would run as a formula made inert."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, Decimal)):
        return value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def to_csv(header: Sequence[str], rows: Sequence[Sequence]) -> bytes:
    """UTF-8 with a byte-order mark (so spreadsheets read the accents right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(header: Sequence[str], rows: Sequence[Sequence], *, title: str) -> bytes:
    """One worksheet named ``title``; every text cell stored as text, never as a formula."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING, Cell

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    for values in [list(header), *rows]:
        cells = []
        for value in (safe_cell(value) for value in values):
            if isinstance(value, str):
                # Built as a cell so it is typed as text once (looking the row up again after
                # appending would scan the whole sheet: quadratic in rows).
                value = Cell(sheet, value=value)
                value.data_type = TYPE_STRING
            cells.append(float(value) if isinstance(value, Decimal) else value)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
