"""What the declared kinds share as frozen data: a range with its ends (`Interval`, of bands and grades), the
gates and not-applicable conditions any row may carry, and what an indicator declares (`KindRules`). Each kind's
own spec is in its module (scorer/kinds/<name>.py).

Each part remembers `path`: where it stands in its rule file (for lint's file and line). Texts a rule file writes
for a part are `Texts`: compiled reason templates by language ("zh" first, the file's own).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Protocol

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


class Spec(Protocol):
    """A declared kind's spec (each kind's module holds its own): the kind that scores it, and its place."""

    @property
    def kind(self) -> str: ...
    @property
    def path(self) -> Path: ...


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

    spec: Spec | None = None
    conditions: tuple[Condition, ...] = field(default=())  # not-applicable first, then gates, as declared


def where(path: Path) -> str:
    """A part's place in its rule file, as lint and coverage name it: ("bands", "items", 2) → bands.items[2]."""
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else str(key))
    return text
