"""The clerk's workbook asks what the 自评表 asks: the row's score (自评分), and the reason when it is below the
weight. A number typed in the wrong column is refused at its cell with the likely fix, never scored as typed;
workbooks of the earlier layout (deductions only) and YAML inputs keep working."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from cli import app
from scorer.inputs import workbook_layout as layout

from .conftest import EXAMPLES, VALID_INPUTS

runner = CliRunner()
EARLIER = Path(__file__).parent / "fixtures" / "workbooks" / "earlier-layout-zhengwu.xlsx"
FILLED = {"execution_rate": 93.4, "contracts_total": 10, "contracts_filed_on_time": 10,
          "sme_suitable_budget": 100, "sme_awarded_amount": 100}  # fmt: skip


def _workbook(tmp_path: Path) -> Path:
    """A fresh template with the department and the formula rows filled: every judged row at full marks."""
    path = tmp_path / "自评输入.xlsx"
    assert runner.invoke(app, ["template", "--rules", "2022", "--lang", "zh", "-o", str(path)]).exit_code == 0
    book = openpyxl.load_workbook(path)
    profile, sheet = book["基本情况"], book["指标"]
    for row in range(layout.FIRST_ROW, profile.max_row + 1):
        key = profile.cell(row=row, column=layout.P_KEY).value
        profile.cell(row=row, column=layout.P_VALUE).value = {"department": "测试局", "units": 1}.get(
            key, profile.cell(row=row, column=layout.P_VALUE).value
        )
    for row in range(layout.FIRST_ROW, sheet.max_row + 1):
        name = sheet.cell(row=row, column=layout.INPUT).value
        if name in FILLED:
            sheet.cell(row=row, column=layout.VALUE).value = FILLED[name]
    book.save(path)
    return path


def _first_row(sheet: Any, ident: str) -> int:
    return next(
        r for r in range(layout.FIRST_ROW, sheet.max_row + 1) if sheet.cell(r, layout.ID).value == ident
    )


def _fill(path: Path, ident: str, cells: dict[int, Any]) -> str:
    """Type `cells` (column → value) on the first row of indicator `ident`; the row's number."""
    book = openpyxl.load_workbook(path)
    sheet = book["指标"]
    row = _first_row(sheet, ident)
    for column, value in cells.items():
        sheet.cell(row=row, column=column).value = value
    book.save(path)
    return str(row)


def _run(path: Path, code: int) -> str:
    result = runner.invoke(app, ["run", str(path), "--lang", "zh"])
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.stdout if code == 0 else result.stderr


def _total(output: str) -> str:
    return next(line for line in output.splitlines() if "总分" in line).split("│")[7].strip()


def test_the_template_asks_for_the_row_s_score_beside_its_reason(tmp_path: Path) -> None:
    sheet = openpyxl.load_workbook(_workbook(tmp_path))["指标"]
    assert [sheet.cell(2, c).value for c in (layout.SCORE, layout.REASON, layout.POINTS)] == [
        "自评分", "未达标原因", "扣分分值",
    ]  # fmt: skip
    judged = sheet.cell(_first_row(sheet, "output_targets"), layout.SCORE)
    computed = sheet.cell(_first_row(sheet, "budget_execution"), layout.SCORE)
    assert judged.protection.locked is False and judged.value is None
    assert computed.protection.locked and computed.value.startswith("=IFERROR(")  # its score, computed live
    assert sheet.cell(_first_row(sheet, "output_targets"), layout.OVERRIDE).protection.locked


def test_a_typed_score_below_the_weight_loses_the_difference_with_its_reason(tmp_path: Path) -> None:
    path = _workbook(tmp_path)
    _fill(path, "output_targets", {layout.SCORE: 19, layout.REASON: "部分项目年初设置指标值偏低"})
    output = _run(path, 0)
    assert _total(output) == "98.34"  # 100 − 1 (the typed score) − 0.66 (the execution rate's 93.4%)
    assert "部门整体绩效目标产出指标完成情况：失 1 分（部分项目年初设置指标值偏低）" in output


def test_a_score_below_the_weight_needs_its_reason(tmp_path: Path) -> None:
    path = _workbook(tmp_path)
    row = _fill(path, "output_targets", {layout.SCORE: 19})
    assert f"指标!K{row}: [部门整体绩效目标产出指标完成情况] 未达标原因:" in _run(path, 1)


@pytest.mark.parametrize(
    ("ident", "cells", "where", "words"),
    [
        # the case: 19 typed as a deduction on a 20-point row gave 1 point, total 76.2, 中, exit 0
        ("output_targets", {layout.POINTS: 19, layout.REASON: "x"}, "O", "像是把得分填进了“扣分分值”列"),
        ("output_targets", {layout.POINTS: 25, layout.REASON: "x"}, "O", "超过本指标分值 20"),
        ("output_targets", {layout.POINTS: 20, layout.REASON: "x"}, "O", "只得 0 分"),  # full marks typed
        ("output_targets", {layout.SCORE: 21}, "J", "不在 0 到分值 20 之间"),
        ("output_targets", {layout.SCORE: 18, layout.POINTS: 1, layout.REASON: "x"}, "J", "两者不一致"),
        ("output_targets", {layout.SCORE: 20, layout.REASON: "x"}, "K", "自评分为满分"),
        ("output_targets", {layout.REASON: "只写了原因"}, "J", "没有填写自评分"),
        ("budget_execution", {layout.SCORE: 9, layout.REASON: "x"}, "J", "不接受直接填写的得分 9"),
        ("budget_execution", {layout.POINTS: 1, layout.REASON: "x"}, "O", "在公式得分之外再扣除"),
        ("asset_inventory", {layout.POINTS: 2, layout.REASON: "x"}, "O", "超过本指标分值 1"),
    ],
)
def test_a_number_in_the_wrong_column_is_refused_at_its_cell(
    tmp_path: Path, ident: str, cells: dict[int, Any], where: str, words: str
) -> None:
    path = _workbook(tmp_path)
    row = _fill(path, ident, cells)
    message = _run(path, 1)
    assert f"指标!{where}{row}: " in message and words in message, message


def test_a_score_and_deductions_that_agree_are_one_loss(tmp_path: Path) -> None:
    path = _workbook(tmp_path)
    _fill(path, "output_targets", {layout.SCORE: 19, layout.POINTS: 1, layout.REASON: "偏低"})
    assert _total(_run(path, 0)) == "98.34"


def test_an_earlier_workbook_scores_as_its_inputs_file_does(tmp_path: Path) -> None:
    path = tmp_path / "旧版.xlsx"
    shutil.copy(EARLIER, path)
    result = runner.invoke(app, ["run", str(path), "--lang", "zh", "-f", "json"])
    yaml = runner.invoke(app, ["run", str(EXAMPLES / "2022-zhengwu-fuwu.yaml"), "--lang", "zh", "-f", "json"])
    assert result.exit_code == yaml.exit_code == 0, result.output
    book, inputs = (
        json.loads(result.stdout, parse_float=Decimal),
        json.loads(yaml.stdout, parse_float=Decimal),
    )
    assert book["total"] == inputs["total"] == Decimal("94.2")
    assert [(i["id"], i["score"]) for i in book["indicators"]] == [
        (i["id"], i["score"]) for i in inputs["indicators"]
    ]


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("J", 19, "像是把得分填进了“扣分分值”列"),  # a score typed as a deduction
        ("N", 1, "像是把扣分填进了此列"),  # a deduction typed into the override column
    ],
)
def test_an_earlier_workbook_refuses_a_number_in_the_wrong_column(
    tmp_path: Path, column: str, value: int, words: str
) -> None:
    path = tmp_path / "旧版.xlsx"
    shutil.copy(EARLIER, path)
    book = openpyxl.load_workbook(path)
    sheet = book["指标"]
    row = _first_row(sheet, "output_targets")
    sheet[f"J{row}"] = None
    sheet[f"{column}{row}"] = value
    book.save(path)
    message = _run(path, 1)
    assert f"指标!{column}{row}: [部门整体绩效目标产出指标完成情况]" in message and words in message, message


def test_a_yaml_inputs_file_may_give_the_score_too(tmp_path: Path) -> None:
    text = VALID_INPUTS + "  asset_inventory:\n    score: 0.5\n    reason: 未按要求盘点\n"
    path = tmp_path / "dept.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["run", str(path), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert "资产盘点情况：失 0.5 分（未按要求盘点）" in result.stdout
    workbook = tmp_path / "自评输入.xlsx"
    made = runner.invoke(app, ["template", "--lang", "zh", "--from", str(path), "-o", str(workbook)])
    assert made.exit_code == 0, made.output
    again = runner.invoke(app, ["run", str(workbook), "--lang", "zh"])
    assert again.exit_code == 0 and _total(again.stdout) == _total(result.stdout), again.output


def test_a_current_workbook_whose_score_header_was_changed_is_still_read_as_current(tmp_path: Path) -> None:
    path = _workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    book["指标"].cell(2, layout.SCORE).value = "得分"  # a clerk renamed the header
    book.save(path)
    _fill(path, "output_targets", {layout.SCORE: 19, layout.REASON: "偏低"})
    assert _total(_run(path, 0)) == "98.34"


def test_a_workbook_made_from_inputs_losing_more_than_half_a_row_scores_as_the_inputs(tmp_path: Path) -> None:
    """A real loss of more than half a row (12.5 of 20) written by the template from an inputs file is kept with
    the 自评分 it implies beside it, so the workbook scores exactly as the inputs file; typed alone in the deduction
    column, the same number is still refused as a likely score."""
    inputs = tmp_path / "inputs.yaml"
    text = (EXAMPLES / "2022-zhengwu-fuwu.yaml").read_text(encoding="utf-8")
    inputs.write_text(text.replace("      - points: 2.5", "      - points: 12.5", 1), encoding="utf-8")
    book = tmp_path / "自评输入.xlsx"
    assert (
        runner.invoke(app, ["template", "--lang", "zh", "--from", str(inputs), "-o", str(book)]).exit_code
        == 0
    )
    scored = [runner.invoke(app, ["run", str(path), "-f", "json"]) for path in (inputs, book)]
    assert [r.exit_code for r in scored] == [0, 0], scored[1].output
    totals = [json.loads(r.stdout)["total"] for r in scored]
    assert totals[0] == totals[1] and Decimal(totals[0]) < 90
    sheet = openpyxl.load_workbook(book)["指标"]
    row = _first_row(sheet, "outcome_targets")
    assert sheet.cell(row, layout.SCORE).value == 7.5 and sheet.cell(row, layout.POINTS).value == 12.5
    _fill(book, "outcome_targets", {layout.SCORE: None})
    refused = runner.invoke(app, ["run", str(book)])
    assert (
        refused.exit_code == 1
        and f"指标!{openpyxl.utils.get_column_letter(layout.POINTS)}{row}" in refused.output
    )
