"""What a kind sees of the row being scored: its rule, the department's inputs, and where to say what happened."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from scorer.facts import Fact, Message, fact, rule_reason
from scorer.formula.evaluate import Formula, FormulaError
from scorer.inputs.model import IndicatorInputs
from scorer.kinds.base import Step
from scorer.kinds.specs import Path, Texts
from scorer.rounding import Exact, fmt
from scorer.rules.model import Indicator


class KindError(Exception):
    """A rule's declared kind cannot score these values (no band holds the value, a formula fails)."""

    def __init__(self, path: Path, message: str):
        self.path = path
        super().__init__(message)


class Row:
    """The engine's builder as the kinds see it: the rule, the inputs, and the lists a result is built from."""

    def __init__(self, builder: Any):
        self.builder = builder
        self.indicator: Indicator = builder.indicator
        self.inputs: IndicatorInputs = builder.inputs
        self.reasons: list[Message] = builder.reasons
        self.notes: list[Message] = builder.notes
        self.steps: list[Step] = builder.steps
        self.exercised: list[str] = builder.exercised
        self.names: dict[str, Decimal] = self.indicator.formula_names(self.inputs.values, builder.year)

    @property
    def weight(self) -> Decimal:
        return self.indicator.weight

    def missing(self, names: list[str]) -> Decimal:
        return self.builder._missing(names)  # type: ignore[no-any-return]

    def finish(self, raw: Exact) -> Decimal:
        """The one rounding of the row's exact raw score, kept within [0, weight] first."""
        return self.builder._round(self.builder._clamp(raw, fact("word.kind_result")))  # type: ignore[no-any-return]

    def placeholders(self, extra: Mapping[str, Exact | str]) -> dict[str, str]:
        """Values a rule file's text may name: the inputs, metrics, weight, year, and the kind's own."""
        values = {k: fmt(v) for k, v in self.inputs.values.items()}
        values.update(weight=fmt(self.weight), year=str(self.builder.year))
        values.update({m.id: fmt(m.value) for m in self.builder.metrics if m.value is not None})
        values.update({k: v if isinstance(v, str) else fmt(v) for k, v in extra.items()})
        return values

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


def capped(computed: Exact, weight: Exact) -> Fact:
    """Said after a deduction's reasons when the rule's count comes to more than the row's weight (扣完为止)."""
    return fact("reason.deductions_capped", computed=computed, weight=weight)


def evaluate(row: Row, formula: Formula, path: Path) -> Fraction:
    """A kind's formula on the row's values; a failure names the rule file's key."""
    try:
        return formula.evaluate(row.names)
    except FormulaError as exc:
        raise KindError(path, str(exc)) from None


def shown(row: Row, formula: Formula) -> str:
    """The values a formula used, as `score explain` lists them."""
    return ", ".join(f"{k}={fmt(v)}" for k, v in sorted(row.names.items()) if k in formula.names)
