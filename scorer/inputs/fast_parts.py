"""The parts of a department the fast reader (scorer/inputs/fast.py) reads itself: numbers, deductions and
declared targets, in the forms most departments write them. Each is read as the full reader reads it, or found
"not proven" (`NotProven`), and then the full reader reads the whole department with its own messages.

A form this module does not know is handed to the full reader's own method (`Strict`: the reader's methods,
stopping at the first problem), so that a value is never worked out twice in two ways. What it reads itself is
what the inputs schema and the full reader both accept, checked as strictly: a text where the schema asks a text,
a number or text where it asks a number, no key the schema does not know.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from scorer.errors import PathKey
from scorer.escape import is_blank
from scorer.facts import Message
from scorer.inputs.model import Deduction
from scorer.inputs.typed import ReadsTyped
from scorer.inputs.values import POINTS, without_word
from scorer.invisible import DRAWN_AS_NOTHING
from scorer.kinds.base import InputSpec
from scorer.kinds.targets.model import Target
from scorer.numbers import MAX_MAGNITUDE, NotANumber, parse_number
from scorer.rules.model import Indicator, RuleSet
from scorer.sources.yaml import YamlDocument


class NotProven(Exception):
    """The department is not one the fast reader can prove valid: the full reader reads it."""


class Strict(ReadsTyped):
    """The full reader's own methods (scorer/inputs/given.py, values.py, typed.py) for the forms the fast reader
    leaves to them, stopping at the first problem instead of gathering it: the full reader then says them all."""

    def __init__(self, doc: YamlDocument, rules: RuleSet, shared: dict[str, Decimal]):
        self.doc = doc
        self.rules = rules
        self.shared = shared
        self.shared_given = set()

    def fail(self, path: PathKey, message: Message) -> None:
        raise NotProven


# A number as most departments write it: ASCII digits, at most one point. With at most 12 digits before the point,
# 10 after and 15 in all (16 characters with the point), it is within every bound of scorer/numbers.py, and
# `parse_number` reads it as Decimal(text), with or without `percent`.
_PLAIN = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,10})?")
_SMALL = int(MAX_MAGNITUDE)  # a whole number below it in magnitude is within bounds
NUMBER_TYPES = (str, int, Decimal)  # the types the schema's `number` (a number or a text) takes, bool aside


def plain_number(raw: Any) -> Decimal | None:
    """The number `parse_number` reads from `raw`, when `raw` is a plain one; None for any other form."""
    kind = type(raw)
    if kind is str:
        return Decimal(raw) if len(raw) <= 16 and _PLAIN.fullmatch(raw) else None
    if kind is int and -_SMALL < raw < _SMALL:
        return Decimal(raw)
    return None


def is_number(raw: Any) -> bool:
    """A value of a type the schema's `number` accepts (a text, a whole number or a decimal, never a yes/no)."""
    kind = type(raw)
    return kind is str or kind is int or kind is Decimal


def amount(raw: Any, unit: tuple[str, ...] = ()) -> Decimal:
    """A number as `ReadsValues.number` reads it without percent (the budget block's parts), after the words of
    `unit` where the number may carry one (a deduction's "1分")."""
    number = plain_number(raw)
    if number is not None:
        return number
    if not is_number(raw):
        raise NotProven
    try:
        return parse_number(without_word(raw, unit) if unit else raw)
    except NotANumber:
        raise NotProven from None


def visible(text: str) -> bool:
    """Not blank (scorer/escape.py: `is_blank`), told at once for a text that starts with a letter or digit."""
    first = text[:1]
    return (first.isalnum() and first not in DRAWN_AS_NOTHING) or not is_blank(text)


def value(spec: InputSpec, raw: Any, path: PathKey, strict: Strict) -> Decimal:
    """An input's value, as `ReadsValues.value` reads it: a plain number checked here, any other form there."""
    if spec.type != "yes_no":
        number = plain_number(raw)
        if number is not None:
            if spec.type == "integer" and number != number.to_integral_value():
                raise NotProven
            if spec.type == "percent" and 0 < number <= 1:  # a plain number has no % sign: ambiguous
                raise NotProven
            if (spec.min is not None and number < spec.min) or (spec.max is not None and number > spec.max):
                raise NotProven
            return number
        if not is_number(raw):
            raise NotProven
    elif not (type(raw) is bool or type(raw) is str or type(raw) is int):  # the schema's yes/no types
        raise NotProven
    read = strict.value(path, spec, raw)
    if read is None:  # pragma: no cover - the strict reader raises where the full reader fails
        raise NotProven
    return read


_DEDUCTION_KEYS = frozenset({"points", "reason", "improvement", "code"})


def deductions(items: Any, indicator: Indicator, base: PathKey, strict: Strict) -> tuple[Deduction, ...]:
    """A row's deductions, as `ReadsGiven.deduction` reads them; a declared code's by that method itself."""
    if type(items) is not list:
        raise NotProven
    read = []
    for index, item in enumerate(items):
        if type(item) is not dict or not _DEDUCTION_KEYS.issuperset(item):
            raise NotProven
        reason, improvement = item.get("reason", ""), item.get("improvement", "")
        if type(reason) is not str or type(improvement) is not str:
            raise NotProven
        if "code" in item:
            read.append(_declared(item, indicator, base + ("deductions", index), strict))
            continue
        if "points" not in item or not visible(reason):
            raise NotProven
        points = amount(item["points"], POINTS)
        if points <= 0 or not indicator.rounding.fits(points):
            raise NotProven
        read.append(Deduction(points, reason.strip(), improvement.strip()))
    return tuple(read)


def _declared(item: dict[str, Any], indicator: Indicator, path: PathKey, strict: Strict) -> Deduction:
    """A deduction the rule file declares, by its code."""
    if type(item["code"]) is not str:
        raise NotProven
    found = strict.deduction(path, indicator, item)
    if found is None:  # pragma: no cover - the strict reader raises where the full reader fails
        raise NotProven
    return found


_TARGET_TYPES: Mapping[str, tuple[type, ...]] = {
    "name": (str,),
    "target": NUMBER_TYPES,
    "actual": NUMBER_TYPES,
    "category": (str,),
    "weight": NUMBER_TYPES,
    "met": (bool,),
    "reason": (str,),
}


class Targets:
    """A targets row's declared targets, read as `ReadsGiven.targets` reads them: a target of a name, a target and
    an actual value, all texts, by the steps of `read_target`; any other by `read_target` itself."""

    def __init__(self, categories: Sequence[str], roll_up: str):
        from scorer.inputs.given import WEIGHTED
        from scorer.kinds.targets import read  # only a rule set with targets needs it

        self.read_target, self.error, self.check_match = read.read_target, read.TargetError, read.check_match
        self.parse_expression, self.parse_actual = read.parse_expression, read.parse_actual
        self.categories = tuple(categories)
        self.weighted = roll_up in WEIGHTED
        self.points = roll_up == "per_target_points"

    def read(self, items: Any, indicator: Indicator, base: PathKey, strict: Strict) -> tuple[Target, ...]:
        if type(items) is not list:
            raise NotProven
        read = []
        for item in items:
            target = self.plain(item) if type(item) is dict and len(item) == 3 else None
            if target is None:
                target = self.other(item)
            elif self.weighted:  # no weight given
                raise NotProven
            read.append(target)
        if self.points and read:
            strict.check_points(base, indicator, read)
        return tuple(read)

    def plain(self, item: dict[str, Any]) -> Target | None:
        """A target of a name, a target and an actual value, all texts, as `read_target` reads it (each text read
        once for all departments, scorer/kinds/targets/text.py); None for a target in any other form."""
        name, said, actual = item.get("name"), item.get("target"), item.get("actual")
        if type(name) is not str or type(said) is not str or type(actual) is not str or not visible(name):
            return None
        shown = actual.strip()
        if not shown:
            raise NotProven  # no actual value, and no judgement
        try:
            target, value = self.parse_expression(said), self.parse_actual(actual)
            self.check_match(name, target, value)
        except self.error:
            raise NotProven from None
        return Target(name, target, said.strip(), value, shown)

    def other(self, item: Any) -> Target:
        """A target in any other form, its keys and their types checked as the schema checks them."""
        if type(item) is not dict or "name" not in item or "target" not in item:
            raise NotProven
        for key, given in item.items():
            if type(given) not in _TARGET_TYPES.get(key, ()):
                raise NotProven
        if not visible(item["name"]):
            raise NotProven
        target = self.full(item)
        if self.weighted and not target.weight:
            raise NotProven
        return target

    def full(self, item: Mapping[str, Any]) -> Target:
        try:
            return self.read_target(item, self.categories)
        except self.error:
            raise NotProven from None
