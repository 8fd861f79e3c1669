"""Lint for the declarative scoring kinds: bands that leave gaps, overlap or stand out of order over the value's
declared range, steps of zero, points above the weight, checklists whose items do not sum, grades outside the
weight, gates and alternatives that can never be reached. Each problem at its file and line.
"""

from __future__ import annotations

import ast
import itertools
from collections import Counter
from collections.abc import Iterator, Sequence
from decimal import Decimal
from fractions import Fraction

from scorer.i18n import t
from scorer.load.kinds import KIND_KEYS
from scorer.model.kinds import (
    Alternatives,
    Bands,
    Checklist,
    Graded,
    Interval,
    Kind,
    PerOccurrence,
    Steps,
    where,
)
from scorer.model.problems import Location, Problem
from scorer.model.rules import Indicator, InputSpec
from scorer.rounding import fmt
from scorer.scoring.formula import DivisionByZero, Formula, FormulaError

# A position on the line, with ends: (v, 0) is v itself, (v, 1) just after it, (v, -1) just before it.
Edge = tuple[Fraction, int]
_FAR = Fraction(10**30)  # beyond every value an input may take
MAX_SAMPLES = 20000


def _at(indicator: Indicator, path: Sequence[str | int]) -> Location:
    key = tuple(path)
    return Location(indicator.path, indicator.lines.line(key), indicator.id, where(key) or None)


def used_names(indicator: Indicator) -> set[str]:
    """The inputs the kinds and conditions use, and those they ask for (checklist answers, counts)."""
    names: set[str] = set()
    for condition in indicator.kinds.conditions:
        names |= condition.when.names
    if indicator.kinds.spec is not None:
        names |= _spec_names(indicator.kinds.spec)
    return names


def _spec_names(spec: Kind) -> set[str]:
    if isinstance(spec, Bands | Steps):
        return set(spec.of.names)
    if isinstance(spec, PerOccurrence):
        return {item.id for item in spec.items}
    if isinstance(spec, Checklist):
        return {leaf.id for leaf in spec.leaves()}
    if isinstance(spec, Alternatives):
        names: set[str] = set()
        for option in spec.options:
            names |= _spec_names(option.spec) | (option.when.names if option.when else set())
        return names
    if isinstance(spec, Graded):
        return set()
    return set(spec.actual.names | spec.target.names)


def check_kinds(indicator: Indicator) -> Iterator[Problem]:
    yield from _keys(indicator)
    spec = indicator.kinds.spec
    if spec is not None:
        yield from _spec(indicator, spec)
        yield from _zero_divisions(indicator, spec)
    yield from _reachable(
        indicator, [(c.when, c.path) for c in indicator.kinds.conditions], "lint.condition_never"
    )


def _keys(indicator: Indicator) -> Iterator[Problem]:
    kind = indicator.scoring
    present = [key for key in KIND_KEYS if key in indicator.keys]
    if kind in KIND_KEYS and kind not in present:
        yield Problem(_at(indicator, ("scoring",)), t("lint.kind_missing", kind=kind))
    for key in present:
        if key != kind:
            yield Problem(_at(indicator, (key,)), t("lint.kind_unused", key=key, kind=kind))
    declared = {spec.name for spec in indicator.inputs}
    counts = Counter(spec.name for spec in indicator.inputs)
    for name, count in counts.items():
        if count > 1 and name in declared:
            yield Problem(_at(indicator, ("inputs", name)), t("lint.kind_input_clash", name=name))


def _spec(indicator: Indicator, spec: Kind) -> Iterator[Problem]:
    weight = indicator.weight
    if isinstance(spec, Bands):
        yield from _bands(indicator, spec)
    elif isinstance(spec, Steps):
        for key in ("per", "points"):
            if getattr(spec, key) == 0:
                yield Problem(_at(indicator, spec.path + (key,)), t("lint.steps_zero", key=key))
        yield from _over(indicator, spec.points, spec.path + ("points",))
    elif isinstance(spec, PerOccurrence):
        for item in spec.items:
            if item.points == 0:
                yield Problem(_at(indicator, item.path + ("points",)), t("lint.steps_zero", key="points"))
            yield from _over(indicator, item.points, item.path + ("points",))
    elif isinstance(spec, Checklist):
        yield from _checklist(indicator, spec)
    elif isinstance(spec, Graded):
        for grade in spec.grades:
            interval = grade.interval
            if interval.high is not None and interval.high > weight:
                yield Problem(
                    _at(indicator, grade.path + ("to",)),
                    t("lint.points_over_weight", points=interval.high, weight=weight),
                )
        yield from _ranges(
            indicator, [(g.interval, g.path) for g in spec.grades], (Decimal(0), weight), spec.path, False
        )
    elif isinstance(spec, Alternatives):
        options = [(o.when, o.path) for o in spec.options]
        if spec.choose == "by_condition":
            yield from _reachable(indicator, options, "lint.option_never")
        for option in spec.options:
            if spec.choose == "by_department" and option.when is not None:
                yield Problem(
                    _at(indicator, option.path + ("when",)), t("lint.option_when_ignored"), severity="warning"
                )
            yield from _spec(indicator, option.spec)


def _formulas(spec: Kind) -> Iterator[tuple[Formula, tuple[str | int, ...]]]:
    if isinstance(spec, Bands | Steps):
        yield spec.of, spec.path + ("of",)
    elif isinstance(spec, Alternatives):
        for option in spec.options:
            yield from _formulas(option.spec)
    elif not isinstance(spec, PerOccurrence | Checklist | Graded):
        yield spec.actual, spec.path + ("actual",)
        yield spec.target, spec.path + ("target",)


def _zero_divisions(indicator: Indicator, spec: Kind) -> Iterator[Problem]:
    """A kind's formula that divides by an input which may be 0, without a guard."""
    base: dict[str, Decimal | Fraction] = {"weight": indicator.weight, "year": Decimal(2022)}
    for declared in indicator.inputs:
        low = declared.min if declared.min is not None else Decimal(1)
        base[declared.name] = (
            min(max(Decimal(1), low), declared.max) if declared.max is not None else max(Decimal(1), low)
        )
    for formula, path in _formulas(spec):
        for declared in indicator.inputs:
            if declared.name not in formula.names or (declared.min is not None and declared.min > 0):
                continue
            try:
                formula.evaluate({**base, declared.name: Decimal(0)})
            except DivisionByZero:
                yield Problem(_at(indicator, path), t("lint.divides_by_zero", name=declared.name))
            except FormulaError:
                pass


def _over(indicator: Indicator, points: Decimal, path: tuple[str | int, ...]) -> Iterator[Problem]:
    if points > indicator.weight:
        yield Problem(
            _at(indicator, path), t("lint.points_over_weight", points=points, weight=indicator.weight)
        )


def _checklist(indicator: Indicator, spec: Checklist) -> Iterator[Problem]:
    total = sum((item.points for item in spec.items), Decimal(0))
    if total != indicator.weight:
        yield Problem(_at(indicator, spec.path), t("lint.checklist_sum", sum=total, weight=indicator.weight))
    for item in spec.all_items():
        if item.items:
            inner = sum((child.points for child in item.items), Decimal(0))
            if inner != item.points:
                yield Problem(
                    _at(indicator, item.path + ("points",)),
                    t("lint.checklist_group_sum", text=item.text, sum=inner, points=item.points),
                )
        yield from _over(indicator, item.points, item.path + ("points",))
    ids = Counter(item.id for item in spec.all_items())
    for item in spec.all_items():
        if ids[item.id] > 1:
            yield Problem(_at(indicator, item.path + ("id",)), t("lint.item_repeated", id=item.id))


def _bands(indicator: Indicator, spec: Bands) -> Iterator[Problem]:
    for band in spec.items:
        yield from _over(indicator, band.points, band.path + ("points",))
        if band.points < indicator.weight and not band.reason:
            yield Problem(_at(indicator, band.path), t("lint.band_no_reason"), severity="warning")
    low, high = spec.range
    only = next(iter(spec.of.names), None) if len(spec.of.names) == 1 else None
    source = spec.of.source.strip()
    if only is not None and source == only:
        declared = indicator.input(only)
        if declared is not None:
            low = low if low is not None else declared.min
            high = high if high is not None else declared.max
    if low is None or high is None:
        yield Problem(_at(indicator, spec.path + ("of",)), t("lint.bands_no_range"), severity="warning")
    yield from _ranges(indicator, [(b.interval, b.path) for b in spec.items], (low, high), spec.path, True)


def _edges(interval: Interval) -> tuple[Edge, Edge]:
    if interval.equals is not None:
        value = Fraction(interval.equals)
        return (value, 0), (value, 0)
    start = (-_FAR, 0) if interval.low is None else (Fraction(interval.low), 0 if interval.low_closed else 1)
    end = (_FAR, 0) if interval.high is None else (Fraction(interval.high), 0 if interval.high_closed else -1)
    return start, end


def _show(start: Edge, end: Edge) -> str:
    """A stretch of the line in interval notation."""
    if start == end:
        return f"= {fmt(start[0])}"
    left = ("[" if start[1] == 0 else "(") + ("-∞" if start[0] <= -_FAR else fmt(start[0]))
    right = ("∞" if end[0] >= _FAR else fmt(end[0])) + ("]" if end[1] == 0 else ")")
    return f"{left}, {right}"


def _ranges(
    indicator: Indicator,
    items: list[tuple[Interval, tuple[str | int, ...]]],
    bounds: tuple[Decimal | None, Decimal | None],
    path: tuple[str | int, ...],
    ordered: bool,
) -> Iterator[Problem]:
    """Empty, out-of-order and overlapping ranges, and the gaps they leave within `bounds`."""
    edges = [(_edges(interval), item_path, interval) for interval, item_path in items]
    for (start, end), item_path, interval in edges:
        if start > end:
            yield Problem(_at(indicator, item_path), t("lint.band_empty", band=interval.text))
    if ordered:
        spans = [(start, item_path) for (start, end), item_path, interval in edges if interval.equals is None]
        if len(spans) > 1:
            rising = spans[1][0] > spans[0][0]
            for (before, _), (after, item_path) in zip(spans, spans[1:], strict=False):
                if (after > before) != rising:
                    yield Problem(_at(indicator, item_path), t("lint.bands_order"))
    for (a, a_path, a_interval), (b, b_path, b_interval) in itertools.combinations(edges, 2):
        if max(a[0], b[0]) <= min(a[1], b[1]):
            yield Problem(
                _at(indicator, b_path),
                t("lint.bands_overlap", band=b_interval.text, other=a_interval.text, at=where(a_path)),
            )
    low, high = bounds
    floor: Edge = (Fraction(low), 0) if low is not None else min((e[0][0] for e in edges), default=(-_FAR, 0))
    ceiling: Edge | None = (Fraction(high), 0) if high is not None else None
    cursor = floor
    for (start, end), item_path, _ in sorted(edges, key=lambda e: e[0]):
        if start > end:
            continue
        if start > cursor and (ceiling is None or cursor <= ceiling):
            just_before: Edge = (start[0], start[1] - 1)
            gap_end = just_before if ceiling is None else min(just_before, ceiling)
            yield Problem(_at(indicator, item_path), t("lint.bands_gap", gap=_show(cursor, gap_end)))
        cursor = max(cursor, (end[0], end[1] + 1))
    if ceiling is not None and cursor <= ceiling:
        yield Problem(_at(indicator, path), t("lint.bands_gap", gap=_show(cursor, ceiling)))
    if low is not None or high is not None:
        for (start, end), item_path, interval in edges:
            if (ceiling is not None and start > ceiling) or (low is not None and end < floor):
                yield Problem(
                    _at(indicator, item_path),
                    t("lint.band_outside", band=interval.text, range=_show(floor, ceiling or (_FAR, 0))),
                )


def _reachable(
    indicator: Indicator, conditions: list[tuple[Formula | None, tuple[str | int, ...]]], never: str
) -> Iterator[Problem]:
    """A condition that holds for no value in its inputs' declared ranges, or only where an earlier one
    decides first, is never reached."""
    if not conditions:
        return
    names = sorted(set().union(*(c.names for c, _ in conditions if c is not None)) - {"weight", "year"})
    grids = [_samples(indicator.input(n), conditions) for n in names]
    size = 1
    for grid in grids:
        size *= len(grid)
    if size > MAX_SAMPLES or any(not grid for grid in grids):
        return
    fixed: dict[str, Decimal | Fraction] = {"weight": indicator.weight, "year": Decimal(2022)}
    decided_by: list[int | None] = [None] * len(conditions)  # the earlier condition that decides first
    reached = [False] * len(conditions)
    held = [False] * len(conditions)
    for values in itertools.product(*grids):
        sample: dict[str, Decimal | Fraction] = {**fixed, **dict(zip(names, values, strict=True))}
        first: int | None = None
        for index, (condition, _) in enumerate(conditions):
            try:
                holds = True if condition is None else condition.holds(sample)
            except FormulaError:
                holds = False
            if not holds:
                continue
            held[index] = True
            if first is None:
                first = index
                reached[index] = True
            elif decided_by[index] is None:
                decided_by[index] = first
    for index, (condition, path) in enumerate(conditions):
        source = condition.source if condition is not None else "—"
        where_path = path + ("when",) if condition is not None else path
        if not held[index]:
            yield Problem(_at(indicator, where_path), t(never, when=source))
        elif not reached[index]:
            earlier = conditions[decided_by[index] or 0][1]
            yield Problem(
                _at(indicator, where_path), t("lint.condition_shadowed", when=source, at=where(earlier))
            )


def _samples(
    spec: InputSpec | None, conditions: list[tuple[Formula | None, tuple[str | int, ...]]]
) -> list[Fraction]:
    """Values to try for one input: its bounds, the numbers the conditions compare it with, and either side."""
    if spec is None:
        return []
    if spec.type == "yes_no":
        return [Fraction(0), Fraction(1)]
    points = {Fraction(0), Fraction(1)}
    for condition, _ in conditions:
        if condition is None:
            continue
        for node in ast.walk(condition.tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, Fraction | int)
                and not isinstance(node.value, bool)
            ):
                points.add(Fraction(node.value))
    for bound in (spec.min, spec.max):
        if bound is not None:
            points.add(Fraction(bound))
    step = Fraction(1) if spec.type == "integer" else Fraction(1, 100)
    values = {p + d for p in points for d in (-step, Fraction(0), step)}
    low = Fraction(spec.min) if spec.min is not None else None
    high = Fraction(spec.max) if spec.max is not None else None
    return sorted(
        v for v in values
        if (low is None or v >= low) and (high is None or v <= high) and (spec.type != "integer" or v.denominator == 1)
    )  # fmt: skip
