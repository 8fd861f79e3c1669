"""A department's figures against the rubric's checks across them (scorer/rules/across.py): a check whose
figures the department gave and that does not hold refuses the department at the first figure it names, with the
check's name, its message and every value it read. A check missing one of its figures (an optional input left
out) is not judged."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction

from scorer.facts import Fact, Message, Template, fact, rule_reason, said
from scorer.formula.evaluate import FormulaError
from scorer.inputs.model import IndicatorInputs
from scorer.rounding import fmt
from scorer.rules.across import compiled, in_order, places
from scorer.rules.model import Check, RuleSet

Values = dict[str, Decimal | Fraction | bool | int]


def broken(
    rules: RuleSet, indicators: dict[str, IndicatorInputs], shared: dict[str, Decimal], year: object
) -> Iterator[tuple[tuple[str, ...], Fact]]:
    """Each check the figures break: where to say it (the first figure it names) and what to say. `shared`: the
    rubric's shared inputs and the budget block's parts, by name."""
    where = places(rules)
    for check, formula in compiled(rules):
        names = [name for name in in_order(formula) if name != "year"]
        values: Values = {}
        for name in names:
            place = where[name]
            given = indicators[place[1]].values.get(name) if place[0] == "indicators" else shared.get(name)
            if given is None:
                break
            values[name] = given
        else:
            if type(year) is int:
                values["year"] = year
            try:
                holds = formula.holds(values)
            except FormulaError as exc:  # a division by zero on these figures: said, never passed over
                yield where[names[0]] if names else ("year",), _said(check, values, names, exc.fact)
                continue
            if not holds:
                yield where[names[0]] if names else ("year",), _said(check, values, names, "")


def _said(check: Check, values: Values, names: list[str], error: Message | str) -> Fact:
    """The check broken, with its own message in the languages the rubric gives (worded where it is shown)."""
    texts = {lang: Template(text, ((text, None),)) for lang, text in check.message.items() if text}
    message = rule_reason(texts, {}) if texts else said("")
    shown = ", ".join(f"{name} = {_shown(values[name])}" for name in names if name in values)
    key = "inputs.check_error" if error else "inputs.check_broken"
    return fact(key, id=check.id, message=message, holds=check.holds, values=shown, error=error)


def _shown(value: Decimal | Fraction | bool | int) -> str:
    return str(value).lower() if isinstance(value, bool) else fmt(value)
