"""A 自评表 handed in as an Excel workbook: the official layout (as `score run -o 自评表.xlsx` writes it) or a
department's own variation of it (other row offsets, merged cells, another sheet name).

Read-only and data-only: a formula cell counts as the value Excel last computed for it. A merged cell holds its
value in its first cell; the others read as blank, as a pasted table leaves them. openpyxl is imported here only.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from scorer.i18n import t
from scorer.load.workbook import MAX_WORKBOOK_BYTES
from scorer.load.yamlio import read_bytes
from scorer.model.audit import Grid, GridRow
from scorer.model.problems import Location, UserError

MAX_CELLS = 200_000  # a 自评表 has a few hundred; a sheet far larger is not one


def read_table_xlsx(path: Path, display: str, header_words: frozenset[str]) -> Grid:
    """The first sheet that holds the indicator table's header (a cell among `header_words`), as a grid."""
    from openpyxl import load_workbook

    raw = read_bytes(path, display, MAX_WORKBOOK_BYTES)
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # not a zip, not a workbook, a damaged file: openpyxl says it many ways
        raise UserError.at(Location(display), t("workbook.not_a_workbook")) from None
    try:
        sheets = [_sheet_rows(sheet, display) for sheet in book.worksheets]
    finally:
        book.close()
    for rows in sheets:
        if any(_plain(cell) in header_words for row in rows for cell in row.cells):
            return Grid(display, tuple(rows))
    return Grid(display, tuple(sheets[0]) if sheets else ())


def _sheet_rows(sheet: Any, display: str) -> list[GridRow]:
    from openpyxl.utils import get_column_letter

    rows: list[GridRow] = []
    count = 0
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        count += len(values)
        if count > MAX_CELLS:
            raise UserError.at(Location(display), t("audit.read.too_many_cells", limit=MAX_CELLS))
        cells = tuple(_text(value) for value in values)
        where = tuple(f"{sheet.title}!{get_column_letter(c)}{number}" for c in range(1, len(values) + 1))
        rows.append(GridRow(cells, where))
    return rows


def _text(value: object) -> str:
    """A cell as text; numbers exactly as Excel stores them (8.99 is "8.99", never 8.9900000000000002)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def _plain(text: str) -> str:
    return "".join(text.split())
