"""What `score test --coverage` counts at the edges of a rule: each band edge from both sides (a value on the
edge, and a value within one unit of it in the band beyond), each steps threshold (a value on it, and one in
its first step), and each branch of a formula's `a if c else b` (the condition true, and false).

The kinds say their own edges (`Kind.edges`, `Kind.edges_seen`); the formula's branches are counted here. A
case's value is worked out from the inputs it gives, as the engine works it out (the band's or steps' `of`, the
formula's condition, in the case's year); a row a case leaves empty exercises no edge. Each edge is keyed by
data and labelled by a fact, worded where it is shown.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from scorer.facts import Fact, fact
from scorer.formula.evaluate import FormulaError, compile_formula
from scorer.kinds.base import FORMULA_NAMES
from scorer.kinds.registry import kind
from scorer.rules.model import Indicator

Names = Mapping[str, Decimal | Fraction | bool | int]
# ("edge", id, place, edge, side) for a kind's edge; ("branch", id, index, outcome) for a formula's branch.
Key = tuple[object, ...]


def edge_items(indicator: Indicator) -> dict[Key, Fact]:
    """The edges to cover, by a key of data, with their label."""
    ident = indicator.id
    items: dict[Key, Fact] = {
        ("edge", ident, *edge.key): edge.label
        for edge in kind(indicator.scoring).edges(indicator.spec, ident)
    }
    for index, test in enumerate(_conditions(indicator)):
        for outcome in (True, False):
            label = fact("cases.item.branch", id=ident, test=test, outcome=str(outcome).lower())
            items[("branch", ident, index, outcome)] = label
    return items


def edges_seen(indicator: Indicator, values: Names, year: int) -> set[Key]:
    """The edges a case's values for this row exercise."""
    ident = indicator.id
    names = {**values, "weight": indicator.weight, "year": Decimal(year)}
    seen: set[Key] = {
        ("edge", ident, *key) for key in kind(indicator.scoring).edges_seen(indicator.spec, names)
    }
    for index, test in enumerate(_conditions(indicator)):
        try:
            outcome = compile_formula(test, set(names) | FORMULA_NAMES).holds(names)
        except FormulaError:
            continue
        seen.add(("branch", ident, index, outcome))
    return seen


def _conditions(indicator: Indicator) -> list[str]:
    """The conditions of the row's formula's `a if c else b`, as text, in the formula's order."""
    if indicator.formula is None:
        return []
    return [
        ast.unparse(node.test) for node in ast.walk(indicator.formula.tree) if isinstance(node, ast.IfExp)
    ]
