"""`score batch`: forty departments written by examples/batch/make_departments.py, two of them broken, scored in
one command; the summary's numbers are checked against the per-department results (JSON Lines), which are
themselves checked against `score run -f json` on each file."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from scorer.render.json_result import as_dict
from scorer.run import score_file
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "examples" / "batch"))
import make_departments  # noqa: E402

BROKEN = {"013.yaml", "027.yaml"}


def score(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SCORE_LANG": "en"}
    return subprocess.run(
        [sys.executable, "-m", "scorer", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def bureau(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The forty departments scored once into every format, with a history database."""
    folder = tmp_path_factory.mktemp("bureau")
    made = make_departments.departments(40, 2)
    make_departments.write(folder / "inputs", made)
    out = ["-o", "summary.jsonl", "-o", "summary.html", "-o", "summary.xlsx", "-o", "summary.csv"]
    done = score("batch", "inputs", "--rules", "2022", *out, "--db", "h.sqlite", "--sheets", cwd=folder)
    lines = (folder / "summary.jsonl").read_text(encoding="utf-8").splitlines()
    return {"folder": folder, "made": made, "done": done, "results": [json.loads(line) for line in lines]}


def test_the_batch_scores_38_lists_2_refusals_and_exits_1(bureau: dict[str, Any]) -> None:
    done = bureau["done"]
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    refused = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(refused) == 2
    assert "inputs/013.yaml:5: [budget_execution] execution_rate:" in refused[0]
    assert "inputs/027.yaml:5: [contract_filing_timeliness] contracts_total:" in refused[1]
    assert len(bureau["results"]) == 38
    for name in ("summary.jsonl", "summary.html", "summary.xlsx", "summary.csv"):
        assert (bureau["folder"] / name).is_file()


def test_each_jsonl_line_is_what_score_run_writes_for_that_file(bureau: dict[str, Any]) -> None:
    folder = bureau["folder"]
    files = sorted(p for p in (folder / "inputs").glob("*.yaml") if p.name not in BROKEN)
    assert [r["department"] for r in bureau["results"]] == [
        m["department"] for i, m in enumerate(bureau["made"], 1) if f"{i:03d}.yaml" not in BROKEN
    ]  # input order
    for path, line in zip(files, bureau["results"], strict=True):
        result, _ = score_file(path, "2022")
        assert line == json.loads(json.dumps(as_dict(result, "en")))
    for index in (0, 20):  # and through the real command, as a user would
        shown = score("run", str(files[index]), "--rules", "2022", "-f", "json", cwd=folder)
        assert json.loads(shown.stdout) == bureau["results"][index]
    first = (folder / "summary.jsonl").read_text(encoding="utf-8").splitlines()[0]
    assert list(json.loads(first)) == list(as_dict(score_file(files[0], "2022")[0], "en"))  # key order


def _ranking(results: list[dict[str, Any]]) -> list[tuple[int, str, Decimal]]:
    """An independent ranking: competition ranks over the totals, ties by name."""
    ordered = sorted(results, key=lambda r: (-Decimal(str(r["total"])), r["department"]))
    out, rank = [], 0
    for position, r in enumerate(ordered, 1):
        total = Decimal(str(r["total"]))
        if not out or out[-1][2] != total:
            rank = position
        out.append((rank, r["department"], total))
    return out


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, str]] = []
        self.bars: dict[str, str] = {}
        self.links: list[str] = []
        self.data = ""
        self._in_data = False
        self.cells: list[list[str]] = []
        self._in_row = self._in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "tr" and a.get("class") == "rank-row":
            self.rows.append(a)
            self.cells.append([])
            self._in_row = True
        if tag == "td" and self._in_row:
            self._in_cell = True
            self.cells[-1].append("")
        if tag == "g" and "data-grade" in a:
            self.bars[a["data-grade"]] = a["data-count"]
        if tag == "script" and a.get("id") == "batch-data":
            self._in_data = True
        self.links += [v for k, v in a.items() if k in ("src", "href")]

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_data = False
        if tag == "tr":
            self._in_row = False
        if tag == "td":
            self._in_cell = False

    def handle_data(self, data: str) -> None:
        if self._in_data:
            self.data += data
        if self._in_cell:
            self.cells[-1][-1] += data


def page(path: Path) -> _Page:
    parsed = _Page()
    parsed.feed(path.read_text(encoding="utf-8"))
    return parsed


def test_the_html_report_shows_the_results_numbers(bureau: dict[str, Any]) -> None:
    results = bureau["results"]
    parsed = page(bureau["folder"] / "summary.html")
    expected = _ranking(results)
    assert [
        (int(r["data-rank"]), r["data-department"], Decimal(r["data-total"])) for r in parsed.rows
    ] == expected
    by_name = {r["department"]: r for r in results}
    for row, cells in zip(parsed.rows, parsed.cells, strict=True):
        assert Decimal(cells[2]) == Decimal(str(by_name[row["data-department"]]["total"]))  # the shown text
        assert row["data-grade"] == cells[3] == by_name[row["data-department"]]["grade"]
    grades = Counter(r["grade"] for r in results)
    assert {g: int(c) for g, c in parsed.bars.items()} == {
        g: grades.get(g, 0) for g in ("优", "良", "中", "差")
    }
    data = json.loads(parsed.data)
    assert data["scored"] == 38 and data["refused"] == 2
    assert [(e["rank"], e["department"], Decimal(str(e["total"]))) for e in data["ranking"]] == expected
    assert parsed.links == []  # nothing fetched


def test_losses_per_indicator_add_up_from_the_results(bureau: dict[str, Any]) -> None:
    counts: Counter[str] = Counter()
    points: dict[str, Decimal] = {}
    for r in bureau["results"]:
        for i in r["indicators"]:
            if i["lost"] > 0:
                counts[i["id"]] += 1
                points[i["id"]] = points.get(i["id"], Decimal(0)) + Decimal(str(i["lost"]))
    data = json.loads(page(bureau["folder"] / "summary.html").data)
    assert {x["id"]: (x["departments"], Decimal(str(x["points"]))) for x in data["losses"]} == {
        k: (counts[k], points[k]) for k in counts
    }


def test_the_csv_ranking_opens_in_excel(bureau: dict[str, Any]) -> None:
    raw = (bureau["folder"] / "summary.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM that tells Excel it is UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Rank", "Department", "Total", "Grade"]
    assert [(int(r[0]), r[1], Decimal(r[2])) for r in rows[1:]] == _ranking(bureau["results"])


def test_the_workbook_has_summary_ranking_losses_and_each_table(bureau: dict[str, Any]) -> None:
    from openpyxl import load_workbook

    book = load_workbook(bureau["folder"] / "summary.xlsx")
    assert book.sheetnames[:4] == ["Summary", "Ranking", "Losses", "Sources"]
    assert len(book.sheetnames) == 4 + 38  # --sheets: each department's 自评表
    ranking = book["Ranking"]
    values = [(r[0], r[1], Decimal(str(r[2]))) for r in ranking.iter_rows(min_row=2, values_only=True)]
    assert values == _ranking(bureau["results"])
    first = book[book.sheetnames[4]]
    assert first.title.startswith("1 ")
    cells = [c for row in first.iter_rows(values_only=True) for c in row if c is not None]
    top = _ranking(bureau["results"])[0]
    assert top[1] in cells and float(top[2]) in cells  # the official layout's department and total
    assert any(isinstance(c, str) and "Self-evaluation" in c for c in cells)


def test_the_history_database_holds_one_row_per_department_and_indicator(bureau: dict[str, Any]) -> None:
    import sqlite3

    db = sqlite3.connect(bureau["folder"] / "h.sqlite")
    assert db.execute("SELECT count(*) FROM departments").fetchone()[0] == 38
    assert db.execute("SELECT count(*) FROM indicator_scores").fetchone()[0] == 38 * 26
    totals = dict(db.execute("SELECT department, total FROM departments").fetchall())
    assert {k: Decimal(v) for k, v in totals.items()} == {
        r["department"]: Decimal(str(r["total"])) for r in bureau["results"]
    }
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_the_same_departments_from_jsonl_and_csv_score_the_same(
    bureau: dict[str, Any], tmp_path: Path
) -> None:
    make_departments.write(tmp_path / "d.jsonl", bureau["made"])
    make_departments.write(tmp_path / "d.csv", bureau["made"])
    for name, refused_at in (
        ("d.jsonl", ("d.jsonl:13:", "d.jsonl:27:")),
        ("d.csv", ("d.csv:14:", "d.csv:28:")),
    ):
        done = score("batch", name, "--rules", "2022", "-f", "jsonl", cwd=tmp_path)
        assert done.returncode == 1
        assert [json.loads(line) for line in done.stdout.splitlines()] == bureau["results"]
        for place in refused_at:
            assert place in done.stderr


def test_two_processes_give_the_same_output_in_the_same_order(bureau: dict[str, Any], tmp_path: Path) -> None:
    make_departments.write(tmp_path / "d.jsonl", make_departments.departments(300, 3))
    one = score("batch", "d.jsonl", "-f", "jsonl", cwd=tmp_path)
    two = score("batch", "d.jsonl", "-f", "jsonl", "--jobs", "2", cwd=tmp_path)
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout and one.stdout.count("\n") == 297
    assert one.stderr == two.stderr


def test_all_scored_exits_0(tmp_path: Path) -> None:
    make_departments.write(tmp_path / "d", make_departments.departments(5, 0))
    # two departments (not 穗港智造's second inputs file)
    pattern = str(ROOT / "examples" / "2022-*-[fz]*.yaml")
    done = score("batch", "d", pattern, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "7 departments scored, 0 refused" in done.stdout


def test_a_deduction_beyond_the_weight_is_noted_in_every_summary(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from tests.conftest import VALID_INPUTS

    (tmp_path / "a.yaml").write_text(VALID_INPUTS, encoding="utf-8")
    slip = VALID_INPUTS.replace("department: ", "department: 误填", 1) + (
        "  budget_disclosure:\n    deductions:\n      - {points: 30, reason: 公开不及时}\n"
    )  # 30 typed for 3.0: more than the row's 2 points
    (tmp_path / "b.yaml").write_text(slip, encoding="utf-8")
    outputs = ["-o", "s.csv", "-o", "s.html", "-o", "s.xlsx", "-o", "s.txt"]
    done = score("batch", "a.yaml", "b.yaml", "--rules", "2022", *outputs, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO((tmp_path / "s.csv").read_text(encoding="utf-8-sig"))))
    notes = {row["Department"]: row["Notes"] for row in rows}
    slipped = next(name for name in notes if name.startswith("误填"))
    assert notes[slipped] == "1" and set(notes.values()) == {"0", "1"}
    assert all(re.fullmatch(r"\d+\.\d\d", row["Total"]) and re.fullmatch(r"\d+\.\d\d", row["Budget execution"])
               for row in rows)  # fmt: skip
    html = (tmp_path / "s.html").read_text(encoding="utf-8")
    listed = html[html.index('id="notes"') :]
    assert slipped in listed and "the row scores 0" in listed
    book = load_workbook(tmp_path / "s.xlsx")
    texts = [str(c.value) for row in book["Notes"].iter_rows() for c in row if c.value is not None]
    assert slipped in texts and any("the row scores 0" in text for text in texts)
    text = (tmp_path / "s.txt").read_text(encoding="utf-8")
    assert "Notes on the scores (1 departments" in text and "the row scores 0" in text


def test_the_frequent_reasons_keep_the_year_and_leave_out_the_departments_numbers(
    tmp_path: Path, rules_2022: Any
) -> None:
    from scorer.batch.summary import Summary
    from tests.conftest import VALID_INPUTS

    (tmp_path / "a.yaml").write_text(VALID_INPUTS, encoding="utf-8")  # 9 of 11 contracts filed on time
    result, _ = score_file(tmp_path / "a.yaml", "2022")
    for lang, start in (("zh", "2022年共签订…份合同，其中…份"), ("en", "In 2022, … contracts were signed")):
        summary = Summary(rules_2022, lang)
        summary.add(result, "a.yaml")
        ((reason, count),) = summary.losses["contract_filing_timeliness"].top()
        assert reason.startswith(start) and count == 1
