"""The history database of schema version 4 (scorer/batch/history_schema.py): a department in a few kilobytes (the
indicators once by id, the result JSON compressed against a dictionary the database keeps), an older database
migrated in one transaction when next written and listed exactly as before, and every row of the new tables
checked as the old ones were: a dictionary, a compressed result or an indicator changed, removed or planted is
refused with a message naming the file, exit 1."""

from __future__ import annotations

import shutil
import sqlite3
import sys
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from scorer.batch import history_schema
from tests.conftest import ROOT
from tests.history_agreeing import agree, connect

sys.path.insert(0, str(ROOT / "examples" / "batch"))
import make_departments  # noqa: E402

V1 = Path(__file__).resolve().parent / "fixtures" / "history" / "v1.sql"
SCOR = 0x53434F52
COUNT = 40
runner = CliRunner()


def score(*args: str) -> tuple[int, str, str]:
    done = runner.invoke(app, list(args))
    assert "Traceback" not in done.output and "internal error" not in done.output
    return done.exit_code, done.stdout, done.stderr


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("compact")
    make_departments.write(folder / "d", make_departments.departments(COUNT, 0))
    db = folder / "h.sqlite"
    code, _, err = score("batch", str(folder / "d"), "--db", str(db), "-o", str(folder / "s.txt"))
    assert code == 0, err
    return db


def tables(db: Path) -> set[str]:
    with sqlite3.connect(db) as connection:
        return {name for (name,) in connection.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}


def test_a_department_takes_a_few_kilobytes(written: Path) -> None:
    assert written.stat().st_size / COUNT < 5000  # the target: 5 KB a department; version 3 took some 19 KB
    with sqlite3.connect(written) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 4
        assert connection.execute("SELECT count(*) FROM dictionaries").fetchone()[0] == 1
        assert (
            connection.execute("SELECT count(*) FROM indicators").fetchone()[0] == 26
        )  # once, not per department
        assert connection.execute("SELECT count(*) FROM indicator_scores").fetchone()[0] == COUNT * 26
        assert (
            connection.execute("SELECT typeof(result_json) FROM departments LIMIT 1").fetchone()[0] == "blob"
        )
    assert tables(written) == {"dictionaries", "departments", "indicators", "indicator_scores", "imported_tables",
                               "imported_rows"}  # fmt: skip


def restored_v1(tmp_path: Path) -> Path:
    db = tmp_path / "v1.sqlite"
    connection = sqlite3.connect(db)
    connection.executescript(V1.read_text(encoding="utf-8"))
    connection.execute("PRAGMA user_version = 1")
    connection.close()
    return db


def test_an_old_database_is_listed_exactly_as_before_once_migrated(tmp_path: Path) -> None:
    db = restored_v1(tmp_path)
    with sqlite3.connect(db) as connection:
        names = [name for (name,) in connection.execute("SELECT department FROM departments ORDER BY 1")]
    before = [
        score("history", "--db", str(db), name, *form) for name in names for form in ((), ("-f", "json"))
    ]
    other = tmp_path / "other.yaml"  # a department the old database does not hold: written, so migrated
    shutil.copy(ROOT / "examples" / "2022-suigang-zhizao.yaml", other)
    code, _, err = score("batch", str(other), "--db", str(db), "-o", str(tmp_path / "s.txt"))
    assert code == 0, err
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 4
        assert connection.execute("SELECT typeof(result_json) FROM departments").fetchall() == [("blob",)] * 3
    assert tables(db) == {"dictionaries", "departments", "indicators", "indicator_scores", "imported_tables",
                          "imported_rows"}  # fmt: skip
    after = [
        score("history", "--db", str(db), name, *form) for name in names for form in ((), ("-f", "json"))
    ]
    assert after == before and all(code == 0 for code, _, _ in after)


def test_a_migration_that_fails_leaves_the_database_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = restored_v1(tmp_path)
    before = db.read_bytes()
    moved = history_schema._to_version_4

    def failing(connection: sqlite3.Connection) -> None:
        moved(connection)  # every table moved, then the disk fails
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(history_schema, "_to_version_4", failing)
    code, _, err = score("batch", str(ROOT / "examples" / "2022-suigang-zhizao.yaml"), "--db", str(db))
    assert code == 1 and f"{db}: " in err and "disk I/O error" in err
    assert db.read_bytes() == before
    assert tables(db) == {"departments", "indicator_scores"}


def bomb() -> bytes:
    squeezing = zlib.compressobj()
    return squeezing.compress(b" " * (64 << 20)) + squeezing.flush()  # 64 MB of spaces in some 64 KB


ROWS = [  # each value checked when it is read: by `score history`, and by `score batch` for a previous year
    (["UPDATE dictionaries SET zdict = X'00'"], "as result_json, which score never writes"),
    (["UPDATE dictionaries SET zdict = 'x'"], "as result_json, which score never writes"),
    (
        ["INSERT INTO dictionaries VALUES (2, zeroblob(100))", "UPDATE departments SET zdict = 2"],
        "as result_json, which score never writes",
    ),
    (["UPDATE dictionaries SET zdict = zeroblob(100000000)"], "as result_json, which score never writes"),
    (["UPDATE departments SET result_json = '{}'"], "holds '{}' as result_json, which score never writes"),
    (["UPDATE departments SET result_json = ?"], "as result_json, which score never writes"),  # the bomb
    (["UPDATE departments SET result_json = X'789c'"], "as result_json, which score never writes"),
    (
        ["UPDATE indicators SET level2 = '整体'"],
        "holds '整体' as level2, which does not agree with result_json",
    ),
    (
        [
            "INSERT INTO indicator_scores SELECT scoring, 99, indicator, weight, score, lost, overridden "
            "FROM indicator_scores WHERE position = 1"
        ],
        "as indicator, which does not agree with result_json",
    ),  # fmt: skip
    (  # the second row listed last: the result's order is the rows' order
        ["UPDATE indicator_scores SET position = 40 WHERE position = 2"],
        "as indicator, which does not agree with result_json",
    ),
]
SCHEMA = [  # refused on opening, by every command
    (["DELETE FROM indicators WHERE id = 3"], "rows of indicator_scores have lost the indicators row"),
    (["DELETE FROM dictionaries"], "rows of departments have lost the dictionaries row"),
    (
        ["CREATE TRIGGER t AFTER INSERT ON dictionaries BEGIN DELETE FROM dictionaries; END"],
        "it holds the trigger 't', which score never makes",
    ),
    (["CREATE INDEX by_name ON indicators (name)"], "it holds the index 'by_name'"),
    (["DROP TABLE dictionaries"], "dictionaries"),
]


def changed(written: Path, tmp_path: Path, statements: list[str], *, last_year: bool = False) -> Path:
    db = tmp_path / "h.sqlite"
    shutil.copyfile(written, db)
    with connect(db) as connection:
        if last_year:  # as last year's batch would have left it, every row agreeing
            connection.execute("UPDATE departments SET year = 2021")
            agree(connection)
        connection.execute("PRAGMA foreign_keys = OFF")
        for statement in statements:
            connection.execute(statement, (bomb(),) if "?" in statement else ())
    connection.close()
    return db


@pytest.mark.parametrize(("statements", "words"), ROWS + SCHEMA)
def test_a_changed_compact_row_is_refused(
    written: Path, tmp_path: Path, statements: list[str], words: str
) -> None:
    db = changed(written, tmp_path, statements)
    before = db.read_bytes()
    code, out, err = score("history", "--db", str(db))
    assert code == 1 and out == "" and f"{db}: " in err and words in err, err
    if (statements, words) in SCHEMA:
        code, _, err = score("batch", str(ROOT / "examples" / "2022-zhengwu-fuwu.yaml"), "--db", str(db))
        assert code == 1 and f"{db}: " in err and words in err, err
    assert db.read_bytes() == before


@pytest.mark.parametrize(("statements", "words"), ROWS)
def test_a_changed_previous_year_stops_the_batch(
    written: Path, tmp_path: Path, statements: list[str], words: str
) -> None:
    db = changed(written, tmp_path, statements, last_year=True)
    folder = tmp_path / "d"
    make_departments.write(folder, make_departments.departments(COUNT, 0, seed=8))
    code, _, err = score("batch", str(folder), "--db", str(db), "-o", str(tmp_path / "s.txt"))
    assert code == 1 and f"{db}: " in err and words in err, err
