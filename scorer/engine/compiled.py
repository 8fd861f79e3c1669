"""Each row of a rule set compiled once into a plain callable from a department's row to its result.

A row's kind compiles its own scoring (`Kind.compile`, scorer/kinds/base.py): the formula's closures, the roll-up
of targets, the full weight of a deductions row. The engine takes the evaluator's deductions off and keeps the
row as a `Pending` (scorer/engine/rows.py): its improvements, metrics, reasons and result are worked out only when
an output reads them, its explain steps only when `score explain` does (scorer/engine/row.py). Whatever the compiled scorer leaves (an override, a gate or not-applicable rule,
a missing input, a failing formula, a value to be clamped) is scored the interpreted way, by `score_indicator`,
so every message, note and step is the one it always was; a kind without a `compile` is scored that way too.
The compiled rows belong to the scoring plan kept in the rule set's `derived` memo (scorer/engine/score.py).
"""

from __future__ import annotations

from collections.abc import Callable

from scorer.engine.row import ZERO, check_score, score_indicator
from scorer.engine.rows import Entry, Pending
from scorer.immutable import Memo
from scorer.inputs.model import IndicatorInputs
from scorer.kinds.base import KindScore
from scorer.kinds.registry import kind
from scorer.numbers import EXACT
from scorer.rules.model import Indicator

RowScorer = Callable[[IndicatorInputs, int], Entry]


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
    """One row's compiled scorer: the kind's score, the deductions taken off, and the rest of the result left
    to be worked out when read (`Pending`, scorer/engine/rows.py)."""

    __slots__ = ("indicator", "scored", "weight", "kept")

    def __init__(self, indicator: Indicator, scored: Callable[[IndicatorInputs, int], KindScore | None]):
        self.indicator = indicator
        self.scored = scored
        self.weight = indicator.weight
        self.kept = Memo()  # what renderers work out from the row's rule alone (`Pending.kept`)

    def __call__(self, inputs: IndicatorInputs, year: int) -> Entry:
        base = None if inputs.override is not None else self.scored(inputs, year)
        if base is None:
            return score_indicator(self.indicator, inputs, year)
        score, clamped, deductions = base.score, False, inputs.deductions
        for deduction in deductions:  # as `_Builder._deduct`, without the steps
            score = EXACT.subtract(score, deduction.points)
        if score < 0:
            score, clamped = ZERO, True
        if score < self.weight and not (deductions or base.reasons or base.later):
            check_score(self.indicator, score, [])  # a loss without a reason: the engine's own error, now
        return Pending(self.indicator, self.kept, inputs, year, base, score, clamped)
