"""Inputs a rubric declares once for several rows (`inputs:` in rubric.yaml) and the budget block, usable by name in
any row's formulas: asked once (the inputs file's `shared:` and `budget:`, the workbook's 基本情况, a batch sheet's
columns), and a department leaving one out is refused where it is given."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from cli import app

from .conftest import VALID_INPUTS

runner = CliRunner()
SHARED = """
inputs:
  execution_target: {type: percent, min: 1, max: 100, label: 预算执行率目标, unit: "%"}
  year_end_balance: {type: number, min: 0, label: 年末结余, unit: 万元}
checks:
  - id: balance_within_basic
    holds: year_end_balance <= budget_basic
    message: 年末结余不得超过基本支出
"""
FORMULA = (
    "weight * min(budget_executed / budget_project * 100, execution_target) / execution_target"
    " if budget_project else weight"
)
GIVEN = "shared: {execution_target: 95, year_end_balance: 10}\nbudget: {project: 1000, basic: 400, executed: 900}\n"


def _rules(rules_copy: Callable[..., Path], shared: str = SHARED) -> Path:
    folder = rules_copy(
        {"indicators/budget_execution.yaml": ("weight * min(execution_rate, 100) / 100", FORMULA)}
    )
    with (folder / "rubric.yaml").open("a", encoding="utf-8") as rubric:
        rubric.write(shared)
    return folder


def _run(tmp_path: Path, rules: Path, text: str, *args: str) -> tuple[int, str, str]:
    path = tmp_path / "dept.yaml"
    path.write_text(text, encoding="utf-8")
    done = runner.invoke(app, ["run", str(path), "--rules", str(rules), "--lang", "en", *args])
    return done.exit_code, done.stdout, done.stderr


def test_a_rows_formula_reads_a_shared_input_and_the_budget_block(
    tmp_path: Path, rules_copy: Callable[..., Path]
) -> None:
    rules = _rules(rules_copy)
    code, out, err = _run(tmp_path, rules, GIVEN + VALID_INPUTS, "-f", "json")
    assert code == 0, err
    row = next(i for i in json.loads(out)["indicators"] if i["id"] == "budget_execution")
    assert row["score"] == 9.47  # 10 × min(90, 95) / 95 = 9.473…, down to 2 places


def test_a_shared_input_left_out_is_refused_where_it_is_given(
    tmp_path: Path, rules_copy: Callable[..., Path]
) -> None:
    rules = _rules(rules_copy)
    text = GIVEN.replace("execution_target: 95, ", "") + VALID_INPUTS
    code, _, err = _run(tmp_path, rules, text)
    assert code == 1
    assert (
        "dept.yaml:1: shared.execution_target: 'execution_target'" in err and "is missing under shared" in err
    )
    code, _, err = _run(tmp_path, rules, GIVEN.replace("executed: 900", "total: 1") + VALID_INPUTS)
    assert code == 1 and "'executed'" in err and "under budget" in err


def test_a_check_reads_a_shared_input(tmp_path: Path, rules_copy: Callable[..., Path]) -> None:
    code, _, err = _run(
        tmp_path,
        _rules(rules_copy),
        GIVEN.replace("year_end_balance: 10", "year_end_balance: 500") + VALID_INPUTS,
    )
    assert code == 1 and "breaks check balance_within_basic" in err
    assert "year_end_balance = 500, budget_basic = 400" in err


def test_the_template_schema_and_batch_sheet_ask_it_once(
    rules_copy: Callable[..., Path], tmp_path: Path
) -> None:
    rules = str(_rules(rules_copy))
    lines = runner.invoke(app, ["template", "--rules", rules, "--lang", "en"]).stdout.splitlines()
    assert any(line.startswith("shared:") for line in lines)
    asked = [line.split(":")[0].strip() for line in lines]
    assert asked.count("execution_target") == 1 and asked.count("executed") == 1
    schema = json.loads(runner.invoke(app, ["schema", "--rules", rules]).stdout)
    assert set(schema["properties"]["shared"]["properties"]) == {"execution_target", "year_end_balance"}
    assert (
        "execution_target"
        not in schema["properties"]["indicators"]["properties"]["budget_execution"]["properties"]
    )
    sheet = tmp_path / "batch.csv"
    runner.invoke(app, ["template", "--rules", rules, "--batch", "-o", str(sheet)])
    header = sheet.read_text(encoding="utf-8-sig").splitlines()[1].split(",")
    assert "shared.execution_target" in header and "budget.executed" in header
    assert "budget_execution.execution_target" not in header


def test_the_clerks_workbook_asks_it_on_its_profile_sheet(
    rules_copy: Callable[..., Path], tmp_path: Path
) -> None:
    rules = str(_rules(rules_copy))
    book = tmp_path / "in.xlsx"
    assert runner.invoke(app, ["template", "--rules", rules, "-o", str(book), "--lang", "zh"]).exit_code == 0
    sheet = openpyxl.load_workbook(book)["基本情况"]
    keys = {row[1].value: row[1].row for row in sheet.iter_rows()}
    assert "shared.execution_target" in keys
    done = runner.invoke(app, ["run", str(book), "--rules", rules, "--lang", "en"])
    assert done.exit_code == 1
    assert (
        f"in.xlsx:基本情况!C{keys['shared.execution_target']}:" in done.stderr
        and "fill in this cell" in done.stderr
    )


def test_lint_warns_of_a_shared_input_nothing_reads(rules_copy: Callable[..., Path]) -> None:
    unused = SHARED.replace("inputs:\n", "inputs:\n  unused_one: {type: number, min: 0, label: 无用}\n")
    lint = runner.invoke(app, ["lint", str(_rules(rules_copy, unused)), "--lang", "en"])
    assert "inputs.unused_one: the shared input 'unused_one' is read by no row and no check" in lint.stdout


def test_a_shared_value_refused_as_read_is_said_once(tmp_path: Path, rules_copy: Callable[..., Path]) -> None:
    code, _, err = _run(
        tmp_path,
        _rules(rules_copy),
        GIVEN.replace("execution_target: 95", "execution_target: 0.5") + VALID_INPUTS,
    )
    assert code == 1 and "0.5 looks like a fraction" in err and "is missing under shared" not in err


def test_lint_refuses_a_shared_input_named_as_what_formulas_read_already(
    rules_copy: Callable[..., Path],
) -> None:
    taken = SHARED.replace(
        "inputs:\n",
        "inputs:\n  weight: {type: number, min: 0, label: 权重}\n  budget_basic: {type: number, label: x}\n",
    )
    lint = runner.invoke(app, ["lint", str(_rules(rules_copy, taken)), "--lang", "en"])
    assert lint.exit_code == 1
    assert "inputs.weight: a shared input may not be named 'weight'" in lint.stdout
    assert "inputs.budget_basic: a shared input may not be named 'budget_basic'" in lint.stdout


def _previews(book: Path) -> dict[str, str]:
    from scorer.inputs import workbook_layout as layout

    sheet = openpyxl.load_workbook(book)["指标"]
    return {
        str(sheet.cell(row, layout.ID).value): str(sheet.cell(row, layout.SCORE).value)
        for row in range(layout.FIRST_ROW, sheet.max_row + 1)
        if str(sheet.cell(row, layout.SCORE).value).startswith("=")
    }


def test_the_workbook_preview_reads_shared_values_on_the_profile_sheet_and_a_rows_own_input_on_its_line(
    tmp_path: Path, rules_copy: Callable[..., Path]
) -> None:
    rules = _rules(rules_copy)
    book = tmp_path / "t.xlsx"
    done = runner.invoke(app, ["template", "--rules", str(rules), "--lang", "zh", "-o", str(book)])
    assert done.exit_code == 0, done.stderr
    preview = _previews(book)["budget_execution"]
    assert "'基本情况'!$C$" in preview and "$I$" not in preview.replace("'基本情况'!", "")
    # a row's own input named as a budget part is the row's own, on its own line, as `score run` reads it
    own = rules_copy(
        {"indicators/contract_filing_timeliness.yaml": ("contracts_total", "budget_total")}, name="own"
    )
    path = own / "indicators" / "contract_filing_timeliness.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("contracts_total", "budget_total"), encoding="utf-8"
    )
    done = runner.invoke(
        app, ["template", "--rules", str(own), "--lang", "zh", "-o", str(tmp_path / "o.xlsx")]
    )
    assert done.exit_code == 0, done.stderr
    preview = _previews(tmp_path / "o.xlsx")["contract_filing_timeliness"]
    assert "基本情况" not in preview and "$I$" in preview
