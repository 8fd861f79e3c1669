"""A batch sheet asks what the 自评表 asks, as the clerk's workbook does: a `<indicator>.score` column (自评分) on
every row a person scores, and a number typed in the wrong column refused at its cell (`批量.xlsx:部门!E3`) by the
same reader (scorer/inputs/typed.py). Sheets made before that column existed still read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from cli import app

runner = CliRunner()
FILLED: dict[str, Any] = {"department": "甲局", "year": 2022, "units": 1, "budget_execution.execution_rate": 93.4,
          "contract_filing_timeliness.contracts_total": 10, "contract_filing_timeliness.contracts_filed_on_time": 10,
          "procurement_policy_effect.sme_suitable_budget": 100,
          "procurement_policy_effect.sme_awarded_amount": 100}  # fmt: skip


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], list[str]]:
    """The batch template's labels and column keys (the workbook has the same as the CSV)."""
    path = tmp_path_factory.mktemp("template") / "批量.csv"
    assert runner.invoke(app, ["template", "--batch", "--lang", "zh", "-o", str(path)]).exit_code == 0
    labels, keys = [line.split(",") for line in path.read_bytes().decode("utf-8-sig").splitlines()]
    return labels, keys


def _sheet(
    template: tuple[list[str], list[str]], folder: Path, suffix: str, typed: dict[str, Any], drop: str = ""
) -> tuple[Path, dict[str, str]]:
    """The template's columns filled with one department (`typed` on top of FILLED), without the columns whose key
    ends with `drop` (a sheet of the earlier layout); the sheet and where each column's value stands."""
    labels, keys = template
    kept = [i for i, key in enumerate(keys) if not (drop and key.endswith(drop))]
    values = {**FILLED, **typed}
    rows = [[labels[i] for i in kept], [keys[i] for i in kept], [values.get(keys[i]) for i in kept]]
    path = folder / f"批量{suffix}"
    if suffix == ".csv":
        text = "\r\n".join(",".join("" if v is None else str(v) for v in row) for row in rows) + "\r\n"
        path.write_text(text, encoding="utf-8-sig")
        return path, {keys[i]: "3" for i in kept}
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "部门"
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path, {keys[i]: f"部门!{sheet.cell(3, n).coordinate}" for n, i in enumerate(kept, start=1)}


def _batch(path: Path, code: int) -> str:
    result = runner.invoke(app, ["batch", str(path), "--rules", "2022", "--lang", "zh", "-f", "csv"])
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.output


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_sheet_asks_for_the_score_of_each_row_a_person_scores(
    template: Any, tmp_path: Path, suffix: str
) -> None:
    _, places = _sheet(template, tmp_path, suffix, {})
    assert "output_targets.score" in places and "asset_inventory.score" in places
    assert "budget_execution.score" not in places  # a formula row's score is computed
    keys = list(places)
    assert keys.index("output_targets.score") + 1 == keys.index("output_targets.deduction")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_typed_score_below_the_weight_loses_the_difference_with_its_reason(
    template: Any, tmp_path: Path, suffix: str
) -> None:
    path, _ = _sheet(
        template, tmp_path, suffix, {"output_targets.score": 19, "output_targets.reason": "指标值偏低"}
    )
    ranked = _batch(path, 0)
    assert "甲局" in ranked and "98.34" in ranked  # 100 − 1 (the typed score) − 0.66 (93.4% of 10)


@pytest.mark.parametrize(
    ("suffix", "typed", "column", "words"),
    [
        # the case: 19 typed as a deduction on a 20-point row, in a CSV sheet and a workbook
        *[(suffix, {"output_targets.deduction": 19, "output_targets.reason": "x"}, "output_targets.deduction",
           "像是把得分填进了“output_targets.deduction”列") for suffix in (".csv", ".xlsx")],
        (".xlsx", {"output_targets.score": 19}, "output_targets.reason", "自评分低于分值的原因"),
        (".xlsx", {"output_targets.score": 21}, "output_targets.score", "不在 0 到分值 20 之间"),
        (".xlsx", {"output_targets.score": 18, "output_targets.deduction": 1, "output_targets.reason": "x"},
         "output_targets.score", "两者不一致"),
        (".xlsx", {"output_targets.override": 1, "output_targets.reason": "x"}, "output_targets.override",
         "像是把扣分填进了此列"),
        (".xlsx", {"budget_execution.deduction": 1, "budget_execution.reason": "x"}, "budget_execution.deduction",
         "在公式得分之外再扣除"),
        (".xlsx", {"asset_inventory.deduction": 2, "asset_inventory.reason": "x"}, "asset_inventory.deduction",
         "超过本指标分值 1"),
    ],
)  # fmt: skip
def test_a_number_in_the_wrong_column_is_refused_at_its_cell(
    template: Any, tmp_path: Path, suffix: str, typed: dict[str, Any], column: str, words: str
) -> None:
    path, places = _sheet(template, tmp_path, suffix, typed)
    output = _batch(path, 1)
    line = next((line for line in output.splitlines() if words in line), output)
    assert f"{path.name}:{places[column]}: " in line, output


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_sheet_made_before_the_score_column_still_reads(template: Any, tmp_path: Path, suffix: str) -> None:
    path, places = _sheet(
        template,
        tmp_path,
        suffix,
        {"output_targets.deduction": 1, "output_targets.reason": "偏低"},
        drop=".score",
    )
    assert not [key for key in places if key.endswith(".score")]
    assert "98.34" in _batch(path, 0)
    (tmp_path / "earlier").mkdir()
    path, places = _sheet(
        template,
        tmp_path / "earlier",
        suffix,
        {"output_targets.deduction": 19, "output_targets.reason": "x"},
        drop=".score",
    )
    output = _batch(path, 1)
    assert f"{path.name}:{places['output_targets.deduction']}: " in output
    assert "在第 2 行加上此列名" in output
