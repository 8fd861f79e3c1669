"""Per-occurrence deductions: points for each violation or item counted, 扣完为止 (never more than the weight)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from fractions import Fraction

from scorer.facts import Message, fact, said
from scorer.kinds.base import Item, Step
from scorer.kinds.context import Declarative, Row, capped
from scorer.kinds.specs import PerOccurrence, where
from scorer.rounding import Exact, fmt


def score(row: Row, spec: PerOccurrence) -> Decimal:
    raw = Fraction(row.weight)
    left = Fraction(row.weight)  # what is left to deduct from: 扣完为止
    reasons: list[Message] = []
    for item in spec.items:
        count = Fraction(row.names[item.id])
        computed = count * Fraction(item.points)
        deducted = min(computed, left)  # what this item actually takes off
        left -= deducted
        raw -= computed
        detail = fact(
            "step.occurrence", label=said(item.label), count=count, points=item.points, deducted=deducted
        )
        row.steps.append(Step("occurrence", detail, raw))
        if count:
            row.exercised.append(where(item.path))
            extra: dict[str, Exact | str] = {
                "count": count, "points": item.points, "deducted": deducted, "computed": computed,
            }  # fmt: skip
            default = fact("reason.occurrence", label=said(item.label), count=count, unit=item.unit,
                           points=item.points, deducted=deducted)  # fmt: skip
            reasons.append(row.text(item.reason, extra, default))
    if raw < 0:
        row.steps.append(Step("clamp", fact("step.deductions_exhausted"), Decimal(0)))
        reasons.append(capped(Fraction(row.weight) - raw, row.weight))
        raw = Fraction(0)  # 扣完为止
    result = row.finish(raw)
    row.reasons.extend(reasons)
    return result


class PerOccurrenceKind(Declarative[PerOccurrence]):
    name = "per_occurrence"

    def scored(self, spec: PerOccurrence, row: Row) -> Decimal:
        return score(row, spec)

    def needs(self, spec: PerOccurrence, names: Mapping[str, Decimal], choice: str) -> frozenset[str]:
        return frozenset(item.id for item in spec.items)

    def items(self, spec: PerOccurrence, ident: str) -> Iterator[Item]:
        for occurrence in spec.items:
            place = where(occurrence.path)
            yield Item(place, fact("cases.item.occurrence", id=ident, where=place))

    def parts(self, spec: PerOccurrence) -> Iterator[tuple[str, str]]:
        for item in spec.items:
            yield where(item.path), f"{item.id} ({item.label}): {fmt(item.points)}"


KIND = PerOccurrenceKind()
