"""The history database is ours or refused (`score batch --db`, `score history`): a file that is not SQLite, an empty
one, another program's database, a damaged or read-only one, one with a trigger or a view or a table changed, a link
in its place, a value written by hand: each is refused (or, for an empty file, handled) with a message naming the
file and what is wrong, exit 1, the file left as it was. A database written before the schema was marked keeps
working, and is marked when next written to."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "examples" / "batch"))
import make_departments  # noqa: E402

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "history"
SCOR = 0x53434F52
runner = CliRunner()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("departments") / "d"
    make_departments.write(target, make_departments.departments(3, 0))
    return target


@pytest.fixture(scope="module")
def written(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A history database as `score batch --db` writes it."""
    db = tmp_path_factory.mktemp("written") / "history.sqlite"
    done = runner.invoke(app, ["batch", str(folder), "--db", str(db), "-o", str(db.with_suffix(".txt"))])
    assert done.exit_code == 0, done.output
    return db


def batch(folder: Path, db: Path) -> tuple[int, str]:
    done = runner.invoke(app, ["batch", str(folder), "--db", str(db), "-o", str(db.parent / "summary.txt")])
    assert "Traceback" not in done.output and "internal error" not in done.output
    return done.exit_code, done.stderr


def history(db: Path, *args: str) -> tuple[int, str, str]:
    done = runner.invoke(app, ["history", "--db", str(db), *args])
    assert "Traceback" not in done.output and "internal error" not in done.output
    return done.exit_code, done.stdout, done.stderr


def refused_both_ways(folder: Path, db: Path, words: str) -> None:
    """`score batch --db` and `score history` both refuse `db` with `words`, and leave it as it was."""
    before = db.read_bytes()
    code, err = batch(folder, db)
    assert code == 1 and f"{db}: " in err and words in err, err
    code, out, err = history(db)
    assert code == 1 and f"{db}: " in err and words in err, err
    assert db.read_bytes() == before
    assert not (db.parent / "summary.txt").exists()


def sql(db: Path, *statements: str) -> None:
    connection = sqlite3.connect(db)
    try:
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    finally:
        connection.close()


def copy_of(written: Path, tmp_path: Path, *statements: str) -> Path:
    db = tmp_path / "copy.sqlite"
    shutil.copyfile(written, db)
    sql(db, *statements)
    return db


# ---- files that are not our database ----


def test_a_file_that_is_not_sqlite_is_refused(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "notes.sqlite"
    db.write_text("Meeting notes, not a database.\n" * 100, encoding="utf-8")
    refused_both_ways(folder, db, "not a usable history database: file is not a database")


def test_an_empty_file_becomes_a_new_database_and_is_no_history_to_list(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "empty.sqlite"
    db.touch()
    code, _, err = history(db)
    assert code == 1 and "holds no history yet: score batch --db writes it" in err and db.stat().st_size == 0
    code, err = batch(folder, db)
    assert code == 0, err
    code, out, _ = history(db)
    assert code == 0 and out.count(" · 2022 · ") == 3


def test_another_programs_database_is_refused_untouched(folder: Path, tmp_path: Path) -> None:
    marked = tmp_path / "marked.sqlite"
    sql(marked, "CREATE TABLE departments (name TEXT)", "PRAGMA application_id = 1234")
    refused_both_ways(folder, marked, "belongs to another program (application id 0x000004d2)")
    unmarked = tmp_path / "unmarked.sqlite"
    sql(unmarked, "CREATE TABLE notes (body TEXT)", "INSERT INTO notes VALUES ('keep me')")
    refused_both_ways(
        folder, unmarked, "is not a history database written by score: it holds the table 'notes'"
    )


def test_a_truncated_database_is_refused(folder: Path, written: Path, tmp_path: Path) -> None:
    db = tmp_path / "truncated.sqlite"
    db.write_bytes(written.read_bytes()[:5000])
    refused_both_ways(folder, db, "database disk image is malformed")


def test_a_damaged_database_is_refused(folder: Path, written: Path, tmp_path: Path) -> None:
    db = tmp_path / "damaged.sqlite"
    data = bytearray(written.read_bytes())
    page = sqlite3.connect(written).execute("PRAGMA page_size").fetchone()[0]
    data[page : page + 16] = b"\xff" * 16  # the header of the second page
    db.write_bytes(bytes(data))
    refused_both_ways(folder, db, "the database is damaged (")


@pytest.mark.parametrize(
    ("statements", "words"),
    [
        pytest.param(
            [
                "CREATE TRIGGER rewrite AFTER INSERT ON departments BEGIN UPDATE departments SET total = '100'; END"
            ],
            "it holds the trigger 'rewrite', which score never makes",
            id="a-trigger-rewriting-rows",
        ),
        pytest.param(
            [
                "ALTER TABLE departments RENAME TO kept",
                "CREATE VIEW departments AS SELECT * FROM kept",
            ],
            "it holds the table 'kept', which score never makes",
            id="a-view-in-a-tables-place",
        ),
        pytest.param(
            ["CREATE TABLE notes (body TEXT)"], "it holds the table 'notes'", id="another-table-in-the-way"
        ),
        pytest.param(
            ["CREATE INDEX by_total ON departments (total)"],
            "it holds the index 'by_total'",
            id="another-index",
        ),
        pytest.param(
            ["ALTER TABLE departments ADD COLUMN remark TEXT DEFAULT 'x'"],
            "its table 'departments' is not as score makes it",
            id="a-column-added",
        ),
        pytest.param(
            [
                "PRAGMA writable_schema = ON",
                "INSERT INTO sqlite_schema (type, name, tbl_name, rootpage, sql) VALUES ('trigger', 'sqlite_x', "
                "'departments', 0, 'CREATE TRIGGER sqlite_x AFTER INSERT ON departments "
                "BEGIN UPDATE departments SET total = ''100''; END')",
            ],
            "it holds the trigger 'sqlite_x', which score never makes",
            id="a-trigger-named-like-sqlites-own",
        ),
        pytest.param(["PRAGMA user_version = 7"], "written by a newer score (schema version 7)", id="newer"),
        pytest.param(["PRAGMA user_version = 0"], "its schema version is 0", id="version-taken-away"),
    ],
)
def test_a_database_not_as_score_writes_it_is_refused_untouched(
    folder: Path, written: Path, tmp_path: Path, statements: list[str], words: str
) -> None:
    refused_both_ways(folder, copy_of(written, tmp_path, *statements), words)


def test_sqlites_own_statistics_are_harmless(folder: Path, written: Path, tmp_path: Path) -> None:
    db = copy_of(written, tmp_path, "ANALYZE")
    code, err = batch(folder, db)
    assert code == 0, err
    code, out, _ = history(db)
    assert code == 0 and out.count(" · 2022 · ") == 3


def test_a_view_alone_where_the_table_should_be_is_refused(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "view.sqlite"
    sql(db, "CREATE VIEW departments AS SELECT 1 AS department", "PRAGMA user_version = 1")
    refused_both_ways(folder, db, "its view 'departments' is not as score makes it")


@pytest.fixture
def read_only(written: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of the database no one may write to: immutable where the file system allows (root writes through
    permissions), else without write permission."""
    db = tmp_path / "read-only.sqlite"
    shutil.copyfile(written, db)
    immutable = shutil.which("chattr") and subprocess.run(["chattr", "+i", str(db)], capture_output=True)
    if not (immutable and immutable.returncode == 0):
        db.chmod(stat.S_IRUSR | stat.S_IRGRP)
    if os.access(db, os.W_OK):
        pytest.skip("no way to make a file read-only here")
    yield db
    if immutable and immutable.returncode == 0:
        subprocess.run(["chattr", "-i", str(db)], check=True)


def test_a_read_only_database_is_refused_for_writing_and_still_listed(folder: Path, read_only: Path) -> None:
    before = read_only.read_bytes()
    code, err = batch(folder, read_only)
    assert code == 1 and f"{read_only}: is read-only; choose another --db or make it writable first" in err
    code, out, _ = history(read_only)
    assert code == 0 and out.count(" · 2022 · ") == 3
    assert read_only.read_bytes() == before


# ---- values written by hand ----


@pytest.mark.parametrize(
    ("statement", "words"),
    [
        ("UPDATE indicator_scores SET score = 'abc'", "holds 'abc' as score"),
        ("UPDATE indicator_scores SET score = 1e308", "holds '1.0e+308' as score"),
        ("UPDATE indicator_scores SET score = '-1'", "holds '-1' as score"),
        ("UPDATE indicator_scores SET score = '150'", "holds '150' as score"),  # above its weight
        ("UPDATE departments SET total = '1e308'", "holds '1e308' as total"),
        ("UPDATE departments SET total = '100.5'", "holds '100.5' as total"),  # above the maximum
        ("UPDATE departments SET year = 20220", "holds '20220' as year"),
        ("UPDATE departments SET grade = X'00'", "as grade"),
        ("UPDATE departments SET scored_at = 'yesterday'", "holds 'yesterday' as scored_at"),
        ("UPDATE departments SET grade = CAST(X'FF9F' AS TEXT)", "UTF-8"),
    ],
)
def test_a_value_score_never_writes_is_a_message_not_a_crash(
    written: Path, tmp_path: Path, statement: str, words: str
) -> None:
    db = copy_of(written, tmp_path, "PRAGMA foreign_keys = OFF", *statement.split("; "))
    code, out, err = history(db)
    assert code == 1 and out == ""
    assert f"{db}: " in err and words in err, err


def test_rows_that_lost_their_department_are_refused(folder: Path, written: Path, tmp_path: Path) -> None:
    db = copy_of(written, tmp_path, "PRAGMA foreign_keys = OFF", "DELETE FROM departments WHERE rowid = 1")
    refused_both_ways(
        folder, db, "the database is damaged (rows of indicator_scores have lost their department's row)"
    )


def test_a_tampered_previous_year_stops_the_batch_before_a_wrong_summary(
    folder: Path, written: Path, tmp_path: Path
) -> None:
    db = copy_of(
        written,
        tmp_path,
        "PRAGMA foreign_keys = OFF",
        "UPDATE departments SET year = 2021",
        "UPDATE departments SET total = 'abc'",
    )
    code, err = batch(folder, db)
    assert code == 1 and "the departments row of '" in err and "(2021) holds 'abc' as total" in err
    assert (
        sqlite3.connect(db).execute("SELECT count(*) FROM departments WHERE year = 2022").fetchone()[0] == 0
    )


# ---- links and other files in the database's place ----


def test_a_symbolic_link_is_never_followed_to_write(folder: Path, written: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.sqlite"
    shutil.copyfile(written, target)
    before = target.read_bytes()
    link = tmp_path / "link.sqlite"
    link.symlink_to(target)
    code, err = batch(folder, link)
    assert code == 1 and "'link.sqlite' is a symbolic link or not a regular file" in err
    assert target.read_bytes() == before
    dangling = tmp_path / "dangling.sqlite"
    dangling.symlink_to(tmp_path / "nowhere.sqlite")
    code, err = batch(folder, dangling)
    assert code == 1 and "'dangling.sqlite' is a symbolic link" in err
    assert not (tmp_path / "nowhere.sqlite").exists()
    code, out, _ = history(link)  # reading through a link writes nothing
    assert code == 0 and out.count(" · 2022 · ") == 3


def test_a_journal_that_is_a_link_is_refused(folder: Path, written: Path, tmp_path: Path) -> None:
    db = copy_of(written, tmp_path)
    (tmp_path / "copy.sqlite-journal").symlink_to(tmp_path / "victim")
    code, err = batch(folder, db)
    assert code == 1 and "'copy.sqlite-journal' is a symbolic link or not a regular file" in err
    assert not (tmp_path / "victim").exists()


def test_a_pipe_is_refused_without_waiting(folder: Path, tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.sqlite"
    os.mkfifo(pipe)
    for code, err in (batch(folder, pipe), history(pipe)[0::2]):
        assert code == 1 and f"{pipe}: is not a regular file (a" in str(err)


# ---- a database written before the mark ----


@pytest.fixture
def version_1(tmp_path: Path) -> Callable[[], Path]:
    """A database as `score batch --db` wrote it before the schema was marked (its dump, restored)."""

    def restore() -> Path:
        db = tmp_path / "v1.sqlite"
        connection = sqlite3.connect(db)
        connection.executescript((FIXTURES / "v1.sql").read_text(encoding="utf-8"))
        connection.execute("PRAGMA user_version = 1")
        connection.close()
        return db

    return restore


def marks(db: Path) -> tuple[int, int]:
    connection = sqlite3.connect(db)
    try:
        return (
            connection.execute("PRAGMA application_id").fetchone()[0],
            connection.execute("PRAGMA user_version").fetchone()[0],
        )
    finally:
        connection.close()


def test_a_database_written_before_the_mark_is_listed_as_it_is(version_1: Callable[[], Path]) -> None:
    db = version_1()
    before = db.read_bytes()
    code, out, _ = history(db)
    assert code == 0 and out.count(" · 2022 · ") == 2
    assert marks(db) == (0, 1) and db.read_bytes() == before


def test_a_database_written_before_the_mark_is_marked_when_written_to(
    folder: Path, version_1: Callable[[], Path]
) -> None:
    db = version_1()
    code, err = batch(folder, db)
    assert code == 0, err
    assert marks(db) == (SCOR, 4)  # marked, the imported tables added, the scored rows in the compact tables
    code, out, _ = history(db)
    assert code == 0 and out.count(" · 2022 · ") == 3  # the two it held, rescored, and one more
    code, err = batch(folder, db)  # and it is ours from now on
    assert code == 0, err
