"""Reading the declared scoring kind of an indicator file (already checked against its schema) into frozen data,
by the kind's own `read` (scorer/kinds/<name>.py), and its gates and not-applicable rules (scorer/kinds/specs.py):
formulas and reason templates compiled once, each problem at its key's line.

Checklist items and occurrences become the indicator's inputs (a yes/no answer, a count), so that the inputs
file, its schema, `score template` and the workbook ask for them like any other input.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from scorer.facts import Message
from scorer.formula.evaluate import Formula, FormulaError, compile_formula
from scorer.formula.template import TemplateError, compile_template
from scorer.kinds import registry
from scorer.kinds.base import InputSpec
from scorer.kinds.parts import Condition, Interval, Spec
from scorer.kinds.specs import KindRules, Path, Texts

Fail = Callable[[Path, Message], None]


def read_kinds(
    data: dict[str, Any], names: set[str], reason_names: set[str], fail: Fail
) -> tuple[KindRules, tuple[InputSpec, ...]]:
    """The kinds an indicator file declares, and the inputs its checklist and occurrences ask for.

    `names`: what a formula may use (inputs, weight, year); `reason_names`: what any reason may use."""
    reader = _Reader(names, reason_names, fail)
    key = registry.declared_key(data)  # lint names a second kind key as unused
    spec = None if key is None else reader.kind(key, data[key], (key,))
    conditions = tuple(
        Condition(reader.formula(c["when"], (key, i, "when")), reader.texts(c["reason"], (key, i, "reason"),
                  frozenset()), (key, i), effect)
        for key, effect in (("not_applicable", "not_applicable"), ("gates", "gate"))
        for i, c in enumerate(data.get(key) or [])
    )  # fmt: skip
    return KindRules(spec, conditions), tuple(reader.inputs)


@functools.cache
def stand_in() -> Formula:
    """The formula put in place of one that does not compile: lint checks it no further (its error is said)."""
    return compile_formula("0", set())


class _Reader:
    def __init__(self, names: set[str], reason_names: set[str], fail: Fail):
        self.names = set(names)
        self.reason_names = reason_names
        self.fail = fail
        self.inputs: list[InputSpec] = []
        self.within_options = False

    def add(self, spec: InputSpec) -> None:
        if self.within_options:  # asked for only when its option scores the row
            spec = InputSpec(spec.name, spec.type, spec.label, spec.unit, spec.min, optional=True)
        self.inputs.append(spec)
        self.names.add(spec.name)

    def kind(self, key: str, data: Any, path: Path) -> Spec:
        spec: Spec = registry.kind(key).read(data, path, self)
        return spec

    def formula(self, source: str, path: Path) -> Formula:
        try:
            return compile_formula(source, self.names)
        except FormulaError as exc:
            self.fail(path, exc.fact)
            return stand_in()  # the rule set is refused anyway

    def texts(self, given: Any, path: Path, placeholders: frozenset[str]) -> Texts:
        if given is None:
            return ()
        allowed = self.reason_names | placeholders
        languages = given if isinstance(given, dict) else {"zh": given}
        out = []
        for language, source in languages.items():
            where = path + (language,) if isinstance(given, dict) else path
            try:
                out.append((language, compile_template(source, allowed)))
            except TemplateError as exc:
                self.fail(where, exc.fact)
        return tuple(out)


def number(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def interval(item: dict[str, Any]) -> Interval:
    if "equals" in item:
        return Interval(equals=Decimal(item["equals"]))
    ends = item.get("ends", "[)")
    return Interval(number(item.get("from")), number(item.get("to")), ends[0] == "[", ends[1] == "]")
