"""Alternatives: the row is scored by whichever declared option applies (the first whose condition holds), or
by the one the department chose; the result says which, and why."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from scorer.facts import Fact, fact, said
from scorer.i18n import t
from scorer.kinds.base import FORMULA_NAMES, InputSpec, Step
from scorer.kinds.context import Declarative, KindError, Row
from scorer.kinds.needs import decide_on
from scorer.kinds.parts import Ask, Edge, EdgeKey, Item, Names, Outside, Reader, Spec
from scorer.kinds.specs import Path, where

if TYPE_CHECKING:
    from scorer.errors import Problem
    from scorer.formula.evaluate import Formula
    from scorer.kinds.rule import Rule


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    name: str
    when: Formula | None  # by condition: applies when true; the first that applies scores the row
    spec: Spec  # another kind's spec
    path: Path


@dataclass(frozen=True, slots=True)
class Alternatives:
    choose: str  # by_condition | by_department
    options: tuple[Option, ...]
    path: Path
    kind: str = "alternatives"

    def option(self, ident: str) -> Option | None:
        return next((o for o in self.options if o.id == ident), None)


def chosen(spec: Alternatives, names: Mapping[str, Decimal], choice: str) -> Option | None:
    """The option that scores the row: the department's choice, or the first whose condition holds."""
    return pick(spec, names, choice)[0]


def pick(spec: Alternatives, names: Mapping[str, Decimal], choice: str) -> tuple[Option | None, set[str]]:
    """The option that scores the row, and the names deciding it needs that were not given."""
    if spec.choose == "by_department":
        return (spec.option(choice) if choice else None), set()
    for option in spec.options:
        if option.when is None:
            return option, set()
        holds, reads = decide_on(option.when, names)
        if reads:
            return None, reads  # undecided until these are given
        if holds:
            return option, set()
    return None, set()


def score(row: Row, spec: Alternatives) -> Decimal:
    from scorer.kinds.registry import kind

    option = chosen(spec, row.names, row.inputs.choice)
    if option is None:
        raise KindError(spec.path + ("options",), fact("kinds.no_option"))
    how = (
        fact("kinds.by_department")
        if spec.choose == "by_department"
        else fact("kinds.by_condition", when=option.when.source)
        if option.when
        else fact("kinds.otherwise")
    )
    row.notes.append(fact("note.option", name=said(option.name), how=how))
    row.steps.append(Step("option", fact("step.option", id=option.id, name=said(option.name), how=how)))
    row.exercised.append(where(option.path))
    return kind(option.spec.kind).score(option.spec, row)


class AlternativesKind(Declarative[Alternatives]):
    name = "alternatives"

    def read(self, data: dict[str, Any], path: Path, at: Reader) -> Alternatives:
        from scorer.kinds.registry import declared_key

        at.within_options = True
        options = []
        for i, item in enumerate(data["options"]):
            where_ = path + ("options", i)
            key = declared_key(item)  # the schema asks for exactly one
            assert key is not None
            spec = at.kind(key, item[key], where_ + (key,))
            when = at.formula(item["when"], where_ + ("when",)) if "when" in item else None
            options.append(Option(item["id"], item["name"], when, spec, where_))
        return Alternatives(data["choose"], tuple(options), path)

    def lint(self, spec: Alternatives, rule: Rule, year: int | None) -> Iterator[Problem]:
        from scorer.errors import Problem
        from scorer.kinds.lint_tools import at, reachable
        from scorer.kinds.registry import kind

        if spec.choose == "by_condition":
            options = [(o.when, o.path) for o in spec.options]
            yield from reachable(rule, options, "lint.option_never", year, spec.path)
        for option in spec.options:
            if spec.choose == "by_department" and option.when is not None:
                yield Problem(
                    at(rule, option.path + ("when",)), fact("lint.option_when_ignored"), severity="warning"
                )
            yield from kind(option.spec.kind).lint(option.spec, rule, year)

    def formulas(self, spec: Alternatives) -> Iterator[tuple[Formula, Path]]:
        from scorer.kinds.registry import kind

        for option in spec.options:
            yield from kind(option.spec.kind).formulas(option.spec)

    def conditions(self, spec: Alternatives) -> Iterator[Formula]:
        return (option.when for option in spec.options if option.when is not None)

    def reads(self, spec: Alternatives) -> frozenset[str]:
        from scorer.kinds.registry import kind

        names: frozenset[str] = frozenset()
        for option in spec.options:
            names |= kind(option.spec.kind).reads(option.spec) | (option.when.names if option.when else set())
        return names

    def scored(self, spec: Alternatives, row: Row) -> Decimal:
        return score(row, spec)

    def needs(self, spec: Alternatives, names: Mapping[str, Decimal], choice: str) -> frozenset[str]:
        from scorer.kinds.registry import kind

        option, needed = pick(spec, names, choice)
        if option is None:
            return frozenset(needed - FORMULA_NAMES)
        return frozenset(needed - FORMULA_NAMES) | kind(option.spec.kind).needs(option.spec, names, choice)

    def items(self, spec: Alternatives, ident: str) -> Iterator[Item]:
        from scorer.kinds.registry import kind

        for option in spec.options:
            place = where(option.path)
            yield Item(place, fact("cases.item.option", id=ident, where=place))
            yield from kind(option.spec.kind).items(option.spec, ident)

    def edges(self, spec: Alternatives, ident: str) -> Iterator[Edge]:
        from scorer.kinds.registry import kind

        for option in spec.options:
            yield from kind(option.spec.kind).edges(option.spec, ident)

    def edges_seen(self, spec: Alternatives, names: Names) -> set[EdgeKey]:
        from scorer.kinds.registry import kind

        return {
            key for option in spec.options for key in kind(option.spec.kind).edges_seen(option.spec, names)
        }

    def parts(self, spec: Alternatives) -> Iterator[tuple[str, str]]:
        from scorer.kinds.registry import kind

        for option in spec.options:
            when = option.when.source if option.when else spec.choose
            yield where(option.path), f"{option.id} ({option.name}) {when}"
            yield from kind(option.spec.kind).parts(option.spec)

    def asks(self, spec: Alternatives) -> Iterator[Ask]:
        if spec.choose == "by_department":
            ids = tuple(o.id for o in spec.options)
            missing, fill = "inputs.choice_missing", "scaffold.choice"
            yield Ask("choice", "choice", ids, "options", _options(spec), missing, fill)

    def rows(self, spec: Alternatives, weight: Decimal, lang: str) -> list[InputSpec]:
        if spec.choose != "by_department":
            return []
        return [InputSpec("choice", "choice", t("scaffold.choice", lang, options=_options(spec)))]

    def schema(self, spec: Alternatives) -> Mapping[str, Any]:
        if spec.choose != "by_department":
            return {}
        return {
            "choice": {
                "enum": [o.id for o in spec.options],
                "description": "; ".join(f"{o.id}: {o.name}" for o in spec.options),
            }
        }

    def needed_when(self, spec: Alternatives) -> Iterator[tuple[str, Fact | None]]:
        from scorer.kinds.registry import kind

        for option in spec.options:
            if spec.choose == "by_department":
                said = fact("scaffold.when_chosen", option=option.id)
            elif option.when is not None:
                said = fact("scaffold.when_holds", when=option.when.source)
            else:
                said = fact("scaffold.when_no_other", option=option.id)
            for name in sorted(kind(option.spec.kind).reads(option.spec)):
                yield name, said

    def outside(self, spec: Alternatives, names: Mapping[str, Decimal], choice: str) -> Outside | None:
        from scorer.kinds.registry import kind

        option = chosen(spec, names, choice)
        return None if option is None else kind(option.spec.kind).outside(option.spec, names, choice)


def _options(spec: Alternatives) -> str:
    return ", ".join(f"{o.id} ({o.name})" for o in spec.options)


KIND = AlternativesKind()
