"""Which inputs a row needs from a department: those of its conditions, and, unless a condition decides the
row, those of its kind (for alternatives, of the option that applies). The inputs reader asks for these."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from scorer.model.kinds import (
    Alternatives,
    Bands,
    Checklist,
    Condition,
    Kind,
    Option,
    PerOccurrence,
    Proportional,
    Steps,
)
from scorer.model.rules import Indicator
from scorer.scoring.formula import Formula, FormulaError

NOT_INPUTS = {"weight", "year"}


def needed_inputs(indicator: Indicator, values: Mapping[str, Decimal], choice: str, year: int) -> set[str]:
    """The inputs this department must give for this row, given what it gave."""
    names = {**values, "weight": indicator.weight, "year": Decimal(year)}
    needed: set[str] = set()
    for condition in indicator.kinds.conditions:
        needed |= condition.when.names - NOT_INPUTS
    if deciding(indicator, values, year) is not None:
        return needed  # the row is decided: its kind's inputs are not asked for
    if indicator.kinds.spec is not None:
        needed |= spec_needs(indicator.kinds.spec, names, choice)
    elif indicator.scoring == "formula":
        needed |= {spec.name for spec in indicator.inputs}
    return needed


def deciding(indicator: Indicator, values: Mapping[str, Decimal], year: int) -> Condition | None:
    """The first not-applicable rule or gate that holds on these values, if any."""
    names = {**values, "weight": indicator.weight, "year": Decimal(year)}
    for condition in indicator.kinds.conditions:
        if condition.when.names <= names.keys() and _holds(condition.when, names):
            return condition
    return None


def spec_needs(spec: Kind, names: Mapping[str, Decimal], choice: str) -> set[str]:
    if isinstance(spec, Bands | Steps):
        return set(spec.of.names - NOT_INPUTS)
    if isinstance(spec, Proportional):
        return set((spec.actual.names | spec.target.names) - NOT_INPUTS)
    if isinstance(spec, PerOccurrence):
        return {item.id for item in spec.items}
    if isinstance(spec, Checklist):
        return {leaf.id for leaf in spec.leaves()}
    if isinstance(spec, Alternatives):
        option = chosen(spec, names, choice)
        needed: set[str] = set()
        if spec.choose == "by_condition":
            for candidate in spec.options:
                needed |= (candidate.when.names if candidate.when else set()) - NOT_INPUTS
                if candidate is option:
                    break
        return needed | (spec_needs(option.spec, names, choice) if option else set())
    return set()  # graded: the evaluator's pick, asked for by itself


def chosen(spec: Alternatives, names: Mapping[str, Decimal], choice: str) -> Option | None:
    """The option that scores the row: the department's choice, or the first whose condition holds."""
    if spec.choose == "by_department":
        return spec.option(choice) if choice else None
    for option in spec.options:
        if option.when is None:
            return option
        if not option.when.names <= names.keys():
            return None
        if _holds(option.when, names):
            return option
    return None


def _holds(formula: Formula, names: Mapping[str, Decimal]) -> bool:
    try:
        return formula.holds(names)
    except FormulaError:
        return False  # the engine reports it with its file and line
