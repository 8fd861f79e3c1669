"""The shapes the declared kinds share and tell the rest through the protocol of kinds/base.py: a range with its
ends (`Interval`, of bands and grades), a gate or not-applicable rule (`Condition`), a declared kind's spec as the
rest sees it (`Spec`), what a kind reads through (`Reader`), and what it answers: a part to cover (`Item`), an
edge to reach from a side (`Edge`), what it asks besides its inputs (`Ask`), a figure it cannot score (`Outside`). Imported only where a rule set declares
a kind, or by the maintainers' tools."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Protocol

from scorer.facts import Fact, Message, fact
from scorer.formula.evaluate import Formula, FormulaError
from scorer.kinds.base import InputSpec
from scorer.kinds.specs import Path, Texts
from scorer.rounding import fmt


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
class Item:
    """A part `score test --coverage` counts, by the place the engine names when it decides a score
    (`bands.items[2]`), with its label as a fact (worded where it is shown)."""

    place: str
    label: Fact


# An edge by data: the place of the rule it belongs to (bands, alternatives.options[1].steps), the edge's exact
# value, and the side it is reached from (at, below, above, first: within the first step past a threshold).
EdgeKey = tuple[str, Fraction, str]
Names = Mapping[str, Decimal | Fraction | bool | int]  # a case's inputs, with the row's weight and year


@dataclass(frozen=True, slots=True)
class Edge:
    """An edge `score test --coverage` wants a case to reach (a band edge from each side, a steps threshold),
    keyed by data, with its label as a fact."""

    key: EdgeKey
    label: Fact


_SIDES = {
    "at": "cases.side.at",
    "below": "cases.side.below",
    "above": "cases.side.above",
    "first": "cases.side.first_step",
}


def side(name: str) -> Fact:
    """A side an edge is reached from, worded where it is shown."""
    return fact(_SIDES[name])


def value_of(formula: Formula, names: Names) -> Fraction | None:
    """The value a case's names give a rule's `of`, as the engine works it out; None where it cannot."""
    try:
        return formula.evaluate(names)
    except FormulaError:
        return None


@dataclass(frozen=True, slots=True)
class Ask:
    """What a kind asks of a department besides its declared inputs, under the inputs file's key `key`
    (`judgement`, `choice`): the values it may take, and those values as one text for a message's `{word}`
    (`grades`, `options`). `type` is its row's type in the input workbook and the batch sheet; `missing` and
    `fill` are catalogue keys."""

    key: str
    type: str
    choices: tuple[str, ...]
    word: str
    shown: str
    missing: str  # the catalogue's message when a department leaves it out (with title, where and `word`)
    fill: str  # the catalogue's line beside it in an inputs file to fill (with `word`)
    blank: str = ""  # the empty value an inputs file to fill shows for it, where it has parts
    ranges: tuple[tuple[str, Interval], ...] = ()  # a grade's range of scores, by its name


@dataclass(frozen=True, slots=True)
class Outside:
    """A value the department's figures give that the kind cannot score (no band holds it), the stretch it
    can score, and the inputs the value is taken of."""

    value: Fraction
    covered: str
    of: tuple[str, ...]


class Reader(Protocol):
    """What a kind's `read` is given (scorer/kinds/read.py): formulas and texts compiled against what the rule
    may name, the inputs it asks for (a checklist's answers, counts), and the spec of another kind's key (an
    alternative's option)."""

    within_options: bool  # what is read now is an alternative's option: the inputs it asks may be left out

    def formula(self, source: str, path: Path) -> Formula: ...
    def texts(self, given: Any, path: Path, placeholders: frozenset[str]) -> Texts: ...
    def add(self, spec: InputSpec) -> None: ...
    def fail(self, path: Path, message: Message) -> None: ...
    def kind(self, key: str, data: Any, path: Path) -> Any: ...
