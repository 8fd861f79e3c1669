"""Which inputs a row needs from a department: those of its conditions, and, unless a condition decides the
row, those of its kind (for alternatives, of the option that applies). The inputs reader asks for these."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from scorer.formula.evaluate import Formula, FormulaError, MissingInput
from scorer.kinds.base import FORMULA_NAMES

if TYPE_CHECKING:
    from scorer.kinds.parts import Condition
    from scorer.kinds.rule import Rule


def needed_inputs(indicator: Rule, values: Mapping[str, Decimal], choice: str, year: int) -> set[str]:
    """The inputs this department must give for this row, given what it gave: a condition asks only for the
    names its evaluation reads, and a condition that holds decides the row (its kind's inputs are not asked for)."""
    names = indicator.formula_names(values, year)
    needed: set[str] = set()
    for condition in indicator.kinds.conditions:
        holds, reads = decide_on(condition.when, names)
        needed |= reads
        if holds:
            return needed - FORMULA_NAMES
    from scorer.kinds.registry import kind

    needed |= kind(indicator.scoring).needs(indicator.spec, names, choice)
    return needed - FORMULA_NAMES


def deciding(indicator: Rule, values: Mapping[str, Decimal], year: int) -> Condition | None:
    """The first not-applicable rule or gate that holds on these values, if any."""
    names = indicator.formula_names(values, year)
    for condition in indicator.kinds.conditions:
        if decide_on(condition.when, names)[0]:
            return condition
    return None


def decide_on(formula: Formula, names: Mapping[str, Decimal]) -> tuple[bool, set[str]]:
    """Whether a condition holds on the names given, and the name not given its evaluation read (if any)."""
    try:
        return formula.holds(names), set()
    except MissingInput as exc:
        return False, {exc.name}
    except FormulaError:
        return False, set()  # the engine reports it with its file and line
