"""`score history import --db FILE TABLES…`: last year's 自评表, as departments handed them in, stored in the
history database so that this year's summary shows the change, although last year's rules are not at hand.

A table is read as `score audit` reads it (scorer/audit/layout.py: its rows found with the names of the rules in
use, each cell a number only as shown), and stored as printed: each row's name, weight and score, the total, the
grade ticked and the rules year its title states, marked as imported (the `imported_tables` and `imported_rows`
tables; scorer/batch/history_db.py). Nothing is re-scored. A row is matched to an indicator of the rules in use
by its name, so that this year's summary can say which indicators moved. A table that cannot be read as shown
(a doubt at any cell, no total, no year, a score above its weight) is refused with its place, and nothing of it
is stored; the other tables are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from scorer.audit.files import doubt_problems, read_grid
from scorer.audit.layout import read_layout
from scorer.audit.model import SubmittedTable
from scorer.batch.history_db import open_for_writing, speaking
from scorer.batch.sources import Source, table_or_why, walk
from scorer.errors import Location, Problem, UserError
from scorer.facts import fact
from scorer.inputs.model import department_key
from scorer.rules.model import RuleSet
from scorer.sources.yaml import display_path

NO_GRADE = "—"  # a table with no grade ticked, or more than one


@dataclass(frozen=True)
class Imported:
    place: str
    department: str
    year: int
    total: Decimal
    rows: int


def import_tables(
    db: Path, paths: Iterable[Path], rules: RuleSet
) -> tuple[list[Imported], list[Problem], list[Problem]]:
    """Read every table the paths name and store the readable ones in one transaction; returned: what was
    stored, the refused tables' problems (each at its file and cell), and why each other file is no 自评表."""
    stored: list[Imported] = []
    problems: list[Problem] = []
    others: list[Problem] = []
    tables: list[SubmittedTable] = []
    seen: dict[tuple[str, int], str] = {}
    for path in paths:
        for entry in walk(path, {db: "--db"}):
            if isinstance(entry, Source):
                (others if entry.kind == "other" else problems).extend(entry.payload)
                continue
            try:
                table = _read(entry[0], entry[1], rules)
            except UserError as exc:
                said = [p.message for p in exc.problems]
                if entry[1] and said in ([fact("audit.read.no_table")], [fact("audit.read.empty")]):
                    others.append(Problem(exc.problems[0].location, fact("batch.other.no_table")))
                else:
                    problems += exc.problems
                continue
            if table is None:
                others.append(Problem(Location(display_path(entry[0])), fact("audit.other.form")))
                continue
            first = seen.setdefault((department_key(table.department), table.year or 0), table.path)
            if first != table.path:
                message = fact("audit.duplicate", department=table.department, year=table.year, first=first)
                problems.append(Problem(Location(table.path), message))
                continue
            tables.append(table)
    if tables:
        _store(db, tables, rules)
    for table in tables:
        assert table.total is not None and table.year is not None
        stored.append(Imported(table.path, table.department, table.year, table.total, len(table.rows)))
    return stored, problems, others


def _read(path: Path, folder: bool, rules: RuleSet) -> SubmittedTable | None:
    display = display_path(path)
    if table_or_why(path, folder) is not None:
        return None
    table = read_layout(read_grid(path, display), rules)
    where = Location(display)
    if table.year is None:
        raise UserError.at(where, fact("audit.no_year"))
    if not table.department.strip():
        raise UserError.at(where, fact("history.import.no_department"))
    doubts = doubt_problems(table)
    if doubts:  # a number not read as the table shows it is never stored
        raise UserError(doubts)
    if table.total is None or table.total_at is None:
        raise UserError.at(where, fact("history.import.no_total"))
    for row in table.rows:
        if row.weight is None or row.score is None or not 0 <= row.score <= row.weight:
            raise UserError.at(Location(display, row.where, row.name or None), fact("history.import.row"))
    return table


def _store(db: Path, tables: list[SubmittedTable], rules: RuleSet) -> None:
    """Every table in one transaction, replacing what an earlier import stored for the department and year
    (under any spelling of its name)."""
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    connection = open_for_writing(db)
    try:
        with speaking(db):
            connection.execute("BEGIN IMMEDIATE")
            for table in tables:
                _replace(connection, table, rules, stamp)
            connection.execute("COMMIT")
    finally:
        connection.close()


def _replace(connection: object, table: SubmittedTable, rules: RuleSet, stamp: str) -> None:
    import sqlite3

    assert isinstance(connection, sqlite3.Connection) and table.total is not None
    connection.execute(
        "DELETE FROM imported_tables WHERE department_key(department) = ? AND year = ?",
        (department_key(table.department), table.year),
    )  # the rows go with it (ON DELETE CASCADE)
    most = (
        table.total_max
        if table.total_max is not None
        else sum((r.weight or Decimal(0) for r in table.rows), Decimal(0))
    )
    grade = _ticked(table, rules)
    connection.execute(
        "INSERT INTO imported_tables VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            table.department,
            table.year,
            str(table.year),
            _text(table.total),
            _text(most),
            grade,
            table.path,
            stamp,
        ),
    )
    connection.executemany(
        "INSERT INTO imported_rows VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (table.department, table.year, number, row.identified, row.name or row.explanation or row.identified or NO_GRADE,
             _text(row.weight or Decimal(0)), _text(row.score or Decimal(0)))
            for number, row in enumerate(table.rows, start=1)
        ],
    )  # fmt: skip


def _ticked(table: SubmittedTable, rules: RuleSet) -> str:
    """The grade the table ticks (☑ 优 □ 良 …), or NO_GRADE."""
    from scorer.audit.totals import ticked_grades

    ticked = ticked_grades(table.grade_line or "", rules)
    return ticked[0] if len(ticked) == 1 else NO_GRADE


def _text(value: Decimal) -> str:
    return format(value, "f")  # as printed: "94.2", "2.50"
