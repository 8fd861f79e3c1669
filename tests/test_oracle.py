"""The engine against an independent exact oracle (tests/oracle.py), on generated departments.

Each case is generated as plain data, written out as an inputs file for the engine and handed as the same data to
the oracle; every indicator score, every subtotal, the total and the grade must agree. Run alone with
`python -m pytest tests/test_oracle.py` (or `-m oracle`); `HYPOTHESIS_PROFILE=ci` runs 1,000 examples a test
(what CI runs), `HYPOTHESIS_PROFILE=full` 10,000.
"""

from __future__ import annotations

import decimal
import functools
import json
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from scorer.engine.errors import RuleRuntimeError
from scorer.engine.result import Result
from scorer.engine.score import score
from scorer.errors import UserError
from scorer.inputs.read import parse_inputs
from scorer.rules.model import RuleSet
from scorer.rules.read import load_rules

from . import oracle
from .conftest import RULES_2022
from .oracle import AT_LEAST, AT_MOST, EXACTLY, Entry, Goal, Part, decimal_text

pytestmark = pytest.mark.oracle

# The number of examples comes from the loaded profile (see conftest.py; 1,000 under HYPOTHESIS_PROFILE=ci,
# 10,000 under HYPOTHESIS_PROFILE=full).
# No explain phase: tracing every line of the engine to explain a failure takes minutes and says little here.
PROPERTY = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
)

RULES = load_rules("2022")
RUBRIC = oracle.read_rubric(RULES_2022)
FORMULA_ROWS = ("budget_execution", "contract_filing_timeliness", "procurement_policy_effect")
TARGET_ROWS = ("output_targets", "outcome_targets")

# ---- writing an inputs file ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Raw:
    """A YAML scalar written exactly as given: 98.885, "98.885%", "1,234.5", "９８．８８"."""

    text: str


def quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _scalar(value: object) -> str:
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return quoted(str(value))


def _flow(item: Mapping[str, object]) -> str:
    return "{" + ", ".join(f"{key}: {_scalar(value)}" for key, value in item.items()) + "}"


def to_yaml(data: Mapping[str, object], indent: int = 0) -> str:
    pad = " " * indent
    lines = []
    for key, value in data.items():
        if isinstance(value, Mapping):
            lines.append(f"{pad}{key}:" + ("\n" + to_yaml(value, indent + 2) if value else " {}"))
        elif isinstance(value, list):
            lines.append(f"{pad}{key}:" + ("" if value else " []"))
            lines += [f"{pad}  - {_flow(item)}" for item in value]
        else:
            lines.append(f"{pad}{key}: {_scalar(value)}")
    return "\n".join(lines)


class Case:
    """One department: what the inputs file says (`written`) and what the oracle is given (`entries`)."""

    def __init__(self, entries: Mapping[str, Entry], written: Mapping[str, Mapping[str, object]]):
        self.entries, self.written = entries, written

    def text(self) -> str:
        indicators = {ident: entry for ident, entry in self.written.items() if entry}
        return to_yaml({"department": "生成的部门", "year": 2022, "indicators": indicators}) + "\n"

    def __repr__(self) -> str:  # a falsifying example is shown as the inputs file it wrote
        return "Case(inputs file:\n" + self.text() + ")"


def build(rows: Mapping[str, tuple[Entry, Mapping[str, object]]]) -> Case:
    return Case({k: e for k, (e, _) in rows.items()}, {k: w for k, (_, w) in rows.items()})


# ---- numbers -------------------------------------------------------------------------------------------------


def places_and_digits(value: Fraction) -> tuple[int, int]:
    """Decimal places and significant digits of a finite decimal, trailing zeros not counted."""
    text = decimal_text(abs(value))
    places = len(text.split(".")[1]) if "." in text else 0
    digits = text.replace(".", "").lstrip("0").rstrip("0") or "0"
    return places, len(digits)


def number_problem(value: Fraction) -> str | None:
    """Why the inputs reader must refuse a written number, whatever it is for: the contract of numbers.py."""
    if value == 0:
        return None
    places, digits = places_and_digits(value)
    if abs(value) >= 10**12:
        return "too large"
    if places > 10:
        return "more than 10 decimal places"
    if digits > 15:
        return "more than 15 significant digits"
    return None


def bounded(value: Fraction) -> Fraction:
    """The value cut (toward zero) to what an inputs file may hold: 10 places, 15 significant digits, < 1e12."""
    value = min(value, Fraction(10**12 - 1))
    places = 10
    while True:
        cut = Fraction(int(value * 10**places), 10**places)
        if number_problem(cut) is None:
            return cut
        places -= 1


def write(value: Fraction, style: str, percent: bool = False) -> Raw:
    """The value in one of the ways a department writes a number."""
    text = decimal_text(value)
    if style == "quoted":
        return Raw(quoted(text))
    if style == "percent" and percent:
        return Raw(quoted(text + "%"))
    if style == "fullwidth":
        wide = text.translate(str.maketrans("0123456789.-", "０１２３４５６７８９．－"))
        return Raw(quoted(wide + ("％" if percent else "")))
    if style == "thousands" and "-" not in text:
        whole, _, rest = text.partition(".")
        grouped = f"{int(whole):,}" + (f".{rest}" if rest else "")
        return Raw(quoted(grouped + ("%" if percent else "")))
    return Raw(text)


STYLES = st.sampled_from(["plain", "plain", "quoted", "percent", "fullwidth", "thousands"])
BOOLEANS = st.booleans()


# Strategies are built once and reused (functools.cache): building them anew for each draw costs more than scoring.
@functools.cache
def decimals(max_places: int, high: int) -> st.SearchStrategy[Fraction]:
    """Finite decimals in [0, high] with up to `max_places` places."""
    return st.integers(0, max_places).flatmap(
        lambda p: st.integers(0, high * 10**p).map(lambda n: Fraction(n, 10**p))
    )


# A hair's breadth either side of an edge: k.xx5 - 1e-7 is k.xx4999999.
HAIRS = st.sampled_from([0, 0, 0, 1, -1]).flatmap(
    lambda sign: st.sampled_from([7, 9, 10]).map(lambda exp: Fraction(sign, 10**exp))
)


@functools.cache
def integers(low: int, high: int) -> st.SearchStrategy[int]:
    return st.integers(low, high)


@functools.cache
def one_of(*choices: object) -> st.SearchStrategy[Any]:
    return st.sampled_from(choices)


@st.composite
def near_edges(draw: st.DrawFn, high: int) -> Fraction:
    """k.x, k.x5, k.xx, k.xx5 up to `high`, give or take a hair. A rate of k.x5 scores k.xx5 (rate / 10)."""
    places = draw(integers(1, 3))
    last = draw(one_of(0, 5))
    base = Fraction(draw(integers(0, high * 10 ** (places - 1))) * 10 + last, 10**places)
    value = base + draw(HAIRS)
    return value if value >= 0 else base


@functools.cache
@st.composite
def execution_rate(draw: st.DrawFn) -> Fraction:
    # The rate's plausible range is declared in its rule file (0 to 100); above it the reader refuses (tested apart).
    kind = draw(one_of("decimal", "edge", "edge", "tiny"))
    if kind == "decimal":
        value = draw(decimals(10, 100))
    elif kind == "edge":
        value = min(draw(near_edges(100)), Fraction(100))
    else:
        value = Fraction(draw(integers(1, 10**5)), 10**10)
    return bounded(value)


def write_rate(value: Fraction, style: str) -> Raw:
    if 0 < value <= 1 and style not in ("percent", "fullwidth"):
        style = "percent"  # 0.5 or 1 bare is ambiguous (a fraction?), which the reader refuses (see spoiled below)
    return write(value, style, percent=True)


# Ratios awarded / suitable that score a half-up tie (0.8905 is the published 328.6084 / 369.0302 → 0.89).
TIES = [Fraction(t) for t in ("0.005", "0.125", "0.375", "0.405", "0.445", "0.995", "0.8905", "0.0045")]


@functools.cache
@st.composite
def sme_amounts(draw: st.DrawFn) -> tuple[Fraction, Fraction]:
    def amount() -> Fraction:
        kind = draw(one_of("money", "money", "zero", "huge", "tiny"))
        if kind == "money":
            return draw(decimals(6, 10**6))
        if kind == "zero":
            return Fraction(0)
        if kind == "huge":
            return draw(decimals(4, 10**11))
        return Fraction(draw(integers(1, 10**4)), 10 ** draw(integers(6, 10)))

    suitable = bounded(amount())
    tie = draw(one_of(*TIES)) + draw(HAIRS)  # a ratio on or a hair off a half-up tie
    awarded = amount() if draw(BOOLEANS) else suitable * tie
    return suitable, bounded(max(awarded, Fraction(0)))


@functools.cache
@st.composite
def contracts(draw: st.DrawFn) -> tuple[int, int]:
    total = draw(integers(0, 60) if draw(BOOLEANS) else integers(0, 10**11))
    return total, draw(st.integers(0, total))


# ---- deductions and overrides --------------------------------------------------------------------------------


@functools.cache
def hundredths(low: int, high: int) -> st.SearchStrategy[Fraction]:
    return st.integers(low, high).map(lambda n: Fraction(n, 100))


@functools.cache
@st.composite
def deductions(draw: st.DrawFn, ident: str) -> tuple[tuple[Fraction | str, ...], list[dict[str, object]]]:
    """One to three deductions: points of up to 2 places, or the code of a deduction the rule file declares."""
    rule = RUBRIC.rule(ident)
    codes = sorted(rule.declared)
    given: list[Fraction | str] = []
    written: list[dict[str, object]] = []
    for _ in range(draw(integers(1, 3))):
        # One draw for each: below 0 picks a declared code, above 0 is the points in hundredths.
        pick = draw(integers(-len(codes), int(rule.weight * 150)))
        if pick < 0:
            given.append(codes[pick])
            written.append({"code": codes[pick]})
        else:
            points = Fraction(pick + 1, 100)
            given.append(points)
            written.append(
                {"points": write(points, "quoted" if pick % 7 == 0 else "plain"), "reason": "扣分原因。"}
            )
    return tuple(given), written


@functools.cache
@st.composite
def adjustments(draw: st.DrawFn, ident: str) -> tuple[Entry, dict[str, object]]:
    """Nothing (mostly), deductions, or an override (never both: the reader refuses that)."""
    choice = draw(integers(0, 7))
    if choice in (5, 6):
        given, written = draw(deductions(ident))
        return Entry(deductions=given), {"deductions": written}
    if choice == 7:
        value = draw(hundredths(0, int(RUBRIC.rule(ident).weight * 100)))
        return Entry(override=value), {"override": {"score": write(value, "plain"), "reason": "评价人调整。"}}
    return Entry(), {}


# ---- targets -------------------------------------------------------------------------------------------------

DIRECTIONS = (
    [(AT_LEAST, False)] * 4
    + [(AT_MOST, False)] * 2
    + [(EXACTLY, False)] * 2
    + [(AT_LEAST, True), (AT_MOST, True)]
)
# A direction, a unit and a way of writing the goal, in one draw.
SHAPES = one_of(
    *(
        (direction, strict, unit, form)
        for direction, strict in DIRECTIONS
        for unit in oracle.UNITS
        for form in range(6)
        if not (direction == EXACTLY and unit == "%")  # a bare 95% reads as at least 95%: tested on its own
    )
)
TARGET_NUMBERS = st.one_of(
    st.integers(0, 12).map(Fraction), st.integers(0, 250).map(Fraction), decimals(2, 1000)
)
TARGET_WEIGHTS = st.one_of(st.integers(1, 10).map(Fraction), decimals(4, 100).filter(lambda w: w > 0))


@functools.cache
@st.composite
def part(draw: st.DrawFn, label: str = "") -> Part:
    direction, strict, unit, form = draw(SHAPES)
    goal = draw(TARGET_NUMBERS)
    # The actual value: any number, the goal, none at all, off the goal, or a third or thrice of it (so that
    # completions of 1/3 and 2/3, which no decimal holds exactly, add up to round sums).
    kind = draw(integers(0, 8))
    if kind < 2:
        actual = draw(TARGET_NUMBERS)
    elif kind < 6:
        actual = [goal, Fraction(0), goal / 2 + 1, goal + 1][kind - 2]
    else:
        goal = 3 * goal
        actual = [goal / 3, goal * 2 / 3, goal * 3][kind - 6]
    return Part(
        direction=direction,
        goal=goal,
        unit=unit,
        actual=actual,
        strict=strict,
        label=label,
        form=form,
        actual_in_yuan=unit == "万元" and form % 2 == 1,
    )


@functools.cache
@st.composite
def goal(draw: st.DrawFn, weighted: bool) -> Goal:
    shape = draw(integers(0, 19))  # judged (met or not), two named parts, or one part; any weight
    weight = draw(TARGET_WEIGHTS) if weighted else (Fraction(shape % 4) if shape % 3 == 0 else None)
    if shape < 2:
        return Goal(judged=shape == 0, weight=weight)
    if shape < 6:
        return Goal(parts=tuple(draw(part(label)) for label in ("工业", "商贸服务业")), weight=weight)
    return Goal(parts=(draw(part()),), weight=weight)


@functools.cache
def targets(weighted: bool = False, max_size: int = 6) -> st.SearchStrategy[list[Goal]]:
    return st.lists(goal(weighted), min_size=0, max_size=max_size)


def write_targets(goals: list[Goal]) -> list[dict[str, object]]:
    return [oracle.render_target(g, f"指标{n}") for n, g in enumerate(goals)]


# 8 targets whose mean completion × 20 is exactly 8.475 (half-up: 8.48); three of them complete 1/3 each.
THIRD = Goal(parts=(Part(AT_LEAST, Fraction(3), "次", Fraction(1)),))
EIGHT_475 = [
    Goal(parts=(Part(AT_LEAST, Fraction(100), "次", Fraction(39)),)),
    Goal(parts=(Part(AT_LEAST, Fraction(1), "次", Fraction(1)),)),
    Goal(parts=(Part(AT_LEAST, Fraction(1), "次", Fraction(1)),)),
    Goal(parts=(Part(AT_LEAST, Fraction(5), "次", Fraction(0)),)),
    Goal(parts=(Part(AT_LEAST, Fraction(5), "次", Fraction(0)),)),
    THIRD,
    THIRD,
    THIRD,
]

# ---- whole departments ---------------------------------------------------------------------------------------


@functools.cache
@st.composite
def formula_row(draw: st.DrawFn, ident: str) -> tuple[Entry, dict[str, object]]:
    style = draw(STYLES)
    if ident == "budget_execution":
        rate = draw(execution_rate())
        return Entry({"execution_rate": rate}), {"execution_rate": write_rate(rate, style)}
    if ident == "contract_filing_timeliness":
        total, on_time = draw(contracts())
        return (
            Entry({"contracts_total": Fraction(total), "contracts_filed_on_time": Fraction(on_time)}),
            {"contracts_total": write(Fraction(total), style), "contracts_filed_on_time": Raw(str(on_time))},
        )
    suitable, awarded = draw(sme_amounts())
    return (
        Entry({"sme_suitable_budget": suitable, "sme_awarded_amount": awarded}),
        {"sme_suitable_budget": write(suitable, style), "sme_awarded_amount": write(awarded, draw(STYLES))},
    )


@st.composite
def department(draw: st.DrawFn) -> Case:
    rows: dict[str, tuple[Entry, Mapping[str, object]]] = {}
    for rule in RUBRIC.rules:
        entry, written = draw(adjustments(rule.id))
        written = dict(written)
        if rule.scoring == "formula":
            values, inputs = draw(formula_row(rule.id))
            entry, written = replace(entry, values=values.values), {**inputs, **written}
        elif rule.scoring == "targets":
            goals = draw(targets(weighted=rule.roll_up == "weighted_completion"))
            if goals:
                entry, written = (
                    replace(entry, targets=tuple(goals)),
                    {**written, "targets": write_targets(goals)},
                )
        elif rule.inputs and draw(integers(0, 3)) == 0:  # evidence for a ratio, never scored
            for name in rule.inputs:
                written[name] = write(bounded(draw(decimals(6, 10**9))), draw(STYLES))
        rows[rule.id] = (entry, written)
    return build(rows)


def full_marks_except(**rows: tuple[Entry, Mapping[str, object]]) -> Case:
    """A department with the formula rows at full marks and the given rows."""
    base = {
        "budget_execution": (Entry({"execution_rate": Fraction(100)}), {"execution_rate": Raw("100")}),
        "contract_filing_timeliness": (
            Entry({"contracts_total": Fraction(0), "contracts_filed_on_time": Fraction(0)}),
            {"contracts_total": Raw("0"), "contracts_filed_on_time": Raw("0")},
        ),
        "procurement_policy_effect": (
            Entry({"sme_suitable_budget": Fraction(0), "sme_awarded_amount": Fraction(0)}),
            {"sme_suitable_budget": Raw("0"), "sme_awarded_amount": Raw("0")},
        ),
    }
    return build({**base, **rows})


def with_targets(goals: list[Goal], ident: str = "output_targets") -> Case:
    return full_marks_except(**{ident: (Entry(targets=tuple(goals)), {"targets": write_targets(goals)})})


# ---- comparing -----------------------------------------------------------------------------------------------


def shown(value: Fraction | Decimal) -> str:
    return decimal_text(Fraction(value))


def engine_view(result: Result) -> dict[str, object]:
    return {
        "rows": {row.id: shown(row.score) for row in result.indicators},
        "level1": {level.name: shown(level.score) for level in result.levels},
        "level2": {f"{lv.name}/{c.name}": shown(c.score) for lv in result.levels for c in lv.children},
        "total": shown(result.total),
        "grade": result.grade,
    }


def oracle_view(outcome: oracle.Outcome) -> dict[str, object]:
    return {
        "rows": {ident: shown(row.score) for ident, row in outcome.rows.items()},
        "level1": {name: shown(value) for name, value in outcome.level1.items()},
        "level2": {f"{a}/{b}": shown(value) for (a, b), value in outcome.level2.items()},
        "total": shown(outcome.total),
        "grade": outcome.grade,
    }


def run(rules: RuleSet, case: Case) -> Result:
    return score(rules, parse_inputs(case.text(), rules))


def assert_agrees(rules: RuleSet, rubric: oracle.Rubric, case: Case) -> None:
    assert engine_view(run(rules, case)) == oracle_view(oracle.score(rubric, case.entries)), case.text()


# ---- the oracle itself ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "places", "mode", "expected"),
    [
        ("0.125", 2, "half_up", "0.13"),
        ("-0.125", 2, "half_up", "-0.13"),
        ("0.125", 2, "half_even", "0.12"),
        ("0.135", 2, "half_even", "0.14"),
        ("9.888", 2, "down", "9.88"),
        ("-9.888", 2, "down", "-9.88"),
        ("0.121", 2, "up", "0.13"),
        ("-0.129", 2, "up", "-0.12"),
        ("0.129", 2, "floor", "0.12"),
        ("-0.121", 2, "floor", "-0.13"),
        ("8.4749999999", 2, "half_up", "8.47"),
        ("339/40", 2, "half_up", "8.48"),
        ("1/3", 0, "up", "1"),
    ],
)
def test_the_oracle_rounds_as_declared(value: str, places: int, mode: str, expected: str) -> None:
    assert decimal_text(oracle.round_to(Fraction(value), places, mode)) == expected


def test_the_oracle_reproduces_both_published_tables() -> None:
    suigang = {
        "budget_execution": Entry({"execution_rate": Fraction("89.92")}),
        "contract_filing_timeliness": Entry(
            {"contracts_total": Fraction(22), "contracts_filed_on_time": Fraction(9)}
        ),
        "procurement_policy_effect": Entry(
            {"sme_suitable_budget": Fraction("369.0302"), "sme_awarded_amount": Fraction("328.6084")}
        ),
    }
    zhengwu = {
        "output_targets": Entry(deductions=(Fraction(1),)),
        "outcome_targets": Entry(deductions=(Fraction("2.5"),)),
        "budget_execution": Entry({"execution_rate": Fraction("98.88")}),
        "pm_system_execution": Entry(deductions=("no_unit_self_evaluation",)),
        "contract_filing_timeliness": Entry(
            {"contracts_total": Fraction(11), "contracts_filed_on_time": Fraction(9)}
        ),
        "procurement_policy_effect": Entry(override=Fraction(1)),
        "asset_allocation_compliance": Entry(deductions=(Fraction(1),)),
    }
    first, second = oracle.score(RUBRIC, suigang), oracle.score(RUBRIC, zhengwu)
    assert (shown(first.total), first.grade) == ("98.29", "优")
    assert (shown(second.total), second.grade) == ("94.2", "优")
    assert [shown(first.rows[i].score) for i in FORMULA_ROWS] == ["8.99", "0.41", "0.89"]
    assert [shown(second.rows[i].score) for i in FORMULA_ROWS] == ["9.88", "0.82", "1"]


def test_the_oracle_reads_what_the_rule_files_say() -> None:
    rules = {r.id: r for r in RUBRIC.rules}
    assert len(rules) == 26 and sum(r.weight for r in RUBRIC.rules) == RUBRIC.total == 100
    assert (rules["budget_execution"].places, rules["budget_execution"].mode) == (2, "down")
    assert all((r.places, r.mode) == (2, "half_up") for r in RUBRIC.rules if r.id != "budget_execution")
    assert {r.id for r in RUBRIC.rules if r.scoring == "formula"} == set(FORMULA_ROWS)
    assert [(name, low) for name, low in RUBRIC.grades] == [("优", 90), ("良", 80), ("中", 60), ("差", 0)]


# ---- the engine against the oracle ---------------------------------------------------------------------------


@PROPERTY
@given(department())
@example(with_targets(EIGHT_475))
@example(with_targets(EIGHT_475, "outcome_targets"))
def test_the_engine_scores_every_department_as_the_oracle_does(case: Case) -> None:
    assert_agrees(RULES, RUBRIC, case)


class ChangedRules:
    """A changed copy of the 2022 rules, loaded by the engine and read by the oracle."""

    def __init__(self, rules: RuleSet, rubric: oracle.Rubric):
        self.rules, self.rubric = rules, rubric

    def __repr__(self) -> str:  # shown with each falsifying example: the folder, not the whole rule set
        return f"ChangedRules({self.rules.folder!r})"


def copy_rules(folder: Path, edits: list[tuple[str, str, str]]) -> Path:
    """The 2022 rules copied to `folder`, with each (file, old text, new text) edit made."""
    shutil.copytree(RULES_2022, folder)
    for relative, old, new in edits:
        path = folder / "indicators" / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new), encoding="utf-8")
    return folder


ROLL_UPS = ("mean_completion", "equal_shares", "weighted_completion")


@pytest.fixture(scope="module")
def roll_up_rules(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ChangedRules]:
    """The 2022 rules with both target rows rolled up by each method."""
    copies = {}
    for method in ROLL_UPS:
        old, new = "roll_up: mean_completion", f"roll_up: {method}"
        folder = copy_rules(
            tmp_path_factory.mktemp(method) / "rules", [(f"{ident}.yaml", old, new) for ident in TARGET_ROWS]
        )
        rubric = oracle.read_rubric(folder)
        assert {rubric.rule(i).roll_up for i in TARGET_ROWS} == {method}
        copies[method] = ChangedRules(load_rules(folder), rubric)
    return copies


@st.composite
def target_rows(draw: st.DrawFn) -> tuple[str, Case]:
    """A roll-up method, and a department that lists targets (weighted where the method needs it) for both rows."""
    method = draw(st.sampled_from(ROLL_UPS))
    rows = {}
    for ident in TARGET_ROWS:
        goals = draw(targets(method == "weighted_completion", max_size=10).filter(bool))
        entry, written = draw(adjustments(ident))
        if entry.override is not None:
            entry, written = Entry(), {}  # an override would hide the roll-up
        rows[ident] = (replace(entry, targets=tuple(goals)), {**written, "targets": write_targets(goals)})
    return method, full_marks_except(**rows)


@PROPERTY
@given(target_rows())
@example(("mean_completion", with_targets(EIGHT_475)))
@example(("weighted_completion", with_targets([replace(g, weight=Fraction(1)) for g in EIGHT_475])))
def test_every_roll_up_scores_targets_as_the_oracle_does(
    roll_up_rules: dict[str, ChangedRules], method_and_case: tuple[str, Case]
) -> None:
    method, case = method_and_case
    assert_agrees(roll_up_rules[method].rules, roll_up_rules[method].rubric, case)


def test_a_weighted_roll_up_refuses_a_target_without_a_weight(roll_up_rules: dict[str, ChangedRules]) -> None:
    goals = [replace(g, weight=Fraction(1)) for g in EIGHT_475[:3]] + [EIGHT_475[3]]
    with pytest.raises(UserError, match="needs a weight"):
        run(roll_up_rules["weighted_completion"].rules, with_targets(goals))


def test_eight_targets_worth_exactly_8_475_score_8_48() -> None:
    """The oracle's answer, pinned: mean completion 3.39 / 8 of 20 points is 8.475, half-up 8.48."""
    outcome = oracle.score(RUBRIC, with_targets(EIGHT_475).entries)
    assert outcome.rows["output_targets"].raw == Fraction(339, 40)
    assert shown(outcome.rows["output_targets"].score) == "8.48"
    assert shown(run(RULES, with_targets(EIGHT_475)).indicators[0].score) == "8.48"


@PROPERTY
@given(st.lists(st.tuples(decimals(1, 100), decimals(1, 120)), min_size=1, max_size=4))
def test_a_rate_written_with_an_equals_sign_is_exact(rates: list[tuple[Fraction, Fraction]]) -> None:
    """'=95%' says exactly 95%; only a bare '95%' reads as a level to reach."""
    goals = [Goal(parts=(Part(EXACTLY, goal, "%", actual, form=1),)) for goal, actual in rates]
    assert "=" in oracle.render_goal(goals[0].parts[0])
    assert_agrees(RULES, RUBRIC, with_targets(goals))


# ---- the decimal context -------------------------------------------------------------------------------------


@PROPERTY
@given(department())
@example(with_targets(EIGHT_475))
def test_a_coarse_decimal_context_changes_nothing(case: Case) -> None:
    expected = oracle_view(oracle.score(RUBRIC, case.entries))
    saved = decimal.getcontext().copy()
    try:
        context = decimal.getcontext()
        context.prec = 3
        context.rounding = decimal.ROUND_FLOOR
        got = engine_view(run(RULES, case))
    finally:
        decimal.setcontext(saved)
    assert got == expected, case.text()


# ---- what the engine must refuse -----------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class Spoiled:
    """A department with one thing written wrong, or nothing (`why` is None), and why it must be refused."""

    case: Case
    why: str | None = None

    def __repr__(self) -> str:
        return f"Spoiled(why={self.why!r}, {self.case!r})"


def _number(draw: st.DrawFn) -> Fraction:
    """Any written number: negative, huge, too precise, or fine."""
    sign = draw(one_of(1, 1, -1))
    kind = draw(one_of("fine", "places", "digits", "huge"))
    if kind == "places":
        return sign * Fraction(draw(integers(1, 10**6)), 10 ** draw(integers(9, 14)))
    if kind == "digits":
        return sign * Fraction(draw(integers(10**13, 10**17)), 10 ** draw(integers(0, 6)))
    if kind == "huge":
        return sign * Fraction(draw(integers(10**11, 10**13)), 10 ** draw(integers(0, 2)))
    return sign * draw(decimals(4, 200))


@st.composite
def spoiled(draw: st.DrawFn) -> Spoiled:
    case = draw(department())
    rows = {k: (case.entries[k], dict(case.written[k])) for k in case.written}
    what = draw(
        one_of("input", "rate", "ref", "whole", "points", "override", "missing", "both", "weightless", "none")
    )
    why: str | None = None
    if what in ("input", "rate"):
        ident = "budget_execution" if what == "rate" else draw(one_of(*FORMULA_ROWS))
        entry, written = rows[ident]
        name = draw(one_of(*sorted(entry.values))) if entry.values else None
        if name is not None:
            value = _number(draw) if what == "input" else Fraction(draw(integers(1, 99)), 100)
            written[name] = write(value, draw(STYLES), percent=name == "execution_rate")
            values = {**entry.values, name: value}
            problem = number_problem(value)
            if problem:
                why = problem
            elif value < 0:
                why = "below the minimum 0"
            elif (
                name == "execution_rate"
                and 0 < value <= 1
                and not written[name].text.strip('"').endswith(("%", "％"))
            ):
                why = "a rate of 1 or under written without % (a fraction?)"
            elif name == "execution_rate" and value > 100:
                why = "above the rate's plausible range (max 100)"
            elif ident == "contract_filing_timeliness" and value.denominator != 1:
                why = "not a whole number"
            elif (
                ident == "contract_filing_timeliness"
                and values["contracts_filed_on_time"] > values["contracts_total"]
            ):
                why = "more contracts filed on time than signed"
            rows[ident] = (replace(entry, values=values), written)
    elif what == "ref":
        entry, written = rows["contract_filing_timeliness"]
        total = int(entry.values["contracts_total"])
        written["contracts_filed_on_time"] = Raw(str(total + draw(integers(1, 5))))
        why = "more contracts filed on time than signed"
    elif what == "whole":
        entry, written = rows["contract_filing_timeliness"]
        written["contracts_total"] = Raw(decimal_text(Fraction(draw(integers(0, 999)) * 10 + 5, 10)))
        why = "not a whole number"
    elif what == "points":
        ident = draw(one_of(*sorted(rows)))
        entry, written = rows[ident]
        points = Fraction(draw(integers(-(10**4), 10**4)), 10 ** draw(integers(2, 4)))
        written.pop("override", None)
        written["deductions"] = [{"points": write(points, "plain"), "reason": "扣分原因。"}]
        if points <= 0:
            why = "points not above 0"
        elif (points * 100).denominator != 1:
            why = "points with more places than the row keeps"
        else:
            rows[ident] = (replace(entry, override=None, deductions=(points,)), written)
    elif what == "override":
        ident = draw(one_of(*sorted(rows)))
        entry, written = rows[ident]
        value = Fraction(draw(integers(-500, 2500)), 10 ** draw(integers(0, 3)))
        written.pop("deductions", None)
        written["override"] = {"score": write(value, "plain"), "reason": "评价人调整。"}
        weight = RUBRIC.rule(ident).weight
        if not 0 <= value <= weight:
            why = "override outside [0, weight]"
        elif (value * 100).denominator != 1:
            why = "override with more places than the row keeps"
        else:
            rows[ident] = (replace(entry, override=value, deductions=()), written)
    elif what == "missing":
        ident = draw(one_of(*FORMULA_ROWS))
        entry, written = rows[ident]
        name = draw(one_of(*sorted(entry.values)))
        written.pop(name)
        if entry.override is None:
            why = "a formula input missing"
    elif what == "both":
        ident = draw(one_of(*sorted(rows)))
        entry, written = rows[ident]
        written["override"] = {"score": "0", "reason": "评价人调整。"}
        written["deductions"] = [{"points": "0.5", "reason": "扣分原因。"}]
        why = "an override and deductions"
    elif what == "weightless":
        ident = draw(one_of(*TARGET_ROWS))
        entry, written = rows[ident]
        # A weight of 0 is fine unless the roll-up is weighted (the shipped rows are not).
        extra = Goal(parts=(Part(AT_LEAST, Fraction(1), "次", Fraction(0)),), weight=Fraction(0))
        goals = [*entry.targets, extra]
        written["targets"] = write_targets(goals)
        rows[ident] = (replace(entry, targets=tuple(goals)), written)
    return Spoiled(build(rows), why)


@PROPERTY
@given(spoiled())
def test_the_engine_refuses_what_it_must_and_scores_the_rest(spoilt: Spoiled) -> None:
    case, why = spoilt.case, spoilt.why
    if why is not None:
        with pytest.raises(UserError):
            run(RULES, case)
        return
    assert_agrees(RULES, RUBRIC, case)


# ---- raw results outside [0, weight], under every rounding mode -----------------------------------------------

# Formula rows rewritten so that their raw results go below 0 and above the weight, with what they mean.
UNBOUNDED = {
    "budget_execution": (
        "weight * min(execution_rate, 100) / 100",
        "weight * (execution_rate - 50) / 50",
        lambda w, v: w * (v["execution_rate"] - 50) / 50,
    ),
    "contract_filing_timeliness": (
        "weight * contracts_filed_on_time / contracts_total if contracts_total else weight",
        "weight * (3 * contracts_filed_on_time - contracts_total) / contracts_total if contracts_total else weight",
        lambda w, v: (
            w * (3 * v["contracts_filed_on_time"] - v["contracts_total"]) / v["contracts_total"]
            if v["contracts_total"]
            else w
        ),
    ),
    "procurement_policy_effect": (
        "weight * min(sme_awarded_amount / sme_suitable_budget, 1) if sme_suitable_budget else weight",
        "weight * sme_awarded_amount / sme_suitable_budget - weight / 2 if sme_suitable_budget else weight",
        lambda w, v: (
            w * v["sme_awarded_amount"] / v["sme_suitable_budget"] - w / 2 if v["sme_suitable_budget"] else w
        ),
    ),
}
OLD_ROUNDING = {"budget_execution": "{places: 2, mode: down}"}
MAX_RESULT = 10**12  # what a formula may give (formula.py); beyond it the rule fails on that department


@pytest.fixture(scope="module")
def unbounded_rules(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ChangedRules]:
    """The 2022 rules with the formula rows of UNBOUNDED, rounded by each mode."""
    places = {"budget_execution": 2, "contract_filing_timeliness": 1, "procurement_policy_effect": 3}
    meanings = {(ident, new): meaning for ident, (_, new, meaning) in UNBOUNDED.items()}
    copies = {}
    for mode in oracle.MODES:
        edits = []
        for ident, (old, new, _) in UNBOUNDED.items():
            rounding = OLD_ROUNDING.get(ident, "{places: 2, mode: half_up}")
            edits.append((f"{ident}.yaml", f"formula: {old}", f"formula: {new}"))
            edits.append(
                (
                    f"{ident}.yaml",
                    f"rounding: {rounding}",
                    f"rounding: {{places: {places[ident]}, mode: {mode}}}",
                )
            )
        edits.append(
            ("budget_execution.yaml", "min: 0, max: 100,", "min: 0, max: 100000,")
        )  # rates far above 100
        folder = copy_rules(tmp_path_factory.mktemp(f"unbounded-{mode}") / "rules", edits)
        rubric = oracle.read_rubric(folder, meanings)
        assert {rubric.rule(i).mode for i in FORMULA_ROWS} == {mode}
        copies[mode] = ChangedRules(load_rules(folder), rubric)
    return copies


@st.composite
def formula_rows_only(draw: st.DrawFn) -> Case:
    """The formula rows only, half the time with values that put the UNBOUNDED raw results a hair from 0 or
    from the weight, on either side."""
    rows = {ident: draw(formula_row(ident)) for ident in FORMULA_ROWS}
    if draw(BOOLEANS):
        return full_marks_except(**rows)
    hair = Fraction(draw(integers(-999, 999)), 10 ** draw(integers(3, 10)))
    rate = bounded(draw(one_of(50, 100)) + hair)  # raw (rate - 50) / 5 near 0 or near 10
    rows["budget_execution"] = (
        Entry({"execution_rate": rate}),
        {"execution_rate": write_rate(rate, "plain")},
    )
    total = draw(integers(1, 60))  # raw (3 × on time - total) / total near 0 or near 1
    on_time = min(max(total * draw(one_of(1, 2)) // 3 + draw(integers(-1, 1)), 0), total)
    rows["contract_filing_timeliness"] = (
        Entry({"contracts_total": Fraction(total), "contracts_filed_on_time": Fraction(on_time)}),
        {"contracts_total": Raw(str(total)), "contracts_filed_on_time": Raw(str(on_time))},
    )
    suitable = bounded(draw(decimals(4, 10**6))) or Fraction(1)  # raw awarded / suitable - 1/2 near 0 or 1
    awarded = bounded(max(suitable * (draw(one_of(Fraction(1, 2), Fraction(3, 2))) + hair), Fraction(0)))
    rows["procurement_policy_effect"] = (
        Entry({"sme_suitable_budget": suitable, "sme_awarded_amount": awarded}),
        {"sme_suitable_budget": write(suitable, "plain"), "sme_awarded_amount": write(awarded, "plain")},
    )
    return full_marks_except(**rows)


def out_of_range(rubric: oracle.Rubric, case: Case) -> bool:
    """A formula result beyond what formula.py accepts: the rule fails on this department."""
    return any(
        abs(rubric.rule(i).meaning(rubric.rule(i).weight, case.entries[i].values)) > MAX_RESULT  # type: ignore[misc]
        for i in FORMULA_ROWS
    )


@PROPERTY
@given(st.sampled_from(oracle.MODES), formula_rows_only())
def test_raw_results_outside_the_weight_are_clamped_and_rounded_once(
    unbounded_rules: dict[str, ChangedRules], mode: str, case: Case
) -> None:
    rules, rubric = unbounded_rules[mode].rules, unbounded_rules[mode].rubric
    if out_of_range(rubric, case):
        with pytest.raises(RuleRuntimeError):
            run(rules, case)
        return
    assert_agrees(rules, rubric, case)


@PROPERTY
@given(st.sampled_from(oracle.MODES), formula_rows_only())
def test_a_raw_result_outside_the_weight_is_reported_as_clamped(
    unbounded_rules: dict[str, ChangedRules], mode: str, case: Case
) -> None:
    rules, rubric = unbounded_rules[mode].rules, unbounded_rules[mode].rubric
    if out_of_range(rubric, case):
        return
    result = run(rules, case)
    outcome = oracle.score(rubric, case.entries)
    got = {row.id: row.clamped for row in result.indicators if row.id in FORMULA_ROWS}
    expected = {ident: outcome.rows[ident].clamped for ident in FORMULA_ROWS}
    raws = {ident: str(outcome.rows[ident].raw) for ident in FORMULA_ROWS}
    assert got == expected, (raws, case.text())


def test_the_number_helpers_follow_the_inputs_contract() -> None:
    assert places_and_digits(Fraction("0.0012300")) == (5, 3)
    assert number_problem(Fraction(10**12)) == "too large"
    assert number_problem(Fraction(1, 10**11)) == "more than 10 decimal places"
    assert number_problem(Fraction("1234567890.123456")) == "more than 15 significant digits"
    assert bounded(Fraction(1, 3)) == Fraction(3333333333, 10**10)
    assert bounded(Fraction("1234567890123.5")) == Fraction(999999999999)
    assert bounded(Fraction("12345678901.2345678")) == Fraction("12345678901.2345")
