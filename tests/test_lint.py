"""Broken rule folders, one mistake each: `score lint` pins each message with its file and line.

Each folder is a copy of the frozen rules in tests/fixtures, so the lines stay put when the shipped rubric
changes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from scorer.maintain.lint import lint

BE = "indicators/budget_execution.yaml"
BE_FORMULA = "formula: weight * min(execution_rate, 100) / 100"
AI = "indicators/asset_inventory.yaml"
CF_FORMULA = "formula: weight * contracts_filed_on_time / contracts_total if contracts_total else weight"

# (what, file, old text, new text, every error or warning lint must print, <R> standing for the folder)
CASES = [
    ("yaml syntax", AI, "weight: 1\n", "weight: [1\n",
     ["<R>/indicators/asset_inventory.yaml:6: YAML syntax error: did not find expected ',' or ']'"]),
    ("duplicate key", AI, "weight: 1\n", "weight: 1\nweight: 2\n",
     ["<R>/indicators/asset_inventory.yaml:6: [asset_inventory] weight: duplicate key 'weight' (first defined on line 5)"]),
    ("unknown key", AI, "explanation:", "explanaton:",
     ["<R>/indicators/asset_inventory.yaml:1: [asset_inventory] missing required key 'explanation'",
      "<R>/indicators/asset_inventory.yaml:6: [asset_inventory] explanaton: unknown key 'explanaton' (did you mean 'explanation'?); allowed here: explanation, inputs, formula, rounding, on_missing, reason, metrics, deductions, targets, bands, steps, per_occurrence, checklist, graded, proportional, alternatives, categorical, entered, not_applicable, gates, name_en, explanation_en"]),
    ("missing key", AI, "level2: 资产管理\n", "",
     ["<R>/indicators/asset_inventory.yaml:1: [asset_inventory] missing required key 'level2'"]),
    ("id not unique", AI, "id: asset_inventory", "id: asset_data_quality",
     ["<R>/indicators/asset_inventory.yaml:1: [asset_data_quality] id: id 'asset_data_quality' does not match the file name 'asset_inventory.yaml'",
      "<R>/indicators/asset_inventory.yaml:1: [asset_data_quality] id: id 'asset_data_quality' is also used by <R>/indicators/asset_data_quality.yaml",
      "<R>/rubric.yaml:54: listed indicator 'asset_inventory' has no file"]),
    ("id not the file name", AI, "id: asset_inventory", "id: asset_inventry",
     ["<R>/indicators/asset_inventory.yaml:1: [asset_inventry] id: id 'asset_inventry' does not match the file name 'asset_inventory.yaml'",
      "<R>/indicators/asset_inventory.yaml:1: [asset_inventry] id: indicator 'asset_inventry' is not listed under 'indicators' in <R>/rubric.yaml",
      "<R>/rubric.yaml:54: listed indicator 'asset_inventory' has no file (did you mean 'asset_inventry'?)"]),
    ("children do not sum to the parent", "rubric.yaml", "{name: 预算编制, weight: 3}", "{name: 预算编制, weight: 4}",
     ["<R>/rubric.yaml:16: the children of '管理效率' sum to 51, but its weight is 50",
      "<R>/rubric.yaml:17: the indicators under '管理效率 / 预算编制' weigh 3, but '预算编制' weighs 4; their files: <R>/indicators/ex_ante_evaluation.yaml:5 (3)"]),
    ("total does not match", "rubric.yaml", "total: 100", "total: 90",
     ["<R>/rubric.yaml:4: the indicators weigh 100 in all, but the total is 90",
      "<R>/rubric.yaml:9: level-1 weights sum to 100, but the total is 90",
      "<R>/rubric.yaml:27: the top grade '优' ends at 100, not at the total 90"]),
    ("grade gap", "rubric.yaml", "{name: 良, min: 80, max: 90}", "{name: 良, min: 80, max: 89}",
     ["<R>/rubric.yaml:27: gap between grades '良' (to 89) and '优' (from 90)"]),
    ("grade overlap", "rubric.yaml", "{name: 良, min: 80, max: 90}", "{name: 良, min: 80, max: 91}",
     ["<R>/rubric.yaml:27: grades '良' (to 91) and '优' (from 90) overlap"]),
    ("grades not from 0", "rubric.yaml", "{name: 差, min: 0, max: 60}", "{name: 差, min: 10, max: 60}",
     ["<R>/rubric.yaml:30: the lowest grade '差' starts at 10, not 0: scores below have no grade"]),
    ("formula does not parse", BE, BE_FORMULA, "formula: weight * (execution_rate",
     ["<R>/indicators/budget_execution.yaml:11: [budget_execution] formula: cannot parse the formula: '(' was never closed"]),
    ("unknown name", BE, BE_FORMULA, "formula: weight * min(execution_rat, 100) / 100",
     ["<R>/indicators/budget_execution.yaml:11: [budget_execution] formula: name 'execution_rat' is not defined (did you mean 'execution_rate'?)"]),
    ("function outside the allow-list", BE, BE_FORMULA, "formula: round(weight * execution_rate / 100, 2)",
     ["<R>/indicators/budget_execution.yaml:11: [budget_execution] formula: function 'round' is not allowed (allowed: abs, ceil, clamp, floor, max, min)"]),
    ("attribute access", BE, BE_FORMULA, "formula: weight.real",
     ["<R>/indicators/budget_execution.yaml:11: [budget_execution] formula: attribute access ('.') is not allowed in formulas"]),
    ("subscript", BE, BE_FORMULA, "formula: weight[0]",
     ["<R>/indicators/budget_execution.yaml:11: [budget_execution] formula: indexing ('[...]') is not allowed in formulas"]),
    ("lambda", BE, BE_FORMULA, 'formula: "(lambda: weight)()"',
     ["<R>/indicators/budget_execution.yaml:11: [budget_execution] formula: a lambda is not allowed in formulas"]),
    ("comprehension", BE, BE_FORMULA, 'formula: "[x for x in (weight, execution_rate)]"',
     ["<R>/indicators/budget_execution.yaml:11: [budget_execution] formula: a comprehension is not allowed in formulas"]),
    ("walrus", BE, BE_FORMULA, "formula: (w := weight)",
     ["<R>/indicators/budget_execution.yaml:11: [budget_execution] formula: assignment (':=') is not allowed in formulas"]),
    ("assignment", BE, BE_FORMULA, "formula: weight = execution_rate",
     ["<R>/indicators/budget_execution.yaml:11: [budget_execution] formula: cannot parse the formula: invalid syntax"]),
    ("xor", BE, BE_FORMULA, "formula: weight * (execution_rate / 100) ^ 2",
     ["<R>/indicators/budget_execution.yaml:11: [budget_execution] formula: '^' (XOR; for a power write '**') is not allowed in formulas"]),
    ("unguarded division", "indicators/contract_filing_timeliness.yaml", CF_FORMULA, "formula: weight * contracts_filed_on_time / contracts_total",
     ["<R>/indicators/contract_filing_timeliness.yaml:12: [contract_filing_timeliness] formula: divides by zero when 'contracts_total' is 0; guard it, e.g. '... if contracts_total else ...'"]),
    ("huge power", BE, BE_FORMULA, "formula: execution_rate ** 9 ** 9",
     ["<R>/indicators/budget_execution.yaml:11: [budget_execution] formula: the exponent of '**' must be a whole number written out (e.g. 2)"]),
    ("large exponent", BE, BE_FORMULA, "formula: execution_rate ** 100",
     ["<R>/indicators/budget_execution.yaml:11: [budget_execution] formula: the exponent 100 is larger than 10"]),
    ("huge result on sample values", BE, BE_FORMULA, "formula: execution_rate * 10 ** 10 * 10 ** 10",
     ["<R>/indicators/budget_execution.yaml:11: [budget_execution] formula: on sample values: the result is out of range (more than 10^12)"]),
    ("string", BE, BE_FORMULA, "formula: \"'x' * 100000000\"",
     ["<R>/indicators/budget_execution.yaml:11: [budget_execution] formula: only numbers may be written in formulas, not 'x'"]),
    ("non-number result", BE, BE_FORMULA, "formula: execution_rate > 50",
     ["<R>/indicators/budget_execution.yaml:11: [budget_execution] formula: on sample values: the result must be a number, not bool"]),
    ("unknown placeholder", BE, "按执行率×权重得{score}分", "按执行率×权重得{scor}分",
     ["<R>/indicators/budget_execution.yaml:15: [budget_execution] reason: unknown placeholder '{scor}' (did you mean 'score'?)"]),
    ("placeholder attribute", BE, "按执行率×权重得{score}分", "按执行率×权重得{score.__class__}分",
     ["<R>/indicators/budget_execution.yaml:15: [budget_execution] reason: placeholder '{score.__class__}' must be a plain name (no '.', '[' or numbers)"]),
    ("placeholder index", BE, "按执行率×权重得{score}分", "按执行率×权重得{score[0]}分",
     ["<R>/indicators/budget_execution.yaml:15: [budget_execution] reason: placeholder '{score[0]}' must be a plain name (no '.', '[' or numbers)"]),
    ("declared deduction above the weight", "indicators/pm_system_execution.yaml", "    points: 1\n", "    points: 8\n",
     ["<R>/indicators/pm_system_execution.yaml:10: [pm_system_execution] deductions[0].points: deduction 'no_unit_self_evaluation' takes 8 points, more than the weight 7"]),
    ("no provenance", AI, "provenance:", "sources:",
     ["<R>/indicators/asset_inventory.yaml:1: [asset_inventory] missing required key 'provenance'",
      "<R>/indicators/asset_inventory.yaml:9: [asset_inventory] sources: unknown key 'sources'; allowed here: inputs, formula, rounding, on_missing, reason, metrics, deductions, targets, bands, steps, per_occurrence, checklist, graded, proportional, alternatives, categorical, entered, not_applicable, gates, provenance, name_en, explanation_en"]),
    ("optional formula input", BE, "label: 年度平均预算执行率", "optional: true, label: 年度平均预算执行率",
     ["<R>/indicators/budget_execution.yaml:9: [budget_execution] inputs.execution_rate.optional: the formula needs 'execution_rate', so it cannot be optional while on_missing is 'error'"]),
    ("assumption without a note", BE, "      note: Neither table shows a rate above 100%. Change min(execution_rate, 100) to change it.\n", "",
     ["<R>/indicators/budget_execution.yaml:22: [budget_execution] provenance.assumptions[0]: assumption without a note (say why it was chosen and how to change it)"]),
]  # fmt: skip


@pytest.mark.parametrize(("what", "file", "old", "new", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_mistake_is_found_at_its_line(
    what: str, file: str, old: str, new: str, expected: list[str], rules_copy: Callable[..., Path]
) -> None:
    folder = rules_copy({file: (old, new)})
    report = lint([str(folder)])
    assert [str(p).replace(str(folder), "<R>") for p in report.problems] == expected


def test_the_shipped_rules_are_clean() -> None:
    report = lint([])
    assert report.checked and report.problems == []


def test_every_problem_is_collected_before_reporting(rules_copy: Callable[..., Path]) -> None:
    folder = rules_copy(
        {
            BE: (BE_FORMULA, "formula: weight * min(execution_rat, 100) / 100"),
            "rubric.yaml": ("{name: 良, min: 80, max: 90}", "{name: 良, min: 80, max: 89}"),
            AI: ("weight: 1\n", "weight: 1\nweight: 2\n"),
        }
    )
    messages = [p.message for p in lint([str(folder)]).errors]
    assert len(messages) == 3


runner = CliRunner()


def test_cli_exits_1_on_errors_and_prints_path_line(rules_copy: Callable[..., Path]) -> None:
    folder = rules_copy({BE: (BE_FORMULA, "formula: weight ^ 2")})
    result = runner.invoke(app, ["lint", str(folder)])
    assert result.exit_code == 1
    assert f"{folder}/indicators/budget_execution.yaml:11: [budget_execution] formula:" in result.stdout
    assert result.stdout.endswith("1 error(s), 0 warning(s) in 1 rule folder(s)\n")


def test_warnings_fail_only_under_strict(rules_copy: Callable[..., Path]) -> None:
    folder = rules_copy({BE: (CASES[-1][2], "")})
    assert runner.invoke(app, ["lint", str(folder)]).exit_code == 0
    strict = runner.invoke(app, ["lint", "--strict", str(folder)])
    assert strict.exit_code == 1
    assert "(warning)" in strict.stdout


def test_json_output_for_tools(rules_copy: Callable[..., Path]) -> None:
    folder = rules_copy({BE: (BE_FORMULA, "formula: weight ^ 2")})
    result = runner.invoke(app, ["lint", str(folder), "--format", "json"])
    data = json.loads(result.stdout)
    assert data["problems"][0]["line"] == 11
    assert data["problems"][0]["indicator"] == "budget_execution"
    assert data["problems"][0]["severity"] == "error"


def test_shipped_rules_lint_clean_from_the_cli() -> None:
    result = runner.invoke(app, ["lint", "--strict"])
    assert result.exit_code == 0, result.stdout
