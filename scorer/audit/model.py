"""A submitted 自评表 as read, and what auditing it found: plain frozen data, put into words by
`scorer/audit/report.py`.

A table is read in two steps: a reader (`scorer/sources/grid_text.py`, `scorer/sources/grid_xlsx.py`) turns the file
into a `Grid` of cells, each with where it stands (a line, or a sheet and cell); `scorer/audit/layout.py`
finds the 自评表 in the grid (`SubmittedTable`). `scorer/audit/check.py` checks it against the rules
(`Audit`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from scorer.errors import Location
from scorer.facts import Fact
from scorer.inputs.model import Department, Profile
from scorer.sources.grid import Doubt, Where


@dataclass(frozen=True, slots=True)
class PrintedLevel:
    """A level-1 or level-2 name printed on a row, with the weight printed beside it."""

    depth: int  # 1 or 2
    name: str
    weight: Decimal | None
    where: Where


@dataclass(frozen=True, slots=True)
class TableRow:
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


@dataclass(frozen=True, slots=True)
class SubmittedTable:
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
    # Where the table states what an inputs file would hold outside the rows: ("department",), ("year",) (the
    # title), ("units",), ("budget",), ("profile", "goal") … → the cell or line.
    places: Mapping[tuple[str, ...], Where] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Subtotal:
    """A 小计 row: the printed sum of a level's scores."""

    level: str  # the level it names, or "" for the level of the rows above it
    score: Decimal
    where: Where
    after: int  # how many indicator rows stood above it


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing that does not add up, where it stands. A note ("note") is said but is not a fault."""

    location: Location
    message: Fact
    severity: str = "error"


@dataclass(frozen=True, slots=True)
class Audit:
    table: SubmittedTable
    rules_year: int
    rules_digest: str
    findings: tuple[Finding, ...]
    recovered: Department  # the inputs the table states, for `--to-inputs` and re-scoring
    rescored_total: Decimal | None  # the recovered inputs scored under the rules
    rescored_grade: str | None
    matched: Mapping[str, Where] = field(default_factory=dict)  # indicator id → its row
    rules_name: str = ""  # id/year of the rubric audited under
    rules_provisional: bool = False  # its sources not recorded yet: the report says so

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def consistent(self) -> bool:
        return not self.errors
