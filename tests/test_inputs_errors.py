"""A department's mistakes: one clear message each, naming the file, line, indicator and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from scorer.errors import UserError
from scorer.inputs.read import load_inputs, parse_inputs
from scorer.rules.model import RuleSet

from .conftest import VALID_INPUTS, dedent

GOOD = VALID_INPUTS


def refusal(rules: RuleSet, text: str) -> str:
    with pytest.raises(UserError) as caught:
        parse_inputs(dedent(text), rules, "dept.yaml")
    return str(caught.value)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    execution_rate: 98.88\n",
            "    execution_rat: 98.88\n",
            "dept.yaml:5: [budget_execution] execution_rat: unknown key 'execution_rat' "
            "(did you mean 'execution_rate'?)",
        ),
        (
            "  budget_execution:\n",
            "  budget_executon:\n",
            "dept.yaml:4: [budget_executon] unknown key 'budget_executon' (did you mean 'budget_execution'?)",
        ),
        (
            "    contracts_total: 11\n",
            "    contracts_total: 十一\n",
            "dept.yaml:7: [contract_filing_timeliness] contracts_total: '十一' is not a number",
        ),
        (
            "    contracts_filed_on_time: 9\n",
            "    contracts_filed_on_time: 12\n",
            "dept.yaml:8: [contract_filing_timeliness] contracts_filed_on_time: "
            "按时备案合同数（签订之日起2个工作日内） (12) cannot exceed 签订合同数 (11)",
        ),
        (
            "    contracts_total: 11\n",
            "    contracts_total: 11.5\n",
            "dept.yaml:7: [contract_filing_timeliness] contracts_total: expected a whole number, got 11.5",
        ),
        (
            "    execution_rate: 98.88\n",
            "    execution_rate: -3\n",
            "dept.yaml:5: [budget_execution] execution_rate: must be at least 0, got -3",
        ),
        (
            "    execution_rate: 98.88\n",
            "    execution_rate: 0.9888\n",
            "dept.yaml:5: [budget_execution] execution_rate: 0.9888 looks like a fraction",
        ),
        (
            "    sme_awarded_amount: 9\n",
            "",
            "dept.yaml:9: [procurement_policy_effect] sme_awarded_amount: missing input 'sme_awarded_amount' "
            "(实际授予中小企业的合同金额)",
        ),
        ("department: 测试部门\n", "", "dept.yaml:1: missing required key 'department'"),
        (
            "year: 2022\n",
            "year: 2021\n",
            "dept.yaml:2: year: the inputs are for 2021, but the rules are for 2022",
        ),
    ],
)
def test_a_mistake_gets_one_message_at_its_place(
    fixture_rules: RuleSet, old: str, new: str, message: str
) -> None:
    text = dedent(GOOD)
    assert old in text
    assert message in refusal(fixture_rules, text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "  pm_system_execution:\n    deductions:\n      - points: 1\n",
            "dept.yaml:14: [pm_system_execution] deductions[0].reason: a reason is required",
        ),
        (
            "  pm_system_execution:\n    deductions:\n      - {points: -1, reason: 甲}\n",
            "[pm_system_execution] deductions[0].points: points deducted must be more than 0",
        ),
        (
            "  pm_system_execution:\n    deductions:\n      - {points: 0.125, reason: 甲}\n",
            "[pm_system_execution] deductions[0].points: 0.125 has more decimal places than 绩效管理制度执行 keeps (2)",
        ),
        (
            "  pm_system_execution:\n    deductions:\n      - code: no_unit_self_evaluaton\n",
            "[pm_system_execution] deductions[0].code: unknown deduction code 'no_unit_self_evaluaton' "
            "(did you mean 'no_unit_self_evaluation'?)",
        ),
        (
            "  pm_system_execution:\n    override: {score: 8, reason: 甲}\n",
            "[pm_system_execution] override.score: must be between 0 and the weight 7, got 8",
        ),
        (
            "  pm_system_execution:\n    override: {score: 6}\n",
            "dept.yaml:13: [pm_system_execution] override: missing required key 'reason'",
        ),
    ],
)
def test_deduction_and_override_mistakes(fixture_rules: RuleSet, entry: str, message: str) -> None:
    assert message in refusal(fixture_rules, dedent(GOOD) + entry)


def test_broken_yaml_names_the_line(fixture_rules: RuleSet) -> None:
    message = refusal(
        fixture_rules, dedent(GOOD).replace("    execution_rate: 98.88\n", "    execution_rate: [98.88\n")
    )
    assert message.startswith("dept.yaml:")
    assert "YAML syntax error" in message


def test_duplicate_keys_are_refused_not_silently_merged(fixture_rules: RuleSet) -> None:
    text = dedent(GOOD).replace(
        "    execution_rate: 98.88\n", "    execution_rate: 98.88\n    execution_rate: 50\n"
    )
    assert (
        "dept.yaml:6: [budget_execution] execution_rate: duplicate key 'execution_rate' (first defined on line 5)"
        in refusal(fixture_rules, text)
    )


def test_a_file_that_does_not_exist(fixture_rules: RuleSet, tmp_path: Path) -> None:
    with pytest.raises(UserError) as caught:
        load_inputs(tmp_path / "nope.yaml", fixture_rules)
    assert str(caught.value) == f"{tmp_path / 'nope.yaml'}: file not found"


def test_every_mistake_of_a_file_is_reported_at_once(fixture_rules: RuleSet) -> None:
    text = (
        dedent(GOOD)
        .replace("execution_rate: 98.88", "execution_rat: 98.88")
        .replace("contracts_total: 11", "contracts_totl: 11")
    )
    message = refusal(fixture_rules, text)
    assert message.startswith("dept.yaml:5: [budget_execution] execution_rat: unknown key")
    assert message.splitlines() == [
        "dept.yaml:5: [budget_execution] execution_rat: unknown key 'execution_rat' (did you mean 'execution_rate'?)",
        "dept.yaml:7: [contract_filing_timeliness] contracts_totl: unknown key 'contracts_totl' (did you mean 'contracts_total'?)",
    ]


def test_schema_problems_and_later_checks_are_reported_together(fixture_rules: RuleSet) -> None:
    """A file with an unknown key and a number out of its range, a count above its total and a deduction
    without a reason: all four at once, in file order, so a clerk fixes them in one pass."""
    text = """\
        department: 某局
        year: 2022
        indicators:
          budget_execution:
            execution_rate: 934
          contract_filing_timeliness:
            contracts_total: 12
            contracts_filed_on_time: 15
          合同签订及时性:
            contracts_total: 3
          pm_system_execution:
            deductions:
              - points: 1
          procurement_policy_effect:
            override: {score: 1, reason: 未列示金额}
        """
    with pytest.raises(UserError) as caught:
        parse_inputs(dedent(text), fixture_rules, "dept.yaml")
    lines = [(p.location.line, p.location.indicator) for p in caught.value.problems]
    assert lines == [
        (5, "budget_execution"),
        (8, "contract_filing_timeliness"),
        (9, "合同签订及时性"),
        (13, "pm_system_execution"),
    ]
    assert "contract_signing_timeliness (采购合同签订时效性)" in str(caught.value)


def test_a_wrong_department_name_does_not_hide_the_rest(fixture_rules: RuleSet) -> None:
    text = GOOD.replace("department:", "department: [1, 2]\nx_department:", 1)
    with pytest.raises(UserError) as caught:
        parse_inputs(text.replace("execution_rate: 98.88", "execution_rate: 934"), fixture_rules, "dept.yaml")
    fields = {p.location.field or p.location.indicator for p in caught.value.problems}
    assert "execution_rate" in fields
    assert any("department" in str(p) for p in caught.value.problems)


def test_a_number_written_with_its_own_unit_word_is_read(fixture_rules: RuleSet) -> None:
    """ "1分" for points, "2022年" for the year, "3个" for the units: the field's own unit. Another word is refused."""
    text = (
        GOOD.replace("year: 2022", "year: 2022年\nunits: 3个")
        + "  pm_system_execution:\n    deductions:\n      - points: 1分\n        reason: 未开展自评\n"
    )
    department = parse_inputs(text, fixture_rules, "dept.yaml")
    assert department.year == 2022 and department.units == 3
    assert str(department.indicators["pm_system_execution"].deductions[0].points) == "1"
    message = refusal(fixture_rules, text.replace("1分", "1元"))
    assert "dept.yaml:" in message and "points" in message


def test_a_year_without_released_rules_is_the_file_s_problem(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cli import app

    path = tmp_path / "dept.yaml"
    path.write_text(GOOD.replace("year: 2022", "year: 2031"), encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(path), "--lang", "en"])
    assert result.exit_code == 1
    assert "dept.yaml:2: year: no released rules for the year 2031" in result.stderr
