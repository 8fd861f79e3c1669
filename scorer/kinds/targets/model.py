"""Declared targets: as a department lists them (`Target`, its `Expression`s of `Part`s), as a 自评表 names them
(`DeclaredTarget`), and as judged (`TargetOutcome`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from scorer.frozen import Frozen, derived
from scorer.kinds.targets.words import KIND_OF_UNIT, MONEY_IN_YUAN, UNIT_ALIASES


@dataclass(frozen=True)
class DeclaredTarget:
    """A target a 自评表 declares for an indicator of the rules (its 二级/三级指标 and 年度指标值)."""

    indicator: str  # output_targets or outcome_targets
    category: str
    name: str
    target: str


class Part(Frozen):
    label: str
    direction: str
    strict: bool
    number: Decimal
    unit: str  # as written; `base_unit` is what comparisons use

    @derived
    def base_unit(self) -> str:
        return UNIT_ALIASES.get(self.unit, self.unit)

    @derived
    def kind(self) -> str:
        """count, percent, duration, money; plain without a unit, other for a unit not listed."""
        return KIND_OF_UNIT.get(self.base_unit, "other" if self.unit else "plain")

    @derived  # a part is read once per text and shared (load/target_text.py): worked out once
    def ratio(self) -> tuple[int, int]:
        """The number, exactly, in the unit's base (yuan for money), so that 1万元 and 10000元 compare equal: as
        (numerator, denominator > 0), for comparisons in integers."""
        amount = Fraction(self.number) * MONEY_IN_YUAN.get(self.unit, 1)
        return amount.numerator, amount.denominator


class Expression(Frozen):
    text: str
    parts: tuple[Part, ...]


class Target(Frozen):
    """One declared target as the department listed it, read and checked."""

    name: str
    target: Expression | None  # None where the text cannot be read and the evaluator has judged it
    target_text: str
    actual: Expression | None
    actual_text: str
    category: str = ""
    weight: Decimal | None = None
    judged: bool | None = None  # the evaluator's `met`, when given
    reason: str = ""


class TargetOutcome(Frozen):
    name: str
    target: str
    actual: str
    met: bool
    completion: Fraction  # 1 exactly when met, in [0, 1) when not
    judged: bool
    category: str
    reason: str = ""
