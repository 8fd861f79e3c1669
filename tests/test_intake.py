"""Every submission form in one batch: a folder of 60 mixed submissions (tests/submissions_folder.py) scored in one
run, each 自评表 re-scored from the facts it states, nothing passed over in silence."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from cli import app
from tests.submissions_folder import Folder, make

runner = CliRunner()


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Folder]:
    folder = tmp_path_factory.mktemp("district") / "各部门"
    return folder, make(folder)


def _ranking(csv_text: str) -> dict[str, tuple[Decimal, str]]:
    rows = list(csv.reader(io.StringIO(csv_text)))
    head = rows[0]
    ranked = rows[1 : rows.index([]) if [] in rows else len(rows)]
    at = {name: head.index(name) for name in ("Department", "Total", "Own total")}
    return {r[at["Department"]]: (Decimal(r[at["Total"]]), r[at["Own total"]]) for r in ranked}


def test_a_folder_of_every_form_is_scored_in_one_run_with_nothing_skipped(
    district: tuple[Path, Folder], tmp_path: Path
) -> None:
    folder, made = district
    out = tmp_path / "summary"
    done = runner.invoke(
        app, ["batch", str(folder), "-o", f"{out}.csv", "-o", f"{out}.html", "-o", f"{out}.xlsx"]
    )
    assert done.exit_code == 1, done.output  # the broken files and the second spellings are refused
    assert made.files == 60 and len(made.ranked) == 61
    ranking = _ranking(Path(f"{out}.csv").read_text(encoding="utf-8-sig"))
    # Every department, whatever form it came in, ranked once with the total its facts give under the rules;
    # a 自评表's own total printed beside the recomputed one.
    assert {name: total for name, (total, _) in ranking.items()} == made.ranked
    stated = {name: own for name, (_, own) in ranking.items() if own}
    assert len(stated) == 12 + 8 and all(Decimal(own) == made.ranked[name] for name, own in stated.items())
    for name in made.refused:
        assert f"{name}:" in done.stderr
    assert "4 departments refused (61 scored and written)" in done.stderr
    assert "(from " in done.stderr  # a second spelling names the first copy
    for name in made.others:  # listed with why, on the terminal and in every summary
        assert any(name in line and line.startswith("not read: ") for line in done.stderr.splitlines())
        assert name in Path(f"{out}.csv").read_text(encoding="utf-8-sig")
    assert "save it as .xlsx" in done.stderr and "3 files are no submission" in done.stderr
    page = Path(f"{out}.html").read_text(encoding="utf-8")
    data = json.loads(page.split('id="batch-data">')[1].split("</script>")[0])
    assert sorted(Path(o["place"]).name for o in data["others"]) == sorted(made.others)
    book = openpyxl.load_workbook(f"{out}.xlsx")
    texts = [str(c.value) for row in book.worksheets[0].iter_rows() for c in row if c.value]
    assert sum(any(name in text for text in texts) for name in made.others) == 3


def test_worker_processes_rank_the_same(district: tuple[Path, Folder], tmp_path: Path) -> None:
    folder, made = district
    done = runner.invoke(app, ["batch", str(folder), "-j", "2", "-o", str(tmp_path / "s.csv")])
    assert done.exit_code == 1, done.output
    ranking = _ranking((tmp_path / "s.csv").read_text(encoding="utf-8-sig"))
    assert {name: total for name, (total, _) in ranking.items()} == made.ranked
    assert sum(1 for _, own in ranking.values() if own) == 20


def test_a_workbook_is_told_apart_by_its_content_not_its_name(tmp_path: Path) -> None:
    """An official 自评表 named like an input workbook is still read as the table it is; a workbook holding
    neither is listed as no submission, and named on the command line it is refused."""
    folder = tmp_path / "d"
    made = make(tmp_path / "all")
    folder.mkdir()
    table = next((tmp_path / "all" / "表格").glob("03*-自评表.xlsx"))
    (folder / "自评输入.xlsx").write_bytes(table.read_bytes())
    other = openpyxl.Workbook()
    other.active.append(["预算", "金额"])  # type: ignore[union-attr]
    other.save(folder / "预算表.xlsx")
    done = runner.invoke(app, ["batch", str(folder), "-o", str(tmp_path / "s.csv")])
    assert done.exit_code == 0, done.output
    ranking = _ranking((tmp_path / "s.csv").read_text(encoding="utf-8-sig"))
    assert len(ranking) == 1 and all(own for _, own in ranking.values()) and made.ranked
    assert "not read: " in done.stderr and "预算表.xlsx: holds no 自评表" in done.stderr
    named = runner.invoke(app, ["batch", str(folder / "预算表.xlsx")])
    assert named.exit_code == 1 and "no input found at all" in named.stderr
