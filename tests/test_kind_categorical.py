"""The categorical kind: the points of the one declared category that applies, each with its reason (the
qualitative 达成 / 部分达成 / 未达成 rows of a project table), through the real command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app

ILLUSTRATIVE = Path(__file__).resolve().parent / "fixtures" / "rules" / "illustrative"
runner = CliRunner()

ROW = """\
id: satisfaction
name: 服务对象满意度
level1: 示例指标
level2: 评价与备选
weight: 5
explanation: 服务对象对部门履职的满意程度。
scoring: categorical
categorical:
  choose: by_department
  categories:
    - {id: met, name: 达成年度指标, points: weight}
    - {id: partly, name: 部分达成年度指标并具有一定效果, points: weight * 0.6, reason: "部分达成，得{points}分。"}
    - {id: unmet, name: 未达成年度指标且效果较差, points: 0}
provenance:
  source: [illustrative — not an official rubric]
  rule: The department states the category; each category gives its points.
"""

DEPARTMENT = """\
department: 示例部门
year: 2030
indicators:
  execution_bands: {execution_rate: 100}
  carryover_bands: {carryover_amount: 0, budget_total: 100}
  public_expense_steps: {control_rate: 100}
  audit_findings: {audit_problems: 0, criticisms: 0}
  pm_checklist: {has_system: 是, covers_targets: 是, covers_monitoring: 是, covers_evaluation: 是, covers_use: 是, on_time: 是}
  cost_control: {projects: 0}
  execution_by_type: {project_budget: 0, basic_rate: 100}
  targets_gate: {targets_set: 是, targets_total: 4, targets_met: 4}
  publicity_choice: {choice: rate, items_due: 1, items_published: 1}
"""


def _rubric(tmp_path: Path, row: str = ROW) -> Path:
    folder = tmp_path / "rules"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(ILLUSTRATIVE, folder)
    shutil.rmtree(folder / "golden")
    (folder / "indicators" / "satisfaction.yaml").write_text(row, encoding="utf-8")
    return folder


def _run(tmp_path: Path, satisfaction: str, *args: str) -> tuple[int, str, str]:
    inputs = tmp_path / "dept.yaml"
    inputs.write_text(DEPARTMENT + f"  satisfaction: {satisfaction}\n", encoding="utf-8")
    result = runner.invoke(app, ["run", str(inputs), "--rules", str(_rubric(tmp_path)), *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(("choice", "score"), [("met", 5), ("partly", 3), ("unmet", 0)])
def test_each_category_gives_its_points(tmp_path: Path, choice: str, score: int) -> None:
    code, out, err = _run(tmp_path, f"{{choice: {choice}}}", "-f", "json")
    assert code == 0, err
    row = next(i for i in json.loads(out)["indicators"] if i["id"] == "satisfaction")
    assert row["score"] == score
    assert any(choice_name in " ".join(row["notes"]) for choice_name in ("达成年度指标",))


def test_a_category_below_full_marks_gives_its_own_reason(tmp_path: Path) -> None:
    code, out, _ = _run(tmp_path, "{choice: partly}", "-f", "json")
    row = next(i for i in json.loads(out)["indicators"] if i["id"] == "satisfaction")
    assert code == 0 and row["reasons"] == ["部分达成，得3分。"]
    code, out, _ = _run(tmp_path, "{choice: unmet}", "-f", "json", "--lang", "en")
    row = next(i for i in json.loads(out)["indicators"] if i["id"] == "satisfaction")
    assert row["reasons"] == ["Category '未达成年度指标且效果较差': 0 points."]


def test_no_category_is_refused_at_its_row_with_the_categories(tmp_path: Path) -> None:
    code, _, err = _run(tmp_path, "{}", "--lang", "en")
    assert code == 1 and "Traceback" not in err
    assert "give `choice:` one of met (达成年度指标), partly" in err and "dept.yaml:" in err


def test_an_unknown_category_is_refused_with_the_declared_ones(tmp_path: Path) -> None:
    code, _, err = _run(tmp_path, "{choice: mostly}", "--lang", "en")
    assert code == 1 and "mostly" in err and "met" in err and "Traceback" not in err


def test_lint_finds_points_over_the_weight_and_a_twice_declared_id_at_their_lines(tmp_path: Path) -> None:
    row = ROW.replace("points: weight * 0.6", "points: weight * 1.2").replace("{id: unmet", "{id: met")
    result = runner.invoke(app, ["lint", str(_rubric(tmp_path, row)), "--lang", "en"])
    assert result.exit_code == 1
    assert (
        "satisfaction.yaml:12: [satisfaction] categorical.categories[1].points" in result.stdout
        and "gives 6 points, outside 0 to the row's weight 5" in result.stdout
    )
    assert (
        "satisfaction.yaml:13: [satisfaction] categorical.categories[2].id" in result.stdout
        and "'met' is declared twice" in result.stdout
    )


def test_categories_by_condition_take_the_first_that_holds(tmp_path: Path) -> None:
    row = (
        ROW.replace("choose: by_department", "choose: by_condition")
        .replace("{id: met,", "{id: met, when: satisfied >= 90,")
        .replace("{id: partly,", "{id: partly, when: satisfied >= 60,")
        .replace(
            "scoring: categorical",
            "scoring: categorical\ninputs:\n  satisfied: {type: percent, min: 0, max: 100, label: 满意率}",
        )
    )
    inputs = tmp_path / "dept.yaml"
    inputs.write_text(DEPARTMENT + "  satisfaction: {satisfied: 75}\n", encoding="utf-8")
    result = runner.invoke(app, ["run", str(inputs), "--rules", str(_rubric(tmp_path, row)), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    row_out = next(i for i in json.loads(result.stdout)["indicators"] if i["id"] == "satisfaction")
    assert row_out["score"] == 3
