"""`score diff` and `score explain`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app

from .conftest import EXAMPLES, FIXTURE_RULES, ROOT

runner = CliRunner()
# The frozen rules the edited copies start from (rules_copy), so a diff shows only the edit under test.
BEFORE = str(FIXTURE_RULES)
ZHENGWU = EXAMPLES / "2022-zhengwu-fuwu.yaml"
SUIGANG = EXAMPLES / "2022-suigang-zhizao.yaml"


@pytest.fixture
def reweighted(rules_copy: Callable[..., Path]) -> Path:
    """The frozen 2022 rules with two indicators of 采购管理 reweighted (the group still sums to 10)."""
    return rules_copy(
        {
            "indicators/contract_filing_timeliness.yaml": ("weight: 1\n", "weight: 2\n"),
            "indicators/contract_signing_timeliness.yaml": ("weight: 3\n", "weight: 2\n"),
        }
    )


def test_diff_shows_both_reweightings_and_their_effect_on_both_examples(reweighted: Path) -> None:
    result = runner.invoke(
        app, ["diff", BEFORE, str(reweighted), "--inputs", str(SUIGANG), "--inputs", str(ZHENGWU)]
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "  contract_filing_timeliness: reweighted: 1 → 2\n" in out
    assert "  contract_signing_timeliness: reweighted: 3 → 2\n" in out
    # 穗港: 2 × 9/22 = 0.818 → 0.82 (+0.41); the signing row 3 → 2 (−1)
    assert "2022-suigang-zhizao.yaml: 98.29 → 97.7 (-0.59), 优 → 优" in out
    # 政务: 2 × 9/11 = 1.636 → 1.64 (+0.82); the signing row 3 → 2 (−1)
    assert "2022-zhengwu-fuwu.yaml: 94.2 → 94.02 (-0.18), 优 → 优" in out
    assert "      contract_filing_timeliness: 0.82 → 1.64\n" in out


def test_diff_markdown_is_a_table_for_a_pull_request(reweighted: Path) -> None:
    result = runner.invoke(app, ["diff", BEFORE, str(reweighted), "--inputs", str(ZHENGWU), "-f", "markdown"])
    assert result.exit_code == 0, result.output
    assert "| `contract_filing_timeliness` | reweighted: 1 → 2 |" in result.stdout
    assert "| 94.2 | 94.02 | -0.18 | 优 | 优 |" in result.stdout


@pytest.mark.parametrize(
    ("file", "old", "new", "change"),
    [
        ("indicators/budget_execution.yaml", "mode: down}", "mode: half_up}", "budget_execution: rounding: 2 places, down → 2 places, half_up"),
        ("indicators/budget_execution.yaml", "formula: weight * min(execution_rate, 100) / 100", "formula: weight * execution_rate / 100",
         "budget_execution: formula: weight * min(execution_rate, 100) / 100 → weight * execution_rate / 100"),
        ("indicators/pm_system_execution.yaml", "    points: 1\n", "    points: 2\n",
         "pm_system_execution: deductions: no_unit_self_evaluation=1 → no_unit_self_evaluation=2"),
        ("rubric.yaml", "{name: 良, min: 80, max: 90}\n  - {name: 中, min: 60, max: 80}",
         "{name: 良, min: 75, max: 90}\n  - {name: 中, min: 60, max: 75}", "rubric: grade band 良: [80, 90) → [75, 90)"),
        ("indicators/asset_inventory.yaml", "name: 资产盘点情况", "name: 资产清查盘点情况", "asset_inventory: renamed: 资产盘点情况 → 资产清查盘点情况"),
    ],
)  # fmt: skip
def test_diff_names_each_kind_of_change(
    rules_copy: Callable[..., Path], file: str, old: str, new: str, change: str
) -> None:
    folder = rules_copy({file: (old, new)})
    result = runner.invoke(app, ["diff", BEFORE, str(folder), "--inputs", str(ZHENGWU)])
    assert result.exit_code == 0, result.output
    assert f"  {change}\n" in result.stdout


def test_diff_of_identical_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, ["diff", "2022", "rules/guangzhou-huangpu-bumen/2022"])
    assert result.exit_code == 0, result.output
    assert "(no rule changes)" in result.stdout
    assert "examples/2022-zhengwu-fuwu.yaml: 94.2 → 94.2 (±0), 优 → 优" in result.stdout


def test_explain_walks_through_formula_rounding_and_deductions() -> None:
    result = runner.invoke(
        app, ["explain", str(ZHENGWU), "--rules", BEFORE, "-i", "budget_execution", "--lang", "zh"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "budget_execution  部门预算资金支出率（履职效能 / 整体效能，分值 10）",
        "  公式: weight * min(execution_rate, 100) / 100  ← execution_rate=98.88  = 9.888",
        "  取舍: 保留2位小数，截尾  = 9.88",
        "  得分: 9.88，失分 0.12",
    ]


def test_explain_speaks_english_too() -> None:
    result = runner.invoke(
        app, ["explain", str(ZHENGWU), "--rules", BEFORE, "-i", "budget_execution", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "budget_execution  部门预算资金支出率 (履职效能 / 整体效能, weight 10)",
        "  formula: weight * min(execution_rate, 100) / 100  ← execution_rate=98.88  = 9.888",
        "  rounding: 2 places, down  = 9.88",
        "  score: 9.88, lost 0.12",
    ]


def test_explain_shows_overrides_and_deductions() -> None:
    result = runner.invoke(app, ["explain", str(ZHENGWU), "--rules", BEFORE, "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert (
        "  人工调整: 评价人调整得分：自评表未列示中小企业采购金额，按自评表得分计1分。  = 1" in result.stdout
    )
    assert "  扣分: -1：我部门2022年未组织下属事业单位开展整体绩效自评，本项扣1分。  = 6" in result.stdout
    assert result.stdout.endswith("总分 94.2 / 100，评价等级 优\n")


def test_explain_an_unknown_indicator_is_a_usage_error() -> None:
    result = runner.invoke(app, ["explain", str(ZHENGWU), "--rules", BEFORE, "-i", "contract_filing"])
    assert result.exit_code == 2
    assert "did you mean 'contract_filing_timeliness'?" in result.output
