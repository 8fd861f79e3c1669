"""What `score test --coverage` counts at the edges of a rule: each band edge from both sides (a value on the
edge, and a value within one unit of it in the band beyond), each steps threshold (a value on it, and one in
its first step), and each branch of a formula's `a if c else b` (the condition true, and false).

A case's value is worked out from the inputs it gives, as the engine works it out (the band's or steps' `of`,
the formula's condition, in the case's year); a row a case leaves empty exercises no edge.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from decimal import Decimal
from fractions import Fraction

from scorer.formula.evaluate import FormulaError, compile_formula
from scorer.i18n import t
from scorer.kinds.specs import Alternatives, Bands, Kind, Steps, where
from scorer.rounding import fmt
from scorer.rules.model import FORMULA_NAMES, Indicator

_NEAR = Fraction(1)  # "beside an edge": within one unit of it (one percentage point, one occurrence)
_EPSILON = Fraction(1, 10**12)  # finer than any value an input may hold: which band lies just past an edge

Names = Mapping[str, Decimal | Fraction | bool | int]


def edge_items(indicator: Indicator) -> dict[str, str]:
    """The edges to cover, by a key of their own, with their label."""
    items: dict[str, str] = {}
    for spec in _specs(indicator):
        if isinstance(spec, Bands):
            for edge, side in _band_sides(spec):
                items[_key(indicator, spec, edge, side)] = t(
                    "cases.item.edge",
                    id=indicator.id,
                    where=where(spec.path),
                    edge=fmt(edge),
                    side=t(_SIDES[side]),
                )
        elif isinstance(spec, Steps):
            for side in ("at", "first"):
                items[_key(indicator, spec, Fraction(spec.threshold), side)] = t(
                    "cases.item.threshold", id=indicator.id, where=where(spec.path),
                    threshold=fmt(spec.threshold), side=t(_SIDES[side]),
                )  # fmt: skip
    for index, test in enumerate(_conditions(indicator)):
        for outcome in (True, False):
            items[f"{indicator.id}#if{index}:{outcome}"] = t(
                "cases.item.branch", id=indicator.id, test=test, outcome=str(outcome).lower()
            )
    return items


def edges_seen(indicator: Indicator, values: Names, year: int) -> set[str]:
    """The edges a case's values for this row exercise."""
    names = {**values, "weight": indicator.weight, "year": Decimal(year)}
    seen: set[str] = set()
    for spec in _specs(indicator):
        value = _value(spec, names)
        if value is None:
            continue
        if isinstance(spec, Bands):
            seen |= {_key(indicator, spec, e, s) for e, s in _band_sides(spec) if _on_side(spec, value, e, s)}
        elif isinstance(spec, Steps):
            seen |= {_key(indicator, spec, Fraction(spec.threshold), s) for s in _step_sides(spec, value)}
    for index, test in enumerate(_conditions(indicator)):
        try:
            outcome = compile_formula(test, set(names) | FORMULA_NAMES).holds(names)
        except FormulaError:
            continue
        seen.add(f"{indicator.id}#if{index}:{outcome}")
    return seen


_SIDES = {
    "at": "cases.side.at",
    "below": "cases.side.below",
    "above": "cases.side.above",
    "first": "cases.side.first_step",
}


def _specs(indicator: Indicator) -> Iterator[Kind]:
    spec = indicator.kinds.spec
    if isinstance(spec, Alternatives):
        yield from (option.spec for option in spec.options)
    elif spec is not None:
        yield spec


def _key(indicator: Indicator, spec: Kind, edge: Fraction, side: str) -> str:
    return f"{indicator.id}#{where(spec.path)}@{edge}:{side}"


def _band_of(spec: Bands, value: Fraction) -> int | None:
    return next((n for n, band in enumerate(spec.items) if band.interval.contains(value)), None)


def _band_sides(spec: Bands) -> list[tuple[Fraction, str]]:
    """Each finite band edge, with the sides a value can reach it from: on it, and from a band beyond it."""
    ends = {
        Fraction(end)
        for band in spec.items
        if band.interval.equals is None
        for end in (band.interval.low, band.interval.high)
        if end is not None
    }
    sides = []
    for edge in sorted(ends):
        owner = _band_of(spec, edge)
        if owner is not None:
            sides.append((edge, "at"))
        for side, step in (("below", -_EPSILON), ("above", _EPSILON)):
            beyond = _band_of(spec, edge + step)
            if beyond is not None and beyond != owner:
                sides.append((edge, side))
    return sides


def _on_side(spec: Bands, value: Fraction, edge: Fraction, side: str) -> bool:
    if side == "at":
        return value == edge
    beside = edge - value if side == "below" else value - edge
    step = -_EPSILON if side == "below" else _EPSILON
    return 0 < beside <= _NEAR and _band_of(spec, value) == _band_of(spec, edge + step)


def _step_sides(spec: Steps, value: Fraction) -> set[str]:
    threshold, per = Fraction(spec.threshold), Fraction(spec.per)
    past = value - threshold if spec.direction == "above" else threshold - value
    return {"at"} if past == 0 else ({"first"} if 0 < past <= per else set())


def _value(spec: Bands | Steps | Kind, names: Names) -> Fraction | None:
    if not isinstance(spec, Bands | Steps):
        return None
    try:
        return spec.of.evaluate(names)
    except FormulaError:
        return None


def _conditions(indicator: Indicator) -> list[str]:
    """The conditions of the row's formula's `a if c else b`, as text, in the formula's order."""
    if indicator.formula is None:
        return []
    return [
        ast.unparse(node.test) for node in ast.walk(indicator.formula.tree) if isinstance(node, ast.IfExp)
    ]
