"""Alternatives: the row is scored by whichever declared option applies (the first whose condition holds), or
by the one the department chose; the result says which, and why."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from scorer.facts import Fact, fact, said
from scorer.i18n import t
from scorer.kinds.base import FORMULA_NAMES, Ask, InputSpec, Item, Outside, Step
from scorer.kinds.context import Declarative, KindError, Row
from scorer.kinds.needs import chosen, pick
from scorer.kinds.specs import Alternatives, where


def score(row: Row, spec: Alternatives) -> Decimal:
    from scorer.kinds.registry import kind

    option = chosen(spec, row.names, row.inputs.choice)
    if option is None:
        raise KindError(spec.path + ("options",), t("kinds.no_option"))
    how = (
        fact("kinds.by_department")
        if spec.choose == "by_department"
        else fact("kinds.by_condition", when=option.when.source if option.when else "—")
    )
    row.notes.append(fact("note.option", name=said(option.name), how=how))
    row.steps.append(Step("option", fact("step.option", id=option.id, name=said(option.name), how=how)))
    row.exercised.append(where(option.path))
    return kind(option.spec.kind).score(option.spec, row)


class AlternativesKind(Declarative[Alternatives]):
    name = "alternatives"

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
        from scorer.kinds.lint_tools import spec_names

        for option in spec.options:
            if spec.choose == "by_department":
                said = fact("scaffold.when_chosen", option=option.id)
            elif option.when is not None:
                said = fact("scaffold.when_holds", when=option.when.source)
            else:
                said = fact("scaffold.when_no_other", option=option.id)
            for name in sorted(spec_names(option.spec)):
                yield name, said

    def outside(self, spec: Alternatives, names: Mapping[str, Decimal], choice: str) -> Outside | None:
        from scorer.kinds.registry import kind

        option = chosen(spec, names, choice)
        return None if option is None else kind(option.spec.kind).outside(option.spec, names, choice)


def _options(spec: Alternatives) -> str:
    return ", ".join(f"{o.id} ({o.name})" for o in spec.options)


KIND = AlternativesKind()
