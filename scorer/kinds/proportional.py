"""Proportional scoring capped at full marks: weight × actual / target, or for a reverse indicator (lower is
better) weight × target / actual; a zero denominator gives what the rule declares."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from scorer.facts import fact
from scorer.kinds.base import FORMULA_NAMES, Step
from scorer.kinds.context import Declarative, Row, evaluate
from scorer.kinds.parts import Reader
from scorer.kinds.specs import Path, Texts, where

if TYPE_CHECKING:
    from scorer.formula.evaluate import Formula


@dataclass(frozen=True, slots=True)
class Proportional:
    """weight × actual / target, capped at the weight; `lower_is_better`: weight × target / actual."""

    actual: Formula
    target: Formula
    lower_is_better: bool
    if_zero: str  # full_marks | zero: what a zero denominator gives
    reason: Texts
    path: Path
    kind: str = "proportional"


def score(row: Row, spec: Proportional) -> Decimal:
    actual = evaluate(row, spec.actual, spec.path + ("actual",))
    target = evaluate(row, spec.target, spec.path + ("target",))
    numerator, denominator = (target, actual) if spec.lower_is_better else (actual, target)
    if denominator == 0:
        raw = Fraction(row.weight) if spec.if_zero == "full_marks" else Fraction(0)
        key = (
            "step.proportional_zero_full_marks"
            if spec.if_zero == "full_marks"
            else "step.proportional_zero_zero"
        )
        row.steps.append(Step("proportional", fact(key), raw))
        ratio = None
    else:
        ratio = numerator / denominator
        raw = min(Fraction(1), ratio) * Fraction(row.weight)
        key = "step.proportional_reverse" if spec.lower_is_better else "step.proportional"
        row.steps.append(
            Step("proportional", fact(key, actual=actual, target=target, weight=row.weight), raw)
        )
    result = row.finish(raw)
    if result < row.weight:
        extra = {"actual": actual, "target": target, "ratio": "—" if ratio is None else ratio * 100,
                 "score": result, "lost": row.lost(result)}  # fmt: skip
        default = fact(
            "reason.proportional", actual=row.shown(actual), target=row.shown(target), score=result
        )
        row.reasons.append(row.text(spec.reason, extra, default))
    return result


class ProportionalKind(Declarative[Proportional]):
    name = "proportional"
    placeholders = frozenset({"actual", "target", "ratio", "score", "lost"})

    def read(self, data: dict[str, Any], path: Path, at: Reader) -> Proportional:
        return Proportional(
            at.formula(data["actual"], path + ("actual",)),
            at.formula(data["target"], path + ("target",)),
            data.get("lower_is_better", False),
            data.get("if_zero", "full_marks"),
            at.texts(data.get("reason"), path + ("reason",), self.placeholders),
            path,
        )

    def formulas(self, spec: Proportional) -> Iterator[tuple[Formula, Path]]:
        yield spec.actual, spec.path + ("actual",)
        yield spec.target, spec.path + ("target",)

    def reads(self, spec: Proportional) -> frozenset[str]:
        return frozenset(spec.actual.names | spec.target.names)

    def stated(self, spec: Proportional, rule: Any, reason: str) -> dict[str, Decimal] | None:
        from scorer.kinds.stated import defaults, first, templates

        names = {i.name for i in rule.inputs}
        actual, target = spec.actual.source.strip(), spec.target.source.strip()
        if actual not in names or target not in names:
            return None
        wording = defaults("reason.proportional", {}, {"actual", "target", "score"})
        found = first(templates(spec.reason) + wording, reason)
        if found is None or "actual" not in found or "target" not in found:
            return None
        return {actual: found["actual"], target: found["target"]}

    def scored(self, spec: Proportional, row: Row) -> Decimal:
        return score(row, spec)

    def needs(self, spec: Proportional, names: Mapping[str, Decimal], choice: str) -> frozenset[str]:
        return (spec.actual.names | spec.target.names) - FORMULA_NAMES

    def parts(self, spec: Proportional) -> Iterator[tuple[str, str]]:
        ratio = (
            f"{spec.target.source} / {spec.actual.source}"
            if spec.lower_is_better
            else f"{spec.actual.source} / {spec.target.source}"
        )
        yield where(spec.path), f"{ratio}, 0 → {spec.if_zero}"


KIND = ProportionalKind()
