"""Each row of a rule set compiled once into a plain callable from a department's row to its result.

A row's kind compiles its own scoring (`Kind.compile`, scorer/kinds/base.py): the formula's closures, the roll-up
of targets, the full weight of a deductions row. The engine adds what every row shares: the evaluator's
deductions, the improvements, the metrics, and the result, whose explain steps are worked out only when read
(scorer/engine/row.py). Whatever the compiled scorer leaves (an override, a gate or not-applicable rule,
a missing input, a failing formula, a value to be clamped) is scored the interpreted way, by `score_indicator`,
so every message, note and step is the one it always was; a kind without a `compile` is scored that way too.
The compiled rows belong to the scoring plan kept in the rule set's `derived` memo (scorer/engine/score.py).
"""

from __future__ import annotations

from collections.abc import Callable

from scorer.engine.result import IndicatorResult
from scorer.engine.row import (
    ZERO,
    add_improvement,
    metric_values,
    row_result,
    score_indicator,
    steps_when_read,
)
from scorer.facts import fact, said
from scorer.inputs.model import IndicatorInputs
from scorer.kinds.base import KindScore
from scorer.kinds.registry import kind
from scorer.numbers import EXACT
from scorer.rules.model import Indicator

RowScorer = Callable[[IndicatorInputs, int], IndicatorResult]


def compiled_row(indicator: Indicator) -> RowScorer:
    """The row's scorer: compiled where its kind compiles it and no condition may decide it first, else the
    interpreted `score_indicator`."""
    compiled = None
    if not indicator.kinds.conditions:
        compiled = kind(indicator.scoring).compile(indicator.spec, indicator)
    if compiled is None:
        return lambda inputs, year: score_indicator(indicator, inputs, year)
    return _CompiledRow(indicator, compiled)


class _CompiledRow:
    """One row's compiled scorer."""

    __slots__ = ("indicator", "scored")

    def __init__(self, indicator: Indicator, scored: Callable[[IndicatorInputs, int], KindScore | None]):
        self.indicator = indicator
        self.scored = scored

    def __call__(self, inputs: IndicatorInputs, year: int) -> IndicatorResult:
        indicator = self.indicator
        base = None if inputs.override is not None else self.scored(inputs, year)
        if base is None:
            return score_indicator(indicator, inputs, year)
        score, reasons, notes, clamped = base.score, list(base.reasons), list(base.notes), False
        improvements: list[str] = []
        for deduction in inputs.deductions:  # as `_Builder._deduct`, without the steps
            score = EXACT.subtract(score, deduction.points)
            reasons.append(said(deduction.reason))
            add_improvement(improvements, deduction.improvement)
        if score < 0:
            clamped = True
            notes.append(fact("note.deductions_exhausted", base=base.score))
            score = ZERO
        add_improvement(improvements, inputs.improvement)
        return row_result(
            indicator,
            score,
            reasons,
            improvements,
            clamped=clamped,
            notes=tuple(notes),
            metrics=metric_values(indicator, inputs, year),
            steps=steps_when_read(indicator, inputs, year),
            targets=base.targets,
        )
