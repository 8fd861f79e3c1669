"""Per-occurrence deductions: points for each violation or item counted, 扣完为止 (never more than the weight)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from scorer.facts import Message, fact, said
from scorer.kinds.base import InputSpec, Step
from scorer.kinds.context import Declarative, Row, capped
from scorer.kinds.parts import Item, Reader
from scorer.kinds.specs import Path, Texts, where
from scorer.rounding import Exact, fmt

if TYPE_CHECKING:
    from scorer.errors import Problem
    from scorer.kinds.rule import Rule


@dataclass(frozen=True, slots=True)
class Occurrence:
    id: str  # also the name of its count in the inputs
    label: str
    points: Decimal
    reason: Texts
    path: Path
    unit: str = ""


@dataclass(frozen=True, slots=True)
class PerOccurrence:
    items: tuple[Occurrence, ...]
    path: Path
    kind: str = "per_occurrence"


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
        # explain shows arithmetic that holds: the product, what it took off, the score left (never below 0)
        key = "step.occurrence" if deducted == computed else "step.occurrence_capped"
        detail = fact(
            key, label=said(item.label), count=count, points=item.points, deducted=deducted, computed=computed
        )
        row.steps.append(Step("occurrence", detail, left))
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
    placeholders = frozenset({"count", "points", "deducted", "computed"})

    def read(self, data: list[dict[str, Any]], path: Path, at: Reader) -> PerOccurrence:
        items = []
        for i, item in enumerate(data):
            unit = item.get("unit", "")
            at.add(InputSpec(item["id"], "integer", item["label"], unit, min=Decimal(0)))
            reason = at.texts(item.get("reason"), path + (i, "reason"), self.placeholders)
            items.append(
                Occurrence(item["id"], item["label"], Decimal(item["points"]), reason, path + (i,), unit)
            )
        return PerOccurrence(tuple(items), path)

    def lint(self, spec: PerOccurrence, rule: Rule, year: int | None) -> Iterator[Problem]:
        from scorer.errors import Problem
        from scorer.kinds.lint_tools import at, over

        for item in spec.items:
            if item.points == 0:
                yield Problem(at(rule, item.path + ("points",)), fact("lint.steps_zero", key="points"))
            yield from over(rule, item.points, item.path + ("points",))

    def reads(self, spec: PerOccurrence) -> frozenset[str]:
        return frozenset(item.id for item in spec.items)

    def stated(self, spec: PerOccurrence, rule: Any, reason: str) -> dict[str, Decimal] | None:
        from scorer.kinds.stated import defaults, first, templates

        counts: dict[str, Decimal] = {}
        for item in spec.items:
            fixed = {"label": item.label, "unit": item.unit, "points": fmt(item.points)}
            wording = templates(item.reason) or defaults("reason.occurrence", fixed, {"count", "deducted"})
            found = first(wording, reason)
            if found is None:
                counts[item.id] = Decimal(
                    0
                )  # an item counted writes its reason; one not there was not counted
            elif "count" in found:
                counts[item.id] = found["count"]
            elif "computed" in found and item.points:
                counts[item.id] = found["computed"] / item.points
            else:
                return None
        return counts

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
