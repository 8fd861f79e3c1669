"""The rubric compiled once for speed scores exactly as it did worked out step by step.

Formulas run as closures built from their checked tree: they must compute what Python computes for the same
expression over the same fractions. Explain steps are worked out only when read; an empty row's result is
shared between departments: neither may change any result.
"""

from __future__ import annotations

import pickle
from decimal import Decimal
from fractions import Fraction

import pytest

from scorer.engine.result import Result
from scorer.engine.row import _Builder
from scorer.engine.score import score
from scorer.formula.evaluate import FormulaError, compile_formula
from scorer.inputs.read import parse_inputs
from scorer.rules.model import RuleSet

from .conftest import EXAMPLES

NAMES = {"a", "b", "c", "weight", "year"}
FORMULAS = [
    "a + b * c - a / b",
    "a % b",
    "-a + +b",
    "a ** 3 - b ** -2",
    "1 < a <= b < c",
    "a < b > c",
    "a and b or c",
    "not a or b and c",
    "a if b > c else c",
    "min(a, b, c) + max(a, b) + abs(a - c)",
    "clamp(a, b, c) + floor(a / c) + ceil(b / c)",
    "weight * min(a, 100) / 100",
    "year - 2000 + 0.1 + 1e2",
    "(a == b) + (a != c)",
    "True + False * a",
]
VALUES = [
    {
        "a": Decimal("98.88"),
        "b": Decimal("3"),
        "c": Decimal("-7.5"),
        "weight": Decimal(10),
        "year": Decimal(2022),
    },
    {"a": Decimal("0"), "b": Decimal("0.1"), "c": Decimal("2"), "weight": Decimal(1), "year": Decimal(2023)},
    {
        "a": Decimal("-4"),
        "b": Decimal("4"),
        "c": Decimal("4"),
        "weight": Decimal("0.5"),
        "year": Decimal(2021),
    },
]


def _python(source: str, values: dict[str, Decimal]) -> object:
    """The same expression evaluated by Python itself, over exact fractions (an independent oracle)."""
    exact = {k: Fraction(v) for k, v in values.items()}
    text = source
    for literal, fraction in (("0.1", "Fraction(1, 10)"), ("1e2", "Fraction(100)")):
        text = text.replace(literal, fraction)
    functions = {
        "min": min,
        "max": max,
        "abs": abs,
        "clamp": lambda x, low, high: max(low, min(x, high)),
        "floor": lambda x: x.__floor__(),
        "ceil": lambda x: x.__ceil__(),
        "Fraction": Fraction,
    }
    return eval(text, {"__builtins__": {}, **functions}, exact)  # the test's own oracle, on its own texts


@pytest.mark.parametrize("source", FORMULAS)
@pytest.mark.parametrize("values", VALUES, ids=["a", "b", "c"])
def test_a_compiled_formula_computes_what_python_computes(source: str, values: dict[str, Decimal]) -> None:
    formula = compile_formula(source, NAMES)
    try:
        expected: object = _python(source, values)
    except ZeroDivisionError:
        expected = None
    if expected is None or isinstance(expected, bool):  # a bare truth value is not a score: refused too
        with pytest.raises(FormulaError):
            formula.evaluate(values)
    else:
        assert formula.evaluate(values) == Fraction(expected)  # type: ignore[arg-type]


def test_a_compiled_formula_pickles_without_its_closures() -> None:
    formula = compile_formula("weight * a / b", NAMES)
    values = {"a": Decimal(1), "b": Decimal(3), "weight": Decimal(2)}
    before = formula.evaluate(values)
    again = pickle.loads(pickle.dumps(formula))
    assert again == formula and again.evaluate(values) == before == Fraction(2, 3)


def _department(text: str, rules: RuleSet) -> Result:
    return score(rules, parse_inputs(text, rules, "inputs.yaml"))


def test_steps_read_later_are_the_steps_worked_out_at_once(fixture_rules: RuleSet) -> None:
    text = (EXAMPLES / "2022-suigang-targets.yaml").read_text(encoding="utf-8")
    department = parse_inputs(text, fixture_rules, "inputs.yaml")
    result = score(fixture_rules, department)
    for indicator, scored in zip(fixture_rules.indicators, result.indicators, strict=True):
        eager = _Builder(indicator, department.inputs(indicator.id), department.year).build()
        assert scored == eager
        assert tuple(scored.steps) == tuple(eager.steps) and len(eager.steps) > 0
    again = pickle.loads(pickle.dumps(result))
    assert again == result
    assert all(type(i.steps) is tuple for i in again.indicators)


ONE = """department: 甲
year: {year}
indicators:
  budget_execution: {{execution_rate: {rate}}}
  contract_filing_timeliness: {{contracts_total: 4, contracts_filed_on_time: 3}}
  procurement_policy_effect: {{sme_suitable_budget: 10, sme_awarded_amount: 9}}
  pm_system_execution:
    deductions: [{{points: 1.5, reason: 未开展自评。}}]
"""
EMPTY = """department: 乙
year: {year}
indicators:
  budget_execution: {{execution_rate: {rate}}}
  contract_filing_timeliness: {{contracts_total: 0, contracts_filed_on_time: 0}}
  procurement_policy_effect: {{override: {{score: 0.5, reason: 未列示金额。}}}}
"""


@pytest.mark.parametrize("order", ["one first", "empty first"])
def test_a_row_one_department_leaves_empty_scores_as_if_alone(fixture_rules: RuleSet, order: str) -> None:
    texts = [
        ONE.format(year=2022, rate=90),
        EMPTY.format(year=2022, rate=80),
        EMPTY.format(year=2022, rate=70),
    ]
    if order == "empty first":
        texts.reverse()
    together = [_department(text, fixture_rules) for text in texts]
    alone = [_department(text, pickle.loads(pickle.dumps(fixture_rules))) for text in texts]
    assert together == alone
    assert [r.total for r in together] == [r.total for r in alone]
