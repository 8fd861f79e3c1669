"""The declarative scoring kinds as frozen data: bands, steps, per-occurrence deductions, checklists, graded
judgement, alternatives, proportional scoring, and the gates and not-applicable conditions any row may carry.

Each part remembers `path`: where it stands in its rule file (for lint's file and line). Texts a rule file writes
for a part are `Texts`: compiled reason templates by language ("zh" first, the file's own).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from scorer.facts import Template
from scorer.formula.evaluate import Formula
from scorer.rounding import fmt

Path = tuple[str | int, ...]
Texts = tuple[tuple[str, Template], ...]  # (language, template); empty when the file gives none


@dataclass(frozen=True, slots=True)
class Interval:
    """A range of a value with each end declared open or closed: "80%(含)-90%" is [80, 90); "0-10%(含)" is
    (0, 10]. A missing end is unbounded; `equals` is a band for one exact value."""

    low: Decimal | None = None
    high: Decimal | None = None
    low_closed: bool = True
    high_closed: bool = False
    equals: Decimal | None = None

    def contains(self, value: Fraction) -> bool:
        if self.equals is not None:
            return value == Fraction(self.equals)
        if self.low is not None:
            low = Fraction(self.low)
            if value < low or (value == low and not self.low_closed):
                return False
        if self.high is not None:
            high = Fraction(self.high)
            if value > high or (value == high and not self.high_closed):
                return False
        return True

    @property
    def text(self) -> str:
        """Interval notation, exact: [80, 90), (0, 10], = 100, [90, ∞)."""
        if self.equals is not None:
            return f"= {fmt(self.equals)}"
        low = "-∞" if self.low is None else fmt(self.low)
        high = "∞" if self.high is None else fmt(self.high)
        left = "[" if self.low is not None and self.low_closed else "("
        right = "]" if self.high is not None and self.high_closed else ")"
        return f"{left}{low}, {high}{right}"


@dataclass(frozen=True, slots=True)
class Band:
    interval: Interval
    points: Decimal
    reason: Texts
    path: Path


@dataclass(frozen=True, slots=True)
class Bands:
    of: Formula
    items: tuple[Band, ...]
    range: tuple[Decimal | None, Decimal | None]  # the value's declared range, for lint's gaps
    path: Path
    kind: str = "bands"


@dataclass(frozen=True, slots=True)
class Steps:
    """Per-unit deductions from a threshold: 每超1个百分点扣0.5分 (above), 每低于5%扣2分 (below), 扣完为止."""

    of: Formula
    direction: str  # above | below
    threshold: Decimal
    per: Decimal
    points: Decimal
    partial: str  # whole | started | proportional
    reason: Texts
    path: Path
    kind: str = "steps"


@dataclass(frozen=True, slots=True)
class Occurrence:
    id: str  # also the name of its count in the inputs
    label: str
    points: Decimal
    reason: Texts
    path: Path
    unit: str = ""


@dataclass(frozen=True, slots=True)
class PerOccurrence:
    items: tuple[Occurrence, ...]
    path: Path
    kind: str = "per_occurrence"


@dataclass(frozen=True, slots=True)
class CheckItem:
    id: str  # a leaf's id is also the name of its yes/no answer in the inputs
    text: str
    points: Decimal
    reason: Texts
    path: Path
    items: tuple[CheckItem, ...] = ()

    def leaves(self) -> tuple[CheckItem, ...]:
        return (self,) if not self.items else tuple(leaf for item in self.items for leaf in item.leaves())


@dataclass(frozen=True, slots=True)
class Checklist:
    items: tuple[CheckItem, ...]
    path: Path
    kind: str = "checklist"

    def leaves(self) -> tuple[CheckItem, ...]:
        return tuple(leaf for item in self.items for leaf in item.leaves())

    def all_items(self) -> tuple[CheckItem, ...]:
        out: list[CheckItem] = []

        def walk(items: tuple[CheckItem, ...]) -> None:
            for item in items:
                out.append(item)
                walk(item.items)

        walk(self.items)
        return tuple(out)


@dataclass(frozen=True, slots=True)
class Grade:
    name: str
    interval: Interval
    description: Texts
    path: Path


@dataclass(frozen=True, slots=True)
class Graded:
    grades: tuple[Grade, ...]
    path: Path
    kind: str = "graded"

    def grade(self, name: str) -> Grade | None:
        return next((g for g in self.grades if g.name == name), None)


@dataclass(frozen=True, slots=True)
class Proportional:
    """weight × actual / target, capped at the weight; `lower_is_better`: weight × target / actual."""

    actual: Formula
    target: Formula
    lower_is_better: bool
    if_zero: str  # full_marks | zero: what a zero denominator gives
    reason: Texts
    path: Path
    kind: str = "proportional"


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    name: str
    when: Formula | None  # by condition: applies when true; the first that applies scores the row
    spec: Kind
    path: Path


@dataclass(frozen=True, slots=True)
class Alternatives:
    choose: str  # by_condition | by_department
    options: tuple[Option, ...]
    path: Path
    kind: str = "alternatives"

    def option(self, ident: str) -> Option | None:
        return next((o for o in self.options if o.id == ident), None)


Kind = Bands | Steps | PerOccurrence | Checklist | Graded | Proportional | Alternatives


@dataclass(frozen=True, slots=True)
class Condition:
    """A gate (the row scores 0) or a not-applicable condition (the row scores full marks), with its reason."""

    when: Formula
    reason: Texts
    path: Path
    effect: str = "gate"  # gate | not_applicable


@dataclass(frozen=True, slots=True)
class KindRules:
    """What an indicator declares beyond the 2022 kinds; empty for a plain formula, deductions or targets row."""

    spec: Kind | None = None
    conditions: tuple[Condition, ...] = field(default=())  # not-applicable first, then gates, as declared


def where(path: Path) -> str:
    """A part's place in its rule file, as lint and coverage name it: ("bands", "items", 2) → bands.items[2]."""
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else str(key))
    return text
