from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from scorer.engine.result import Result
from scorer.errors import UserError
from scorer.i18n import say
from scorer.rules.model import RuleSet
from scorer.rules.read import load_rules

from .conftest import by_id, zh


def test_an_indicator_left_out_scores_its_full_weight(score_yaml: Callable[..., Result]) -> None:
    result = score_yaml(
        """
        department: 测试部门
        year: 2022
        indicators:
          budget_execution: {execution_rate: 100}
          contract_filing_timeliness: {contracts_total: 3, contracts_filed_on_time: 3}
          procurement_policy_effect: {sme_suitable_budget: 10, sme_awarded_amount: 10}
        """
    )
    assert result.total == Decimal(100)
    assert result.grade == "优"
    assert all(i.score == i.weight and not i.reasons for i in result.indicators)


BASE = """
department: 测试部门
year: 2022
indicators:
  budget_execution: {execution_rate: 100}
  contract_filing_timeliness: {contracts_total: 3, contracts_filed_on_time: 3}
  procurement_policy_effect: {sme_suitable_budget: 10, sme_awarded_amount: 10}
"""


def with_entry(entry: str) -> str:
    return BASE + "\n".join("  " + line for line in entry.strip("\n").splitlines()) + "\n"


def test_deductions_subtract_and_keep_their_reasons(score_yaml: Callable[..., Result]) -> None:
    result = score_yaml(
        with_entry(
            """
pm_system_execution:
  deductions:
    - {points: 1, reason: 未组织下属单位自评。, improvement: 组织自评。}
    - {points: 0.5, reason: 监控不及时。}
"""
        )
    )
    row = by_id(result)["pm_system_execution"]
    assert row.score == Decimal("5.5")
    assert zh(row.reasons) == ("未组织下属单位自评。", "监控不及时。")
    assert row.improvements == ("组织自评。",)
    assert result.total == Decimal("98.5")


def test_deductions_beyond_the_weight_stop_at_zero(score_yaml: Callable[..., Result]) -> None:
    result = score_yaml(
        with_entry(
            """
financial_compliance:
  deductions:
    - {points: 1.5, reason: 甲。}
    - {points: 1.5, reason: 乙。}
"""
        )
    )
    row = by_id(result)["financial_compliance"]
    assert row.score == 0
    assert row.clamped
    assert any("扣完为止" in note for note in zh(row.notes))
    assert result.total == Decimal(98)


def test_a_declared_deduction_is_applied_by_its_code(score_yaml: Callable[..., Result]) -> None:
    result = score_yaml(
        with_entry("asset_allocation_compliance:\n  deductions:\n    - code: exceeds_staffing")
    )
    row = by_id(result)["asset_allocation_compliance"]
    assert row.score == 1
    assert zh(row.reasons) == ("配置资产超出现有编制数。",)
    assert row.improvements == ("加强资产采购管理，严格按照规定配置资产。",)


def test_an_override_replaces_the_formula_and_is_flagged(score_yaml: Callable[..., Result]) -> None:
    result = score_yaml(
        BASE.replace(
            "contract_filing_timeliness: {contracts_total: 3, contracts_filed_on_time: 3}",
            "contract_filing_timeliness: {override: {score: 0, reason: 部分合同备案时间超过2个工作日。}}",
        )
    )
    row = by_id(result)["contract_filing_timeliness"]
    assert row.score == 0
    assert row.overridden
    assert zh(row.reasons) == ("部分合同备案时间超过2个工作日。",)


def test_formula_score_explains_itself_in_the_published_style(score_yaml: Callable[..., Result]) -> None:
    result = score_yaml(
        BASE.replace(
            "contracts_total: 3, contracts_filed_on_time: 3",
            "contracts_total: 22, contracts_filed_on_time: 9",
        )
    )
    row = by_id(result)["contract_filing_timeliness"]
    assert row.score == Decimal("0.41")
    assert zh(row.reasons) == ("2022年共签订22份合同，其中9份按要求及时备案，按占比得0.41分。",)


def test_no_contracts_scores_full_marks_as_the_rule_file_assumes(score_yaml: Callable[..., Result]) -> None:
    result = score_yaml(
        BASE.replace(
            "contracts_total: 3, contracts_filed_on_time: 3", "contracts_total: 0, contracts_filed_on_time: 0"
        )
    )
    assert by_id(result)["contract_filing_timeliness"].score == 1


def test_an_execution_rate_above_its_plausible_range_is_refused_with_the_likely_slip(
    score_yaml: Callable[..., Result],
) -> None:
    with pytest.raises(UserError) as raised:
        score_yaml(BASE.replace("execution_rate: 100", "execution_rate: 934"))
    assert say(raised.value.problems[0].message) == "must be at most 100, got 934 (did you mean 93.4?)"


def test_with_a_wider_range_a_rate_above_100_percent_is_capped(
    rules_copy: Callable[..., Path], score_yaml: Callable[..., Result]
) -> None:
    rules = _rules_with(rules_copy, "budget_execution", "max: 100,", "max: 200,")
    result = score_yaml(BASE.replace("execution_rate: 100", "execution_rate: 104.5"), rules)
    assert by_id(result)["budget_execution"].score == 10


def _rules_with(rules_copy: Callable[..., Path], indicator: str, old: str, new: str) -> RuleSet:
    return load_rules(rules_copy({f"indicators/{indicator}.yaml": (old, new)}))


def test_a_formula_overshooting_the_weight_is_clamped_and_says_so(
    rules_copy: Callable[..., Path], score_yaml: Callable[..., Result]
) -> None:
    rules = _rules_with(
        rules_copy,
        "budget_execution",
        "formula: weight * min(execution_rate, 100) / 100",
        "formula: weight * execution_rate / 80",
    )
    result = score_yaml(BASE, rules)
    row = by_id(result)["budget_execution"]
    assert row.score == 10
    assert row.clamped
    assert zh(row.notes) == ("公式结果 12.5 超出分值 10，按分值计。",)


def test_a_negative_formula_result_is_clamped_to_zero(
    rules_copy: Callable[..., Path], score_yaml: Callable[..., Result]
) -> None:
    rules = _rules_with(
        rules_copy,
        "budget_execution",
        "formula: weight * min(execution_rate, 100) / 100",
        "formula: execution_rate - 100",
    )
    result = score_yaml(BASE.replace("execution_rate: 100", "execution_rate: 90"), rules)
    row = by_id(result)["budget_execution"]
    assert (row.score, row.clamped) == (0, True)
    assert row.reasons  # the lost points are still explained


def test_missing_input_under_the_error_policy_is_an_error(score_yaml: Callable[..., Result]) -> None:
    with pytest.raises(UserError) as caught:
        score_yaml(BASE.replace("  budget_execution: {execution_rate: 100}\n", ""))
    message = str(caught.value)
    assert message.startswith(
        "inputs.yaml:3: [budget_execution] execution_rate: missing input 'execution_rate'"
    )


@pytest.mark.parametrize(("policy", "score"), [("full_marks", 10), ("zero", 0)])
def test_declared_missing_data_policies_are_applied_and_reported(
    policy: str, score: int, rules_copy: Callable[..., Path], score_yaml: Callable[..., Result]
) -> None:
    rules = _rules_with(rules_copy, "budget_execution", "on_missing: error", f"on_missing: {policy}")
    result = score_yaml(BASE.replace("  budget_execution: {execution_rate: 100}\n", ""), rules)
    row = by_id(result)["budget_execution"]
    assert row.score == score
    text = " ".join(zh(row.notes + row.reasons))
    assert "未提供年度平均预算执行率" in text


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", "优"),
        ("90", "优"),
        ("89.99", "良"),
        ("80", "良"),
        ("79.99", "中"),
        ("60", "中"),
        ("59.99", "差"),
        ("0", "差"),
    ],
)
def test_grade_boundaries(total: str, grade: str, fixture_rules: RuleSet) -> None:
    assert fixture_rules.grade_of(Decimal(total)).name == grade


def test_grade_boundary_end_to_end(score_yaml: Callable[..., Result]) -> None:
    result = score_yaml(
        with_entry(
            """
pm_system_execution:
  deductions: [{points: 7, reason: 甲。}]
ex_ante_evaluation:
  deductions: [{points: 3, reason: 乙。}]
asset_inventory:
  deductions: [{points: 0.01, reason: 丙。}]
"""
        )
    )
    assert result.total == Decimal("89.99")
    assert result.grade == "良"
    assert result.next_band == ("优", Decimal("0.01"))


def test_subtotals_add_up(score_yaml: Callable[..., Result]) -> None:
    result = score_yaml(with_entry("pm_system_building:\n  deductions: [{points: 2.5, reason: 制度简单。}]"))
    management = next(level for level in result.levels if level.name == "管理效率")
    assert management.score == Decimal("47.5")
    assert {c.name: c.score for c in management.children}["绩效管理"] == Decimal("12.5")
    assert sum(level.score for level in result.levels) == result.total


def test_evidence_ratios_are_shown_not_scored(score_yaml: Callable[..., Result]) -> None:
    result = score_yaml(with_entry("carryover_rate: {carryover_amount: 120.5, budget_total: 1945.54}"))
    row = by_id(result)["carryover_rate"]
    assert row.score == 2
    assert [(m.name, m.value) for m in row.metrics] == [("结转结余率", Decimal("6.19"))]
