"""A table as its reader found it: a `Grid` of rows of cells, each cell with where it stands (a line of a text
file, or a workbook's sheet and cell), and what the reader doubted (`Doubt`). The readers (`grid_text.py`,
`grid_xlsx.py`) make one; the audit finds the 自评表 in it. `clean` and `norm` are how a cell's text is read and
compared by every reader."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

Where = int | str  # a line number in a text file, or a workbook's sheet and cell ("自评表!H12")


# Why a cell could not be read as shown (catalogue keys, each taking {text}: what the cell holds).
NOT_A_NUMBER = "audit.cell.not_a_number"
NUMBER_AS_REASON = "audit.cell.number_as_reason"
GARBLED = "audit.cell.garbled"
UNCOMPUTED = "audit.cell.uncomputed"
UNDER_MERGE = "audit.cell.under_merge"
HIDDEN = "audit.cell.hidden"
NOT_SHOWN = "audit.cell.not_shown"
ERROR_VALUE = "audit.cell.error_value"
HIDDEN_SHEET = "audit.cell.hidden_sheet"
SHOWN_ROUNDED = "audit.cell.shown_rounded"
HIDDEN_MARKUP = "audit.cell.hidden_markup"
SECOND_TOTAL = "audit.cell.second_total"
SECOND_TABLE = "audit.cell.second_table"
FORMAT_UNREAD = "audit.cell.format_unread"
FONT_HIDES = "audit.cell.font_hides"
CONDITIONAL = "audit.cell.conditional"


@dataclass(frozen=True, slots=True)
class Doubt:
    """A cell that could not be read as the table shows it: a number with words around it, a formula Excel never
    computed, a value hidden under a merged cell or in a hidden row. Always a fault of the audit (never a note):
    what the audit did not read, it cannot call consistent."""

    where: Where
    why: str  # a catalogue key ("audit.cell.not_a_number", …) taking {text}
    text: str  # what the cell holds, as written
    field: str = ""  # the catalogue key of the column it stands in ("xlsx.score", "form.total"), if known
    column: int = -1  # its place in its grid row, where a reader gives it (for the reading to name its field)


@dataclass(frozen=True, slots=True)
class GridRow:
    cells: tuple[str, ...]  # as written; numbers in a workbook written as decimals ("8.99")
    where: tuple[Where, ...]  # where each cell stands
    doubts: tuple[Doubt, ...] = ()  # what the reader saw in this row but could not take as shown

    def at(self, column: int) -> Where:
        return self.where[min(column, len(self.where) - 1)] if self.where else 0


@dataclass(frozen=True, slots=True)
class Grid:
    path: str
    rows: tuple[GridRow, ...]
    doubts: tuple[Doubt, ...] = ()  # about the whole grid (a table on a hidden sheet)


_CHECKED_BOX = re.compile(r"<input\b[^>]*\bchecked\b[^>]*>", re.IGNORECASE)
_BOX = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
_BREAK = re.compile(r"<br\s*/?>|</p>\s*<p\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"</?(?:b|p|strong|span|div|font|em|i|u|center)\b[^<>]*>", re.IGNORECASE)
_RAISED = re.compile(r"<(sup|sub)\b[^<>]*>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_SUPERSCRIPT = str.maketrans("0123456789+-()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁽⁾")
_SUBSCRIPT = str.maketrans("0123456789+-()", "₀₁₂₃₄₅₆₇₈₉₊₋₍₎")


def clean(cell: str) -> str:
    """A cell's text without the HTML some copies carry (<p>, <b>); ticked and empty check boxes as √ and □;
    superscripts and subscripts as they are shown (m², never m2: "0.8<sup>2</sup>" is no 0.82)."""
    if "<" in cell:
        cell = _CHECKED_BOX.sub("√", cell)
        cell = _BOX.sub("□", cell)
        cell = _BREAK.sub("\n", cell)
        cell = _RAISED.sub(_raised, cell)
        cell = _TAG.sub("", cell)
    if "&" in cell:
        cell = html.unescape(cell)
    return cell.strip(_SPACES)  # not U+2028, U+2060, …: around a number they are a doubt, not a space


_SPACES = " \t\r\n\u3000\u00a0"  # what a cell shows as space around its text


def _raised(match: re.Match[str]) -> str:
    kind, inner = match.group(1).lower(), match.group(2)
    table = _SUPERSCRIPT if kind == "sup" else _SUBSCRIPT
    if inner and all(ord(char) in table for char in inner):
        return inner.translate(table)
    return f"{'^' if kind == 'sup' else '_'}({inner})"


def norm(text: str) -> str:
    """A name as compared: full-width forms folded, spaces and line breaks dropped, a final colon dropped."""
    folded = "".join(unicodedata.normalize("NFKC", text).split()).lower()
    return folded.rstrip(":：。.")
