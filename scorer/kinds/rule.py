"""What a kind reads of the rule it scores (`Rule`: an indicator, scorer/rules/model.py) and of a department's
row (`Given`: a row's inputs, scorer/inputs/model.py), as protocols: the kinds stand below the rule set and the
inputs, so they name the fields they read, not the classes above them."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, Protocol

from scorer.errors import LineMap, Location
from scorer.facts import Template
from scorer.formula.evaluate import Formula
from scorer.kinds.base import InputSpec
from scorer.kinds.specs import KindRules, where
from scorer.kinds.targets.model import Target, TargetsSpec
from scorer.rounding import Rounding


class Rule(Protocol):
    """An indicator of a rule set, as its kind reads it."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def scoring(self) -> str: ...
    @property
    def weight(self) -> Decimal: ...
    @property
    def exact_weight(self) -> Fraction: ...
    @property
    def inputs(self) -> tuple[InputSpec, ...]: ...
    @property
    def formula(self) -> Formula | None: ...
    @property
    def formula_inputs(self) -> tuple[str, ...]: ...
    @property
    def reason_names(self) -> tuple[str, ...]: ...
    @property
    def reason(self) -> Template | None: ...
    @property
    def reason_templates(self) -> Mapping[str, Template]: ...
    @property
    def rounding(self) -> Rounding: ...
    @property
    def kinds(self) -> KindRules: ...
    @property
    def targets(self) -> TargetsSpec | None: ...
    @property
    def spec(self) -> object: ...
    @property
    def path(self) -> str: ...
    @property
    def lines(self) -> LineMap: ...
    @property
    def keys(self) -> frozenset[str]: ...

    def input(self, name: str) -> InputSpec | None: ...
    def formula_names(self, values: Mapping[str, Decimal], year: int) -> dict[str, Decimal]: ...


class Given(Protocol):
    """A department's row, as the kind scoring it reads it."""

    @property
    def values(self) -> Mapping[str, Decimal]: ...
    @property
    def targets(self) -> tuple[Target, ...]: ...
    @property
    def judgement(self) -> Any: ...  # a graded row's pick: grade, score, reason
    @property
    def choice(self) -> str: ...
    @property
    def reason(self) -> str: ...


def place(rule: Rule, *path: str | int) -> Location:
    """Where a key of a rule stands: its file, line, indicator and key, for lint."""
    return Location(rule.path, rule.lines.line(tuple(path)), rule.id, where(tuple(path)) or None)
