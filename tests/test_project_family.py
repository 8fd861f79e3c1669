"""The project-expenditure family (rules/mof-pmkpi-default): its rule set is clean and fully covered, every row
the department lists scores its own points by its operator, and the journey of a project clerk works through the
real command."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from cli import app

ROOT = Path(__file__).resolve().parent.parent
RUBRIC = ROOT / "rules" / "mof-pmkpi-default" / "2020"
runner = CliRunner()

PROJECT = """\
department: 示例单位
year: 2020
rubric: mof-pmkpi-default
indicators:
  budget_execution: {budget_full_year: 100, spent: 90}
  performance_indicators:
    targets:
      - {name: 道路养护里程, category: 产出指标, target: "≥100公里", actual: "100公里", weight: 22.5}
      - {name: 养护合格率, category: 产出指标, target: "≥95%", actual: "96%", weight: 22.5}
      - {name: 通行时间缩短, category: 效益指标, target: "≥10%", actual: "12%", weight: 22.5}
      - {name: 结余率, category: 效益指标, target: "≤5%", actual: "7%", weight: 22.5}
"""


def test_the_family_lints_strictly_and_its_cases_cover_it_all() -> None:
    lint = runner.invoke(app, ["lint", "--strict", str(RUBRIC)])
    assert lint.exit_code == 0, lint.stdout
    test = runner.invoke(
        app, ["test", str(RUBRIC / "golden"), "--rules", str(RUBRIC), "--min-coverage", "100"]
    )
    assert test.exit_code == 0, test.stdout
    assert "27 passed, 0 failed" in test.stdout


def test_the_rubric_is_listed_and_marked_unofficial_in_its_title() -> None:
    listed = runner.invoke(app, ["rules", "list", "-f", "json"])
    assert listed.exit_code == 0
    assert "mof-pmkpi-default" in listed.stdout and "非官方" in listed.stdout


def _run(tmp_path: Path, text: str, *args: str) -> tuple[int, str, str]:
    path = tmp_path / "project.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["run", str(path), *args])
    return result.exit_code, result.stdout, result.stderr


def test_each_row_scores_its_own_points_by_its_operator(tmp_path: Path) -> None:
    code, out, err = _run(tmp_path, PROJECT, "-f", "json", "--lang", "zh")
    assert code == 0, err
    result = json.loads(out)
    assert result["total"] == 90 and result["grade"] == "优"
    assert result["rules"]["id"] == "mof-pmkpi-default"
    code, table, _ = _run(tmp_path, PROJECT, "--lang", "zh")
    assert code == 0 and "项目支出绩效自评表（财政部绩效模块默认规则，非官方文本）" in table
    row = next(i for i in result["indicators"] if i["id"] == "performance_indicators")
    assert row["score"] == 81
    assert row["reasons"][0] == "指标“结余率”：年度指标值≤5%，实际完成值7%，得13.5分（分值22.5分）。"


def test_points_that_do_not_add_up_to_the_row_are_refused_at_its_line(tmp_path: Path) -> None:
    code, _, err = _run(tmp_path, PROJECT.replace("weight: 22.5}\n", "weight: 20}\n", 1), "--lang", "en")
    assert code == 1 and "Traceback" not in err
    assert (
        "project.yaml:7: [performance_indicators] targets" in err
        and "add up to 87.5, not the row's 90" in err
    )


@pytest.mark.parametrize(("actual", "score"), [("5%", 22.5), ("6%", 18), ("7.5%", 11.25), ("10%", 0)])
def test_a_reverse_row_falls_linearly_to_zero_at_twice_its_target(
    tmp_path: Path, actual: str, score: float
) -> None:
    code, out, err = _run(tmp_path, PROJECT.replace('actual: "7%"', f'actual: "{actual}"'), "-f", "json")
    assert code == 0, err
    row = next(i for i in json.loads(out)["indicators"] if i["id"] == "performance_indicators")
    assert row["score"] == 67.5 + score


def test_the_journey_template_run_xlsx_and_batch(tmp_path: Path) -> None:
    template = runner.invoke(
        app, ["template", "--rules", "mof-pmkpi-default/2020", "-o", str(tmp_path / "t.yaml")]
    )
    assert template.exit_code == 0, template.stderr
    assert "performance_indicators" in (tmp_path / "t.yaml").read_text(encoding="utf-8")
    code, _, err = _run(tmp_path, PROJECT, "-o", str(tmp_path / "table.xlsx"), "--lang", "zh")
    assert code == 0, err
    sheet = openpyxl.load_workbook(tmp_path / "table.xlsx").active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert any("非官方" in c for c in cells) and "执行率（B/A）" in cells  # the project table's own block
    for n, spent in enumerate((90, 100)):
        (tmp_path / "in").mkdir(exist_ok=True)
        text = PROJECT.replace("spent: 90", f"spent: {spent}").replace("示例单位", f"单位{n}")
        (tmp_path / "in" / f"p{n}.yaml").write_text(text, encoding="utf-8")
    batch = runner.invoke(
        app,
        [
            "batch",
            str(tmp_path / "in"),
            "--rules",
            "mof-pmkpi-default/2020",
            "-o",
            str(tmp_path / "out.jsonl"),
        ],
    )
    assert batch.exit_code == 0, batch.stderr
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(line)["total"] for line in lines) == [90, 91]


def test_the_clerks_workbook_takes_each_indicators_points_and_scores_as_the_yaml(tmp_path: Path) -> None:
    made = runner.invoke(
        app,
        ["template", "--rules", "mof-pmkpi-default/2020", "-o", str(tmp_path / "in.xlsx"), "--lang", "zh"],
    )
    assert made.exit_code == 0, made.stderr
    book = openpyxl.load_workbook(tmp_path / "in.xlsx")
    for row in book["基本情况"].iter_rows():
        if row[1].value == "department":
            row[2].value = "工作簿单位"
    book["指标"]["I3"], book["指标"]["I4"] = 100, 90
    targets = book["绩效指标"]
    assert targets.cell(row=2, column=9).value == "分值"
    for offset, (name, target, actual, points) in enumerate(
        [
            ("道路养护里程", "≥100公里", "100公里", 45),
            ("结余率", "≤5%", "7%", 22.5),
            ("满意度", "≥90%", "95%", 22.5),
        ]
    ):
        for column, value in enumerate(("performance_indicators", "产出指标", name, target, actual), start=2):
            targets.cell(row=3 + offset, column=column, value=value)
        targets.cell(row=3 + offset, column=9, value=points)
    book.save(tmp_path / "in.xlsx")
    result = runner.invoke(
        app, ["run", str(tmp_path / "in.xlsx"), "--rules", "mof-pmkpi-default/2020", "-f", "json"]
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["total"] == 9 + 45 + 13.5 + 22.5


def test_points_with_more_places_than_the_row_keeps_are_refused_at_the_target(tmp_path: Path) -> None:
    text = PROJECT.replace("weight: 22.5}\n", "weight: 22.505}\n", 1).replace(
        "weight: 22.5}\n", "weight: 22.495}\n", 1
    )
    code, _, err = _run(tmp_path, text, "--lang", "en")
    assert code == 1 and "targets[0].weight: 22.505 has more decimal places than 2" in err
