"""The one way a workbook `score` writes gets its values: `score run -o .xlsx`, `score batch -o .xlsx` (and
`--sheets`), `score template -o .xlsx` and `score template --batch -o .xlsx` each start their workbook with
`workbook`, put every cell with `put`, offer a list of choices with `choices`, and end with `save`.

A workbook is opened by people who did not write what it says, so text from a file (a department's name, a reason,
a rubric's title) must stay inert and whole there:

- text is text: its cell's type is set to string, so `=HYPERLINK(…)` is never a formula and `#N/A` or `#REF!`
  never an error value (openpyxl guesses both from the text);
- what XML cannot carry (C0 controls, unpaired surrogates, U+FFFE) and what acts on a screen (bidi overrides) is
  shown escaped, as the terminal shows it (`\\x1b`), instead of openpyxl's IllegalCharacterError or a file Excel
  repairs;
- a text longer than a cell holds (32,767 characters, counted as Excel counts them, in UTF-16 units) is never
  cut: the cell keeps its beginning and says where the rest is, and the rest follows on a sheet of its own
  (`续文` / `Continued`), a part a row, added when the workbook is saved.
"""

from __future__ import annotations

import errno
import io
import os
import re
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager, suppress
from copy import copy
from decimal import Decimal
from typing import Any, BinaryIO
from weakref import WeakKeyDictionary

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from scorer.escape import one_line, visible
from scorer.i18n import t

CELL_LIMIT = 32_767  # characters in a cell, as Excel counts them (UTF-16 code units)
NOTE_ROOM = 400  # room kept in a cut cell for the note saying where its text continues
SHEET_TITLE_LIMIT = 31
MAX_ROW_HEIGHT = 409.0  # points: a taller row makes Excel repair the workbook
LIST_LIMIT = 255  # characters of a list of choices written into a data validation (Excel's limit)


class _Rest:
    """A workbook's language, and the parts of long texts still to be written on its continuation sheet."""

    def __init__(self, lang: str | None):
        self.lang = lang
        self.rows: list[tuple[str, str, str]] = []  # (where the text starts, "2/3", the part)
        self.looks: dict[Hashable, Any] = {}  # each look's style indexes in this workbook (`styled`)


_books: WeakKeyDictionary[Workbook, _Rest] = WeakKeyDictionary()


def workbook(lang: str | None, *, write_only: bool = False) -> Workbook:
    """A new workbook whose notes (where a long text continues) are in `lang`. `write_only`: openpyxl's mode
    whose sheets take rows top to bottom (`made` cells, `sheet.append`) and keep none in memory."""
    book = Workbook(write_only=write_only)
    _books[book] = _Rest(lang)
    return book


def put(sheet: Worksheet, row: int, column: int, value: object) -> Cell:
    """Write `value` into a cell: a Decimal as an exact number (at most 15 significant digits, which a float
    carries exactly), text as text, escaped and never cut. Returns the cell for its styles."""
    return _valued(sheet, sheet.cell(row=row, column=column), value)


def made(sheet: Any, row: int, column: int, value: object) -> Cell:
    """A cell of `sheet` with `value` as `put` writes it, not yet in the sheet: for `sheet.append`, the way
    into a write-only sheet (its row and column say where it goes)."""
    return _valued(sheet, Cell(sheet, row=row, column=column), value)


def styled(cell: Cell, look: Hashable, apply: Callable[[Cell], object]) -> Cell:
    """Give `cell` the look `apply` gives it (font, border, fill, alignment, number format), `look` naming all
    of it. openpyxl finds each style object in the workbook's lists by hashing it again for every cell, which
    took most of the time of a thousand 自评表 (`--sheets`, some 370,000 cells): `apply` is called for the first
    cell of each look in a workbook, and the others take that cell's style indexes (its `StyleArray`, which
    openpyxl itself copies from a named style), so every cell of one look is styled alike."""
    book = cell.parent.parent
    rest = _books.get(book)
    if rest is None:  # a workbook not started by `workbook`
        rest = _books[book] = _Rest(None)
    looks = rest.looks
    found = looks.get(look)
    if found is None:
        apply(cell)
        looks[look] = copy(cell._style)
    else:
        cell._style = copy(found)
    return cell


def _valued(sheet: Any, cell: Cell, value: object) -> Cell:
    if isinstance(value, Decimal):
        cell.value = int(value) if value == int(value) else float(value)
    elif isinstance(value, str):
        cell.value = _text_for(sheet, cell, visible(value))
        cell.data_type = "s"  # what a file says stays text: never a formula, never an error value
    else:
        cell.value = value  # type: ignore[assignment]  # numbers, None, dates
    return cell


# The one kind of formula `score` writes: a clerk's workbook's computed score (render/input_workbook_formula.py),
# arithmetic over the same sheet's cells. Whatever else a formula holds is refused here, whoever builds it.
FORMULA_FUNCTIONS = frozenset(
    {"IFERROR", "IF", "AND", "OR", "NOT", "COUNT", "ISLOGICAL", "LEFT", "CELL", "ROUND", "ROUNDDOWN", "ROUNDUP",
     "MIN", "MAX", "ABS", "MOD", "INT"}
)  # fmt: skip
FORMULA_TEXTS = frozenset({'""', '"format"', '"P"'})
_SAME_SHEET_CELL = re.compile(r"\$[A-Z]{1,3}\$[1-9][0-9]{0,6}")


def put_formula(sheet: Worksheet, row: int, column: int, formula: str) -> Cell:
    """Write a formula `score` built into a cell, when it holds only the functions, cells of this workbook's own
    sheets, numbers and the few fixed texts above: never a text from a file, a link, another file, or a name."""
    from openpyxl.formula import Tokenizer

    for token in Tokenizer(formula).items:
        kind, value = (token.type, token.subtype), token.value
        allowed = (
            kind == ("FUNC", "OPEN") and value[:-1] in FORMULA_FUNCTIONS
            or kind == ("OPERAND", "RANGE") and _own_cell(sheet, value)
            or kind == ("OPERAND", "TEXT") and value in FORMULA_TEXTS
            or kind in (("OPERAND", "NUMBER"), ("OPERAND", "LOGICAL"), ("FUNC", "CLOSE"), ("SEP", "ARG"),
                        ("PAREN", "OPEN"), ("PAREN", "CLOSE"), ("OPERATOR-INFIX", ""), ("OPERATOR-PREFIX", ""))
        )  # fmt: skip
        if not allowed:
            raise ValueError(f"a formula score does not write: {value!r} in {formula[:200]!r}")
    cell = sheet.cell(row=row, column=column)
    cell.value = formula
    cell.data_type = "f"
    return cell


def _own_cell(sheet: Worksheet, reference: str) -> bool:
    """One absolute cell of this sheet ($I$8), or of another sheet of the same workbook ('基本情况'!$C$9)."""
    title, mark, cell = reference.rpartition("!")
    if not mark:
        return _SAME_SHEET_CELL.fullmatch(cell) is not None
    if title.startswith("'") and title.endswith("'") and len(title) > 1:
        title = title[1:-1].replace("''", "'")
    return title in sheet.parent.sheetnames and _SAME_SHEET_CELL.fullmatch(cell) is not None


def units(text: str) -> int:
    """The length Excel gives `text`: a character beyond the BMP counts twice."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def _split(text: str, room: int) -> tuple[str, str]:
    """`text` cut where its first part uses at most `room` UTF-16 units, never inside a character."""
    if len(text) * 2 <= room:
        return text, ""
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > room:
            return text[:index], text[index:]
    return text, ""


def _text_for(sheet: Worksheet, cell: Cell, text: str) -> str:
    """The text the cell itself holds: all of it, or its beginning and where the rest is."""
    if len(text) * 2 <= CELL_LIMIT or units(text) <= CELL_LIMIT:
        return text
    book = sheet.parent
    rest = _books.get(book)
    if rest is None:  # a workbook not started by `workbook`: its notes in the language of the moment
        rest = _books[book] = _Rest(None)
    first, remaining = _split(text, CELL_LIMIT - NOTE_ROOM)
    parts = []
    while remaining:
        part, remaining = _split(remaining, CELL_LIMIT)
        parts.append(part)
    where = f"{sheet.title}!{cell.coordinate}"
    start = len(rest.rows) + 2  # below the continuation sheet's header row
    for number, part in enumerate(parts, start=2):
        rest.rows.append((where, f"{number}/{len(parts) + 1}", part))
    note = t(
        "xlsx.continued_note",
        rest.lang,
        sheet=t("xlsx.continued_sheet", rest.lang),
        first=start,
        last=start + len(parts) - 1,
        limit=f"{CELL_LIMIT:,}",
    )
    return f"{first}\n{note}"


def sheet_title(wanted: str, taken: set[str]) -> str:
    """A sheet's name as Excel allows it: on one line and escaped, none of []:*?/\\, no apostrophe at either end,
    at most 31 characters (UTF-16 units, as Excel counts them), and unlike every name in `taken` (casefolded:
    Excel takes two names that differ only in case for one)."""
    cleaned = re.sub(r"[\[\]:*?/\\]", "_", one_line(wanted).replace("\t", " "))
    base = _split(cleaned, SHEET_TITLE_LIMIT)[0].strip("'") or "_"
    name, number = base, 2
    while name.casefold() in taken:
        suffix = f" ({number})"
        name, number = _split(base, SHEET_TITLE_LIMIT - len(suffix))[0].rstrip("'") + suffix, number + 1
    return name


def choices(options: list[str], *, error: bool = True) -> DataValidation | None:
    """Excel's drop-down list of `options`, or None where Excel cannot hold them as a list: a choice with a
    comma or a double quote in it (the list's own separators), or more than 255 characters in all. The reader
    checks the value either way; a list Excel cannot read would make it repair the workbook."""
    if any("," in option or '"' in option for option in options):
        return None
    shown = [visible(option) for option in options]
    formula = '"' + ",".join(shown) + '"'
    if units(formula) - 2 > LIST_LIMIT:
        return None
    validation = DataValidation(type="list", formula1=formula, allow_blank=True)
    validation.showErrorMessage = error
    return validation


def save(book: Workbook) -> bytes:
    """The workbook's bytes, with the continuation sheet written first when a text did not fit its cell."""
    buffer = io.BytesIO()
    save_to(book, buffer)
    return buffer.getvalue()


def save_to(book: Workbook, out: BinaryIO) -> None:
    """As `save`, into the file `out` (a write-only workbook's sheets go there from their temporary files)."""
    with disk_errors(book):
        rest = _books.pop(book, None)
        if rest is not None and rest.rows:
            _continuation(book, rest)
        book.save(out)


@contextmanager
def disk_errors(book: Workbook) -> Iterator[None]:
    """A file openpyxl cannot write (a full disk, a file too large) as the OSError it is: lxml's writer, which
    writes a write-only sheet as its rows come, says it as a SerialisationError named `IO_ENOSPC`, `IO_EFBIG`.
    On any failure or interrupt the sheets' half-written streams are closed, so that they say nothing more
    when they are collected."""
    try:
        yield
    except BaseException as exc:
        _abandon(book)
        name = str(exc)
        if type(exc).__name__ != "SerialisationError" or not name.startswith("IO_"):
            raise
        code = getattr(errno, name.removeprefix("IO_"), errno.EIO)
        raise OSError(code, os.strerror(code)) from None


def _abandon(book: Workbook) -> None:
    for sheet in book.worksheets:  # a write-only sheet's public close ends its half-written stream
        close = getattr(sheet, "close", None)
        if close is not None:
            with suppress(Exception):
                close()


def _continuation(book: Workbook, rest: _Rest) -> None:
    sheet: Any = book.create_sheet(t("xlsx.continued_sheet", rest.lang))
    heads = [
        t("xlsx.continued_from", rest.lang),
        t("xlsx.continued_part", rest.lang),
        t("xlsx.continued_text", rest.lang),
    ]
    for column, width in enumerate((24, 8, 120), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    header = [made(sheet, 1, column, head) for column, head in enumerate(heads, start=1)]
    for cell in header:
        cell.font = Font(bold=True)
    sheet.append(header)
    for row, values in enumerate(rest.rows, start=2):
        cells = [made(sheet, row, column, value) for column, value in enumerate(values, start=1)]
        for cell in cells:
            cell.alignment = Alignment(wrap_text=cell.column == 3, vertical="top")
        sheet.append(cells)
