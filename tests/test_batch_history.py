"""The history database: one row per department × year × rules and one per indicator score, idempotent on re-run,
consistent after an interrupted batch, compared with the previous year in the summary, listed by `score history`."""

from __future__ import annotations

import json
import sqlite3
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from scorer.batch import history
from scorer.batch.run import BatchRun, run_batch
from scorer.rules.model import RuleSet
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "examples" / "batch"))
import make_departments  # noqa: E402

from tests.history_agreeing import agree

runner = CliRunner()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    make_departments.write(tmp_path / "d", make_departments.departments(12, 0))
    return tmp_path / "d"


def scored_as_last_year(folder: Path, db: Path, rules: RuleSet) -> sqlite3.Connection:
    """`folder` scored into `db` and moved to 2021, as last year's batch would have left it; an open connection
    to it for the test's own changes to that year."""
    run_batch([folder], rules, "en", BatchRun(db=db))
    connection = sqlite3.connect(db)
    with connection:
        connection.execute("UPDATE departments SET year = 2021")
        agree(connection)
    return connection


def counts(db: Path) -> tuple[int, int]:
    connection = sqlite3.connect(db)
    try:
        return (
            connection.execute("SELECT count(*) FROM departments").fetchone()[0],
            connection.execute("SELECT count(*) FROM indicator_scores").fetchone()[0],
        )
    finally:
        connection.close()


def test_a_rerun_changes_nothing(folder: Path, tmp_path: Path, rules_2022: RuleSet) -> None:
    db = tmp_path / "h.sqlite"
    run_batch([folder], rules_2022, "en", BatchRun(db=db))
    first = (
        sqlite3.connect(db)
        .execute("SELECT department, year, total, grade FROM departments ORDER BY 1")
        .fetchall()
    )
    run_batch([folder], rules_2022, "en", BatchRun(db=db))
    assert counts(db) == (12, 12 * 26)
    again = (
        sqlite3.connect(db)
        .execute("SELECT department, year, total, grade FROM departments ORDER BY 1")
        .fetchall()
    )
    assert again == first


def test_an_interrupted_batch_leaves_whole_departments_only(
    folder: Path, tmp_path: Path, rules_2022: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "h.sqlite"
    monkeypatch.setattr(history.Writer, "BATCH", 5)
    real_add = history.Writer.add
    written = []

    def failing_add(self: history.Writer, result: object, source: str, *line: str | None) -> None:
        if len(written) == 7:  # in the middle of the second transaction, after its department row
            self.connection.execute("INSERT INTO departments (department) VALUES ('half')")
        real_add(self, result, source, *line)  # type: ignore[arg-type]
        written.append(source)

    monkeypatch.setattr(history.Writer, "add", failing_add)
    with pytest.raises(sqlite3.IntegrityError):
        run_batch([folder], rules_2022, "en", BatchRun(db=db))
    assert counts(db) == (5, 5 * 26)  # the first transaction, whole; nothing of the second
    connection = sqlite3.connect(db)
    orphans = connection.execute(
        "SELECT count(*) FROM departments d WHERE (SELECT count(*) FROM indicator_scores i WHERE "
        "i.scoring = d.id) != 26"
    ).fetchone()[0]
    assert orphans == 0
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_the_summary_compares_with_the_previous_year(
    folder: Path, tmp_path: Path, rules_2022: RuleSet
) -> None:
    db = tmp_path / "h.sqlite"
    # Last year, as the database would hold it: the same departments, one indicator lower for the first.
    connection = scored_as_last_year(folder, db, rules_2022)
    with connection:
        name, total = connection.execute(
            "SELECT department, total FROM departments ORDER BY 1 LIMIT 1"
        ).fetchone()
        connection.execute(
            "UPDATE indicator_scores SET score = '1.5' WHERE scoring = (SELECT id FROM departments WHERE "
            "department = ?) AND indicator = (SELECT id FROM indicators WHERE indicator = 'ex_ante_evaluation')",
            (name,),
        )
        connection.execute("UPDATE departments SET total = ?, grade = '良' WHERE department = ?",
                           (str(Decimal(total) - Decimal("1.5")), name))  # fmt: skip
        agree(connection)
    connection.close()
    summary = run_batch([folder], rules_2022, "en", BatchRun(db=db))
    entry = next(e for e in summary.entries if e.department == name)
    assert entry.previous is not None and entry.previous.year == 2021 and entry.previous.grade == "良"
    assert entry.change == Decimal("1.5")
    assert [(m.id, m.before, m.after) for m in entry.previous.moved] == [
        ("ex_ante_evaluation", Decimal("1.5"), Decimal("3"))
    ]
    others = [e for e in summary.entries if e.department != name]
    assert all(e.change == 0 and e.previous and e.previous.moved == () for e in others)
    assert counts(db) == (24, 24 * 26)  # both years kept


def test_score_history_lists_departments_and_one_in_detail(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    done = runner.invoke(app, ["batch", str(folder), "--db", str(db), "-o", str(tmp_path / "s.txt")])
    assert done.exit_code == 0, done.output
    listing = runner.invoke(app, ["history", "--db", str(db)])
    assert listing.exit_code == 0
    assert listing.output.count(" · 2022 · ") == 12
    name = make_departments.departments(12, 0)[0]["department"]
    detail = runner.invoke(app, ["history", name, "--db", str(db), "-f", "json"])
    assert detail.exit_code == 0
    (row,) = json.loads(detail.output)
    assert row["department"] == name and len(row["indicators"]) == 26
    missing = runner.invoke(app, ["history", name[:-1], "--db", str(db)])
    assert missing.exit_code == 1 and name in missing.output  # did you mean


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path, folder: Path) -> None:
    bad = tmp_path / "h.sqlite"
    bad.write_text("not a database", encoding="utf-8")
    done = runner.invoke(app, ["batch", str(folder), "--db", str(bad)])
    assert done.exit_code == 1
    assert "not a usable history database" in done.output


def test_the_same_department_twice_in_a_batch_is_refused_not_overwritten(
    folder: Path, tmp_path: Path, rules_2022: RuleSet
) -> None:
    import yaml

    files = sorted(folder.glob("*.yaml"))
    data = yaml.safe_load(files[0].read_text(encoding="utf-8"))
    data["indicators"]["budget_execution"] = {
        "execution_rate": 50
    }  # another total, so an overwrite would show
    copy = tmp_path / "again.jsonl"
    copy.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
    db = tmp_path / "h.sqlite"
    summary = run_batch([folder, copy], rules_2022, "en", BatchRun(db=db))
    assert len(summary.entries) == 12 and counts(db) == (12, 12 * 26)
    (refusal,) = summary.refusals
    message = str(refusal.problems[0])
    assert "again.jsonl:1: " in message
    assert data["department"] in message and files[0].name in message  # both sources named
    stored = (
        sqlite3.connect(db)
        .execute("SELECT source FROM departments WHERE department = ?", (data["department"],))
        .fetchall()
    )
    assert len(stored) == 1 and files[0].name in stored[0][0]  # the first one kept, not the last


def test_a_year_re_scored_under_revised_rules_still_compares_with_the_year_before(
    folder: Path, tmp_path: Path, rules_2022: RuleSet
) -> None:
    db = tmp_path / "h.sqlite"
    run_batch([folder], rules_2022, "en", BatchRun(db=db))
    connection = sqlite3.connect(db)
    with (
        connection
    ):  # what the database holds: 2021 once; 2022 scored under other rules, earlier, 1 point lower
        name, total = connection.execute(
            "SELECT department, total FROM departments ORDER BY 1 LIMIT 1"
        ).fetchone()
        connection.execute("UPDATE departments SET scored_at = '2020-01-01T00:00:00+00:00'")
        connection.execute(
            "INSERT INTO departments (department, year, rules_digest, rules_year, total, max, grade, source, "
            "engine_version, scored_at, zdict, result_json) SELECT department, 2021, rules_digest, rules_year, ?, max, "
            "grade, source, engine_version, '2019-06-01T00:00:00+00:00', zdict, result_json FROM departments "
            "WHERE department = ?",
            (str(Decimal(total) - 2), name),
        )
        connection.execute(
            "INSERT INTO indicator_scores SELECT (SELECT id FROM departments WHERE department = ? AND year = 2021), "
            "position, indicator, weight, score, lost, overridden FROM indicator_scores "
            "WHERE scoring = (SELECT id FROM departments WHERE department = ? AND year = 2022)",
            (name, name),
        )
        connection.execute(
            "UPDATE departments SET rules_digest = 'sha256:0000000000000000', total = ? WHERE department = ? AND year = 2022",
            (str(Decimal(total) - 1), name),
        )
        agree(connection, total_from_scores=False)
    connection.close()
    summary = run_batch([folder], rules_2022, "en", BatchRun(db=db))  # 2022 again, under today's rules
    entry = next(e for e in summary.entries if e.department == name)
    assert entry.previous is not None and entry.previous.year == 2021 and entry.change == 2
    listing = runner.invoke(app, ["history", name, "--db", str(db), "--lang", "en"]).output.splitlines()
    rows = [line for line in listing if line.startswith(name)]
    assert len(rows) == 3
    assert " · 2021 · " in rows[0] and " · 2022 · " in rows[1] and " · 2022 · " in rows[2]
    assert " · +1.00 · " in rows[1] and "re-scored" in rows[1]  # the earlier 2022 scoring, against 2021
    assert " · +2.00 · " in rows[2] and "latest" in rows[2]  # the latest, against 2021, not against 2022
    assert " · 2019-0" in rows[0] and "T00:00" not in rows[0]  # in local time, to the minute
    data = json.loads(runner.invoke(app, ["history", name, "--db", str(db), "-f", "json"]).output)
    assert [row["latest"] for row in data] == [True, False, True]


def test_the_workbook_prints_on_a4_across_and_keeps_the_change_a_number(
    folder: Path, tmp_path: Path, rules_2022: RuleSet
) -> None:
    from openpyxl import load_workbook

    db = tmp_path / "h.sqlite"
    connection = scored_as_last_year(folder, db, rules_2022)
    with connection:  # last year: every department one point lower
        connection.execute("UPDATE departments SET total = total - 1")
        agree(connection, total_from_scores=False)
    connection.close()
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"department": "坏", "year": 2022, "indicators": {"budget_execution": {}}}\n', "utf-8")
    out = tmp_path / "s.xlsx"
    done = runner.invoke(
        app, ["batch", str(folder), str(broken), "--db", str(db), "-o", str(out), "--lang", "en"]
    )
    assert done.exit_code == 1, done.output
    book = load_workbook(out)
    for sheet in book.worksheets:
        assert (
            sheet.page_setup.orientation == "landscape"
            and str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
        )
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
        assert sheet.page_setup.fitToHeight == 0  # as many pages down as needed
    assert book["Ranking"].print_title_rows == "$1:$1" and book["Losses"].print_title_rows == "$1:$1"
    ranking = book["Ranking"]
    heads = [c.value for c in ranking[1]]
    change = heads.index("Change") + 1
    cells = [ranking.cell(row=r, column=change) for r in range(2, ranking.max_row + 1)]
    assert all(c.value == 1 and c.number_format.startswith("+0.00") for c in cells)  # a number, shown +1.00
    assert ranking.cell(row=1, column=heads.index("Total") + 1).alignment.horizontal == "right"
    assert ranking.cell(row=1, column=heads.index("Department") + 1).alignment.horizontal != "right"
    summary = book["Sources"]  # the messages name files: off the leaders' sheets
    refused = next(
        c
        for row in summary.iter_rows()
        for c in row
        if isinstance(c.value, str) and "broken.jsonl:1" in c.value
    )
    assert refused.alignment.wrap_text and any(
        str(m).startswith(refused.coordinate) for m in summary.merged_cells.ranges
    )
    assert (summary.row_dimensions[refused.row].height or 0) >= 15


def test_generated_departments_have_distinct_names_and_say_which_are_broken() -> None:
    many = [d["department"] for d in make_departments.departments(85, 0)]
    assert len(set(many)) == 85
    other = {
        d["department"] for d in make_departments.departments(40, 0, seed=7, district="示例二区", year=2023)
    }
    assert not other & set(many) and all(
        d["year"] == 2023 for d in make_departments.departments(3, 0, year=2023)
    )
    made = make_departments.departments(40, 2)
    broken = make_departments.broken_ones(40, 2)
    assert [number for number, _ in broken] == [13, 27]
    assert made[12]["indicators"]["budget_execution"]["execution_rate"] == "很高"
    assert "contracts_total" not in made[26]["indicators"]["contract_filing_timeliness"]
