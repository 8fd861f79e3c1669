"""A department's rows as the engine gives them: every score at hand, and a compiled row's result
(`IndicatorResult`) built only when something reads it.

A batch writing JSON Lines reads each row's score and what it says straight from `Pending` (scorer/render/
json_line.py), and the summary reads the scores; `score explain`, the tables and the workbook read the rows as
`IndicatorResult`s, built then, once, equal to what the interpreted engine gives (tests/test_compiled_engine.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from scorer.engine.result import IndicatorResult, MetricValue
from scorer.engine.row import add_improvement, metric_values, row_result, steps_when_read
from scorer.engine.when_read import WhenRead
from scorer.facts import Message, fact, said
from scorer.immutable import Memo
from scorer.inputs.model import IndicatorInputs
from scorer.kinds.base import KindScore
from scorer.kinds.targets.model import TargetOutcome
from scorer.numbers import EXACT
from scorer.rules.model import Indicator


class Pending:
    """A compiled row scored: its score (rounded once, deductions taken off, brought to 0 if they exhaust it) at
    hand; its reasons, notes, improvements and metrics worked out from the kind's score and the inputs when read.

    Read by the same names as an `IndicatorResult`'s fields (a compiled row is never overridden)."""

    __slots__ = ("indicator", "kept", "inputs", "year", "base", "score", "clamped", "_said")
    overridden = False

    def __init__(
        self,
        indicator: Indicator,
        kept: Memo,
        inputs: IndicatorInputs,
        year: int,
        base: KindScore,
        score: Decimal,
        clamped: bool,
    ):
        # What a renderer works out from the row's rule alone, kept with its compiled scorer (the same for every
        # department): `kept`.
        self.indicator, self.kept, self.inputs, self.year = indicator, kept, inputs, year
        self.base, self.score, self.clamped = base, score, clamped
        self._said: KindScore | None = None

    def said(self) -> KindScore:
        """The kind's score with what it says (reasons, notes, targets), worked out the first time it is read."""
        if self._said is None:
            later = self.base.later
            self._said = self.base if later is None else later()
        return self._said

    @property
    def id(self) -> str:
        return self.indicator.id

    @property
    def name(self) -> str:
        return self.indicator.name

    @property
    def level1(self) -> str:
        return self.indicator.level1

    @property
    def level2(self) -> str:
        return self.indicator.level2

    @property
    def weight(self) -> Decimal:
        return self.indicator.weight

    @property
    def lost(self) -> Decimal:
        return EXACT.subtract(self.indicator.weight, self.score)

    @property
    def reasons(self) -> tuple[Message, ...]:
        """The kind's reasons, then each deduction's, as the interpreted engine lists them."""
        return self.said().reasons + tuple([said(deduction.reason) for deduction in self.inputs.deductions])

    @property
    def improvements(self) -> tuple[str, ...]:
        """Each deduction's 改进措施, then the row's own, each once."""
        improvements: list[str] = []
        for deduction in self.inputs.deductions:
            add_improvement(improvements, deduction.improvement)
        add_improvement(improvements, self.inputs.improvement)
        return tuple(improvements)

    @property
    def notes(self) -> tuple[Message, ...]:
        if self.clamped:
            return (*self.said().notes, fact("note.deductions_exhausted", base=self.base.score))
        return self.said().notes

    @property
    def metrics(self) -> tuple[MetricValue, ...]:
        return metric_values(self.indicator, self.inputs, self.year)

    @property
    def targets(self) -> tuple[TargetOutcome, ...]:
        return self.said().targets

    def result(self) -> IndicatorResult:
        indicator, inputs, year = self.indicator, self.inputs, self.year
        return row_result(
            indicator,
            self.score,
            list(self.reasons),
            list(self.improvements),
            clamped=self.clamped,
            notes=self.notes,
            metrics=self.metrics,
            steps=steps_when_read(indicator, inputs, year),
            targets=self.targets,
        )


Entry = IndicatorResult | Pending


class Rows(WhenRead[IndicatorResult]):
    """A result's rows: `entries` as scored (a row's `IndicatorResult`, or a compiled row `Pending`), read as
    `IndicatorResult`s, every pending one built the first time any row is read."""

    __slots__ = ("entries", "_built")

    def __init__(self, entries: tuple[Entry, ...]):
        self.entries = entries
        self._built: tuple[IndicatorResult, ...] | None = None

    def _all(self) -> tuple[IndicatorResult, ...]:
        if self._built is None:
            self._built = tuple([e if type(e) is IndicatorResult else e.result() for e in self.entries])  # type: ignore[union-attr]
        return self._built

    def __len__(self) -> int:
        return len(self.entries)  # without building a row


def entries(rows: Sequence[IndicatorResult]) -> Sequence[Entry]:
    """A result's rows as scored: a pending row is not built."""
    return rows.entries if type(rows) is Rows else rows
