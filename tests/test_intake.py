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
ROOT_TABLES = Path(__file__).resolve().parent / "fixtures" / "tables"


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
    texts = [str(c.value) for row in book.worksheets[-1].iter_rows() for c in row if c.value]
    assert book.worksheets[-1].title == "Sources"  # file paths only there, never on the leaders' sheets
    assert sum(any(name in text for text in texts) for name in made.others) == 3
    leaders = [str(c.value) for sheet in book.worksheets[:-1] for row in sheet.iter_rows() for c in row]
    assert not any(name in text for text in leaders for name in made.others)
    assert "Files that are no submission, not scored (3)" in leaders


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
    import docx

    report = docx.Document()
    report.add_paragraph("自评报告")
    report.save(str(folder / "自评报告.docx"))
    done = runner.invoke(app, ["batch", str(folder), "-o", str(tmp_path / "s.csv")])
    assert done.exit_code == 0, done.output
    ranking = _ranking((tmp_path / "s.csv").read_text(encoding="utf-8-sig"))
    assert len(ranking) == 1 and all(own for _, own in ranking.values()) and made.ranked
    assert "not read: " in done.stderr and "预算表.xlsx: holds no 自评表" in done.stderr
    assert "自评报告.docx: this is a Word document" in done.stderr and "save it as .xlsx" in done.stderr
    assert "2 files are no submission" in done.stderr
    named = runner.invoke(app, ["batch", str(folder / "预算表.xlsx")])
    assert named.exit_code == 1 and "no input found at all" in named.stderr


def test_the_review_list_of_a_district_is_one_row_a_table_and_every_finding(
    district: tuple[Path, Folder], tmp_path: Path
) -> None:
    folder, made = district
    done = runner.invoke(app, ["audit", str(folder), "-o", str(tmp_path / "复核清单.xlsx")])
    assert done.exit_code == 1, done.output  # a broken table and a duplicate
    tally = "audited 22 tables: 20 consistent, 0 with findings, 1 refused, 1 duplicates; 41 files that are no 自评表"
    assert tally in done.stderr.splitlines()
    book = openpyxl.load_workbook(tmp_path / "复核清单.xlsx")
    listed, findings = ([list(r) for r in sheet.iter_rows(values_only=True)] for sheet in book.worksheets)
    assert listed[0] == [
        "File",
        "Department",
        "Own total",
        "Re-scored total",
        "Difference",
        "Findings",
        "Status",
    ]
    tables = {Path(r[0]).name: r for r in listed[1:] if r[6] != "no 自评表"}
    assert len(tables) == 22 and tables["损坏-自评表.xlsx"][6] == "refused"
    assert tables["重复-零宽字符.xlsx"][6] == "duplicate"
    consistent = [r for r in tables.values() if r[6] == "consistent"]
    assert all(Decimal(str(r[2])) == Decimal(str(r[3])) == made.ranked[r[1]] for r in consistent)
    assert {Path(r[0]).name for r in findings[1:]} >= {
        "损坏-自评表.xlsx",
        "README.txt",
        "说明.pdf",
        "001.yaml",
    }


def test_a_table_with_findings_is_listed_with_each_at_its_cell(tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    folder.mkdir()
    text = (ROOT_TABLES / "003_0ab128b708fd7b30.txt").read_text(encoding="utf-8")
    (folder / "ok.txt").write_text(text, encoding="utf-8")
    slip = text.replace("94.2", "95.2", 1).replace("政务服务数据管理局（", "政务服务和数据管理局（")
    (folder / "slip.txt").write_text(slip, encoding="utf-8")
    for suffix in ("csv", "md", "json", "txt"):
        done = runner.invoke(app, ["audit", str(folder), "-o", str(tmp_path / f"list.{suffix}")])
        assert done.exit_code == 1 and "2 tables: 1 consistent, 1 with findings" in done.stderr
    rows = list(csv.reader(io.StringIO((tmp_path / "list.csv").read_text(encoding="utf-8-sig"))))
    slip = next(r for r in rows[1:] if r and r[0].endswith("slip.txt"))
    assert slip[2:4] == ["95.2", "94.2"] and slip[4] == "-1" and slip[6] == "findings"
    assert any(r and r[0].endswith("slip.txt") and r[2] for r in rows[rows.index([]) + 1 :])  # at its line
    listed = json.loads((tmp_path / "list.json").read_text(encoding="utf-8"))["list"]
    assert [(Path(r["path"]).name, r["status"], r["difference"]) for r in listed] == [
        ("ok.txt", "consistent", 0), ("slip.txt", "findings", -1)
    ]  # fmt: skip
    assert "| " in (tmp_path / "list.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "list.pdf"], "no output format writes .pdf files"),
        (["-f", "json", "-o", "list.xlsx"], "-f json disagrees with the -o extension .xlsx"),
        (["-f", "xlsx"], "the xlsx format is written to a file: give -o FILE"),
    ],
)
def test_the_review_list_format_comes_from_the_extension(
    tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "t.txt").write_text((ROOT_TABLES / "003_0ab128b708fd7b30.txt").read_text("utf-8"), "utf-8")
    done = runner.invoke(
        app, ["audit", str(tmp_path / "t.txt"), *[a if "." not in a else str(tmp_path / a) for a in args]]
    )
    assert done.exit_code == 1 and message in done.stderr, done.output
    assert not list(tmp_path.glob("list.*"))


def test_a_table_cell_not_read_as_it_shows_refuses_the_table_never_another_number(tmp_path: Path) -> None:
    """A score cell written `约1.5` would leave the row at its full weight if the table were re-scored anyway:
    the batch refuses the table at that cell (and so does the web workplace, through the same function)."""
    text = (ROOT_TABLES / "003_0ab128b708fd7b30.txt").read_text("utf-8")
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if "资产配置合规性" in line)
    cells = lines[at].split("\t")
    score = next(i for i, cell in enumerate(cells) if cell.strip() == "1")  # scored 1 of 2
    cells[score] = "约1"
    lines[at] = "\t".join(cells)
    (tmp_path / "t.txt").write_text("\n".join(lines), encoding="utf-8")
    done = runner.invoke(app, ["batch", str(tmp_path / "t.txt"), "-o", str(tmp_path / "s.csv")])
    assert done.exit_code == 1, done.output
    assert f"t.txt:{at + 1}: [资产配置合规性]" in done.stderr and "'约1'" in done.stderr
    assert "1 departments refused (0 scored and written)" in done.stderr


def test_what_the_audit_of_a_table_finds_is_noted_beside_its_ranking(tmp_path: Path) -> None:
    """A formula row whose reason gives no figures keeps its printed score, as `audit --to-inputs` states it:
    the batch ranks it and notes why that score was not recomputed."""
    text = (ROOT_TABLES / "003_0ab128b708fd7b30.txt").read_text("utf-8")
    (tmp_path / "t.txt").write_text(text.replace("平均执行率为98.88%", "平均执行率较高"), encoding="utf-8")
    done = runner.invoke(app, ["batch", str(tmp_path / "t.txt"), "-o", "-"])
    assert done.exit_code == 0, done.output
    notes = [line for line in done.stdout.splitlines() if "audit: " in line]
    assert len(notes) == 1 and "[部门预算资金支出率] audit: the score 9.88 is below the weight" in notes[0]
    assert "(年度平均预算执行率)" in notes[0]
