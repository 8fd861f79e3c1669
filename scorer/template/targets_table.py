"""The rows of a 申报表's 绩效指标 block, read by what their cells say, as Word and Excel copy them.

A pasted table is tidy only in its header: Word repeats a merged cell on every row or leaves it blank, and shifts
the cells of a row that had merged cells to the left or right (001's 质量指标 row has its category under 三级指标
and its name under 实施周期指标值; the two rows after it start their name under 一级指标). So a row is read in its
own order: the labels (绩效指标, 一级指标) and the category come first, the first other cell is the target's name,
the cells after it are its values (实施周期指标值, 年度指标值). A category is carried down to the rows that leave it
blank. A row with a name that cannot be read whole (no value, more values than the header has, values that
disagree with no column to tell which is the year's, a value where the name should be) is refused at its line,
with every other such row, never dropped or read as something else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scorer.errors import Location, Problem
from scorer.escape import one_line
from scorer.facts import Message, fact
from scorer.kinds.targets.read import match_category
from scorer.kinds.targets.text import TargetError, parse_expression
from scorer.rules.model import RuleSet

# The 申报表's row labels that are not categories: the block's own label and its 一级指标.
_LABELS = ("绩效指标", "产出指标", "效益指标", "满意度指标")


@dataclass(frozen=True, slots=True)
class Header:
    name: int  # the 三级指标 column
    year: int  # the 年度指标值 column: the values of a row are the columns after the name up to this one

    @property
    def values(self) -> int:
        return self.year - self.name


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    category: str
    name: str
    target: str


def read_rows(
    table: Sequence[Sequence[str]], header: Header, rules: RuleSet, path: Path, first: int = 1
) -> tuple[list[Row], list[Problem]]:
    """Every target row of `table` (its header, on line `first`, excluded), each with its category, and a problem
    at the line of each row that cannot be read whole."""
    rows, problems, category = [], [], ""
    for line, raw in enumerate(table[1:], start=first + 1):
        cells = [(index, cell.strip()) for index, cell in enumerate(raw) if cell.strip()]
        try:
            category, rest = _category(cells, category, rules)
            if rest:
                rows.append(Row(line, category, rest[0][1], _target(rest, header)))
        except _Unreadable as exc:
            problems.append(Problem(Location(str(path), line), exc.message))
    return rows, problems


class _Unreadable(Exception):
    def __init__(self, message: Message):
        self.message = message


def _category(
    cells: list[tuple[int, str]], carried: str, rules: RuleSet
) -> tuple[str, list[tuple[int, str]]]:
    """The row's category (its own, else the one carried down) and the cells after its labels."""
    category = carried
    while cells:
        text = cells[0][1]
        found = _known_category(text, rules)
        if found is not None:
            category = found
        elif text in _LABELS:
            category = "" if text != "绩效指标" else category  # a new 一级指标: its categories follow
        elif text.endswith("指标"):
            known = "、".join(c for i in rules.indicators if i.targets for c in i.targets.categories)
            raise _Unreadable(fact("scaffold.unknown_category", category=text, known=known))
        else:
            break
        cells = cells[1:]
    return category, cells


def _known_category(text: str, rules: RuleSet) -> str | None:
    """A category as the 申报表 words it (数量指标, 服务对象满意度指标), never a target's name that merely holds
    a category's word (信息系统用户满意度)."""
    if not text.endswith("指标") and not any(
        text == c.removesuffix("指标") for i in rules.indicators if i.targets for c in i.targets.categories
    ):
        return None
    return next(
        (
            found
            for i in rules.indicators
            if i.targets
            if (found := match_category(text, i.targets.categories))
        ),
        None,
    )


def _target(rest: list[tuple[int, str]], header: Header) -> str:
    """The year's value (年度指标值) of a row whose name is `rest[0]`."""
    (column, name), values = rest[0], [text for _, text in rest[1:]]
    tidy = column == header.name
    # Under its header a name is what the table says (even '1.5'), unless the row's values repeat it: shifted.
    if name in values if tidy else _looks_like_a_value(name):
        raise _Unreadable(fact("scaffold.row_value_for_name", text=one_line(name)))
    if tidy:  # each value in its own column
        by_column = dict(rest)
        if header.year in by_column:
            return by_column[header.year]
        raise _Unreadable(fact("scaffold.row_no_target", name=one_line(name)))
    if not values:
        raise _Unreadable(fact("scaffold.row_no_target", name=one_line(name)))
    if len(values) == header.values:  # shifted whole: the values in the header's order
        return values[header.year - header.name - 1]
    if len(set(values)) == 1:  # one value, once or repeated (a merged cell): whichever column, the same
        return values[0]
    shown = "、".join(one_line(v) for v in values)
    raise _Unreadable(fact("scaffold.row_values_unclear", name=one_line(name), values=shown))


def _looks_like_a_value(text: str) -> bool:
    """'≥50次', '100%', '5个': a value, not a name ('2023年档案整理数' is a name: its number has words before
    or after it that are not a unit)."""
    try:
        expression = parse_expression(text)
    except TargetError:
        return False
    return not expression.parts[0].label
