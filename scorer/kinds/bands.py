"""Bands: the first declared range holding the value gives the row its points and its reason."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from scorer.facts import fact
from scorer.formula.evaluate import FormulaError
from scorer.kinds.base import FORMULA_NAMES, Step
from scorer.kinds.context import Declarative, KindError, Row, evaluate, shown
from scorer.kinds.parts import Edge, EdgeKey, Interval, Item, Names, Outside, Reader, side, value_of
from scorer.kinds.specs import Path, Texts, where
from scorer.rounding import Exact, fmt

if TYPE_CHECKING:
    from scorer.errors import Problem
    from scorer.formula.evaluate import Formula
    from scorer.kinds.rule import Rule


@dataclass(frozen=True, slots=True)
class Band:
    interval: Interval
    points: Decimal
    reason: Texts
    path: Path


@dataclass(frozen=True, slots=True)
class Bands:
    of: Formula
    items: tuple[Band, ...]
    range: tuple[Decimal | None, Decimal | None]  # the value's declared range, for lint's gaps
    path: Path
    kind: str = "bands"


def score(row: Row, spec: Bands) -> Decimal:
    value = evaluate(row, spec.of, spec.path + ("of",))
    row.steps.append(
        Step("value", fact("step.value", formula=spec.of.source, values=shown(row, spec.of)), value)
    )
    for band in spec.items:
        if not band.interval.contains(value):
            continue
        row.steps.append(
            Step("band", fact("step.band", band=band.interval.text, points=band.points), band.points)
        )
        row.exercised.append(where(band.path))
        result = row.finish(band.points)
        if result < row.weight:
            extra: dict[str, Exact | str] = {
                "value": value,
                "points": band.points,
                "score": result,
                "lost": row.lost(result),
            }
            default = fact("reason.band", value=row.shown(value), band=band.interval.text, points=band.points)
            row.reasons.append(row.text(band.reason, {**extra, "band": band.interval.text}, default))
        return result
    raise KindError(spec.path + ("items",), fact("kinds.no_band", value=fmt(value)))


def outside(spec: Bands, names: Mapping[str, Decimal]) -> tuple[Fraction, str] | None:
    """The value no band holds, and the stretch the bands cover ("0 – 100"), when the department's values give
    one; None when a band holds it or it cannot be worked out yet (the engine reports a formula's fault)."""
    try:
        value = spec.of.evaluate(names)
    except FormulaError:
        return None
    if any(band.interval.contains(value) for band in spec.items):
        return None
    ends = [e for band in spec.items for e in (band.interval.low, band.interval.high, band.interval.equals)]
    unbounded_low = any(b.interval.equals is None and b.interval.low is None for b in spec.items)
    unbounded_high = any(b.interval.equals is None and b.interval.high is None for b in spec.items)
    known = [e for e in ends if e is not None]
    low = "-∞" if unbounded_low or not known else fmt(min(known))
    high = "∞" if unbounded_high or not known else fmt(max(known))
    return value, f"{low} – {high}"


class BandsKind(Declarative[Bands]):
    name = "bands"
    placeholders = frozenset({"value", "points", "score", "lost", "band"})

    def read(self, data: dict[str, Any], path: Path, at: Reader) -> Bands:
        from scorer.kinds.read import interval, number

        of = at.formula(data["of"], path + ("of",))
        declared = data.get("range") or {}
        for i, item in enumerate(data["items"]):
            if "equals" in item and {"from", "to", "ends"} & item.keys():
                at.fail(path + ("items", i, "equals"), fact("lint.band_equals_and_range"))
            elif "equals" not in item and ("ends" not in item or not {"from", "to"} & item.keys()):
                at.fail(path + ("items", i), fact("lint.band_ends"))
        items = tuple(
            Band(
                interval(item),
                Decimal(item["points"]),
                at.texts(item.get("reason"), path + ("items", i, "reason"), self.placeholders),
                path + ("items", i),
            )
            for i, item in enumerate(data["items"])
        )
        return Bands(of, items, (number(declared.get("min")), number(declared.get("max"))), path)

    def lint(self, spec: Bands, rule: Rule, year: int | None) -> Iterator[Problem]:
        from scorer.kinds.lint_tools import bands_lint

        return bands_lint(rule, spec)

    def formulas(self, spec: Bands) -> Iterator[tuple[Formula, Path]]:
        yield spec.of, spec.path + ("of",)

    def reads(self, spec: Bands) -> frozenset[str]:
        return frozenset(spec.of.names)

    def stated(self, spec: Bands, rule: Any, reason: str) -> dict[str, Decimal] | None:
        from scorer.kinds.stated import value_of

        return value_of(rule, spec.of, [band.reason for band in spec.items], [], reason)

    def scored(self, spec: Bands, row: Row) -> Decimal:
        return score(row, spec)

    def needs(self, spec: Bands, names: Mapping[str, Decimal], choice: str) -> frozenset[str]:
        return spec.of.names - FORMULA_NAMES

    def items(self, spec: Bands, ident: str) -> Iterator[Item]:
        for band in spec.items:
            place = where(band.path)
            yield Item(place, fact("cases.item.band", id=ident, where=place, band=band.interval.text))

    def edges(self, spec: Bands, ident: str) -> Iterator[Edge]:
        place = where(spec.path)
        for edge, beside in _sides(spec):
            label = fact("cases.item.edge", id=ident, where=place, edge=edge, side=side(beside))
            yield Edge((place, edge, beside), label)

    def edges_seen(self, spec: Bands, names: Names) -> set[EdgeKey]:
        value = value_of(spec.of, names)
        if value is None:
            return set()
        place = where(spec.path)
        return {(place, edge, beside) for edge, beside in _sides(spec) if _on_side(spec, value, edge, beside)}

    def parts(self, spec: Bands) -> Iterator[tuple[str, str]]:
        yield where(spec.path + ("of",)), spec.of.source
        for band in spec.items:
            reason = f" ({band.reason[0][1].source})" if band.reason else ""
            yield where(band.path), f"{band.interval.text}: {fmt(band.points)}{reason}"

    def outside(self, spec: Bands, names: Mapping[str, Decimal], choice: str) -> Outside | None:
        given = spec.of.names - FORMULA_NAMES
        if not given <= names.keys():
            return None
        found = outside(spec, names)
        return None if found is None else Outside(found[0], found[1], tuple(sorted(given)))


_NEAR = Fraction(1)  # "beside an edge": within one unit of it (one percentage point, one occurrence)
_EPSILON = Fraction(1, 10**12)  # finer than any value an input may hold: which band lies just past an edge


def _band_of(spec: Bands, value: Fraction) -> int | None:
    return next((n for n, band in enumerate(spec.items) if band.interval.contains(value)), None)


def _sides(spec: Bands) -> list[tuple[Fraction, str]]:
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
        for beside, step in (("below", -_EPSILON), ("above", _EPSILON)):
            beyond = _band_of(spec, edge + step)
            if beyond is not None and beyond != owner:
                sides.append((edge, beside))
    return sides


def _on_side(spec: Bands, value: Fraction, edge: Fraction, beside: str) -> bool:
    if beside == "at":
        return value == edge
    distance = edge - value if beside == "below" else value - edge
    step = -_EPSILON if beside == "below" else _EPSILON
    return 0 < distance <= _NEAR and _band_of(spec, value) == _band_of(spec, edge + step)


KIND = BandsKind()
