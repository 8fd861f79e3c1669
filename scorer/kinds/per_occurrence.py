"""Per-occurrence deductions: points for each violation or item counted, 扣完为止 (never more than the weight)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from scorer.facts import Message, fact, said
from scorer.kinds.base import Step
from scorer.kinds.context import Row, capped
from scorer.kinds.specs import PerOccurrence, where
from scorer.rounding import Exact


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
