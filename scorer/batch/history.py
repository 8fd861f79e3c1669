"""The bureau's history: every scored department in an SQLite database (`score batch --db results.sqlite`).

Schema (docs/history.md): `departments` holds one row per department × year × rules digest, with its total,
grade and the whole Contract-3 result as JSON; `indicator_scores` one row per indicator of it. Numbers are stored
as decimal text ("9.88"), never as SQLite's binary floats, so that what is read back is exactly what was scored.

Writing the same department, year and rules again replaces its rows (an upsert): a re-run changes nothing. Rows
are written in transactions of `Writer.BATCH` departments; an interrupted batch leaves every department either
wholly written or not at all.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from scorer.batch.summary import Moved, Previous
from scorer.i18n import t
from scorer.model.department import department_key
from scorer.model.problems import Location, UserError
from scorer.model.result import Result

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS departments (
    department     TEXT    NOT NULL,
    year           INTEGER NOT NULL,
    rules_digest   TEXT    NOT NULL,
    rules_year     TEXT    NOT NULL,
    total          TEXT    NOT NULL,
    max            TEXT    NOT NULL,
    grade          TEXT    NOT NULL,
    source         TEXT    NOT NULL,
    engine_version TEXT    NOT NULL,
    scored_at      TEXT    NOT NULL,
    result_json    TEXT    NOT NULL,
    PRIMARY KEY (department, year, rules_digest)
);
CREATE TABLE IF NOT EXISTS indicator_scores (
    department   TEXT    NOT NULL,
    year         INTEGER NOT NULL,
    rules_digest TEXT    NOT NULL,
    indicator    TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    level1       TEXT    NOT NULL,
    level2       TEXT    NOT NULL,
    weight       TEXT    NOT NULL,
    score        TEXT    NOT NULL,
    lost         TEXT    NOT NULL,
    overridden   INTEGER NOT NULL,
    PRIMARY KEY (department, year, rules_digest, indicator),
    FOREIGN KEY (department, year, rules_digest)
        REFERENCES departments (department, year, rules_digest) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS departments_by_name ON departments (department, year);
"""


def _text(value: Decimal) -> str:
    return format(value, "f")


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """Open (or create) a history database; a file that is not one is the user's problem, said plainly.

    `read_only` (what `score history` reads): the file is opened as it is, never created or changed. Either way
    the connection knows `department_key(name)`, so that queries compare departments as the batch does."""
    try:
        if read_only:
            connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
        else:
            connection = sqlite3.connect(path, isolation_level=None)  # transactions are begun explicitly
        connection.create_function("department_key", 1, department_key, deterministic=True)
        connection.execute("PRAGMA foreign_keys = ON")
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise UserError.at(Location(str(path)), t("history.newer_schema", version=version))
        if not read_only:
            connection.executescript(SCHEMA)
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except sqlite3.DatabaseError as exc:
        raise UserError.at(Location(str(path)), t("history.not_a_database", why=str(exc))) from None
    return connection


def _holds_results(connection: sqlite3.Connection) -> bool:
    """False for a database no batch has written to yet (an empty file is one)."""
    found = connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'departments'")
    return found.fetchone() is not None


def _spellings(connection: sqlite3.Connection) -> dict[str, set[str]]:
    """Each department key with the names stored under it (a department may have written its name differently
    from one year to the next: `财政局`, `财政局\u3000`)."""
    found: dict[str, set[str]] = {}
    for (name,) in connection.execute("SELECT DISTINCT department FROM departments"):
        found.setdefault(department_key(name), set()).add(name)
    return found


@contextmanager
def _rows_of(path: Path | None) -> Iterator[None]:
    """A database whose rows no longer fit what `score` writes (changed by hand) is the user's problem."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        raise UserError.at(Location(str(path or "")), t("history.not_a_database", why=str(exc))) from None


class Writer:
    """Appends results in transactions of BATCH departments; `close()` commits the last one."""

    BATCH = 200

    def __init__(self, connection: sqlite3.Connection, lang: str, path: Path | None = None):
        self.connection = connection
        self.lang = lang
        self.path = path
        self.pending = 0
        self.stamp = datetime.now(UTC).isoformat(timespec="seconds")
        with _rows_of(path):
            self.spellings = _spellings(connection)

    def previous(self, result: Result) -> Previous | None:
        """The department's latest year before this one (under any spelling of its name), and the indicators
        that moved since."""
        with _rows_of(self.path):
            return self._previous(result)

    def _previous(self, result: Result) -> Previous | None:
        names = sorted(self.spellings.get(department_key(result.department), ()))
        if not names:
            return None
        row = self.connection.execute(
            f"SELECT department, year, rules_digest, total, grade FROM departments WHERE department IN "
            f"({', '.join('?' * len(names))}) AND year < ? ORDER BY year DESC, scored_at DESC, rules_digest LIMIT 1",
            (*names, result.year),
        ).fetchone()
        if row is None:
            return None
        name, year, digest, total, grade = row
        before = dict(
            self.connection.execute(
                "SELECT indicator, score FROM indicator_scores "
                "WHERE department = ? AND year = ? AND rules_digest = ?",
                (name, year, digest),
            ).fetchall()
        )
        moved = tuple(
            Moved(i.id, i.title, Decimal(before[i.id]), i.score)
            for i in result.indicators
            if i.id in before and Decimal(before[i.id]) != i.score
        )
        return Previous(int(year), Decimal(total), str(grade), moved)

    def add(self, result: Result, source: str) -> None:
        with _rows_of(self.path):
            self._add(result, source)

    def _add(self, result: Result, source: str) -> None:
        from scorer.render.json_result import as_dict

        if self.pending == 0:
            self.connection.execute("BEGIN IMMEDIATE")
        key = (result.department, result.year, result.rules_digest)
        document = json.dumps(as_dict(result, self.lang), ensure_ascii=False)
        names = self.spellings.setdefault(department_key(result.department), set())
        for name in sorted(names):  # the same department, year and rules, whichever way its name was written
            self.connection.execute(
                "DELETE FROM departments WHERE department = ? AND year = ? AND rules_digest = ?",
                (name, result.year, result.rules_digest),
            )  # the indicators' rows go with it (ON DELETE CASCADE)
        names.add(result.department)
        self.connection.execute(
            "INSERT INTO departments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*key, str(result.rules_year), _text(result.total), _text(result.max), result.grade, source,
             result.engine_version, self.stamp, document),
        )  # fmt: skip
        self.connection.executemany(
            "INSERT INTO indicator_scores VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (*key, i.id, i.title, i.level1, i.level2, _text(i.weight), _text(i.score), _text(i.lost),
                 int(i.overridden))
                for i in result.indicators
            ],
        )  # fmt: skip
        self.pending += 1
        if self.pending >= self.BATCH:
            self.commit()

    def commit(self) -> None:
        if self.pending:
            with _rows_of(self.path):
                self.connection.execute("COMMIT")
            self.pending = 0

    def rollback(self) -> None:
        if self.pending:
            self.connection.execute("ROLLBACK")
            self.pending = 0


@dataclass(frozen=True)
class HistoryRow:
    department: str
    year: int
    rules_digest: str
    total: Decimal
    grade: str
    source: str
    scored_at: str
    indicators: tuple[tuple[str, str, Decimal, Decimal], ...]  # id, name, weight, score

    @property
    def key(self) -> str:
        """The department as the history compares it (`department_key`); `department` is as it was written."""
        return department_key(self.department)


def rows(path: Path, department: str | None = None) -> Iterator[HistoryRow]:
    """What the database holds (`score history`), by department (its `department_key`), year and time scored;
    only the department named, when one is."""
    if not path.is_file():
        raise UserError.at(Location(str(path)), t("yaml.not_found"))
    connection = connect(path, read_only=True)
    try:
        if not _holds_results(connection):
            return
        query = "SELECT department, year, rules_digest, total, grade, source, scored_at FROM departments"
        args: tuple[Any, ...] = ()
        if department is not None:
            query += " WHERE department_key(department) = ?"
            args = (department_key(department),)
        query += " ORDER BY department_key(department), year, scored_at, department"
        for name, year, digest, total, grade, source, stamp in connection.execute(query, args).fetchall():
            scores = connection.execute(
                "SELECT indicator, name, weight, score FROM indicator_scores "
                "WHERE department = ? AND year = ? AND rules_digest = ? ORDER BY rowid",
                (name, year, digest),
            ).fetchall()
            indicators = tuple((i, n, Decimal(w), Decimal(s)) for i, n, w, s in scores)
            yield HistoryRow(name, int(year), digest, Decimal(total), grade, source, stamp, indicators)
    except sqlite3.DatabaseError as exc:
        raise UserError.at(Location(str(path)), t("history.not_a_database", why=str(exc))) from None
    finally:
        connection.close()


def names(path: Path) -> list[str]:
    connection = connect(path, read_only=True)
    try:
        if not _holds_results(connection):
            return []
        return [
            row[0] for row in connection.execute("SELECT DISTINCT department FROM departments ORDER BY 1")
        ]
    finally:
        connection.close()
