"""Proportional scoring capped at full marks: weight × actual / target, or for a reverse indicator (lower is
better) weight × target / actual; a zero denominator gives what the rule declares."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from fractions import Fraction

from scorer.facts import fact
from scorer.kinds.base import FORMULA_NAMES, Step
from scorer.kinds.context import Declarative, Row, evaluate
from scorer.kinds.specs import Proportional, where


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
        default = fact("reason.proportional", actual=actual, target=target, score=result)
        row.reasons.append(row.text(spec.reason, extra, default))
    return result


class ProportionalKind(Declarative[Proportional]):
    name = "proportional"

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
