"""A 自评表 handed in as an Excel workbook: the official layout (as `score run -o 自评表.xlsx` writes it) or a
department's own variation of it (other row offsets, merged cells, another sheet name).

The grid is the table as Excel shows it. A formula cell counts as the value Excel last computed for it; one Excel
never computed (a workbook written by a program, never opened) has no value to show, and is a doubt at that cell
naming its formula. A number is read as its number format shows it ("98.88%" for 0.9888 shown as a percentage);
one the format shows rounded (8.994 shown as 8.99) is a doubt: the printed table says another number than the
cell holds (scorer/sources/xlsx_shown.py). A value its format shows as nothing (";;;"), or written in its
background's colour, is not shown: a doubt. A merged cell shows the value of its first cell; a value under the others, like a value in a
hidden row or column, is not shown: the cell reads blank and the value is a doubt where it stands. An error value
(#DIV/0!) is a doubt, not a text. The table is looked for on the visible sheets first; found only on a hidden one,
that is a doubt too, and so is another visible sheet holding a table (only one is audited).

The workbook is streamed twice with openpyxl, never loaded whole: once for the values Excel computed (every sheet,
bounded in cells before anything else is built), once for the chosen sheet as written (formulas, number formats,
colours); its merged ranges and hidden rows and columns are read from the sheet's XML as it streams by, a merged
range taken only as far as the cells read reach. openpyxl is imported here only.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from scorer.errors import Location, UserError
from scorer.escape import one_line
from scorer.facts import fact
from scorer.sources.grid import (
    CONDITIONAL,
    ERROR_VALUE,
    FONT_HIDES,
    FORMAT_UNREAD,
    HIDDEN,
    HIDDEN_SHEET,
    NOT_SHOWN,
    SHOWN_ROUNDED,
    UNCOMPUTED,
    UNDER_MERGE,
    Doubt,
    Grid,
    GridRow,
    clean,
    norm,
)
from scorer.sources.xlsx_open import FORM, check
from scorer.sources.xlsx_shown import (
    font_hides,
    invisible,
    readable_format,
    run_hidden,
    shown_number,
    shows_nothing,
)

T = TypeVar("T")
MAX_CELLS = 200_000  # in the whole workbook: a 自评表 has a few hundred; a workbook far larger holds none
MAX_MERGES = 10_000  # merged ranges on the table's sheet: a 自评表 has a few dozen


@dataclass
class _Sheet:
    """One sheet as Excel computed it: each row's values (None where blank) and its error cells."""

    title: str
    visible: bool
    values: list[list[Any]] = field(default_factory=list)
    errors: set[tuple[int, int]] = field(default_factory=set)  # (row, column), 1-based


def read_table_xlsx(path: Path, display: str, header_words: frozenset[str]) -> Grid:
    """The sheet that holds the indicator table's header (a cell among `header_words`), as a grid (a hidden one
    is a doubt), else the first sheet; a workbook in which more than one sheet holds a table is refused."""
    checked = check(path, display, FORM)  # bounded first (scorer/sources/xlsx_open.py)
    raw = checked.raw
    sheets = _parsed(display, lambda: _computed(raw, display))
    holding = [
        s for s in sheets if any(norm(clean(_text(v))) in header_words for row in s.values for v in row)
    ]
    if len(holding) > 1:  # a hidden sheet's table must not be audited in place of the one a person reads
        named = "、".join(f"'{one_line(s.title)}'" for s in holding[:10])
        raise UserError.at(Location(display), fact("audit.read.several_tables", sheets=named))
    chosen = next(
        (s for s in holding if s.visible), holding[0] if holding else (sheets[0] if sheets else None)
    )
    if chosen is None:
        return Grid(display, ())
    part = dict(zip(checked.sheets, checked.sheet_parts, strict=False)).get(chosen.title, "")
    written = _parsed(display, lambda: _written(raw, chosen, part, display))
    doubts = [] if chosen.visible else [Doubt(f"{chosen.title}!A1", HIDDEN_SHEET, chosen.title)]
    doubts += [
        Doubt(f"{chosen.title}!{ref}", CONDITIONAL, ref) for ref in _conditional(written, chosen, display)
    ]
    return Grid(display, tuple(_Shown(chosen, written).rows()), tuple(doubts))


def _parsed(display: str, read: Callable[[], T]) -> T:
    """What openpyxl read, its warnings about parts not read (data validation, images) kept off the terminal; a
    file it cannot read is refused."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return read()
    except UserError:
        raise
    except Exception:  # not a zip, not a workbook, damaged XML: openpyxl and its parser say it many ways
        raise UserError.at(Location(display), fact("workbook.not_a_workbook")) from None


def _computed(raw: bytes, display: str) -> list[_Sheet]:
    """Every sheet's values as Excel last computed them, streamed, at most MAX_CELLS in all."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    sheets: list[_Sheet] = []
    count = 0
    try:
        for sheet in book.worksheets:
            found = _Sheet(sheet.title, sheet.sheet_state == "visible")
            sheet.reset_dimensions()  # the cells as they are, not as far as the sheet claims (too small a claim cuts)
            for number, cells in enumerate(sheet.iter_rows(), start=1):
                count += len(cells)
                if count > MAX_CELLS:
                    raise UserError.at(Location(display), fact("audit.read.too_many_cells", limit=MAX_CELLS))
                found.values.append([cell.value for cell in cells])
                found.errors.update((number, c) for c, cell in enumerate(cells, 1) if cell.data_type == "e")
            sheets.append(found)
    finally:
        book.close()
    return sheets


@dataclass
class _Written:
    """What the streamed values do not carry: the formulas, the formats and colours, the cells under merged ones,
    the hidden rows and columns."""

    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    formats: dict[tuple[int, int], str] = field(default_factory=dict)  # of the cells not shown as General
    invisible: set[tuple[int, int]] = field(default_factory=set)  # text in its background's colour
    under_merge: set[tuple[int, int]] = field(default_factory=set)  # in a merged range, not its first cell
    font_hidden: set[tuple[int, int]] = field(default_factory=set)  # tiny, struck through, a run in white
    filled: dict[tuple[int, int], Any] = field(default_factory=dict)  # the cells with a fill
    conditional: list[str] = field(default_factory=list)  # the ranges conditional formatting applies to
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)


def _written(raw: bytes, chosen: _Sheet, part: str, display: str) -> _Written:
    """The sheet as written (formulas, not their values; formats and colours), streamed again, and its layout:
    merged ranges and hidden rows and columns, as far as they reach into the cells read (read from the sheet's
    XML `part` itself: a read-only sheet does not expose its layout)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(raw), read_only=True, data_only=False, rich_text=True)
    try:
        sheet = book[chosen.title]
        sheet.reset_dimensions()  # as in _computed: the cells as they are
        written = _Written()
        for row in sheet.iter_rows(max_row=len(chosen.values)):
            for cell in row:
                if cell.value is None:
                    continue
                place = (cell.row, cell.column)
                if cell.data_type == "f":
                    written.formulas[place] = str(getattr(cell.value, "text", cell.value))
                if cell.number_format != "General":
                    written.formats[place] = cell.number_format
                if invisible(cell):
                    written.invisible.add(place)
                if font_hides(cell.font, cell.alignment) or run_hidden(cell.value, cell):
                    written.font_hidden.add(place)
                if cell.fill is not None and cell.fill.fill_type is not None:
                    written.filled[place] = cell  # a rich text written in the sheet is judged on its fill
        with zipfile.ZipFile(io.BytesIO(raw)) as archive, archive.open(part) as source:
            merged = _layout(source, written, display)
    finally:
        book.close()
    written.under_merge = _under_merge(merged, [len(values) for values in chosen.values], display)
    return written


def _layout(source: Any, written: _Written, display: str) -> list[tuple[int, int, int, int]]:
    """The hidden rows and columns (also those of no height or width) into `written`; the merged ranges."""
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.xml.functions import iterparse

    merged = []
    number = 0  # a row without its number is the one after the last
    for _, element in iterparse(source):
        tag = element.tag.rsplit("}", 1)[-1]
        attributes = element.attrib
        if tag == "row":
            number = int(attributes.get("r", number + 1))
            if _hidden(attributes, "ht", "customHeight"):
                written.hidden_rows.add(number)
        elif tag == "col" and _hidden(attributes, "width", "customWidth"):
            first = int(attributes["min"])
            written.hidden_columns.update(range(first, min(int(attributes.get("max", first)), 16384) + 1))
        elif tag == "mergeCell":
            min_col, min_row, max_col, max_row = range_boundaries(attributes["ref"])
            merged.append((min_row, min_col, max_row, max_col))
            if len(merged) > MAX_MERGES:
                raise UserError.at(Location(display), fact("audit.read.too_many_merges", limit=MAX_MERGES))
        elif tag == "c":
            _inline_runs(element, written)
        elif tag == "conditionalFormatting":  # also Excel 2010's, its range in an <xm:sqref> child
            refs = attributes.get("sqref") or " ".join(
                child.text or "" for child in element if child.tag.endswith("}sqref")
            )
            written.conditional.append(refs)
            if len(written.conditional) > MAX_MERGES:
                raise UserError.at(Location(display), fact("audit.read.too_many_merges", limit=MAX_MERGES))
        if tag in ("row", "col", "mergeCell", "c", "conditionalFormatting"):
            element.clear()
    return merged


def _inline_runs(element: Any, written: _Written) -> None:
    """A cell's text written in the sheet itself (not among the shared strings, which openpyxl gives as rich
    text) with a run its font hides."""
    from openpyxl.cell.rich_text import CellRichText
    from openpyxl.utils.cell import coordinate_to_tuple

    inline = next((child for child in element if child.tag.endswith("}is")), None)
    if inline is None or "r" not in element.attrib or not any(c.tag.endswith("}r") for c in inline):
        return
    place = coordinate_to_tuple(element.attrib["r"])
    if run_hidden(CellRichText.from_tree(inline), written.filled.get(place)):
        written.font_hidden.add(place)


def _conditional(written: _Written, chosen: _Sheet, display: str) -> list[str]:
    """The ranges of conditional formatting that reach a cell holding a value: what they show depends on rules
    the audit does not evaluate (a colour, a font, a number format)."""
    from openpyxl.utils.cell import range_boundaries

    found, looked = [], 0
    for refs in written.conditional:
        for ref in refs.split():
            try:
                min_col, min_row, max_col, max_row = range_boundaries(ref)
            except (ValueError, TypeError):
                found.append(ref)  # a range that cannot be read cannot be said to miss the table
                continue
            cells = [
                row[(min_col or 1) - 1 : max_col or len(row)]
                for row in chosen.values[(min_row or 1) - 1 : max_row or len(chosen.values)]
            ]
            looked += sum(map(len, cells)) + len(cells)  # the work is bounded, not only the result
            if looked > MAX_CELLS:
                raise UserError.at(Location(display), fact("audit.read.too_many_cells", limit=MAX_CELLS))
            if any(value is not None for row in cells for value in row):
                found.append(ref)
    return found


def _hidden(attributes: dict[str, str], size: str, custom: str) -> bool:
    def true(name: str) -> bool:
        return attributes.get(name, "0").lower() in ("1", "true")

    return true("hidden") or (true(custom) and float(attributes.get(size, "1")) == 0)


def _under_merge(
    merged: list[tuple[int, int, int, int]], widths: list[int], display: str
) -> set[tuple[int, int]]:
    """The cells read that a merged range covers, its first cell apart. A range reaching far beyond the cells
    read is taken only as far as they go; ranges covering more cells in all than a sheet may hold are refused."""
    cells: set[tuple[int, int]] = set()
    covered = 0  # counted over overlapping ranges too: the work is bounded, not only the result
    for min_row, min_col, max_row, max_col in merged:
        for row in range(min_row, min(max_row, len(widths)) + 1):
            columns = range(min_col, min(max_col, widths[row - 1]) + 1)
            covered += len(columns)
            if covered > MAX_CELLS:
                raise UserError.at(Location(display), fact("audit.read.too_many_cells", limit=MAX_CELLS))
            cells.update((row, column) for column in columns if (row, column) != (min_row, min_col))
    return cells


class _Shown:
    """The sheet's grid as Excel shows it, with a doubt for each thing it could not be read as shown."""

    def __init__(self, sheet: _Sheet, written: _Written):
        self.sheet = sheet
        self.written = written
        self.under_merge = written.under_merge
        self.hidden_columns_said: set[int] = set()

    def rows(self) -> list[GridRow]:
        from openpyxl.utils import get_column_letter

        out = []
        for number, values in enumerate(self.sheet.values, start=1):
            where = tuple(
                f"{self.sheet.title}!{get_column_letter(c)}{number}" for c in range(1, len(values) + 1)
            )
            cells, doubts = [], []
            for column, value in enumerate(values, start=1):
                text, doubt = self.cell(number, column, value)
                cells.append(text)
                if doubt is not None:
                    shown = self.shown_as(number, column, value)
                    doubts.append(Doubt(where[column - 1], doubt, shown, column=column - 1))
            out.append(GridRow(tuple(cells), where, _one_per_hidden_row(doubts)))
        return out

    def cell(self, row: int, column: int, value: Any) -> tuple[str, str | None]:
        """The cell's text as shown, and why it could not be read as shown (a catalogue key), if so."""
        place = (row, column)
        if value is None:
            return "", (
                UNCOMPUTED if place in self.written.formulas and place not in self.under_merge else None
            )
        if place in self.under_merge:
            return "", UNDER_MERGE
        if row in self.written.hidden_rows:
            return "", HIDDEN
        if column in self.written.hidden_columns:
            if column in self.hidden_columns_said:
                return "", None  # one doubt a hidden column
            self.hidden_columns_said.add(column)
            return "", HIDDEN
        if place in self.sheet.errors:
            return "", ERROR_VALUE
        number_format = self.written.formats.get(place, "General")
        if place in self.written.invisible or shows_nothing(value, number_format):
            return "", NOT_SHOWN
        if place in self.written.font_hidden:
            return "", FONT_HIDES
        if not readable_format(value, number_format):
            return "", FORMAT_UNREAD
        if isinstance(value, int | float) and not isinstance(value, bool):
            text, rounded = shown_number(value, number_format)
            return text, (SHOWN_ROUNDED if rounded else None)
        return _text(value), None

    def shown_as(self, row: int, column: int, value: Any) -> str:
        """What a doubt quotes: the formula never computed, else the value the table does not show."""
        return self.written.formulas.get((row, column), "") if value is None else _text(value)


def _one_per_hidden_row(doubts: list[Doubt]) -> tuple[Doubt, ...]:
    """A hidden row is one doubt, at its first cell with a value, quoting all its values."""
    hidden = [d for d in doubts if d.why == HIDDEN]
    if len(hidden) <= 1:
        return tuple(doubts)
    merged = Doubt(hidden[0].where, HIDDEN, " | ".join(d.text for d in hidden))
    return tuple(d for d in doubts if d.why != HIDDEN) + (merged,)


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
