"""Not-applicable rules and gates, which any row may carry whatever its kind: the first that holds decides the
row (full marks, or 0 with its reason) before its kind is scored."""

from __future__ import annotations

from decimal import Decimal

from scorer.facts import fact
from scorer.formula.evaluate import FormulaError, MissingInput
from scorer.kinds.base import Step
from scorer.kinds.context import KindError, Row
from scorer.kinds.specs import where


def decide(row: Row) -> Decimal | None:
    """The score a condition that holds gives the row, or None when none holds (or the row has none)."""
    conditions = row.indicator.kinds.conditions
    for index, condition in enumerate(conditions):
        try:
            holds = condition.when.holds(row.names)
        except MissingInput:
            continue  # it reads an input not given: the reader asked for it unless it may be left out
        except FormulaError as exc:
            raise KindError(condition.path + ("when",), exc.fact) from None
        if holds:
            return _condition(row, index)
    return None


def _condition(row: Row, index: int) -> Decimal:
    condition = row.indicator.kinds.conditions[index]
    weight = row.indicator.weight
    reason = row.text(condition.reason, {}, fact("kinds.condition_default"))
    if condition.effect == "not_applicable":
        row.notes.append(fact("note.not_applicable", reason=reason))
        row.steps.append(
            Step("not_applicable", fact("step.not_applicable", when=condition.when.source), weight)
        )
        row.exercised.append(where(condition.path))
        return weight
    row.reasons.append(reason)
    row.steps.append(Step("gate", fact("step.gate", when=condition.when.source, reason=reason), Decimal(0)))
    row.exercised.append(where(condition.path))
    return Decimal(0)
