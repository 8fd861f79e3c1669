"""Lint for ordered ranges (bands, grades): empty, out of order, overlapping, leaving gaps within the value's
declared range, or a declared range narrower than its input's. Each problem names the bands at fault and, where
one exists, the change that fixes it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from scorer.errors import Location, Problem
from scorer.facts import Fact, fact, joined
from scorer.kinds.parts import Interval
from scorer.kinds.rule import Rule
from scorer.kinds.specs import where
from scorer.rounding import fmt

if TYPE_CHECKING:
    from scorer.kinds.bands import Bands

# A position on the line, with ends: (v, 0) is v itself, (v, 1) just after it, (v, -1) just before it.
Edge = tuple[Fraction, int]
_FAR = Fraction(10**30)  # beyond every value an input may take


def _at(indicator: Rule, path: Sequence[str | int]) -> Location:
    key = tuple(path)
    return Location(indicator.path, indicator.lines.line(key), indicator.id, where(key) or None)


def input_range(indicator: Rule, spec: Bands, name: str | None) -> Iterator[Problem]:
    """Bands whose declared range leaves out values the input itself may take: such a value is refused when
    the department gives it."""
    declared = indicator.input(name) if name is not None else None
    if declared is None or spec.range == (None, None):
        return
    low, high = spec.range
    outside = []
    if declared.min is None or (low is not None and declared.min < low):
        outside.append(
            _show((-_FAR, 0) if declared.min is None else (Fraction(declared.min), 0), (Fraction(low), -1))
            if low is not None
            else ""
        )
    if declared.max is None or (high is not None and declared.max > high):
        outside.append(
            _show((Fraction(high), 1), (_FAR, 0) if declared.max is None else (Fraction(declared.max), 0))
            if high is not None
            else ""
        )
    outside = [text for text in outside if text]
    if outside:
        yield Problem(
            _at(indicator, spec.path + ("range",)),
            fact("lint.bands_input_range", name=name, values="; ".join(outside)),
            severity="warning",
        )


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


def check_ranges(
    indicator: Rule,
    items: list[tuple[Interval, tuple[str | int, ...]]],
    bounds: tuple[Decimal | None, Decimal | None],
    path: tuple[str | int, ...],
    ordered: bool,
) -> Iterator[Problem]:
    """Empty, out-of-order and overlapping ranges, and the gaps they leave within `bounds`."""
    edges = [(_edges(interval), item_path, interval) for interval, item_path in items]
    for (start, end), item_path, interval in edges:
        if start > end:
            yield Problem(_at(indicator, item_path), fact("lint.band_empty", band=interval.text))
    if ordered:
        yield from _order(indicator, edges)
    for (a, a_path, a_interval), (b, b_path, b_interval) in itertools.combinations(edges, 2):
        if max(a[0], b[0]) <= min(a[1], b[1]):
            lower, upper = (a, b) if (a[0], a[1]) <= (b[0], b[1]) else (b, a)
            yield Problem(
                _at(indicator, b_path),
                joined(
                    fact("lint.bands_overlap", band=b_interval.text, other=a_interval.text, at=where(a_path)),
                    fact(
                        "lint.bands_overlap_fix",
                        lower=_show(*lower),
                        end=_end_text(_before(upper[0])),
                        upper=_show(*upper),
                        start=_end_text(_after(lower[1])),
                    ),
                ),
            )
    yield from _gaps(indicator, edges, bounds, path)


def _before(start: Edge) -> Edge:
    return (start[0], start[1] - 1)


def _after(end: Edge) -> Edge:
    return (end[0], end[1] + 1)


def _end_text(edge: Edge) -> Fact:
    """A band's end as a maintainer writes it: '90 (含)' for a closed end, '90 (不含)' for an open one."""
    return fact("lint.end_closed" if edge[1] == 0 else "lint.end_open", value=fmt(edge[0]))


def _order(
    indicator: Rule, edges: list[tuple[tuple[Edge, Edge], tuple[str | int, ...], Interval]]
) -> Iterator[Problem]:
    """Bands out of order: each neighbouring pair that runs against the order most of the list follows, blamed
    on the first of the pair and naming the second: the swapped lines, not those after them."""
    spans = [
        (start, item_path, interval) for (start, _), item_path, interval in edges if interval.equals is None
    ]
    pairs = list(zip(spans, spans[1:], strict=False))
    ups = sum(1 for (a, _, _), (b, _, _) in pairs if b > a)
    downs = sum(1 for (a, _, _), (b, _, _) in pairs if b < a)
    if not ups or not downs:
        return
    rising = ups > downs if ups != downs else spans[-1][0] > spans[0][0]
    for (before, before_path, before_interval), (after, after_path, after_interval) in pairs:
        if after != before and (after > before) != rising:
            yield Problem(
                _at(indicator, before_path),
                fact(
                    "lint.bands_swapped",
                    band=before_interval.text,
                    other=after_interval.text,
                    at=where(after_path),
                    order=fact("lint.order_low_high" if rising else "lint.order_high_low"),
                ),
            )


def _gaps(
    indicator: Rule,
    edges: list[tuple[tuple[Edge, Edge], tuple[str | int, ...], Interval]],
    bounds: tuple[Decimal | None, Decimal | None],
    path: tuple[str | int, ...],
) -> Iterator[Problem]:
    """The values no band holds, each named with the bands around it and the change that closes it."""
    low, high = bounds
    floor: Edge = (Fraction(low), 0) if low is not None else min((e[0][0] for e in edges), default=(-_FAR, 0))
    ceiling: Edge | None = (Fraction(high), 0) if high is not None else None
    cursor = floor
    below: tuple[tuple[str | int, ...], Interval] | None = None  # the band that reaches furthest so far
    for (start, end), item_path, interval in sorted(edges, key=lambda e: e[0]):
        if start > end:
            continue
        if start > cursor and (ceiling is None or cursor <= ceiling):
            gap_end = _before(start) if ceiling is None else min(_before(start), ceiling)
            gap = _show(cursor, gap_end)
            if below is None:
                yield Problem(
                    _at(indicator, item_path), fact("lint.bands_gap_first", gap=gap, start=_end_text(cursor))
                )
            else:
                yield Problem(
                    _at(indicator, below[0]),
                    fact(
                        "lint.bands_gap_between",
                        gap=gap,
                        band=below[1].text,
                        other=interval.text,
                        at=where(item_path),
                        start=_end_text(cursor),
                        end=_end_text(_before(start)),
                    ),
                )
        if _after(end) > cursor:
            cursor, below = _after(end), (item_path, interval)
    if ceiling is not None and cursor <= ceiling:
        gap = _show(cursor, ceiling)
        if below is None:
            yield Problem(_at(indicator, path), fact("lint.bands_gap", gap=gap))
        else:
            yield Problem(
                _at(indicator, below[0]),
                fact("lint.bands_gap_last", gap=gap, band=below[1].text, end=_end_text(ceiling)),
            )
    if low is not None or high is not None:
        for (start, end), item_path, interval in edges:
            if (ceiling is not None and start > ceiling) or (low is not None and end < floor):
                yield Problem(
                    _at(indicator, item_path),
                    fact("lint.band_outside", band=interval.text, range=_show(floor, ceiling or (_FAR, 0))),
                )
