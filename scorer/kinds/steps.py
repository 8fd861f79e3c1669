"""Per-unit deductions from a threshold: 每超1个百分点扣0.5分, 每低于5%扣2分, 扣完为止; a partial step is not
counted (whole), counted whole (started) or counted in proportion, as the rule declares."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from scorer.facts import fact
from scorer.kinds.base import FORMULA_NAMES, Step
from scorer.kinds.context import Declarative, Row, capped, evaluate, shown
from scorer.kinds.parts import Edge, EdgeKey, Item, Names, Reader, side, value_of
from scorer.kinds.specs import Path, Texts, where
from scorer.rounding import Exact, fmt

if TYPE_CHECKING:
    from scorer.errors import Problem
    from scorer.formula.evaluate import Formula
    from scorer.kinds.rule import Rule


@dataclass(frozen=True, slots=True)
class Steps:
    """Per-unit deductions from a threshold: 每超1个百分点扣0.5分 (above), 每低于5%扣2分 (below), 扣完为止."""

    of: Formula
    direction: str  # above | below
    threshold: Decimal
    per: Decimal
    points: Decimal
    partial: str  # whole | started | proportional
    reason: Texts
    path: Path
    kind: str = "steps"


def count(spec: Steps, value: Fraction) -> tuple[Fraction, Fraction]:
    """How far the value is past the threshold, and the steps that counts as (exact)."""
    threshold = Fraction(spec.threshold)
    past = value - threshold if spec.direction == "above" else threshold - value
    excess = max(Fraction(0), past)
    units = excess / Fraction(spec.per)
    if spec.partial == "whole":
        return excess, Fraction(math.floor(units))
    if spec.partial == "started":
        return excess, Fraction(math.ceil(units))
    return excess, units


def score(row: Row, spec: Steps) -> Decimal:
    value = evaluate(row, spec.of, spec.path + ("of",))
    row.steps.append(
        Step("value", fact("step.value", formula=spec.of.source, values=shown(row, spec.of)), value)
    )
    excess, steps = count(spec, value)
    computed = steps * Fraction(spec.points)
    deducted = min(computed, Fraction(row.weight))  # 扣完为止: never more than the weight
    raw = Fraction(row.weight) - computed
    row.steps.append(
        Step(
            "steps",
            fact(
                "step.steps",
                direction=fact(f"kinds.direction.{spec.direction}"),
                threshold=spec.threshold,
                excess=excess,
                per=spec.per,
                steps=steps,
                partial=fact(f"kinds.partial.{spec.partial}"),
                points=spec.points,
                deducted=computed,
            ),
            max(raw, Fraction(0)),  # the score left, never below 0: the clamp step says why
        )
    )
    if deducted:
        row.exercised.append(where(spec.path))
    if raw < 0:
        row.steps.append(Step("clamp", fact("step.deductions_exhausted"), Decimal(0)))
        raw = Fraction(0)  # 扣完为止
    result = row.finish(raw)
    if result < row.weight:
        extra: dict[str, Exact | str] = {
            "value": value, "threshold": spec.threshold, "excess": excess, "steps": steps, "per": spec.per,
            "points": spec.points, "deducted": deducted, "computed": computed, "score": result,
            "lost": row.lost(result),
        }  # fmt: skip
        key = "reason.steps_above" if spec.direction == "above" else "reason.steps_below"
        default = fact(
            key, value=row.shown(value), threshold=spec.threshold, excess=row.shown(excess),
            per=spec.per, points=spec.points, steps=steps, deducted=deducted,
        )  # fmt: skip
        row.reasons.append(row.text(spec.reason, extra, default))
        if computed > deducted:
            row.reasons.append(capped(computed, row.weight))
    return result


def _threshold_outside(spec: Steps, rule: Rule) -> Iterator[Problem]:
    """A threshold its input can never reach (or always passes): the rule would deduct for every value, or for
    none."""
    from scorer.errors import Problem
    from scorer.kinds.lint_tools import at

    declared = rule.input(spec.of.source.strip())
    if declared is None:
        return  # of a formula: its range is the formula's
    low, high = declared.min, declared.max
    if (low is not None and spec.threshold < low) or (high is not None and spec.threshold > high):
        yield Problem(
            at(rule, spec.path + ("threshold",)),
            fact(
                "lint.step_threshold_outside",
                threshold=spec.threshold,
                name=declared.name,
                low="−∞" if low is None else low,
                high="∞" if high is None else high,
            ),
        )


class StepsKind(Declarative[Steps]):
    name = "steps"
    placeholders = frozenset(
        {"value", "threshold", "excess", "steps", "per", "points", "deducted", "computed", "score", "lost"}
    )

    def read(self, data: dict[str, Any], path: Path, at: Reader) -> Steps:
        return Steps(
            at.formula(data["of"], path + ("of",)),
            data["direction"],
            Decimal(data["threshold"]),
            Decimal(data["per"]),
            Decimal(data["points"]),
            data["partial"],
            at.texts(data.get("reason"), path + ("reason",), self.placeholders),
            path,
        )

    def lint(self, spec: Steps, rule: Rule, year: int | None) -> Iterator[Problem]:
        from scorer.errors import Problem
        from scorer.kinds.lint_tools import at, over

        for key in ("per", "points"):
            if getattr(spec, key) == 0:
                yield Problem(at(rule, spec.path + (key,)), fact("lint.steps_zero", key=key))
        yield from over(rule, spec.points, spec.path + ("points",))
        yield from _threshold_outside(spec, rule)

    def formulas(self, spec: Steps) -> Iterator[tuple[Formula, Path]]:
        yield spec.of, spec.path + ("of",)

    def reads(self, spec: Steps) -> frozenset[str]:
        return frozenset(spec.of.names)

    def stated(self, spec: Steps, rule: Any, reason: str) -> dict[str, Decimal] | None:
        from scorer.kinds.stated import defaults, value_of

        key = "reason.steps_above" if spec.direction == "above" else "reason.steps_below"
        wording = defaults(key, {}, {"value", "threshold", "excess", "per", "points", "steps", "deducted"})
        return value_of(rule, spec.of, [spec.reason], wording, reason)

    def scored(self, spec: Steps, row: Row) -> Decimal:
        return score(row, spec)

    def needs(self, spec: Steps, names: Mapping[str, Decimal], choice: str) -> frozenset[str]:
        return spec.of.names - FORMULA_NAMES

    def items(self, spec: Steps, ident: str) -> Iterator[Item]:
        place = where(spec.path)
        yield Item(place, fact("cases.item.steps", id=ident, where=place))

    def edges(self, spec: Steps, ident: str) -> Iterator[Edge]:
        place = where(spec.path)
        for beside in ("at", "first"):
            label = fact(
                "cases.item.threshold", id=ident, where=place, threshold=spec.threshold, side=side(beside)
            )
            yield Edge((place, Fraction(spec.threshold), beside), label)

    def edges_seen(self, spec: Steps, names: Names) -> set[EdgeKey]:
        """On the threshold, or within its first step past it."""
        value = value_of(spec.of, names)
        if value is None:
            return set()
        threshold, per = Fraction(spec.threshold), Fraction(spec.per)
        past = value - threshold if spec.direction == "above" else threshold - value
        reached = "at" if past == 0 else "first" if 0 < past <= per else None
        return {(where(spec.path), threshold, reached)} if reached else set()

    def parts(self, spec: Steps) -> Iterator[tuple[str, str]]:
        yield (
            where(spec.path),
            (
                f"{spec.of.source} {spec.direction} {fmt(spec.threshold)}: "
                f"{fmt(spec.points)} / {fmt(spec.per)}, {spec.partial}"
            ),
        )


KIND = StepsKind()
