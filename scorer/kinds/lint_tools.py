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
from typing import TYPE_CHECKING

from scorer.errors import Location, Problem
from scorer.facts import fact
from scorer.formula.evaluate import DivisionByZero, Formula, FormulaError
from scorer.kinds import registry
from scorer.kinds.base import InputSpec, fixed_names
from scorer.kinds.interval import check_ranges, input_range
from scorer.kinds.parts import Spec
from scorer.kinds.read import stand_in
from scorer.kinds.rule import Rule
from scorer.kinds.specs import where
from scorer.rounding import fmt

if TYPE_CHECKING:
    from scorer.kinds.bands import Bands
    from scorer.kinds.checklist import Checklist

# A position on the line, with ends: (v, 0) is v itself, (v, 1) just after it, (v, -1) just before it.
MAX_SAMPLES = 20000


def at(indicator: Rule, path: Sequence[str | int]) -> Location:
    key = tuple(path)
    return Location(indicator.path, indicator.lines.line(key), indicator.id, where(key) or None)


def used_names(indicator: Rule) -> set[str]:
    """The inputs the kinds and conditions use, and those they ask for (checklist answers, counts)."""
    names: set[str] = set()
    for condition in indicator.kinds.conditions:
        names |= condition.when.names
    spec = indicator.kinds.spec
    if spec is not None:
        names |= registry.kind(spec.kind).reads(spec)
    return names


def failed_to_compile(indicator: Rule) -> bool:
    """Whether a condition or a kind's formula did not compile: which inputs the row uses is then unknown, and
    the loader's error (with its did-you-mean) says enough."""
    formulas = [c.when for c in indicator.kinds.conditions]
    spec = indicator.kinds.spec
    if spec is not None:
        declared = registry.kind(spec.kind)
        formulas += [formula for formula, _ in declared.formulas(spec)]
        formulas += list(declared.conditions(spec))
    return any(formula is stand_in() for formula in formulas)


def check_kinds(indicator: Rule, year: int | None) -> Iterator[Problem]:
    """The kinds' problems. Formulas are tried on sample values in the rule set's `year` (as `year` reads in a
    formula); with None (the year file is broken), only what needs no formula evaluated is checked."""
    yield from _keys(indicator)
    spec = indicator.kinds.spec
    if spec is not None:
        yield from registry.kind(spec.kind).lint(spec, indicator, year)
        if year is not None:
            yield from _zero_divisions(indicator, spec, year)
            yield from _fallbacks(indicator, spec, year)
    yield from reachable(
        indicator, [(c.when, c.path) for c in indicator.kinds.conditions], "lint.condition_never", year
    )


def _keys(indicator: Rule) -> Iterator[Problem]:
    kind = indicator.scoring
    present = [key for key in registry.names() if key in indicator.keys and registry.declared(key)]
    if registry.declared(kind) and kind not in present:
        yield Problem(at(indicator, ("scoring",)), fact("lint.kind_missing", kind=kind))
    for key in present:
        if key != kind:
            yield Problem(at(indicator, (key,)), fact("lint.kind_unused", key=key, kind=kind))
    declared = {spec.name for spec in indicator.inputs}
    counts = Counter(spec.name for spec in indicator.inputs)
    for name, count in counts.items():
        if count > 1 and name in declared:
            yield Problem(at(indicator, ("inputs", name)), fact("lint.kind_input_clash", name=name))


def _zero_divisions(indicator: Rule, spec: Spec, year: int) -> Iterator[Problem]:
    """A kind's formula that divides by an input which may be 0, without a guard."""
    base = fixed_names(indicator, year)
    for declared in indicator.inputs:
        low = declared.min if declared.min is not None else Decimal(1)
        base[declared.name] = (
            min(max(Decimal(1), low), declared.max) if declared.max is not None else max(Decimal(1), low)
        )
    for formula, path in registry.kind(spec.kind).formulas(spec):
        for declared in indicator.inputs:
            if declared.name not in formula.names or (declared.min is not None and declared.min > 0):
                continue
            try:
                formula.evaluate({**base, declared.name: Decimal(0)})
            except DivisionByZero:
                yield Problem(at(indicator, path), fact("lint.divides_by_zero", name=declared.name))
            except FormulaError:
                pass


def _fallbacks(indicator: Rule, spec: Spec, year: int) -> Iterator[Problem]:
    """`x / y if y else C` in a bands' or steps' value: when y is 0, the fallback C is scored as if it were the
    department's figure, silently. Unless a not-applicable or gate condition decides the row when y is 0, ask
    for that case to be made explicit."""
    for formula, path in registry.kind(spec.kind).formulas(spec):
        if path[-1] != "of" or formula is stand_in():
            continue
        for node in ast.walk(formula.tree):
            if not isinstance(node, ast.IfExp):
                continue
            guarded = {n.id for n in ast.walk(node.test) if isinstance(n, ast.Name)}
            divisors = {
                n.id
                for division in ast.walk(node.body)
                if isinstance(division, ast.BinOp)
                and isinstance(division.op, ast.Div | ast.FloorDiv | ast.Mod)
                for n in ast.walk(division.right)
                if isinstance(n, ast.Name)
            }
            if any(isinstance(n, ast.Name) for n in ast.walk(node.orelse)):
                continue
            for name in sorted(guarded & divisors):
                if not _decided_at_zero(indicator, name, year):
                    fallback = ast.get_source_segment(formula.source, node.orelse) or "…"
                    yield Problem(
                        at(indicator, path),
                        fact("lint.fallback_decides", name=name, value=fallback.strip()),
                        severity="warning",
                    )


def _decided_at_zero(indicator: Rule, name: str, year: int) -> bool:
    """Whether a not-applicable or gate condition holds whenever `name` is 0 (tried at the other inputs'
    sample values)."""
    conditions = [c.when for c in indicator.kinds.conditions if name in c.when.names]
    if not conditions:
        return False
    spec = indicator.input(name)
    others = sorted(set().union(*(c.names for c in conditions)) - {name, "weight", "year"})
    grids = [_samples(indicator.input(n), [(c, ()) for c in conditions]) for n in others]
    if spec is None or any(not grid for grid in grids):
        return False
    fixed = {**fixed_names(indicator, year), name: Fraction(0)}
    for count, values in enumerate(itertools.product(*grids)):
        if count >= MAX_SAMPLES:
            return False
        sample = {**fixed, **dict(zip(others, values, strict=True))}
        if not any(_holds(condition, sample) for condition in conditions):
            return False
    return True


def _holds(condition: Formula, sample: dict[str, Decimal | Fraction]) -> bool:
    try:
        return condition.holds(sample)
    except FormulaError:
        return False


def over(indicator: Rule, points: Decimal, path: tuple[str | int, ...]) -> Iterator[Problem]:
    if points > indicator.weight:
        yield Problem(
            at(indicator, path), fact("lint.points_over_weight", points=points, weight=indicator.weight)
        )


def checklist_lint(indicator: Rule, spec: Checklist) -> Iterator[Problem]:
    total = sum((item.points for item in spec.items), Decimal(0))
    if total != indicator.weight:
        yield Problem(
            at(indicator, spec.path), fact("lint.checklist_sum", sum=total, weight=indicator.weight)
        )
    for item in spec.all_items():
        if item.items:
            inner = sum((child.points for child in item.items), Decimal(0))
            if inner != item.points:
                yield Problem(
                    at(indicator, item.path + ("points",)),
                    fact("lint.checklist_group_sum", text=item.text, sum=inner, points=item.points),
                )
        yield from over(indicator, item.points, item.path + ("points",))
    ids = Counter(item.id for item in spec.all_items())
    for item in spec.all_items():
        if ids[item.id] > 1:
            yield Problem(at(indicator, item.path + ("id",)), fact("lint.item_repeated", id=item.id))


def bands_lint(indicator: Rule, spec: Bands) -> Iterator[Problem]:
    for band in spec.items:
        yield from over(indicator, band.points, band.path + ("points",))
        if band.points < indicator.weight and not band.reason:
            yield Problem(at(indicator, band.path), fact("lint.band_no_reason"), severity="warning")
    low, high = spec.range
    only = next(iter(spec.of.names), None) if len(spec.of.names) == 1 else None
    source = spec.of.source.strip()
    if only is not None and source == only:
        declared = indicator.input(only)
        if declared is not None:
            low = low if low is not None else declared.min
            high = high if high is not None else declared.max
    if low is None or high is None:
        yield Problem(at(indicator, spec.path + ("of",)), fact("lint.bands_no_range"), severity="warning")
    yield from input_range(indicator, spec, only if source == only else None)
    yield from check_ranges(
        indicator, [(b.interval, b.path) for b in spec.items], (low, high), spec.path, True
    )


def reachable(
    indicator: Rule,
    conditions: list[tuple[Formula | None, tuple[str | int, ...]]],
    never: str,
    year: int | None,
    uncovered: tuple[str | int, ...] | None = None,
) -> Iterator[Problem]:
    """A condition that holds for no value in its inputs' declared ranges, or only where an earlier one
    decides first, is never reached. With `uncovered` (alternatives chosen by condition), values for which no
    condition holds are a warning there. A condition that did not compile is said once, by the loader."""
    if year is None or not conditions or any(condition is stand_in() for condition, _ in conditions):
        return
    names = sorted(set().union(*(c.names for c, _ in conditions if c is not None)) - {"weight", "year"})
    grids = [_samples(indicator.input(n), conditions) for n in names]
    size = 1
    for grid in grids:
        size *= len(grid)
    if size > MAX_SAMPLES or any(not grid for grid in grids):
        return
    fixed = fixed_names(indicator, year)
    decided_by: list[int | None] = [None] * len(conditions)  # the earlier condition that decides first
    reached = [False] * len(conditions)
    held = [False] * len(conditions)
    missed: dict[str, Decimal | Fraction] | None = None  # a sample no condition holds for
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
        if first is None and missed is None:
            missed = {name: sample[name] for name in names}
    if uncovered is not None and missed is not None:
        shown = ", ".join(f"{name} = {fmt(value)}" for name, value in missed.items())
        yield Problem(
            at(indicator, uncovered), fact("lint.options_uncovered", values=shown), severity="warning"
        )
    for index, (condition, path) in enumerate(conditions):
        source = condition.source if condition is not None else "—"
        where_path = path + ("when",) if condition is not None else path
        if not held[index]:
            yield Problem(at(indicator, where_path), fact(never, when=source))
        elif not reached[index]:
            earlier = conditions[decided_by[index] or 0][1]
            yield Problem(
                at(indicator, where_path), fact("lint.condition_shadowed", when=source, at=where(earlier))
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
