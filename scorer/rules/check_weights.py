"""Lint of a rubric's weights: the levels add up to the total, each level's rows to its weight, all rows to the
total; a sum that does not is said where the maintainer mends it (the level's line, or `extends:`), naming the rows
whose weights differ from the parent's (or each row's file and line)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from scorer.errors import Location, Problem
from scorer.facts import Message, fact, joined, said, separated
from scorer.rules.check import rubric_at
from scorer.rules.model import Indicator, RuleSet


def weights(rules: RuleSet) -> Iterator[Problem]:
    parent = _parent_weights(rules)
    level_sum = sum((level.weight for level in rules.levels), Decimal(0))
    if level_sum != rules.total:
        yield Problem(
            rubric_at(rules, "levels"),
            fact("lint.level_sum", sum=level_sum, total=rules.total),
        )
    for index, level in enumerate(rules.levels):
        child_sum = sum((weight for _, weight in level.children), Decimal(0))
        if child_sum != level.weight:
            yield Problem(
                rubric_at(rules, "levels", index, "children"),
                fact("lint.children_sum", name=level.name, sum=child_sum, weight=level.weight),
            )
        for child_index, (child, weight) in enumerate(level.children):
            members = [i for i in rules.indicators if i.level1 == level.name and i.level2 == child]
            total = sum((i.weight for i in members), Decimal(0))
            if members and total != weight:
                yield Problem(
                    _sum_at(rules, "levels", index, "children", child_index),
                    fact(
                        "lint.members_weight",
                        level1=level.name,
                        child=child,
                        sum=total,
                        weight=weight,
                        files=_rows_to_mend(rules, members, parent),
                    ),
                )
            if not members:
                yield Problem(
                    rubric_at(rules, "levels", index, "children", child_index),
                    fact("lint.no_members", level1=level.name, child=child),
                )
    indicator_sum = sum((i.weight for i in rules.indicators), Decimal(0))
    if indicator_sum != rules.total:
        message: Message = fact("lint.indicator_sum", sum=indicator_sum, total=rules.total)
        if parent is not None:  # the rows whose weights this rubric changed: where the sum is mended
            rows = _rows_to_mend(rules, list(rules.indicators), parent)
            message = joined(message, fact("lint.weights_changed", parent=rules.extends, rows=rows))
        yield Problem(_sum_at(rules, "total"), message)


def _sum_at(rules: RuleSet, *path: str | int) -> Location:
    """Where a sum that does not add up is said: the line of the rubric that states it (a level, the total); in a
    rubric that takes them from its parent, its `extends:` line."""
    at = rubric_at(rules, *path)
    return at if at.line is not None else rubric_at(rules, "extends")


def _rows_to_mend(rules: RuleSet, members: list[Indicator], parent: dict[str, Decimal] | None) -> Message:
    """The rows a maintainer may have to mend, each with its weight: with a parent, those whose weight differs
    from the parent's (the parent's after it); without one, every row, at its weight's file and line."""
    if parent is None:
        return separated(said(", "), (joined(_row_place(rules, i), f" ({i.weight})") for i in members))
    differ = [i for i in members if parent.get(i.id) != i.weight]
    if not differ:
        return said("—")
    return separated(
        said(", "),
        (
            joined(_row_place(rules, i), f" ({i.weight}; {rules.extends}: {parent.get(i.id, '—')})")
            for i in differ
        ),
    )


def _row_place(rules: RuleSet, indicator: Indicator) -> Message:
    """A row's weight by its file and line, or for a row a change made its id and that change's place."""
    origin = rules.origins.get(indicator.id)
    if origin is not None and origin.change:
        return fact("lint.changed_row", id=indicator.id, change=origin.change)
    line = indicator.lines.line(("weight",)) or indicator.lines.line(())
    return said(f"{indicator.path}:{line}" if line else indicator.path)


def _parent_weights(rules: RuleSet) -> dict[str, Decimal] | None:
    """Each row's weight in the rubric this one extends; None without one, or when it cannot be read."""
    if not rules.extends:
        return None
    from scorer.errors import UserError
    from scorer.rules.find import find_rubric
    from scorer.rules.read import load_rules

    folder = find_rubric(Path(rules.folder), rules.extends)
    try:
        parent = load_rules(folder) if folder is not None else None
    except UserError:
        return None
    return {i.id: i.weight for i in parent.indicators} if parent is not None else None
