"""Checklists: yes/no items with their own points that sum (groups of items possibly nested); each missed item
loses its points with its own reason."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from fractions import Fraction

from scorer.facts import fact, said
from scorer.kinds.base import Item, Step
from scorer.kinds.context import Declarative, Row
from scorer.kinds.specs import CheckItem, Checklist, where
from scorer.rounding import fmt


def score(row: Row, spec: Checklist) -> Decimal:
    reasons = []
    raw = Fraction(0)

    def walk(items: tuple[CheckItem, ...]) -> bool:
        """Score the items; True when every one is met."""
        nonlocal raw
        every = True
        for item in items:
            if item.items:
                met = walk(item.items)
            else:
                met = bool(row.names[item.id])
                if met:
                    raw += Fraction(item.points)
                row.steps.append(
                    Step(
                        "check",
                        fact(
                            "step.check_met" if met else "step.check_missed",
                            text=said(item.text),
                            points=item.points,
                        ),
                        raw,
                    )  # fmt: skip
                )
                if not met:
                    default = fact("reason.check_missed", text=said(item.text), points=item.points)
                    reasons.append(row.text(item.reason, {"points": item.points}, default))
            if not met:
                row.exercised.append(where(item.path))
            every = every and met
        return every

    walk(spec.items)
    result = row.finish(raw)
    row.reasons.extend(reasons)
    return result


class ChecklistKind(Declarative[Checklist]):
    name = "checklist"

    def scored(self, spec: Checklist, row: Row) -> Decimal:
        return score(row, spec)

    def needs(self, spec: Checklist, names: Mapping[str, Decimal], choice: str) -> frozenset[str]:
        return frozenset(leaf.id for leaf in spec.leaves())

    def items(self, spec: Checklist, ident: str) -> Iterator[Item]:
        for item in spec.all_items():
            place = where(item.path)
            yield Item(place, fact("cases.item.check", id=ident, where=place))

    def parts(self, spec: Checklist) -> Iterator[tuple[str, str]]:
        for check in spec.all_items():
            yield where(check.path), f"{check.id} ({check.text}): {fmt(check.points)}"


KIND = ChecklistKind()
