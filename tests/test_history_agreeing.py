"""`score history` refuses a database whose rows are each in range but do not agree with each other: a total that
is not the sum of the scores, a score that is not its weight less its points lost, an override flag other than
0 or 1, a number not written as score writes one (-0, 09.88), a column the stored result JSON contradicts.
Exit 1, one message naming the table, the department, the year and the column."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.history_agreeing import ZDICT, connect

SCORE = [
    sys.executable,
    "-c",
    "import sys; sys.path.insert(0, sys.argv.pop(1)); import cli; cli.main()",
    str(ROOT),
]
FIRST = "(SELECT min(department) FROM departments)"
ONE = (
    f"scoring = (SELECT id FROM departments WHERE department = {FIRST}) "
    "AND indicator = (SELECT id FROM indicators WHERE indicator = 'asset_inventory')"
)


def _score(*args: str) -> tuple[int, str]:
    done = subprocess.run([*SCORE, *args], capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout + done.stderr


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("history")
    shutil.copy(ROOT / "examples" / "2022-zhengwu-fuwu.yaml", folder / "a.yaml")
    db = folder / "base.sqlite"
    code, out = _score("batch", str(folder / "a.yaml"), "--db", str(db))
    assert code == 0, out
    with sqlite3.connect(db) as connection:
        (name,) = connection.execute(f"SELECT {FIRST}").fetchone()
    connection.close()
    code, out = _score("history", "--db", str(db))
    assert code == 0 and name in out, out
    return db, name


@pytest.mark.parametrize(
    ("edit", "table", "column", "value", "other"),
    [
        (f"UPDATE departments SET total = '93.2' WHERE department = {FIRST}", "departments", "total", "93.2",
         "result_json"),
        (f"UPDATE indicator_scores SET lost = '0.5' WHERE {ONE}", "indicator_scores", "score", "1",
         "weight − lost"),
        (f"UPDATE indicator_scores SET score = '0.5', lost = '0.5' WHERE {ONE}", "indicator_scores", "score",
         "0.5", "result_json"),
        (f"UPDATE indicator_scores SET weight = '2', lost = '1' WHERE {ONE}", "indicator_scores", "weight", "2",
         "result_json"),
        (f"UPDATE departments SET grade = '良' WHERE department = {FIRST}", "departments", "grade", "良",
         "result_json"),
        ("UPDATE indicators SET name = '资产清查' WHERE indicator = 'asset_inventory'", "indicator_scores", "name",
         "资产清查",
         "result_json"),
        (f"UPDATE indicator_scores SET overridden = 1 WHERE {ONE}", "indicator_scores", "overridden", "1",
         "result_json"),
        (f"DELETE FROM indicator_scores WHERE {ONE}", "indicator_scores", "indicator", "asset_inventory",
         "result_json"),
        (f"UPDATE departments SET result_json = packed(json_set(unpacked(result_json, {ZDICT}), '$.total', 93.2), "
         f"{ZDICT}) "
         f"WHERE department = {FIRST}",
         "departments", "total", "94.20", "result_json"),
    ],
)  # fmt: skip
def test_rows_that_do_not_agree_are_refused_at_their_column(
    base: tuple[Path, str], tmp_path: Path, edit: str, table: str, column: str, value: str, other: str
) -> None:
    db, name = base
    changed = tmp_path / "h.sqlite"
    shutil.copy(db, changed)
    with connect(changed) as connection:
        connection.execute(edit)
    connection.close()
    code, out = _score("history", "--db", str(changed), "--lang", "en")
    assert code == 1 and "Traceback" not in out
    assert out.strip() == (
        f"error: {changed}: the {table} row of '{name}' (2022) holds '{value}' as {column}, which does not "
        f"agree with {other} stored with it: the database was changed by hand or by another program"
    )


@pytest.mark.parametrize(
    ("edit", "table", "column", "value"),
    [
        (f"UPDATE departments SET total = '-0' WHERE department = {FIRST}", "departments", "total", "-0"),
        (
            f"UPDATE departments SET total = '094.20' WHERE department = {FIRST}",
            "departments",
            "total",
            "094.20",
        ),
        (f"UPDATE indicator_scores SET overridden = 5 WHERE {ONE}", "indicator_scores", "overridden", "5"),
        (f"UPDATE indicator_scores SET lost = '-0' WHERE {ONE}", "indicator_scores", "lost", "-0"),
    ],
)
def test_values_score_never_writes_are_refused(
    base: tuple[Path, str], tmp_path: Path, edit: str, table: str, column: str, value: str
) -> None:
    db, name = base
    changed = tmp_path / "h.sqlite"
    shutil.copy(db, changed)
    with connect(changed) as connection:
        connection.execute(edit)
    connection.close()
    code, out = _score("history", "--db", str(changed), "--lang", "en")
    assert code == 1 and "Traceback" not in out
    assert f"the {table} row of '{name}' (2022) holds '{value}' as {column}, which score never writes" in out
