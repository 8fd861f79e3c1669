"""Deductions: the row starts at its weight and loses only what the evaluator deducts (its declared codes, with
their points and reasons, are read with the department's inputs; the engine applies them to any row)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from scorer.facts import fact
from scorer.kinds.base import Kind, KindScore, Step
from scorer.kinds.context import Row

if TYPE_CHECKING:
    from scorer.kinds.rule import Given, Rule


class DeductionsKind(Kind["Rule"]):
    name = "deductions"
    pure = True
    evidence_only = True
    judged = True
    nothing_to_fill = "scaffold.by_deductions"

    def score(self, spec: Rule, row: Row) -> Decimal:
        return full_weight(row)

    def compile(self, spec: Rule, rule: Rule) -> Callable[[Given, int], KindScore | None]:
        """The full weight, whatever the row gives: the engine takes the deductions off."""
        full = KindScore(rule.weight)
        return lambda given, year: full


def full_weight(row: Row) -> Decimal:
    """The row's weight, the score before deductions of a row whose kind has nothing to work out."""
    if row.explain:
        row.steps.append(Step("base", fact("step.base", weight=row.weight), row.weight))
    return row.weight


KIND = DeductionsKind()
