"""The declarative scoring kinds (scorer/kinds/specs.py) worked out for one department. Pure, like the engine.

`base(row)` is the engine's one hook (`_Builder._base`): it applies a row's not-applicable rules and gates, then
scores its kind, and returns the score before the evaluator's deductions; None leaves a 2022 kind (formula,
deductions, targets) to the engine. Each kind module turns inputs into an exact raw score and says, step by
step, which band, step count, checklist items, gate or pick produced it; the row's rounding is applied once,
here.
"""

from __future__ import annotations

from decimal import Decimal

from scorer.facts import fact
from scorer.formula.evaluate import FormulaError, MissingInput
from scorer.kinds.base import Step
from scorer.kinds.context import KindError, Row
from scorer.kinds.needs import needed_inputs, spec_needs
from scorer.kinds.specs import Kind, where

__all__ = ["KindError", "Row", "base", "needed_inputs"]


def base(row: Row) -> Decimal | None:
    rules = row.indicator.kinds
    if rules.spec is None and not rules.conditions:
        return None
    for index, condition in enumerate(rules.conditions):
        try:
            holds = condition.when.holds(row.names)
        except MissingInput:
            continue  # it reads an input not given: the reader asked for it unless it may be left out
        except FormulaError as exc:
            raise KindError(condition.path + ("when",), str(exc)) from None
        if holds:
            return _condition(row, index)
    if rules.spec is None:
        return None
    return score_spec(row, rules.spec)


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


def score_spec(row: Row, spec: Kind) -> Decimal:
    """The rounded score of one kind (an alternative's option is scored by this too)."""
    missing = sorted(spec_needs(spec, row.names, row.inputs.choice) - row.names.keys())
    if missing:
        return row.missing(missing)
    from scorer.kinds import alternatives, bands, checklist, graded, proportional, steps
    from scorer.kinds import per_occurrence as occurrences

    scorers = {
        "bands": bands.score,
        "steps": steps.score,
        "per_occurrence": occurrences.score,
        "checklist": checklist.score,
        "graded": graded.score,
        "proportional": proportional.score,
        "alternatives": alternatives.score,
    }
    return scorers[spec.kind](row, spec)  # type: ignore[operator,no-any-return]
