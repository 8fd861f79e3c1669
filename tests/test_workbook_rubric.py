"""The clerk's workbook records its rubric (the 基本情况 row `rubric`): `score run` and `score report` of a project
workbook need no --rules, and a workbook scored against another rubric than the one it names is refused at that
cell with the likely one."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from cli import app

runner = CliRunner()


def _filled(tmp_path: Path) -> Path:
    path = tmp_path / "项目.xlsx"
    made = runner.invoke(
        app, ["template", "--rules", "mof-pmkpi-default/2020", "-o", str(path), "--lang", "zh"]
    )
    assert made.exit_code == 0, made.stderr
    book = openpyxl.load_workbook(path)
    for row in book["基本情况"].iter_rows():
        if row[1].value == "department":
            row[2].value = "工作簿单位"
    book["指标"]["I3"], book["指标"]["I4"] = 100, 90
    sheet = book["绩效指标"]
    for offset, (name, target, actual, points) in enumerate(
        [("道路养护里程", "≥100公里", "100公里", 45), ("结余率", "≤5%", "7%", 45)]
    ):
        for column, value in enumerate(("performance_indicators", "产出指标", name, target, actual), start=2):
            sheet.cell(row=3 + offset, column=column, value=value)
        sheet.cell(row=3 + offset, column=9, value=points)
    book.save(path)
    return path


def _rubric_cell(path: Path) -> str:
    sheet = openpyxl.load_workbook(path)["基本情况"]
    cell = next(row[2] for row in sheet.iter_rows() if row[1].value == "rubric")
    return f"基本情况!{cell.coordinate}"


def test_the_template_names_its_rubric_and_run_and_report_need_no_rules(tmp_path: Path) -> None:
    path = _filled(tmp_path)
    sheet = openpyxl.load_workbook(path)["基本情况"]
    assert any(
        row[1].value == "rubric" and row[2].value == "mof-pmkpi-default/2020" for row in sheet.iter_rows()
    )
    result = runner.invoke(app, ["run", str(path), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    scored = json.loads(result.stdout)
    assert scored["rules"]["id"] == "mof-pmkpi-default" and scored["total"] == 9 + 45 + 27
    report = runner.invoke(app, ["report", str(path), "-f", "markdown", "--lang", "zh"])
    assert report.exit_code == 0, report.stderr
    assert "| 产出指标 |  | 结余率 | ≤5% | 7% | 45 | 27 |" in report.stdout


def test_a_workbook_scored_against_another_rubric_is_refused_at_its_rubric_cell(tmp_path: Path) -> None:
    path = _filled(tmp_path)
    result = runner.invoke(app, ["run", str(path), "--rules", "2022", "--lang", "en"])
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert f"{_rubric_cell(path)}: " in result.stderr
    assert "--rules mof-pmkpi-default/2020" in result.stderr


def test_a_file_naming_its_rubric_by_id_is_pointed_to_that_rubric_of_its_own_year(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "department: 示例单位\nyear: 2020\nrubric: mof-pmkpi-default\nindicators: {}\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["run", str(path), "--rules", "2022", "--lang", "en"])
    assert result.exit_code == 1 and "p.yaml:3: rubric: " in result.stderr
    assert "--rules mof-pmkpi-default/2020" in result.stderr  # the file's year, not the rules' 2022
