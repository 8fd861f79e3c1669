"""A 自评表 handed in as an Excel workbook: the official layout (as `score run -o 自评表.xlsx` writes it) or a
department's own variation of it (other row offsets, merged cells, another sheet name).

Read-only and data-only: a formula cell counts as the value Excel last computed for it. A merged cell holds its
value in its first cell; the others read as blank, as a pasted table leaves them. openpyxl is imported here only.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from scorer.escape import one_line
from scorer.i18n import t
from scorer.load.table_words import norm
from scorer.load.xlsx_open import FORM, check, open_book
from scorer.model.audit import Grid, GridRow
from scorer.model.problems import Location, UserError

MAX_CELLS = FORM.cells  # values read, blanks within a row's width counted too, in all sheets together


def read_table_xlsx(path: Path, display: str, header_words: frozenset[str]) -> Grid:
    """The sheet that holds the indicator table's header (a cell among `header_words`), as a grid; a workbook
    in which more than one sheet does is refused."""
    book = open_book(check(path, display, FORM), read_only=True)  # bounded first (scorer/load/xlsx_open.py)
    counted = [0]
    try:
        sheets = [(sheet.title, _sheet_rows(sheet, display, counted)) for sheet in book.worksheets]
    except UserError:
        raise
    except Exception:  # a value openpyxl cannot read in a well-formed sheet
        raise UserError.at(Location(display), t("workbook.not_a_workbook")) from None
    finally:
        book.close()
    tables = [
        (title, rows) for title, rows in sheets if any(norm(c) in header_words for r in rows for c in r.cells)
    ]
    if len(tables) > 1:  # a hidden sheet's table must not be audited in place of the one a person reads
        named = "、".join(f"'{one_line(title)}'" for title, _ in tables[:10])
        raise UserError.at(Location(display), t("audit.read.several_tables", sheets=named))
    if tables:
        return Grid(display, tuple(tables[0][1]))
    return Grid(display, tuple(sheets[0][1]) if sheets else ())


def _sheet_rows(sheet: Any, display: str, counted: list[int]) -> list[GridRow]:
    from openpyxl.utils import get_column_letter

    rows: list[GridRow] = []
    sheet.reset_dimensions()  # the cells as they are, not as far as the sheet claims (too small a claim cuts)
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        counted[0] += len(values)
        if counted[0] > MAX_CELLS:
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
