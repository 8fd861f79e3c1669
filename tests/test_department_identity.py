"""One department, one identity: a name written with a full-width space, a zero-width character, full-width
letters or a bidi mark is the same department in a batch, in the history and in an audit; it is still shown
as the department wrote it, and departments whose names differ stay apart."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from scorer.inputs.model import department_key
from tests.history_agreeing import agree

from .conftest import VALID_INPUTS

runner = CliRunner()
TABLE = Path(__file__).resolve().parent / "fixtures" / "tables" / "000_145fdbc536c66fe0.txt"
TABLE_NAME = "广州开发区穗港智造合作区管理委员会"

# The same department, as departments and bureaus have been seen to write it.
SPELLINGS = [
    "财政局\u3000",  # an ideographic space typed after it
    "\u3000财政局 ",
    "财\u200b政局",  # a zero-width space pasted from a web page
    "财\u200d政\ufeff局\u2060",
    "\u200f财政局\u202c",  # bidi marks
    "财\u00ad政局",  # a soft hyphen
    "财\ufe0f政局",  # a variation selector
]
FULL_WIDTH = ("ＡＢＣ　财政局", "ABC 财政局")  # full-width letters and space, half-width ones


def inputs(folder: Path, name: str, department: str, total_rate: str = "98.88") -> Path:
    path = folder / name
    text = VALID_INPUTS.replace("department: 测试部门", f"department: {json.dumps(department)}")
    path.write_text(text.replace("98.88", total_rate), encoding="utf-8")
    return path


@pytest.mark.parametrize("spelling", [*SPELLINGS, FULL_WIDTH[0]])
def test_the_key_of_a_spelling_is_the_key_of_the_plain_name(spelling: str) -> None:
    plain = FULL_WIDTH[1] if spelling == FULL_WIDTH[0] else "财政局"
    assert department_key(spelling) == department_key(plain) == plain


@pytest.mark.parametrize(
    ("one", "other"), [("财政局", "财政厅"), ("财政局", "財政局"), ("财 政局", "财政局")]
)
def test_different_names_stay_different(one: str, other: str) -> None:
    assert department_key(one) != department_key(other)


@pytest.mark.parametrize("spelling", [*SPELLINGS, FULL_WIDTH[0]])
def test_a_batch_refuses_the_same_department_written_another_way(tmp_path: Path, spelling: str) -> None:
    plain = FULL_WIDTH[1] if spelling == FULL_WIDTH[0] else "财政局"
    folder = tmp_path / "subs"
    folder.mkdir()
    inputs(folder, "a.yaml", plain)
    inputs(folder, "b.yaml", spelling, "50")
    result = runner.invoke(app, ["batch", str(folder), "-f", "csv"])
    assert result.exit_code == 1, result.output
    (refusal,) = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert "b.yaml:" in refusal and "is already in this batch (from " in refusal and "a.yaml)" in refusal
    ranked = [row for row in result.stdout.splitlines() if row.startswith("1,")]
    assert len(ranked) == 1 and plain in ranked[0]  # shown as the first department wrote it


def test_different_departments_are_all_ranked_in_the_order_of_their_names(tmp_path: Path) -> None:
    folder = tmp_path / "subs"
    folder.mkdir()
    inputs(
        folder, "a.yaml", "\u200b财政局"
    )  # all tied on the total: ordered by name, not by the invisible mark
    inputs(folder, "b.yaml", "审计局")
    inputs(folder, "c.yaml", "财政厅")
    result = runner.invoke(app, ["batch", str(folder), "-f", "csv"])
    assert result.exit_code == 0, result.output
    ranked = [row.split(",")[1] for row in result.stdout.splitlines() if row.startswith("1,")]
    assert ranked == ["审计局", "财政厅", "\u200b财政局"]


def test_history_lines_up_the_years_of_a_department_whatever_the_spelling(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    last_year = tmp_path / "2021"
    last_year.mkdir()
    inputs(last_year, "a.yaml", "财政局", "90")
    assert runner.invoke(app, ["batch", str(last_year), "--db", str(db)]).exit_code == 0
    with sqlite3.connect(db) as connection:  # as last year's batch would have left it
        connection.execute("UPDATE departments SET year = 2021")
        agree(connection)
    connection.close()
    this_year = tmp_path / "2022"
    this_year.mkdir()
    inputs(this_year, "a.yaml", "财\u200b政局\u3000")
    done = runner.invoke(app, ["batch", str(this_year), "--db", str(db)])
    assert done.exit_code == 0, done.output
    assert (
        ": 2021 98.72 (优) → 99.60 (优), +0.88" in done.stdout
    )  # last year's total found under the old spelling

    listed = runner.invoke(app, ["history", "--db", str(db), "-f", "json"])
    rows = json.loads(listed.stdout)
    assert [(r["year"], r["latest"]) for r in rows] == [(2021, True), (2022, True)]
    assert [r["department"] for r in rows] == ["财政局", "财\u200b政局\u3000"]  # each as it was written
    text = runner.invoke(app, ["history", "--db", str(db)]).stdout.splitlines()
    this = next(line for line in text if "2022" in line)
    assert "+" in this  # the change since 2021, on the same department's line
    found = runner.invoke(app, ["history", "财政局", "--db", str(db), "-f", "json"])
    assert found.exit_code == 0 and len(json.loads(found.stdout)) == 2


def test_a_rerun_under_another_spelling_replaces_the_department_rather_than_adding_one(
    tmp_path: Path,
) -> None:
    db = tmp_path / "h.sqlite"
    for spelling in ("财政局", "财政局\u3000"):
        folder = tmp_path / f"run-{len(spelling)}"
        folder.mkdir()
        inputs(folder, "a.yaml", spelling)
        assert runner.invoke(app, ["batch", str(folder), "--db", str(db)]).exit_code == 0
    with sqlite3.connect(db) as connection:
        stored = connection.execute("SELECT department FROM departments").fetchall()
    connection.close()
    assert stored == [("财政局\u3000",)]


def test_history_reads_a_database_without_changing_it(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    folder = tmp_path / "subs"
    folder.mkdir()
    inputs(folder, "a.yaml", "财政局")
    assert runner.invoke(app, ["batch", str(folder), "--db", str(db)]).exit_code == 0
    before = db.read_bytes()
    assert runner.invoke(app, ["history", "--db", str(db)]).exit_code == 0
    assert db.read_bytes() == before
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    done = runner.invoke(app, ["history", "--db", str(empty)])
    assert done.exit_code == 1 and f"{empty}: holds no history yet" in done.stderr
    assert empty.read_bytes() == b""  # an empty file stays empty: reading never writes a schema


@pytest.mark.parametrize("spelling", [f"{TABLE_NAME}\u3000", f"{TABLE_NAME[:4]}\u200b{TABLE_NAME[4:]}"])
def test_an_audit_takes_one_table_per_department_and_year(tmp_path: Path, spelling: str) -> None:
    first = tmp_path / "first.txt"
    first.write_text(TABLE.read_text(encoding="utf-8"), encoding="utf-8")
    again = tmp_path / "again.txt"
    again.write_text(
        TABLE.read_text(encoding="utf-8").replace(f"\t{TABLE_NAME}\t", f"\t{spelling}\t"), "utf-8"
    )
    done = runner.invoke(app, ["audit", str(first), str(again), "-f", "json"])
    assert done.exit_code == 1
    data = json.loads(done.stdout)
    assert [table["path"] for table in data["tables"]] == [str(first)]
    (refusal,) = data["refused"]
    assert refusal["path"] == str(again) and f"(from {first})" in refusal["message"]


def test_an_audit_of_two_departments_audits_both(tmp_path: Path) -> None:
    first = tmp_path / "first.txt"
    first.write_text(TABLE.read_text(encoding="utf-8"), encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text(TABLE.read_text(encoding="utf-8").replace(TABLE_NAME, "另一个委员会"), encoding="utf-8")
    done = runner.invoke(app, ["audit", str(first), str(other), "-f", "json"])
    data = json.loads(done.stdout)
    assert len(data["tables"]) == 2 and not data["refused"]


def test_a_database_whose_rows_were_changed_by_hand_is_refused_not_a_crash(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    folder = tmp_path / "subs"
    folder.mkdir()
    inputs(folder, "a.yaml", "财政局")
    assert runner.invoke(app, ["batch", str(folder), "--db", str(db)]).exit_code == 0
    with sqlite3.connect(db) as connection:  # a department's row moved to 2021, its result left in 2022
        connection.execute("UPDATE departments SET year = 2021")
    connection.close()
    done = runner.invoke(app, ["batch", str(folder), "--db", str(db)])
    assert done.exit_code == 1
    assert done.stderr.startswith(
        f"error: {db}: the departments row of '财政局' (2021) holds '2021' as year, which does not agree with "
        "result_json stored with it"
    )
