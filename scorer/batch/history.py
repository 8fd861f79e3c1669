"""The bureau's history: every scored department in an SQLite database (`score batch --db results.sqlite`).

Schema (docs/batch.md; scorer/batch/history_schema.py; history_db.py, which opens the file only when it is ours):
`departments` holds one row per department × year × rules digest, with its total, grade and the whole Contract-3
result as JSON (compressed against a dictionary the database keeps); `indicator_scores` one row per indicator of
it, naming the indicator by its id in `indicators`. Numbers are stored as decimal text ("9.88"), never as SQLite's
binary floats, so that what is read back is exactly what was scored; each value is checked as it is read back
(scorer/batch/history_values.py).

Writing the same department, year and rules again replaces its rows (an upsert): a re-run changes nothing. Rows
are written in transactions of `Writer.BATCH` departments; an interrupted batch leaves every department either
wholly written or not at all.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from scorer.batch.entries import Seen
from scorer.batch.history_agree import check_agrees
from scorer.batch.history_db import HistoryConnection, open_for_reading, open_for_writing, speaking
from scorer.batch.history_imported import has_imports, imported, imported_tables
from scorer.batch.history_schema import Dictionaries, Indicators, scores_query
from scorer.batch.history_values import Checked
from scorer.batch.summary import Moved, Previous
from scorer.engine.result import Result
from scorer.inputs.model import department_key


def _text(value: Decimal) -> str:
    return format(value, "f")


_key = functools.lru_cache(maxsize=4096)(department_key)  # a writer asks for each name twice (previous, add)


def connect(path: Path) -> HistoryConnection:
    """Open (or create) the history database to write to; refused unless it is ours (scorer/batch/history_db.py)."""
    return open_for_writing(path)


class Writer:
    """Appends results in transactions of BATCH departments; `close()` commits the last one."""

    BATCH = 2000  # a commit waits for the disk (some 20 ms): a few per batch, not one every few departments

    def __init__(self, connection: HistoryConnection, lang: str):
        self.connection = connection
        self.path = connection.path
        self.lang = lang
        self.pending = 0
        self.stamp = datetime.now(UTC).isoformat(timespec="seconds")
        with speaking(self.path):
            self.imports = has_imports(connection)
            self.spellings = _spellings(connection, self.imports)
            self.indicators = Indicators(connection)
            self.dictionaries = Dictionaries(connection)

    def previous(self, result: Result, also: Iterable[str] = ()) -> Previous | None:
        """The department's latest year before this one (under any spelling of its name, and of the names in
        `also`: what it was called before, by the alias file), scored or imported as printed, and the
        indicators that moved since. A year both scored and imported is taken as scored."""
        keys = {_key(result.department), *(_key(name) for name in also)}
        names = sorted(name for key in keys for name in self.spellings.names(key))
        if not names:
            return None
        with speaking(self.path):
            scored = self._latest_scored(names, result)
            imported = self._latest_imported(names, result)
        if imported is not None and (scored is None or imported[0] > scored[0]):
            year, total, grade, before = imported
            is_imported = True
        elif scored is not None:
            year, total, grade, before = scored
            is_imported = False
        else:
            return None
        moved = tuple(
            Moved(i.id, i.title, before[i.id], i.score)
            for i in result.indicators
            if i.id in before and before[i.id] != i.score
        )
        return Previous(year, total, grade, moved, is_imported)

    def _latest_scored(
        self, names: list[str], result: Result
    ) -> tuple[int, Decimal, str, dict[str, Decimal]] | None:
        row = self.connection.execute(
            f"SELECT department, year, rules_digest, total, max, grade FROM departments WHERE department IN "
            f"({', '.join('?' * len(names))}) AND year < ? ORDER BY year DESC, scored_at DESC, rules_digest LIMIT 1",
            (*names, result.year),
        ).fetchone()
        if row is None:
            return None
        name, year, digest, total, most, grade = row
        check_agrees(self.path, self.connection, name, year, digest)
        query = scores_query(self.connection.version, ("indicator", "weight", "score"))
        scores = self.connection.execute(query, (name, year, digest)).fetchall()
        checked = Checked(self.path, "departments", result.department, year)
        year = checked.year_of(year)
        total = checked.number(total, "total", Decimal(0), checked.number(most, "max", Decimal(0)))
        before = {}
        for entry in scores:
            ident, _, score = _indicator(self.path, result.department, year, *entry)
            before[ident] = score
        return year, total, checked.text(grade, "grade"), before

    def _latest_imported(
        self, names: list[str], result: Result
    ) -> tuple[int, Decimal, str, dict[str, Decimal]] | None:
        if not self.imports:
            return None
        found = imported(self.path, self.connection, names, result.year)
        if found is None:
            return None
        return found.year, found.total, found.grade, {i: s for i, _, _, s in found.indicators if i}

    def holds_year(self, year: int) -> bool:
        """Whether the database holds some department of `year`, scored or imported."""
        query = "SELECT EXISTS (SELECT 1 FROM departments WHERE year = ?)"
        if self.imports:
            query += " OR EXISTS (SELECT 1 FROM imported_tables WHERE year = ?)"
        with speaking(self.path):
            return bool(
                self.connection.execute(query, (year, year) if self.imports else (year,)).fetchone()[0]
            )

    def names_of(self, year: int) -> list[str]:
        """The departments the database holds for `year`, scored or imported, as written."""
        query = "SELECT DISTINCT department FROM departments WHERE year = ?"
        if self.imports:
            query += " UNION SELECT DISTINCT department FROM imported_tables WHERE year = ?"
        with speaking(self.path):
            found = self.connection.execute(query, (year, year) if self.imports else (year,)).fetchall()
        return [Checked(self.path, "departments", name, year).text(name, "department") for (name,) in found]

    def add(self, result: Result, source: str, line: str | None = None) -> None:
        """The department's scoring written (version 4's tables: scorer/batch/history_schema.py), replacing
        the same department, year and rules under any spelling of its name. `line`: its result JSON, when the
        batch has already written it for its JSON Lines (`as_line(result, lang)`)."""
        from scorer.render.json_result import as_line  # the JSON Lines writer's: compact, by orjson

        with speaking(self.path):
            if self.pending == 0:
                self.connection.execute("BEGIN IMMEDIATE")
            zdict, document = self.dictionaries.pack(line or as_line(result, self.lang))
            names = self.spellings.names(_key(result.department))
            if names:  # none: the database holds no row of this department to replace (most, in a new year)
                self.connection.executemany(
                    "DELETE FROM departments WHERE department = ? AND year = ? AND rules_digest = ?",
                    [(name, result.year, result.rules_digest) for name in sorted(names)],
                )  # the indicators' rows go with it (ON DELETE CASCADE)
            self.spellings.add(result.department)
            scoring = self.connection.execute(
                "INSERT INTO departments (department, year, rules_digest, rules_year, total, max, grade, source, "
                "engine_version, scored_at, zdict, result_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (result.department, result.year, result.rules_digest, str(result.rules_year), _text(result.total),
                 _text(result.max), result.grade, source, result.engine_version, self.stamp, zdict, document),
            ).lastrowid  # fmt: skip
            self.connection.executemany(
                "INSERT INTO indicator_scores VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (scoring, position, self.indicators.id_of(i.id, i.title, i.level1, i.level2),
                     _text(i.weight), _text(i.score), _text(i.lost), int(i.overridden))
                    for position, i in enumerate(result.indicators, start=1)
                ],
            )  # fmt: skip
        self.pending += 1
        if self.pending >= self.BATCH:
            self.commit()

    def commit(self) -> None:
        if self.pending:
            with speaking(self.path):
                self.connection.execute("COMMIT")
            self.pending = 0

    def rollback(self) -> None:
        """Undo the transaction being written (what was committed stays); a connection SQLite has already
        given up on has nothing left to undo."""
        if self.pending:
            self.pending = 0
            self.indicators.forget()
            self.dictionaries.forget()
            with contextlib.suppress(sqlite3.Error):
                self.connection.execute("ROLLBACK")

    def close(self) -> None:
        self.connection.close()


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
    imported: bool = False  # a 自评表 as printed (`score history import`), not scored by score

    @property
    def key(self) -> str:
        """The department as the history compares it (`department_key`); `department` is as it was written."""
        return department_key(self.department)


def rows(path: Path, department: str | None = None, also: Iterable[str] = ()) -> list[HistoryRow]:
    """What the database holds (`score history`), by department (its `department_key`), year and time scored,
    each value checked; only the department named, when one is, and the departments whose keys are in `also`
    (its earlier or later names, by an alias file)."""
    keys = sorted({department_key(department), *also}) if department is not None else []
    connection = open_for_reading(path)
    try:
        with speaking(path):
            query = (
                "SELECT department, year, rules_digest, total, max, grade, source, scored_at FROM departments"
            )
            args: tuple[Any, ...] = ()
            if keys:
                query += f" WHERE department_key(department) IN ({', '.join('?' * len(keys))})"
                args = tuple(keys)
            query += " ORDER BY department_key(department), year, scored_at, department"
            found = []
            for name, year, digest, total, most, grade, source, stamp in connection.execute(
                query, args
            ).fetchall():
                listed = scores_query(connection.version, ("indicator", "name", "weight", "score"))
                scores = connection.execute(listed, (name, year, digest)).fetchall()
                found.append(
                    _history_row(path, (name, year, digest, total, most, grade, source, stamp), scores)
                )
                check_agrees(path, connection, name, year, digest)
            found += [
                HistoryRow(table.department, table.year, "", table.total, table.grade, table.source,
                           table.imported_at, table.indicators, imported=True)
                for table in imported_tables(path, connection, keys or None)
            ]  # fmt: skip
            return sorted(found, key=lambda row: (row.key, row.year, row.scored_at, row.department))
    finally:
        connection.close()


class Spellings:
    """Each department key with the names stored under it (a department may have written its name differently
    from one year to the next: `财政局`, `财政局\u3000`), kept compact: a name that is its own key (most are) as an
    8-byte digest (scorer/batch/entries.py: `Seen`), only the others as names, so that a province's 100,000
    departments take a few megabytes rather than a set of names each (some 450 bytes a department)."""

    def __init__(self) -> None:
        self.plain = Seen()  # names that are their own key
        self.others: dict[str, set[str]] = {}  # key → its other names

    def add(self, name: str) -> None:
        key = _key(name)
        if name != key:
            self.others.setdefault(key, set()).add(name)
        elif not self.plain.holds(key, 0):
            self.plain.first(key, 0, 0)

    def names(self, key: str) -> set[str]:
        found = set(self.others.get(key, ()))
        return found | {key} if self.plain.holds(key, 0) else found


def _spellings(connection: sqlite3.Connection, imports: bool) -> Spellings:
    """The names stored, scored or imported, by their keys."""
    found = Spellings()
    query = "SELECT DISTINCT department FROM departments"
    if imports:
        query += " UNION SELECT DISTINCT department FROM imported_tables"
    for (name,) in connection.execute(query):
        found.add(name)
    return found


def _history_row(path: Path, row: tuple[Any, ...], scores: list[tuple[Any, ...]]) -> HistoryRow:
    name, year, digest, total, most, grade, source, stamp = row
    checked = Checked(path, "departments", name, year)
    name, year = checked.text(name, "department"), checked.year_of(year)
    highest = checked.number(most, "max", Decimal(0))
    indicators = tuple(_indicator(path, name, year, *entry) for entry in scores)
    return HistoryRow(
        name,
        year,
        checked.text(digest, "rules_digest"),
        checked.number(total, "total", Decimal(0), highest),
        checked.text(grade, "grade"),
        checked.text(source, "source"),
        checked.scored_at(stamp),
        indicators,
    )


def _indicator(path: Path, department: object, year: object, *entry: object) -> tuple[Any, ...]:
    """An indicator_scores row read back, checked: (id, name, weight, score), or (id, weight, score)."""
    checked = Checked(path, "indicator_scores", department, year)
    ident, *named, weight, score = entry
    highest = checked.number(weight, "weight", Decimal(0))
    return (
        checked.text(ident, "indicator"),
        *(checked.text(n, "name") for n in named),
        highest,
        checked.number(score, "score", Decimal(0), highest),
    )


def names(path: Path) -> list[str]:
    connection = open_for_reading(path)
    try:
        with speaking(path):
            found = connection.execute("SELECT DISTINCT department FROM departments ORDER BY 1").fetchall()
        return [Checked(path, "departments", row[0], "").text(row[0], "department") for row in found]
    finally:
        connection.close()
