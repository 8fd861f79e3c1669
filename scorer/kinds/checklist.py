"""Checklists: yes/no items with their own points that sum (groups of items possibly nested); each missed item
loses its points with its own reason."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from scorer.facts import fact, said
from scorer.kinds.base import Step
from scorer.kinds.context import Row
from scorer.kinds.specs import CheckItem, Checklist, where


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
