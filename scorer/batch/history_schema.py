"""The history database's tables, by schema version, and the way from each older version to the newest.

Version 4 stores a department's scoring in a few hundred bytes rather than twenty kilobytes: the indicators'
ids, names and levels once, in `indicators`, each scoring's indicator rows by integer ids in a table without
rowids, and the result JSON compressed (zlib). The rows read back are the same as version 3's: the queries here
give both layouts' indicator rows as the columns version 3 named them, so that every check
(scorer/batch/history_values.py, history_agree.py) reads either alike.
"""

from __future__ import annotations

import functools
import itertools
import sqlite3
import zlib
from typing import Any

VERSION = 4  # 1: TABLES_3, unmarked; 2: the same, marked; 3: and IMPORTED; 4: TABLES_4 and IMPORTED
TABLES_3 = {
    "departments": """CREATE TABLE departments (
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
)""",
    "indicator_scores": """CREATE TABLE indicator_scores (
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
)""",
}
INDEXES_3 = {"departments_by_name": "CREATE INDEX departments_by_name ON departments (department, year)"}
TABLES_4 = {
    "dictionaries": """CREATE TABLE dictionaries (
    id    INTEGER PRIMARY KEY,
    zdict BLOB    NOT NULL
)""",
    "departments": """CREATE TABLE departments (
    id             INTEGER PRIMARY KEY,
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
    zdict          INTEGER NOT NULL REFERENCES dictionaries (id),
    result_json    BLOB    NOT NULL,
    UNIQUE (department, year, rules_digest)
)""",
    "indicators": """CREATE TABLE indicators (
    id        INTEGER PRIMARY KEY,
    indicator TEXT    NOT NULL,
    name      TEXT    NOT NULL,
    level1    TEXT    NOT NULL,
    level2    TEXT    NOT NULL,
    UNIQUE (indicator, name, level1, level2)
)""",
    "indicator_scores": """CREATE TABLE indicator_scores (
    scoring    INTEGER NOT NULL REFERENCES departments (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    indicator  INTEGER NOT NULL REFERENCES indicators (id),
    weight     TEXT    NOT NULL,
    score      TEXT    NOT NULL,
    lost       TEXT    NOT NULL,
    overridden INTEGER NOT NULL,
    PRIMARY KEY (scoring, position)
) WITHOUT ROWID""",
}
# Version 3: last year's 自评表 as departments handed them in (`score history import`): the rows and totals as
# printed, with the rules year the title states, never re-scored (last year's rules may not be at hand).
IMPORTED = {
    "imported_tables": """CREATE TABLE imported_tables (
    department   TEXT    NOT NULL,
    year         INTEGER NOT NULL,
    rules_year   TEXT    NOT NULL,
    total        TEXT    NOT NULL,
    max          TEXT    NOT NULL,
    grade        TEXT    NOT NULL,
    source       TEXT    NOT NULL,
    imported_at  TEXT    NOT NULL,
    PRIMARY KEY (department, year)
)""",
    "imported_rows": """CREATE TABLE imported_rows (
    department TEXT    NOT NULL,
    year       INTEGER NOT NULL,
    position   INTEGER NOT NULL,
    indicator  TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    weight     TEXT    NOT NULL,
    score      TEXT    NOT NULL,
    PRIMARY KEY (department, year, position),
    FOREIGN KEY (department, year) REFERENCES imported_tables (department, year) ON DELETE CASCADE
)""",
}
RESULT_LIMIT = 4 << 20  # bytes a stored result JSON may expand to: a real one is some ten kilobytes
ZDICT_SIZE = 32 << 10  # zlib looks back this far: the head of a longer dictionary would never be used
_OF_INDICATOR = {"indicator": "i.indicator", "name": "i.name", "level1": "i.level1", "level2": "i.level2"}


def tables_of(version: int) -> dict[str, str]:
    """The tables a database of schema `version` holds, each as `score` created it."""
    return {**(TABLES_4 if version >= 4 else TABLES_3), **(IMPORTED if version >= 3 else {})}


def indexes_of(version: int) -> dict[str, str]:
    """The indexes of schema `version` beyond those SQLite makes for keys (version 4's keys serve its queries)."""
    return {} if version >= 4 else INDEXES_3


def scores_query(version: int, columns: tuple[str, ...]) -> str:
    """The indicator rows of the department, year and rules digest given (three parameters), in the result's
    order, as the `columns` version 3 names; a row whose indicator is missing reads as NULLs (and is refused)."""
    if version < 4:
        return (
            f"SELECT {', '.join(columns)} FROM indicator_scores "
            "WHERE department = ? AND year = ? AND rules_digest = ? ORDER BY rowid"
        )
    named = ", ".join(_OF_INDICATOR.get(column, f"s.{column}") for column in columns)
    return (
        f"SELECT {named} FROM indicator_scores AS s LEFT JOIN indicators AS i ON i.id = s.indicator "
        "WHERE s.scoring = (SELECT id FROM departments WHERE department = ? AND year = ? AND rules_digest = ?) "
        "ORDER BY s.position"
    )


class Indicators:
    """The `indicators` catalogue as a writer uses it: each indicator's id, name and levels to its row's id,
    added the first time they are written."""

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection
        self.known: dict[tuple[object, ...], int] = {}

    def id_of(self, indicator: str, name: str, level1: str, level2: str) -> int:
        key = (indicator, name, level1, level2)
        if not self.known:
            self.known = {
                tuple(row[1:]): row[0] for row in self.connection.execute("SELECT * FROM indicators")
            }
        if key not in self.known:
            self.connection.execute("INSERT OR IGNORE INTO indicators VALUES (NULL, ?, ?, ?, ?)", key)
            found = self.connection.execute(
                "SELECT id FROM indicators WHERE indicator = ? AND name = ? AND level1 = ? AND level2 = ?",
                key,
            ).fetchone()
            self.known[key] = found[0]
        return self.known[key]

    def forget(self) -> None:
        """After a rollback: the rows added in it are gone."""
        self.known = {}


class Dictionaries:
    """The dictionary a writer compresses each result JSON with: the newest the database holds, or (in a new
    one) the first result written. A result shares most of its words and keys with any other of the same rules:
    against the dictionary it takes some 450 bytes, alone some 2,000."""

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection
        self.chosen: tuple[int, bytes] | None = None

    def pack(self, document: str) -> tuple[int, bytes]:
        """The dictionary's id and the document compressed with it."""
        data = document.encode("utf-8")
        if self.chosen is None:
            self.chosen = self._newest() or self._stored(data[-ZDICT_SIZE:])
        ident, zdict = self.chosen
        return ident, packed(data, zdict)

    def _newest(self) -> tuple[int, bytes] | None:
        row = self.connection.execute(  # one longer than score writes is never read whole
            f"SELECT id, CASE WHEN length(zdict) <= {ZDICT_SIZE} THEN zdict END FROM dictionaries "
            "ORDER BY id DESC LIMIT 1"
        ).fetchone()
        usable = row is not None and isinstance(row[1], bytes) and 0 < len(row[1]) <= ZDICT_SIZE
        return (row[0], row[1]) if usable else None

    def _stored(self, zdict: bytes) -> tuple[int, bytes]:
        added = self.connection.execute("INSERT INTO dictionaries (zdict) VALUES (?)", (zdict,)).lastrowid
        assert added is not None
        return added, zdict

    def forget(self) -> None:
        """After a rollback: a dictionary added in it is gone."""
        self.chosen = None


def result_columns(version: int) -> str:
    """The `departments` columns that give its result JSON as stored, and the dictionary it was compressed
    with (none before version 4): the two arguments of `unpacked`."""
    if version < 4:
        return "result_json, NULL"
    return (  # a dictionary longer than score writes one is never read whole: it reads as none
        "result_json, coalesce((SELECT zdict FROM dictionaries WHERE dictionaries.id = departments.zdict "
        f"AND length(zdict) <= {ZDICT_SIZE}), X'')"
    )


def packed(document: bytes, zdict: bytes) -> bytes:
    """A result JSON as version 4 stores it: compressed against the dictionary `zdict`, by a copy of a compressor
    that has taken it in once (taking in a dictionary of ten kilobytes for each result cost a third of the time)."""
    squeezing = _compressor(zdict).copy()
    return squeezing.compress(document) + squeezing.flush()


@functools.lru_cache(maxsize=4)
def _compressor(zdict: bytes) -> Any:
    """A fresh compressor with `zdict` set: each copy compresses exactly as a new one would. Level 3, not zlib's
    default 6: a result takes some 510 bytes rather than 440, in less than half the time (0.04 ms, not 0.10: a
    fifth of what `--db` adds to a department)."""
    return zlib.compressobj(3, zdict=zdict)


def unpacked(stored: object, zdict: object) -> str | None:
    """A stored result JSON as text: version 3's as it is (`zdict` NULL), version 4's expanded with its
    dictionary `zdict` (a text there, or a blob without its dictionary, is not what score writes); None where
    it is neither, or would expand beyond RESULT_LIMIT (a planted zlib bomb is never expanded whole)."""
    if zdict is None:
        return stored if isinstance(stored, str) else None
    if not isinstance(stored, bytes) or not isinstance(zdict, bytes) or not zdict:
        return None
    expanding = zlib.decompressobj(zdict=zdict)
    try:
        document = expanding.decompress(stored, RESULT_LIMIT)
        if expanding.unconsumed_tail or not expanding.eof or expanding.unused_data:
            return None
        return document.decode("utf-8")
    except (zlib.error, UnicodeDecodeError):
        return None


def migrate(connection: sqlite3.Connection, version: int) -> None:
    """The tables of an older `version` brought to VERSION, within the caller's transaction."""
    if version < 3:
        for statement in IMPORTED.values():
            connection.execute(statement)
    if version < 4:
        _to_version_4(connection)


def _to_version_4(connection: sqlite3.Connection) -> None:
    """Version 3's rows, every value as it was (checked when read, as before), in version 4's tables; the
    result JSON's bytes compressed as they are."""
    connection.execute("ALTER TABLE indicator_scores RENAME TO indicator_scores_3")
    connection.execute("ALTER TABLE departments RENAME TO departments_3")  # its index goes with it
    for statement in TABLES_4.values():
        connection.execute(statement)
    columns = (
        "department, year, rules_digest, rules_year, total, max, grade, source, engine_version, scored_at"
    )
    old = connection.execute(f"SELECT {columns}, CAST(result_json AS BLOB) FROM departments_3 ORDER BY rowid")
    first = old.fetchone()
    if first is not None:  # the first result is the dictionary of them all; the rest read as they are written
        zdict = first[-1][-ZDICT_SIZE:] or b" "
        added = connection.execute("INSERT INTO dictionaries (zdict) VALUES (?)", (zdict,)).lastrowid
        connection.executemany(
            f"INSERT INTO departments ({columns}, zdict, result_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((*row[:-1], added, packed(row[-1], zdict)) for row in itertools.chain([first], old)),
        )
    connection.execute(
        "INSERT OR IGNORE INTO indicators (indicator, name, level1, level2) "
        "SELECT indicator, name, level1, level2 FROM indicator_scores_3 ORDER BY rowid"
    )
    connection.execute(
        "INSERT INTO indicator_scores SELECT d.id, row_number() OVER (PARTITION BY d.id ORDER BY o.rowid), "
        "i.id, o.weight, o.score, o.lost, o.overridden FROM indicator_scores_3 AS o "
        "JOIN departments AS d USING (department, year, rules_digest) "
        "JOIN indicators AS i USING (indicator, name, level1, level2)"
    )
    moved = "SELECT (SELECT count(*) FROM indicator_scores_3) = (SELECT count(*) FROM indicator_scores)"
    if not connection.execute(moved).fetchone()[0]:  # a row no join found: never dropped unseen
        raise sqlite3.IntegrityError("indicator_scores: rows not moved to version 4")
    connection.execute("DROP TABLE indicator_scores_3")
    connection.execute("DROP TABLE departments_3")
