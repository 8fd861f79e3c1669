"""A formula worked out over integer ratios (scorer/formula/ratio.py) gives exactly the value of its fractions,
or leaves the formula to them; targets' mean completion in integers is the mean they roll up to; and the engine's
rows scored that way, with their reasons worded only when read, say what the interpreted rows say."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cli import app
from scorer.engine.score import score, score_interpreted
from scorer.formula.evaluate import FormulaError, compile_formula
from scorer.formula.ratio import NotHere, ratio_closure
from scorer.i18n import say
from scorer.inputs.read import read_inputs
from scorer.kinds.targets.judge import ONE, mean_completion, roll_up
from scorer.kinds.targets.model import Expression, Part, Target
from scorer.kinds.targets.words import AT_LEAST, AT_MOST, EXACTLY
from scorer.rules.read import load_rules
from scorer.sources.jsonl import parse_line

from .conftest import VALID_INPUTS
from .test_compiled_engine import DECIMALS

_RATE = "execution_rate: 98.88"

FORMULAS = [
    "a + b * c - a / b",
    "weight * min(a, 100) / 100",
    "min(a / b, 1) * weight if b else min(a * weight, weight)",
    "a / 3 + b",
    "clamp(a - b, 0, weight) + abs(c / 7) - max(a, -b, c)",
    "a > b",
    "a and b or c",
    "not a or b and c",
    "(a == b) + (a != c) - abs(c) + 0.1 + 1e2",
    "a * b * c * a * b * c * 1000000",
    "year - 2000 + max(a, b, c)",
    "-a if a < b <= c else +b / (c - a)",
    "weight * (a >= b)",
    "a / b / c",
    "min(a, b) == max(b, a) or a != b",
]


@pytest.mark.parametrize("source", FORMULAS)
@settings(max_examples=60, deadline=None)
@given(a=DECIMALS, b=DECIMALS, c=DECIMALS)
def test_a_formula_over_ratios_gives_the_value_of_its_fractions_or_leaves_it_to_them(
    source: str, a: Decimal, b: Decimal, c: Decimal
) -> None:
    formula = compile_formula(source, {"a", "b", "c", "weight", "year"})
    weight = Decimal("12.5")
    ratio = ratio_closure(formula.tree, {"weight": weight})
    assert ratio is not None
    try:
        expected: object = formula.evaluate({"a": a, "b": b, "c": c, "weight": weight, "year": Decimal(2022)})
    except FormulaError:
        expected = "refused"
    try:
        found = ratio({"a": a, "b": b, "c": c}, 2022)
    except NotHere:
        return  # left to the fractions, whatever they give
    if type(found) is tuple:
        assert found[1] > 0 and Fraction(*found) == expected
    else:  # a truth value: the fractions refuse it as no number, or give its 0 or 1
        assert expected == "refused" or Fraction(found) == expected


@pytest.mark.parametrize("source", ["a % b", "a ** 2", "floor(a)", "ceil(a) + b"])
def test_the_forms_left_to_the_fractions_are_not_compiled_over_ratios(source: str) -> None:
    assert ratio_closure(compile_formula(source, {"a", "b"}).tree, {}) is None


def test_the_shipped_formulas_are_worked_out_over_ratios() -> None:
    rules = load_rules("2022")
    formulas = [i.formula for i in rules.indicators if i.scoring == "formula" and i.formula is not None]
    assert formulas and all(ratio_closure(f.tree, {"weight": Decimal(1)}) is not None for f in formulas)


def test_a_row_losing_points_says_why_when_read_and_its_result_is_built_once() -> None:
    rules = load_rules("2022")
    document = {
        "department": "甲",
        "year": 2022,
        "indicators": {
            "budget_execution": {"execution_rate": "89.92"},
            "contract_filing_timeliness": {"contracts_total": 7, "contracts_filed_on_time": 5},
            "procurement_policy_effect": {"sme_suitable_budget": "3", "sme_awarded_amount": "1"},
            "pm_system_execution": {"deductions": [{"points": "9", "reason": "未开展自评。"}]},
        },
    }
    department = read_inputs(parse_line(json.dumps(document, ensure_ascii=False), "in.jsonl", 1), rules)
    result, expected = score(rules, department), score_interpreted(rules, department)
    rows = {row.id: row for row in result.indicators}
    assert rows["contract_filing_timeliness"].score == Decimal("0.71")
    (reason,) = rows["contract_filing_timeliness"].reasons  # the template, filled in when read
    assert say(reason, "zh") == "2022年共签订7份合同，其中5份按要求及时备案，按占比得0.71分。"
    assert rows["pm_system_execution"].clamped and rows["pm_system_execution"].score == 0
    assert result.indicators == expected.indicators and result == expected
    assert result.indicators[0] is result.indicators[0]  # built once, then the same


def _target(direction: str, strict: bool, goal: Decimal, actual: Decimal, unit: str) -> Target:
    wanted = Expression("t", (Part("", direction, strict, goal, unit),))
    got = Expression("a", (Part("", EXACTLY, False, actual, unit),))
    return Target("指标", wanted, "t", got, "a")


AMOUNTS = st.decimals(min_value=-1000, max_value=10**6, places=3)
TARGETS = st.builds(
    _target, st.sampled_from([AT_LEAST, AT_MOST, EXACTLY]), st.booleans(), AMOUNTS, AMOUNTS,
    st.sampled_from(["次", "%", "万元", ""]),
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(listed=st.lists(TARGETS, min_size=1, max_size=8))
def test_the_mean_completion_in_integers_is_the_mean_the_targets_roll_up_to(listed: list[Target]) -> None:
    numerator, denominator = mean_completion("mean_completion", listed) or (None, 1)
    assert denominator > 0 and Fraction(numerator, denominator) == roll_up("mean_completion", ONE, listed).raw
    assert mean_completion("equal_shares", listed) is None


@pytest.mark.parametrize(
    ("formula", "said"),
    [
        ("weight * 5 / (execution_rate - 50)", "division by zero"),
        (
            "weight if execution_rate != 50 else execution_rate > 1",
            "the result must be a number, not bool",
        ),
        (
            "weight * 10 ** 10 * execution_rate if execution_rate == 50 else weight",
            "out of range (more than 10^12)",
        ),
    ],
)
def test_a_formula_failing_on_a_departments_values_is_refused_as_before(
    rules_copy: Callable[..., Path], tmp_path: Path, formula: str, said: str
) -> None:
    """What the ratios leave (a division by zero, a truth value, a number out of range) is said by the formula's
    own evaluation, at the rule's file and line, with exit 1: never a wrong score, never a traceback."""
    folder = rules_copy(
        {"indicators/budget_execution.yaml": ("weight * min(execution_rate, 100) / 100", formula)}
    )
    inputs = tmp_path / "dept.yaml"
    inputs.write_text(VALID_INPUTS.replace(_RATE, "execution_rate: 50"), encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(inputs), "--rules", str(folder), "-f", "json"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "budget_execution.yaml:11: [budget_execution] formula: " in result.stderr and said in result.stderr
