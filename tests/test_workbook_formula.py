"""A formula row of the clerk's workbook shows its score as an Excel formula over that row's own input cells, or
says the score is computed where no faithful formula exists; the reader never reads what that formula computed.
(That the office suite computes what `score run` does: tests/test_workbook_formula_office.py.)"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from cli import app
from scorer.formula.evaluate import compile_formula
from scorer.formula.excel import to_excel
from scorer.inputs import workbook_layout as layout

runner = CliRunner()
FORMULA_ROWS = ("budget_execution", "contract_filing_timeliness", "procurement_policy_effect")


def _template(path: Path, rules: str = "2022") -> openpyxl.worksheet.worksheet.Worksheet:
    result = runner.invoke(app, ["template", "--rules", rules, "--lang", "zh", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(path)["指标"]


def _lines(sheet: object, ident: str) -> list[int]:
    return [r for r in range(layout.FIRST_ROW, sheet.max_row + 1) if sheet.cell(r, layout.ID).value == ident]  # type: ignore[attr-defined]


def test_a_formula_row_s_score_reads_only_its_own_input_cells(tmp_path: Path) -> None:
    sheet = _template(tmp_path / "t.xlsx")
    for ident in FORMULA_ROWS:
        lines = _lines(sheet, ident)
        cell = sheet.cell(lines[0], layout.SCORE)
        formula = cell.value
        assert isinstance(formula, str) and formula.startswith("=IFERROR(IF(AND(COUNT($I$"), (ident, formula)
        assert cell.protection.locked
        references = re.findall(r"\$?([A-Z]+)\$?(\d+)\b", re.sub(r'"[^"]*"', "", formula))
        assert references and {(c, int(r)) for c, r in references} <= {("I", line) for line in lines}, formula
        assert "!" not in formula and re.findall(r'"[^"]*"', formula) == [
            text for text in re.findall(r'"[^"]*"', formula) if text in ('""', '"format"', '"P"')
        ]


def test_a_formula_excel_cannot_compute_faithfully_keeps_the_word(
    rules_copy: Callable[..., Path], tmp_path: Path
) -> None:
    folder = rules_copy(
        {
            "indicators/budget_execution.yaml": ("rounding: {places: 2, mode: down}", "rounding: {places: 2, mode: half_even}"),
            "indicators/contract_filing_timeliness.yaml": (
                "if contracts_total else weight", "if contracts_total and year > 2020 else weight"
            ),
        }
    )  # fmt: skip
    sheet = _template(tmp_path / "t.xlsx", str(folder))
    shown = [sheet.cell(_lines(sheet, ident)[0], layout.SCORE).value for ident in FORMULA_ROWS]
    assert shown[:2] == ["按公式计算", "按公式计算"] and shown[2].startswith("=")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("a - -b", "(A1-(-B1))"),
        ("-a ** 2", "(-((A1)^(2)))"),  # Excel's -A1^2 would square the negative
        ("a % b", "MOD(A1,B1)"),
        ("a and b", "IF((ROUND(A1,9)<>0),B1,A1)"),  # the value, as Python's and gives it
        ("a < b <= 3", "IF((ROUND(A1,9)<ROUND(B1,9)),(ROUND(B1,9)<=ROUND(3,9)),FALSE)"),
        ("floor(a / 3)", "INT(ROUND((A1/3),9))"),
        ("a * 0.125", "(A1*0.125)"),
        ("a * 0.12345678901234567", None),  # more digits than a float carries
        ("a * year", None),  # a name the workbook has no cell for
    ],
)
def test_the_translation_keeps_python_s_meaning(source: str, expected: str | None) -> None:
    formula = compile_formula(source, {"a", "b", "year"})
    assert to_excel(formula, {"a": "A1", "b": "B1"}) == expected


def test_what_the_office_suite_computed_in_a_formula_row_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    sheet = _template(path)
    book = openpyxl.load_workbook(path)
    indicators, profile = book["指标"], book["基本情况"]
    for row in range(layout.FIRST_ROW, profile.max_row + 1):
        key = profile.cell(row=row, column=layout.P_KEY).value
        if key in ("department", "units"):
            profile.cell(row=row, column=layout.P_VALUE).value = "测试局" if key == "department" else 1
    values = {"execution_rate": 93.4, "contracts_total": 22, "contracts_filed_on_time": 9,
              "sme_suitable_budget": 100, "sme_awarded_amount": 100}  # fmt: skip
    for row in range(layout.FIRST_ROW, indicators.max_row + 1):
        name = indicators.cell(row=row, column=layout.INPUT).value
        if name in values:
            indicators.cell(row=row, column=layout.VALUE).value = values[name]
    book.save(path)
    row = _lines(sheet, "budget_execution")[0]
    # As a suite saves it, with a value it computed from other figures: passed over.
    stale = _computed(path, tmp_path / "stale.xlsx", row, r"\g<1>\g<2><v>3</v>")
    assert openpyxl.load_workbook(stale, data_only=True)["指标"].cell(row, layout.SCORE).value == 3
    result = runner.invoke(app, ["run", str(stale), "--lang", "zh", "-f", "json"])
    assert result.exit_code == 0, result.output
    scores = {row["id"]: row["score"] for row in json.loads(result.stdout)["indicators"]}
    assert scores["budget_execution"] == 9.34  # 93.4% of 10, as the engine scores it
    # The clerk's own formula in its place: read, and refused as a score typed on a computed row.
    own = _computed(path, tmp_path / "own.xlsx", row, r"\g<1><f>9</f><v>9</v>")
    result = runner.invoke(app, ["run", str(own), "--lang", "zh"])
    assert result.exit_code == 1 and f"指标!J{row}: " in result.stderr, result.output
    assert "不接受直接填写的得分 9" in result.stderr


def _computed(source: Path, target: Path, row: int, replacement: str) -> Path:
    """`source` with the 自评分 cell of `row` changed in its XML (what openpyxl cannot write: a computed value)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                pattern = rf'(<c r="J{row}"[^>]*>)(<f>.*?</f>)<v\s*/?>(</v>)?'
                text, count = re.subn(pattern, replacement, data.decode("utf-8"), count=1)
                assert count == 1
                data = text.encode("utf-8")
            zout.writestr(item, data)
    return target
