"""Each row compiled once scores exactly as its kind's `score` works it out step by step.

Random departments for every shipped rubric, and every golden case, are scored both ways (`score`, whose rows
are compiled by their kinds, and `score_interpreted`); the results must be equal, explain steps included, and
their JSON lines byte for byte the same in both languages.
"""

from __future__ import annotations

import ast
import contextlib
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorer.engine.score import score, score_interpreted
from scorer.errors import UserError
from scorer.formula.closure import closure
from scorer.formula.evaluate import FUNCTIONS, FormulaError, MissingInput, compile_formula
from scorer.inputs.read import load_inputs, read_inputs
from scorer.kinds.registry import kind
from scorer.kinds.targets.text import TargetError, _parse, _parse_kept, _read_expression
from scorer.maintain.cases import discover, load_case
from scorer.render.json_result import as_line
from scorer.rules.model import Indicator, RuleSet
from scorer.rules.read import load_rules
from scorer.sources.jsonl import parse_line

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ["guangzhou-huangpu-bumen/2022", "mof-pmkpi-default/2020"]
RULES = {name: load_rules(ROOT / "rules" / name) for name in SHIPPED}
GOLDEN = discover([ROOT / "tests" / "golden", ROOT / "rules" / "mof-pmkpi-default" / "2020" / "golden"])
PROPERTY = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
TARGET_FORMS = [("≥", "次"), ("≤", "天"), (">", "%"), ("=", "项"), ("<", "个工作日"), ("≥", "万元")]
REASONS = ["未按时完成。", "资料不全；<b>未</b>归档", "A\u202eB 说明"]


def _both_ways(rules: RuleSet, department: Any) -> None:
    compiled, interpreted = score(rules, department), score_interpreted(rules, department)
    for lang in ("zh", "en"):
        assert as_line(compiled, lang) == as_line(interpreted, lang)
    assert compiled == interpreted  # every field, the explain steps (worked out when read) among them


def _number(draw: st.DrawFn, low: Decimal, high: Decimal, places: int) -> Decimal:
    units = draw(st.integers(int(low * 10**places), int(high * 10**places)))
    return Decimal(units).scaleb(-places)


def _values(draw: st.DrawFn, indicator: Indicator) -> dict[str, str]:
    values: dict[str, Decimal] = {}
    for spec in indicator.inputs:
        if spec.optional and draw(st.booleans()):
            continue
        low = spec.min if spec.min is not None else Decimal(0)
        high = spec.max if spec.max is not None else Decimal(5000)
        if spec.type == "yes_no":
            values[spec.name] = Decimal(draw(st.integers(0, 1)))
        elif spec.type == "integer":
            values[spec.name] = Decimal(draw(st.integers(int(low), min(int(high), 60))))
        elif spec.type == "percent":  # below 1 a bare number is refused as ambiguous
            values[spec.name] = _number(draw, max(low, Decimal(2)), high, draw(st.integers(0, 2)))
        else:
            values[spec.name] = _number(draw, low, high, draw(st.integers(0, 4)))
    for spec in indicator.inputs:
        if spec.max_ref and spec.name in values and spec.max_ref in values:
            values[spec.name] = min(values[spec.name], values[spec.max_ref])
    return {name: str(value) for name, value in values.items()}


def _targets(draw: st.DrawFn, indicator: Indicator) -> list[dict[str, Any]]:
    assert indicator.targets is not None
    count = draw(st.integers(1, 5))
    categories = list(indicator.targets.categories)
    shares = [indicator.weight // count] * count
    shares[0] += indicator.weight - sum(shares)
    found = []
    for index in range(count):
        prefix, unit = draw(st.sampled_from(TARGET_FORMS))
        goal = _number(draw, Decimal(1), Decimal(300), draw(st.integers(0, 2)))
        actual = max(Decimal(0), goal * Decimal(draw(st.integers(50, 150))) / 100).quantize(Decimal("0.01"))
        target: dict[str, Any] = {"name": f"指标{index}", "target": f"{prefix}{goal}{unit}"}
        target["actual"] = f"{actual}{unit}"
        if categories:
            target["category"] = draw(st.sampled_from(categories))
        if indicator.targets.roll_up == "per_target_points":
            target["weight"] = str(shares[index])
        found.append(target)
    return found


@st.composite
def departments(draw: st.DrawFn, rules: RuleSet) -> dict[str, Any]:
    rows: dict[str, Any] = {}
    for indicator in rules.indicators:
        entry: dict[str, Any] = {}
        how = draw(st.sampled_from(["absent", "given", "given", "override"]))
        if how == "absent" and indicator.scoring != "formula":
            continue
        entry.update(_values(draw, indicator))
        if indicator.targets is not None and draw(st.booleans()):
            entry["targets"] = _targets(draw, indicator)
        if how == "override":
            points = _number(draw, Decimal(0), indicator.weight, 2)
            entry["override"] = {"score": str(points), "reason": draw(st.sampled_from(REASONS))}
        elif draw(st.integers(0, 3)) == 0:
            points = draw(st.sampled_from(["0.5", "1", "2.25", "3", "40"]))
            entry["deductions"] = [{"points": points, "reason": draw(st.sampled_from(REASONS))}]
        if indicator.scoring == "formula" and draw(st.integers(0, 4)) == 0:
            entry["reason"] = draw(st.sampled_from(REASONS))
        if draw(st.integers(0, 4)) == 0:
            entry["improvement"] = "加强管理。"
        rows[indicator.id] = entry
    return {"department": "测试部门", "year": rules.year, "rubric": rules.id, "indicators": rows}


@pytest.mark.parametrize("name", SHIPPED)
@PROPERTY
@given(data=st.data())
def test_a_random_department_scores_the_same_compiled_and_interpreted(name: str, data: st.DataObject) -> None:
    rules = RULES[name]
    document = data.draw(departments(rules))
    try:
        department = read_inputs(parse_line(json.dumps(document, ensure_ascii=False), "in.jsonl", 1), rules)
    except UserError:
        return  # a department the reader refuses is never scored
    _both_ways(rules, department)


@pytest.mark.parametrize("path", GOLDEN, ids=[p.name for p in GOLDEN])
def test_every_golden_case_scores_the_same_compiled_and_interpreted(path: Path) -> None:
    case = load_case(path)
    rules = load_rules(path.parent.name) if path.parent.name.isdigit() else RULES["mof-pmkpi-default/2020"]
    try:
        if case.inputs_file is not None:
            department = load_inputs(case.inputs_file, rules)
        else:
            assert case.inputs_doc is not None
            department = read_inputs(case.inputs_doc, rules)
    except UserError:
        assert "error_contains" in case.expect  # a case that expects a refusal
        return
    _both_ways(rules, department)


@pytest.mark.parametrize("name", SHIPPED)
def test_every_kind_of_the_shipped_rubrics_compiles_its_rows(name: str) -> None:
    for indicator in RULES[name].indicators:
        assert kind(indicator.scoring).compile(indicator.spec, indicator) is not None, indicator.id


def test_the_closure_builder_refuses_a_form_outside_the_language() -> None:
    for source in ("x[0]", "x.real", "(lambda: 1)()", "[a for a in b]", "f'{x}'"):
        with pytest.raises(TypeError):
            closure(ast.parse(source, mode="eval").body, {}, FUNCTIONS, MissingInput)


WORDINGS = ["≥{}次", "≤{}天", ">{}%", "={}项", "<{}个工作日", "{}%以上", "不超过{}天", "{}%", "{}", "-{}%", "负{}万元",
            "约{}次", " ≥ {} 次 ", "０{}次", "{}。", "{}%。", ".{}次", "{}²", "达到{}%", "{}万元以上", "±{}%", "-{}次",
            "1{}次", "{}.5次", "工业{}%", "-{}", "负{}", "-{}℃", "降低{}%"]  # fmt: skip
NUMBERS = st.sampled_from(
    ["0", "00", "0.00", "007", "1", "2.50", "999999999999", "1000000000000", "0.00000000001"]
)


@pytest.mark.parametrize("wording", WORDINGS)
@settings(max_examples=40, deadline=None)
@given(
    number=NUMBERS | st.decimals(min_value=0, max_value=10**13, places=3).map(str),
    reading_actual=st.booleans(),
)
def test_a_text_read_through_its_wording_reads_as_the_full_reader_reads_it(
    wording: str, number: str, reading_actual: bool
) -> None:
    """A text read in full, and the same text read through its wording (read once before, with another number):
    the same expression, or the same refusal."""
    text = wording.format(number)
    outcomes = []
    for read in (lambda: _read_expression(text, reading_actual), lambda: _parse(text, reading_actual)):
        _parse_kept.cache_clear()
        with contextlib.suppress(TargetError):
            _parse(wording.format("3"), reading_actual)  # the wording, seen first with another number
        try:
            outcomes.append(repr(read()))
        except TargetError as exc:
            outcomes.append(f"refused: {exc} {exc.field} {exc.hint}")
    assert outcomes[0] == outcomes[1]


FORMULAS = [
    "a + b * c - a / b",
    "weight * min(a, 100) / 100",
    "min(a / b, 1) * weight if b else min(a * weight, weight)",
    "a / 3 + b",
    "clamp(a - b, 0, weight) + floor(c / 7) + ceil(a)",
    "a > b",
    "a and b or c",
    "not a or b and c",
    "(a == b) + (a != c) - abs(c) + 0.1 + 1e2",
    "a % b + c",
    "a ** 2 - b",
    "a * b * c * a * b * c * 1000000",
    "year - 2000 + max(a, b, c)",
]
DECIMALS = st.decimals(min_value=-(10**6), max_value=10**6, places=4) | st.sampled_from(
    [Decimal(0), Decimal("0.000"), Decimal("-0"), Decimal("1E+5"), Decimal("3")]
)


@pytest.mark.parametrize("source", FORMULAS)
@settings(max_examples=60, deadline=None)
@given(a=DECIMALS, b=DECIMALS, c=DECIMALS)
def test_a_formula_in_exact_decimals_gives_the_value_of_its_fractions(
    source: str, a: Decimal, b: Decimal, c: Decimal
) -> None:
    formula = compile_formula(source, {"a", "b", "c", "weight", "year"})
    names = {"a": a, "b": b, "c": c, "weight": Decimal(10), "year": Decimal(2022)}
    outcomes = []
    for evaluate in (formula.evaluate, formula.evaluate_exact):
        try:
            value = evaluate(names)
            outcomes.append(("value", Fraction(value), type(value) in (Decimal, Fraction)))
        except FormulaError as exc:
            outcomes.append(("refused", type(exc), str(exc)))
    assert outcomes[0] == outcomes[1]


def test_a_formula_stays_in_decimals_only_while_every_step_is_exact() -> None:
    formula = compile_formula("weight * min(a, 100) / 100 + a / b", {"a", "b", "weight"})
    halves = formula.evaluate_exact({"a": Decimal("98.885"), "b": Decimal(2), "weight": Decimal(10)})
    thirds = formula.evaluate_exact({"a": Decimal("98.885"), "b": Decimal(3), "weight": Decimal(10)})
    assert type(halves) is Decimal and halves == Decimal("59.331")
    assert type(thirds) is Fraction and thirds == Fraction(98885, 1000) * 10 / 100 + Fraction(98885, 3000)


def test_an_ordinary_department_is_scored_by_the_compiled_rows_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows with values, targets and deductions never go back to the interpreted scorer (only empty rows, worked
    out once per rule set, do)."""
    import scorer.engine.compiled as compiled

    rules = load_rules(ROOT / "rules" / "guangzhou-huangpu-bumen" / "2022")
    document = {
        "department": "甲",
        "year": 2022,
        "indicators": {
            "budget_execution": {"execution_rate": "89.92"},
            "contract_filing_timeliness": {"contracts_total": 7, "contracts_filed_on_time": 5},
            "procurement_policy_effect": {"sme_suitable_budget": "10", "sme_awarded_amount": "9.5"},
            "output_targets": {"targets": [{"name": "a", "target": "≥50次", "actual": "45次"}]},
            "pm_system_execution": {"deductions": [{"points": "1.5", "reason": "未开展自评。"}]},
        },
    }
    department = read_inputs(parse_line(json.dumps(document, ensure_ascii=False), "in.jsonl", 1), rules)
    expected = score_interpreted(rules, department)

    def interpreted(*args: object) -> None:
        raise AssertionError(f"scored the interpreted way: {args[0]}")

    monkeypatch.setattr(compiled, "score_indicator", interpreted)
    assert score(rules, department) == expected
