"""An independent exact scorer for the 2022 rubric, to check the engine against: Fractions and integers only.

It shares no code with `scorer`. It reads the rule files itself (weights, levels, grade bands, rounding, roll-ups,
declared deductions) and knows what each formula row means by its id, written out here as Fraction arithmetic.
A department is given as plain data (see `Department`), never as text: the tests render that data to an inputs
file for the engine, and hand the same data to `score` here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import yaml

# ---- rounding ----------------------------------------------------------------------------------------------

MODES = ("half_up", "down", "half_even", "up", "floor")


def round_to(value: Fraction, places: int, mode: str) -> Fraction:
    """`value` rounded once to `places` decimals. half_up: ties away from zero; down: toward zero;
    half_even: ties to the even neighbour; up: toward +∞ (ceiling); floor: toward −∞."""
    unit = Fraction(1, 10**places)
    steps = value / unit  # the value in units of the last kept place
    num, den = steps.numerator, steps.denominator  # den > 0
    if mode == "floor":
        n = num // den
    elif mode == "up":
        n = -(-num // den)
    elif mode == "down":
        n = abs(num) // den * (1 if num >= 0 else -1)
    elif mode == "half_up":
        n = (2 * abs(num) + den) // (2 * den) * (1 if num >= 0 else -1)
    elif mode == "half_even":
        low = num // den
        twice = 2 * (num - low * den)  # twice the remainder, against den
        n = low + (1 if twice > den or (twice == den and low % 2 == 1) else 0)
    else:
        raise ValueError(f"unknown rounding mode {mode!r}")
    return n * unit


# ---- rule files --------------------------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """Plain safe YAML, but a written decimal such as 0.5 is read as the Fraction it says, never a float."""


_Loader.add_constructor(
    "tag:yaml.org,2002:float", lambda loader, node: Fraction(loader.construct_scalar(node).replace("_", ""))
)


def _read(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - a SafeLoader subclass


Values = Mapping[str, Fraction]
Meaning = Callable[[Fraction, Values], Fraction]

# What each shipped formula means, by indicator id and the formula as the rule file writes it. An unknown
# formula text is an error: the oracle must not guess.
MEANINGS: dict[tuple[str, str], Meaning] = {
    ("budget_execution", "weight * min(execution_rate, 100) / 100"): (
        lambda w, v: w * min(v["execution_rate"], Fraction(100)) / 100
    ),
    (
        "contract_filing_timeliness",
        "weight * contracts_filed_on_time / contracts_total if contracts_total else weight",
    ): (lambda w, v: w * v["contracts_filed_on_time"] / v["contracts_total"] if v["contracts_total"] else w),
    (
        "procurement_policy_effect",
        "weight * min(sme_awarded_amount / sme_suitable_budget, 1) if sme_suitable_budget else weight",
    ): (
        lambda w, v: (
            w * min(v["sme_awarded_amount"] / v["sme_suitable_budget"], Fraction(1))
            if v["sme_suitable_budget"]
            else w
        )
    ),
}


@dataclass(frozen=True)
class Rule:
    id: str
    level1: str
    level2: str
    weight: Fraction
    scoring: str  # formula | deductions | targets
    places: int
    mode: str
    meaning: Meaning | None = None
    inputs: tuple[str, ...] = ()
    roll_up: str | None = None
    declared: Mapping[str, Fraction] = field(default_factory=dict)  # deduction code → points


@dataclass(frozen=True)
class Rubric:
    total: Fraction
    levels: tuple[tuple[str, tuple[str, ...]], ...]  # level-1 name → its level-2 names
    grades: tuple[tuple[str, Fraction], ...]  # name, min
    rules: tuple[Rule, ...]  # in the order the year file lists them

    def rule(self, ident: str) -> Rule:
        return next(r for r in self.rules if r.id == ident)


def read_rubric(folder: Path, meanings: Mapping[tuple[str, str], Meaning] | None = None) -> Rubric:
    known = {**MEANINGS, **(meanings or {})}
    year = _read(folder / "rubric.yaml")
    default = year["rounding"]
    rules = []
    for ident in year["indicators"]:
        data = _read(folder / "indicators" / f"{ident}.yaml")
        assert data["id"] == ident
        rounding = data.get("rounding", default)
        weight = Fraction(data["weight"])
        if round_to(weight, rounding["places"], rounding["mode"]) != weight:
            # Clamped to the weight and then rounded, a score could leave [0, weight]: the oracle has no answer.
            raise ValueError(f"{ident}: the weight {weight} has more places than the rounding keeps")
        meaning = None
        if data["scoring"] == "formula":
            key = (ident, data["formula"].strip())
            if key not in known:
                raise KeyError(f"the oracle does not know the formula of {ident}: {data['formula']!r}")
            meaning = known[key]
        rules.append(
            Rule(
                id=ident,
                level1=data["level1"],
                level2=data["level2"],
                weight=weight,
                scoring=data["scoring"],
                places=int(rounding["places"]),
                mode=rounding["mode"],
                meaning=meaning,
                inputs=tuple(data.get("inputs") or {}),
                roll_up=(data.get("targets") or {}).get("roll_up"),
                declared={d["code"]: Fraction(d["points"]) for d in data.get("deductions") or []},
            )
        )
    return Rubric(
        total=Fraction(year["total"]),
        levels=tuple((lv["name"], tuple(c["name"] for c in lv["children"])) for lv in year["levels"]),
        grades=tuple((g["name"], Fraction(g["min"])) for g in year["grades"]),
        rules=tuple(rules),
    )


# ---- declared targets --------------------------------------------------------------------------------------

AT_LEAST, AT_MOST, EXACTLY = "at_least", "at_most", "exactly"
UNITS = ("次", "起", "%", "天", "万元")


@dataclass(frozen=True)
class Part:
    """One measured part of a target: the goal and what was achieved, in the goal's unit."""

    direction: str  # at_least | at_most | exactly
    goal: Fraction
    unit: str
    actual: Fraction
    strict: bool = False  # > or < rather than ≥ or ≤
    label: str = ""  # names the part when a target has several (工业, 商贸服务业)
    form: int = 0  # which of the ways to write the goal (see render_goal)
    actual_in_yuan: bool = False  # write a 万元 actual in 元

    def completion(self) -> Fraction:
        """1 when met; else the smaller size over the larger, 0 across or at zero; a strict bound missed earns
        at most 99% (reached but not passed is a miss, never a completion of 1)."""
        if self.met():
            return Fraction(1)
        goal, actual = self.goal, self.actual
        if actual == goal:
            closeness = Fraction(1)
        elif actual * goal <= 0:
            closeness = Fraction(0)
        else:
            closeness = min(abs(actual), abs(goal)) / max(abs(actual), abs(goal))
        return min(closeness, Fraction(99, 100)) if self.strict else closeness

    def met(self) -> bool:
        goal, actual = self.goal, self.actual
        if self.direction == AT_LEAST:
            return actual > goal if self.strict else actual >= goal
        if self.direction == AT_MOST:
            return actual < goal if self.strict else actual <= goal
        return actual == goal


@dataclass(frozen=True)
class Goal:
    """One declared target: measured parts, or (judged is not None) words the evaluator judged met or not."""

    parts: tuple[Part, ...] = ()
    judged: bool | None = None
    weight: Fraction | None = None

    def completion(self) -> Fraction:
        if self.judged is not None:
            return Fraction(int(self.judged))
        return sum((p.completion() for p in self.parts), Fraction(0)) / len(self.parts)

    def met(self) -> bool:
        return self.judged if self.judged is not None else all(p.met() for p in self.parts)


def decimal_text(value: Fraction) -> str:
    """A finite decimal Fraction as positional text with no exponent and no trailing zeros: 12.5, 0.001, 300."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    places = 0
    while (value * 10**places).denominator != 1:
        places += 1
        if places > 40:
            raise ValueError(f"{value} is not a finite decimal")
    units = value * 10**places
    digits = str(units.numerator).rjust(places + 1, "0")
    whole, frac = digits[: len(digits) - places], digits[len(digits) - places :]
    return sign + (f"{whole}.{frac}" if places else whole)


# The ways a goal is written, by (direction, strict). `{n}` is the number, `{u}` the unit.
GOAL_FORMS: dict[tuple[str, bool], tuple[str, ...]] = {
    (AT_LEAST, False): ("≥{n}{u}", "{n}{u}以上", "不低于{n}{u}", "不少于{n}{u}", "{n}{u}及以上", ">={n}{u}"),
    (AT_LEAST, True): (">{n}{u}", "高于{n}{u}", "大于{n}{u}"),
    (AT_MOST, False): ("≤{n}{u}", "不超过{n}{u}", "{n}{u}以下", "{n}{u}以内", "{n}{u}及以下", "<={n}{u}"),
    (AT_MOST, True): ("<{n}{u}", "低于{n}{u}", "小于{n}{u}"),
    (EXACTLY, False): ("{n}{u}", "={n}{u}"),
}


def render_goal(part: Part) -> str:
    forms = GOAL_FORMS[(part.direction, part.strict)]
    if part.direction == AT_LEAST and not part.strict and part.unit == "%" and part.goal > 0:
        forms = (*forms, "{n}{u}")  # a bare rate is a level to reach: 95% means 95% or more
    text = forms[part.form % len(forms)].format(n=decimal_text(part.goal), u=part.unit)
    return part.label + text


def render_actual(part: Part) -> str:
    if part.unit == "万元" and part.actual_in_yuan:
        return f"{part.label}{decimal_text(part.actual * 10_000)}元"
    return f"{part.label}{decimal_text(part.actual)}{part.unit}"


def render_target(goal: Goal, name: str) -> dict[str, object]:
    """A `targets` entry of an inputs file, as plain data with text values."""
    item: dict[str, object] = {"name": name}
    if goal.judged is not None:
        item.update(target="按要求完成年度工作任务", met=goal.judged, reason="评价人按完成情况判定。")
    else:
        item["target"] = "，".join(render_goal(p) for p in goal.parts)
        item["actual"] = "，".join(render_actual(p) for p in reversed(goal.parts))
    if goal.weight is not None:
        item["weight"] = decimal_text(goal.weight)
    return item


def roll_up(method: str, weight: Fraction, goals: Sequence[Goal]) -> Fraction:
    if method == "equal_shares":
        return weight * sum(1 for g in goals if g.met()) / len(goals)
    if method == "weighted_completion":
        weights = [g.weight for g in goals]
        assert all(w is not None and w > 0 for w in weights), "a weighted roll-up needs every weight above 0"
        return weight * sum(w * g.completion() for w, g in zip(weights, goals, strict=True)) / sum(weights)
    assert method == "mean_completion", method
    return weight * sum(g.completion() for g in goals) / len(goals)


# ---- departments -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """What a department gives for one indicator."""

    values: Mapping[str, Fraction] = field(default_factory=dict)
    deductions: tuple[Fraction | str, ...] = ()  # points, or the code of a declared deduction
    override: Fraction | None = None
    targets: tuple[Goal, ...] = ()


@dataclass(frozen=True)
class Row:
    id: str
    score: Fraction
    raw: Fraction | None  # the formula or roll-up value before clamping and rounding
    clamped: bool


@dataclass(frozen=True)
class Outcome:
    rows: Mapping[str, Row]
    level1: Mapping[str, Fraction]
    level2: Mapping[tuple[str, str], Fraction]
    total: Fraction
    grade: str


def score_row(rule: Rule, entry: Entry) -> Row:
    if entry.override is not None:
        return Row(rule.id, entry.override, None, False)
    raw = None
    if rule.scoring == "formula":
        assert rule.meaning is not None
        raw = rule.meaning(rule.weight, entry.values)
    elif rule.scoring == "targets" and entry.targets:
        assert rule.roll_up is not None
        raw = roll_up(rule.roll_up, rule.weight, entry.targets)
    if raw is None:
        base, clamped = rule.weight, False
    else:
        kept = min(max(raw, Fraction(0)), rule.weight)  # clamped before it is rounded, then rounded once
        base, clamped = round_to(kept, rule.places, rule.mode), kept != raw
    points = sum((rule.declared[d] if isinstance(d, str) else d for d in entry.deductions), Fraction(0))
    score = base - points
    if score < 0:
        score, clamped = Fraction(0), True  # 扣完为止
    return Row(rule.id, score, raw, clamped)


def score(rubric: Rubric, entries: Mapping[str, Entry]) -> Outcome:
    rows = {r.id: score_row(r, entries.get(r.id, Entry())) for r in rubric.rules}
    level1: dict[str, Fraction] = {}
    level2: dict[tuple[str, str], Fraction] = {}
    for name, children in rubric.levels:
        level1[name] = sum((rows[r.id].score for r in rubric.rules if r.level1 == name), Fraction(0))
        for child in children:
            level2[(name, child)] = sum(
                (rows[r.id].score for r in rubric.rules if (r.level1, r.level2) == (name, child)), Fraction(0)
            )
    total = sum((row.score for row in rows.values()), Fraction(0))
    reached = [(low, name) for name, low in rubric.grades if low <= total]
    grade = max(reached)[1]
    return Outcome(rows, level1, level2, total, grade)
