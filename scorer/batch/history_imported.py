"""Last year's 自评表 as printed, read back from the history database (`imported_tables`, `imported_rows`: schema
version 3, scorer/batch/history_db.py), each value checked as `score` writes it (scorer/batch/history_values.py):
texts that are texts, a year, plain decimals, each score within its weight, the total within its maximum. The
rows and total are kept as printed, so they need not add up (the table's own slip). A database of an older
version holds none.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from scorer.batch.history_values import Checked

_TABLE = "SELECT department, year, rules_year, total, max, grade, source, imported_at FROM imported_tables"
_ROWS = "SELECT indicator, name, weight, score FROM imported_rows WHERE department = ? AND year = ? ORDER BY position"


@dataclass(frozen=True)
class ImportedTable:
    department: str
    year: int
    rules_year: str
    total: Decimal
    grade: str
    source: str
    imported_at: str
    indicators: tuple[
        tuple[str, str, Decimal, Decimal], ...
    ]  # id ('' where no indicator matched), name, weight, score


def has_imports(connection: sqlite3.Connection) -> bool:
    """Whether the database has the imported tables (version 3 on; an older one is read as it is)."""
    found = connection.execute(
        "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'imported_tables'"
    )
    return found.fetchone() is not None


def imported(
    path: Path, connection: sqlite3.Connection, names: list[str], before: int
) -> ImportedTable | None:
    """The latest imported table of a year before `before` under any of `names`, checked; or None."""
    row = connection.execute(
        f"{_TABLE} WHERE department IN ({', '.join('?' * len(names))}) AND year < ? "
        "ORDER BY year DESC, imported_at DESC LIMIT 1",
        (*names, before),
    ).fetchone()
    return None if row is None else _checked(path, connection, row)


def imported_tables(
    path: Path, connection: sqlite3.Connection, keys: Sequence[str] | None
) -> list[ImportedTable]:
    """Every imported table (only the departments of these `department_key`s, when given), checked."""
    if not has_imports(connection):
        return []
    query = _TABLE
    if keys is not None:
        query = f"{_TABLE} WHERE department_key(department) IN ({', '.join('?' * len(keys))})"
    where = () if keys is None else tuple(keys)
    return [_checked(path, connection, row) for row in connection.execute(query, where).fetchall()]


def _checked(path: Path, connection: sqlite3.Connection, row: tuple[object, ...]) -> ImportedTable:
    name, year, rules_year, total, most, grade, source, stamp = row
    checked = Checked(path, "imported_tables", name, year)
    name, year = checked.text(name, "department"), checked.year_of(year)
    highest = checked.number(most, "max", Decimal(0))
    total_ = checked.number(total, "total", Decimal(0), highest)
    rows = []
    for ident, title, weight, score in connection.execute(_ROWS, (name, year)).fetchall():
        each = Checked(path, "imported_rows", name, year)
        if not isinstance(ident, str):
            each.refuse("indicator", ident)
        weight_ = each.number(weight, "weight", Decimal(0))
        rows.append(
            (ident, each.text(title, "name"), weight_, each.number(score, "score", Decimal(0), weight_))
        )
    return ImportedTable(
        name, year, checked.text(rules_year, "rules_year"), total_, checked.text(grade, "grade"),
        checked.text(source, "source"), checked.scored_at(stamp, "imported_at"), tuple(rows),
    )  # fmt: skip
