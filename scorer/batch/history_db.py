"""The history database is ours, or refused: opening it for `score batch --db` and `score history`.

A database `score` wrote carries its mark in the SQLite header (`PRAGMA application_id`, "SCOR") and its schema
version (`PRAGMA user_version`), and holds exactly the tables and index of that version, each as `score` created it
(the CREATE statement SQLite keeps, compared word for word). Anything else is refused with a message naming the file
and what is wrong, before a row is read or written: a file that is not SQLite, a damaged one (`PRAGMA quick_check`),
another program's database, a table, view, trigger or index `score` never made (a trigger rewriting rows, a view in
a table's place), a table changed, a newer schema. SQLite's own tables (`sqlite_stat1` after ANALYZE,
`sqlite_sequence`) and the indexes of the primary keys are SQLite's, and harmless. A database written before the
mark (version 1, the same tables), before the imported tables (version 2) or before the compact tables (version 3;
scorer/batch/history_schema.py) is migrated explicitly, in one transaction, when it is next written to; it is read
as it is.

Written only to a regular file named directly: the path, and the journal files SQLite keeps beside it, must not be
symbolic links or anything but regular files (SQLite would follow a link and write wherever it leads). The file is
opened by a `file:` URI with `mode=rw` (`rwc` when it does not exist yet) for writing and `mode=ro` for reading, and
after opening it must still be the file that was checked. An error SQLite raises later (a full disk, a locked or
read-only file) is said as a problem of that file, never a crash.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from scorer.batch.history_schema import VERSION, indexes_of, migrate, tables_of
from scorer.errors import Location, UserError
from scorer.facts import fact
from scorer.i18n import t
from scorer.inputs.model import department_key

APPLICATION_ID = 0x53434F52  # "SCOR", in the database header: the file is score's history

_SQLITE_TABLES = {"sqlite_sequence", "sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4"}
_JOURNALS = ("-journal", "-wal", "-shm")  # the files SQLite writes beside the database


class HistoryConnection(sqlite3.Connection):
    """A connection that knows the file it is to (for messages) and the schema version of its tables."""

    path: Path
    version: int = VERSION


def open_for_writing(path: Path) -> HistoryConnection:
    """The history database at `path`, created if there is none; refused unless it is ours."""
    before = _regular_or_absent(path)
    connection = _connect(path, "rw" if before is not None else "rwc")
    try:
        with speaking(path):
            _still_the_file(connection, path, before)
            if _is_blank(connection):
                _create(connection)
            version = _verify(connection, path)
            if version < VERSION:
                _migrate(connection, version)
        return connection
    except BaseException:
        connection.close()
        raise


def open_for_reading(path: Path) -> HistoryConnection:
    """The history database at `path`, to read; refused unless it is ours (an unmarked one of version 1 is)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        raise UserError.at(Location(str(path)), fact("yaml.not_found")) from None
    if not stat.S_ISREG(mode):
        raise UserError.at(Location(str(path)), fact("history.not_a_file"))
    connection = _connect(path, "ro")
    try:
        with speaking(path):
            if _is_blank(connection):
                raise UserError.at(Location(str(path)), fact("history.no_history"))
            connection.version = _verify(connection, path)
        return connection
    except BaseException:
        connection.close()
        raise


@contextmanager
def speaking(path: Path) -> Iterator[None]:
    """Any error of SQLite's while the block uses the database, said as a problem of that file."""
    try:
        yield
    except sqlite3.Error as exc:
        why = str(exc) or type(exc).__name__
        key = "history.read_only" if "readonly" in why else "history.not_a_database"
        raise UserError.at(Location(str(path)), fact(key, why=why)) from None
    except UnicodeDecodeError:  # a text SQLite hands back that is not UTF-8: score never wrote it
        raise UserError.at(
            Location(str(path)), fact("history.damaged", why=fact("history.why.not_utf8"))
        ) from None


# ---- the file ----


def _regular_or_absent(path: Path) -> os.stat_result | None:
    """The database file's status, or None where there is none yet; a link, a folder, a device, a pipe, or a
    journal beside it that is not a regular file, are refused."""
    try:
        found: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        found = None
    except OSError as exc:
        raise UserError.at(Location(str(path)), fact("history.not_a_database", why=exc.strerror)) from None
    if found is not None and not stat.S_ISREG(found.st_mode):
        key = "history.link" if stat.S_ISLNK(found.st_mode) else "history.not_a_file"
        raise UserError.at(Location(str(path)), fact(key, name=path.name))
    for suffix in _JOURNALS:
        beside = path.with_name(path.name + suffix)
        if os.path.lexists(beside) and not stat.S_ISREG(os.lstat(beside).st_mode):
            raise UserError.at(Location(str(path)), fact("history.link", name=beside.name))
    if found is not None and not os.access(path, os.W_OK):
        raise UserError.at(
            Location(str(path)), fact("history.read_only", why=fact("history.why.permissions"))
        )
    return found


def _connect(path: Path, mode: str) -> HistoryConnection:
    uri = f"file:{quote(str(path.absolute()))}?mode={mode}"
    try:
        connection = sqlite3.connect(uri, uri=True, isolation_level=None, factory=HistoryConnection)
    except sqlite3.Error as exc:
        raise UserError.at(Location(str(path)), fact("history.not_a_database", why=str(exc))) from None
    connection.path = path
    # Queries compare departments as the batch does (`department_key`); a deterministic function of ours only.
    connection.create_function("department_key", 1, department_key, deterministic=True)
    connection.execute("PRAGMA trusted_schema = OFF")  # nothing in a schema may call a function with effects
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


def _still_the_file(connection: HistoryConnection, path: Path, before: os.stat_result | None) -> None:
    """After SQLite opened it, the path is still the regular file that was checked (not replaced by a link)."""
    connection.execute("PRAGMA schema_version").fetchone()  # SQLite opens and reads the file now
    after = os.lstat(path)
    same = before is None or (after.st_dev, after.st_ino) == (before.st_dev, before.st_ino)
    if not stat.S_ISREG(after.st_mode) or not same:
        raise UserError.at(Location(str(path)), fact("history.link", name=path.name))


# ---- the schema ----


def _is_blank(connection: sqlite3.Connection) -> bool:
    """A file without anything in it yet: empty, or a SQLite database with no schema, no mark, no version."""
    objects = connection.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]
    marks = connection.execute("PRAGMA application_id").fetchone()[0], _version(connection)
    return objects == 0 and marks == (0, 0)


def _create(connection: sqlite3.Connection) -> None:
    connection.execute("BEGIN IMMEDIATE")
    for statement in (*tables_of(VERSION).values(), *indexes_of(VERSION).values()):
        connection.execute(statement)
    _mark(connection)
    connection.execute("COMMIT")


def _migrate(connection: sqlite3.Connection, version: int) -> None:
    """Version 1 → 2: the same tables, marked as score's; 2 → 3: the imported tables added; 3 → 4: the scored
    rows in the compact tables (scorer/batch/history_schema.py). One transaction: a database is migrated wholly
    or not at all."""
    connection.execute("BEGIN IMMEDIATE")
    migrate(connection, version)
    _mark(connection)
    connection.execute("COMMIT")


def _mark(connection: sqlite3.Connection) -> None:
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    connection.execute(f"PRAGMA user_version = {VERSION}")


def _version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def _verify(connection: sqlite3.Connection, path: Path) -> int:
    """The schema version of a database that is score's history, undamaged; else refused with why."""
    try:
        checked = [str(row[0]) for row in connection.execute("PRAGMA quick_check(3)").fetchall()]
    except sqlite3.DatabaseError as exc:  # damaged past what the check can list (a page that holds a chain)
        checked = [str(exc)]
    if checked != ["ok"]:
        said = " ".join(" ".join(checked).replace("*** in database main ***", "").split())
        raise UserError.at(Location(str(path)), fact("history.damaged", why=said[:200]))
    application, version = connection.execute("PRAGMA application_id").fetchone()[0], _version(connection)
    if application == APPLICATION_ID and version > VERSION:
        raise UserError.at(Location(str(path)), fact("history.newer_schema", version=version))
    why = ""
    if application not in (0, APPLICATION_ID):
        why = t("history.why.application", id=f"0x{application & 0xFFFFFFFF:08x}")
    else:  # a version score never wrote is compared with the newest schema, then said as the version it is
        why = _schema_problem(connection, version if 0 < version <= VERSION else VERSION)
    if not why and (application, version) not in ((0, 1), *((APPLICATION_ID, v) for v in (2, 3, VERSION))):
        why = t("history.why.version", version=version)
    if why:
        raise UserError.at(Location(str(path)), fact("history.foreign", why=why))
    orphan = connection.execute("PRAGMA foreign_key_check").fetchone()
    if (
        orphan is not None
    ):  # a row whose department (or indicator, or dictionary) is gone: written around score
        table, parent = str(orphan[0]), str(orphan[2])
        why = t("history.why.orphans", table=table)
        if parent in ("indicators", "dictionaries"):
            why = t("history.why.lost_row", table=table, parent=parent)
        raise UserError.at(Location(str(path)), fact("history.damaged", why=why))
    return version


def _schema_problem(connection: sqlite3.Connection, version: int) -> str:
    """Why the tables and indexes are not exactly score's, or ''. SQLite's own objects are harmless: its
    statistics and sequence tables, and the indexes it makes for our primary keys; anything else named like
    them (a trigger written into the schema as "sqlite_…") is not SQLite's."""
    tables = tables_of(version)
    expected = {name: ("table", sql) for name, sql in tables.items()}
    expected.update({name: ("index", sql) for name, sql in indexes_of(version).items()})
    found = connection.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY rowid"
    ).fetchall()
    for kind, name, table, sql in found:
        if _sqlites_own(kind, str(name), table, sql):
            continue
        if name not in expected:
            return t("history.why.object", type=kind, name=name)
        if (kind, _words(sql or "")) != (expected[name][0], _words(expected[name][1])):
            return t("history.why.changed", type=kind, name=name)
    names = {name for _, name, _, _ in found}
    missing = [name for name in tables if name not in names]
    return t("history.why.missing", name=missing[0]) if missing else ""


def _sqlites_own(kind: str, name: str, table: object, sql: object) -> bool:
    if kind == "table":
        return name in _SQLITE_TABLES
    return (
        kind == "index"
        and sql is None
        and table in tables_of(VERSION)
        and re.fullmatch(rf"sqlite_autoindex_{re.escape(str(table))}_\d+", name) is not None
    )


def _words(sql: str) -> str:
    """A CREATE statement compared word for word: runs of spaces and line breaks are one space."""
    return re.sub(r"\s+", " ", sql).strip()
