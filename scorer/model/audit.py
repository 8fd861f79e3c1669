"""A submitted 自评表 as read, and what auditing it found: plain frozen data, put into words by
`scorer/render/audit_report.py`.

A table is read in two steps: a reader (`scorer/load/table_text.py`, `scorer/load/table_xlsx.py`) turns the file
into a `Grid` of cells, each with where it stands (a line, or a sheet and cell); `scorer/load/table_layout.py`
finds the 自评表 in the grid (`SubmittedTable`). `scorer/scoring/audit.py` checks it against the rules
(`Audit`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from decimal import Decimal

from scorer.model.department import Department, Profile
from scorer.model.frozen import Frozen
from scorer.model.messages import Fact
from scorer.model.problems import Location

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


class Doubt(Frozen):
    """A cell that could not be read as the table shows it: a number with words around it, a formula Excel never
    computed, a value hidden under a merged cell or in a hidden row. Always a fault of the audit (never a note):
    what the audit did not read, it cannot call consistent."""

    where: Where
    why: str  # a catalogue key ("audit.cell.not_a_number", …) taking {text}
    text: str  # what the cell holds, as written
    field: str = ""  # the catalogue key of the column it stands in ("xlsx.score", "form.total"), if known
    column: int = -1  # its place in its grid row, where a reader gives it (for the reading to name its field)


class GridRow(Frozen):
    cells: tuple[str, ...]  # as written; numbers in a workbook written as decimals ("8.99")
    where: tuple[Where, ...]  # where each cell stands
    doubts: tuple[Doubt, ...] = ()  # what the reader saw in this row but could not take as shown

    def at(self, column: int) -> Where:
        return self.where[min(column, len(self.where) - 1)] if self.where else 0


class Grid(Frozen):
    path: str
    rows: tuple[GridRow, ...]
    doubts: tuple[Doubt, ...] = ()  # about the whole grid (a table on a hidden sheet)


class PrintedLevel(Frozen):
    """A level-1 or level-2 name printed on a row, with the weight printed beside it."""

    depth: int  # 1 or 2
    name: str
    weight: Decimal | None
    where: Where


class TableRow(Frozen):
    """One indicator row as the department filled it in. Empty texts where the table leaves a cell blank (or
    writes "/")."""

    where: Where  # where the row starts
    name: str
    explanation: str
    weight: Decimal | None
    score: Decimal | None
    reason: str
    improvement: str
    levels: tuple[PrintedLevel, ...] = ()
    cells: Mapping[str, Where] = field(default_factory=dict)  # field (name, weight, score, reason) → where
    doubts: tuple[Doubt, ...] = ()  # the row's cells that could not be read as shown
    identified: str = ""  # the indicator its name (or, where the name is left out, its explanation) names

    def at(self, name: str) -> Where:
        return self.cells.get(name, self.where)


class SubmittedTable(Frozen):
    path: str
    title: str
    year: int | None
    department: str
    units: int | None
    budget: Mapping[str, Decimal]
    profile: Profile
    rows: tuple[TableRow, ...]
    header_at: Where
    total: Decimal | None = None
    total_max: Decimal | None = None
    total_at: Where | None = None
    grade_line: str | None = None  # the 评价等级 row, as written
    grade_at: Where | None = None
    subtotals: tuple[Subtotal, ...] = ()
    doubts: tuple[Doubt, ...] = ()  # cells outside the indicator rows that could not be read as shown


class Subtotal(Frozen):
    """A 小计 row: the printed sum of a level's scores."""

    level: str  # the level it names, or "" for the level of the rows above it
    score: Decimal
    where: Where
    after: int  # how many indicator rows stood above it


class Finding(Frozen):
    """One thing that does not add up, where it stands. A note ("note") is said but is not a fault."""

    location: Location
    message: Fact
    severity: str = "error"


class Audit(Frozen):
    table: SubmittedTable
    rules_year: int
    rules_digest: str
    findings: tuple[Finding, ...]
    recovered: Department  # the inputs the table states, for `--to-inputs` and re-scoring
    rescored_total: Decimal | None  # the recovered inputs scored under the rules
    rescored_grade: str | None
    matched: Mapping[str, Where] = field(default_factory=dict)  # indicator id → its row

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def consistent(self) -> bool:
        return not self.errors
