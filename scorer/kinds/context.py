"""What a kind sees of the row being scored: its rule, the department's inputs, and where to say what happened."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING, Any

from scorer.facts import Fact, Message, fact, rule_reason
from scorer.formula.evaluate import Formula, FormulaError
from scorer.i18n import Worded
from scorer.kinds.base import Kind, S, Step
from scorer.kinds.specs import Path, Texts
from scorer.kinds.targets.model import TargetOutcome
from scorer.rounding import Exact, fmt

if TYPE_CHECKING:
    from scorer.kinds.rule import Given, Rule


# The values a kind's texts name that are measured, not scored: shown to the rubric's display places.
MEASURED = frozenset({"value", "excess", "actual", "target"})


class KindError(Worded):
    """A rule's declared kind cannot score these values (no band holds the value, a formula fails)."""

    def __init__(self, path: Path, message: Message):
        self.path = path
        super().__init__(message)


class Row:
    """The row being scored, as a kind sees it: the rule, the department's inputs, the year, and the lists a
    result is built from. The engine's builder (scorer/engine/row.py) is one: it sets these fields and gives
    `missing` (the rule's on_missing) and `finish` (clamp, then the row's one rounding)."""

    indicator: Rule
    inputs: Given
    year: int
    explain: bool  # `score explain` reads the steps now (else they are worked out again when read)
    reasons: list[Message]
    notes: list[Message]
    steps: list[Step]
    exercised: list[str]
    targets: tuple[TargetOutcome, ...]  # the targets a targets row judged, for the result
    metrics: tuple[Any, ...]  # each with `id` and `value`: values a reason may name

    @property
    def weight(self) -> Decimal:
        return self.indicator.weight

    @cached_property
    def names(self) -> dict[str, Decimal]:
        """What the row's formulas and conditions read: the inputs given, its weight and the year."""
        return self.indicator.formula_names(self.inputs.values, self.year)

    def missing(self, names: list[str]) -> Decimal:
        """The score of a row missing these inputs, as the rule's on_missing says."""
        raise NotImplementedError

    def finish(self, raw: Exact, what_key: str = "word.kind_result") -> Decimal:
        """The one rounding of the row's exact raw score, kept within [0, weight] first."""
        raise NotImplementedError

    def placeholders(self, extra: Mapping[str, Exact | str]) -> dict[str, str]:
        """Values a rule file's text may name: the inputs, metrics, weight, year, and the kind's own."""
        values = {k: self.shown(v) for k, v in self.inputs.values.items()}
        values.update(weight=fmt(self.weight), year=str(self.year))
        values.update({m.id: self.shown(m.value) for m in self.metrics if m.value is not None})
        values.update(
            {
                k: v if isinstance(v, str) else self.shown(v) if k in MEASURED else fmt(v)
                for k, v in extra.items()
            }
        )
        return values

    def shown(self, value: Exact) -> str:
        """A measured value (an input, a rate) as a reason names it: to the rubric's display places."""
        return self.indicator.rounding.show(value)

    def text(self, texts: Texts, extra: Mapping[str, Exact | str], default: Fact) -> Message:
        """A rule file's text in its languages, filled in; `default` where the file gives none."""
        if not texts:
            return default
        values = self.placeholders(extra)
        for _, template in texts:
            unfilled = template.names - values.keys()
            if unfilled:  # a placeholder only some kinds' values fill
                values.update({name: "—" for name in unfilled})
        return rule_reason(dict(texts), values)

    def lost(self, score: Exact) -> Fraction:
        return Fraction(self.weight) - Fraction(score)


class Declarative(Kind[S]):
    """A kind a rule file declares in its own key (bands, steps, checklists, ...): the inputs it needs are
    checked first, and a row missing one scores as the rule's on_missing says."""

    def score(self, spec: S, row: Row) -> Decimal:
        missing = sorted(self.needs(spec, row.names, row.inputs.choice) - row.names.keys())
        if missing:
            return row.missing(missing)
        return self.scored(spec, row)

    def scored(self, spec: S, row: Row) -> Decimal:
        """The score of a row given every input the kind needs."""
        raise NotImplementedError(self.name)

    def needed_when(self, spec: S) -> Iterator[tuple[str, Fact | None]]:
        for name in self.reads(spec):
            yield name, None


def capped(computed: Exact, weight: Exact) -> Fact:
    """Said after a deduction's reasons when the rule's count comes to more than the row's weight (扣完为止)."""
    return fact("reason.deductions_capped", computed=computed, weight=weight)


def evaluate(row: Row, formula: Formula, path: Path) -> Fraction:
    """A kind's formula on the row's values; a failure names the rule file's key."""
    try:
        return formula.evaluate(row.names)
    except FormulaError as exc:
        raise KindError(path, exc.fact) from None


def shown(row: Row, formula: Formula) -> str:
    """The values a formula used, as `score explain` lists them."""
    return ", ".join(f"{k}={fmt(v)}" for k, v in sorted(row.names.items()) if k in formula.names)
