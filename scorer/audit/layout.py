"""Finding the 自评表 in a grid of cells, however it was laid out: the title, the 部门基本情况 block, the
indicator rows, 总分 and 评价等级.

Published tables are not tidy: merged cells leave blanks ("same as above"), a page break repeats the header and
moves a level's name to another row, a copy from Word shifts a row's cells left or leaves the indicator's name out
and keeps its explanation. So a row is read by what its cells say rather than only by where they stand: a level's
name and the number after it are that level's weight, an indicator's name (or its explanation) and the number
after it its weight, and the last number from the 得分 column on is the score; texts after the score are the
reason and the improvement. The words are the rules' names and the catalogues' headers, in both languages.
"""

from __future__ import annotations

import re
from decimal import Decimal

from scorer.audit.model import SubmittedTable
from scorer.audit.rows import RowReader, garbled
from scorer.audit.words import (
    LEVEL3,
    NOTHING,
    Columns,
    Vocabulary,
    cell_number,
    header_words,
    hides_text,
    number_like,
    row_labels,
    score_words,
    words,
)
from scorer.errors import Location, UserError
from scorer.facts import fact
from scorer.inputs.model import Profile
from scorer.rules.model import RuleSet
from scorer.sources.grid import (
    HIDDEN_MARKUP,
    NOT_A_NUMBER,
    SECOND_TABLE,
    Doubt,
    Grid,
    GridRow,
    Where,
    clean,
    norm,
)

__all__ = ["clean", "header_words", "norm", "read_layout", "row_labels", "table_year", "title_of"]

_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_BUDGET_KEYS = ("total", "basic", "project", "special", "other_development", "district_level", "transfers")


def _header(rows: list[GridRow]) -> int | None:
    """The index of the indicator table's header row (三级指标 … 得分), or None."""
    level3, scores = words(*LEVEL3), score_words()
    for index, row in enumerate(rows):
        if any(norm(c) in level3 for c in row.cells) and any(norm(c) in scores for c in row.cells):
            return index
    return None


def _cleaned(grid: Grid) -> list[GridRow]:
    """The grid's cells without the HTML a copy carries; a cell whose markup hides some of its text is a doubt."""
    rows = []
    for row in grid.rows:
        cells = tuple(clean(c) for c in row.cells)
        hiding = tuple(
            Doubt(row.at(i), HIDDEN_MARKUP, cells[i], column=i)
            for i, c in enumerate(row.cells)
            if hides_text(c)
        )
        rows.append(GridRow(cells, row.where, row.doubts + hiding))
    return rows


def title_of(grid: Grid) -> str:
    """The table's title (the first text above the table), which names its year; refused without a table."""
    rows = _cleaned(grid)
    header = _header(rows)
    if header is None:
        raise UserError.at(Location(grid.path), fact("audit.read.no_table"))
    return _title(rows[:header])


def read_layout(grid: Grid, rules: RuleSet) -> SubmittedTable:
    """The 自评表 in `grid`, read with the names of `rules`. A grid without the indicator table is refused."""
    vocabulary = Vocabulary(rules)
    level3, scores = words(*LEVEL3), score_words()
    rows = _cleaned(grid)
    header = _header(rows)
    if header is None:
        raise UserError.at(Location(grid.path), fact("audit.read.no_table"))
    columns = _columns(rows[header], scores)
    before, after = rows[:header], rows[header + 1 :]
    profile = _Profile(before)
    reader = RowReader(vocabulary, columns, level3)
    for index, row in enumerate(after):
        if reader.read(row):
            second = _header(after[index + 1 :])
            if second is not None:  # another table follows the first one's 评价等级
                where = after[index + 1 + second].at(0)
                reader.doubts.append(
                    Doubt(where, SECOND_TABLE, " ".join(c for c in after[index + 1 + second].cells if c))
                )
            break
    title = _title(before)
    department = profile.value("xlsx.department") or _department_from_title(title, rules)
    doubts = [*grid.doubts, *(d for row in rows[: header + 1] for d in _read_doubts(row))]
    return SubmittedTable(
        path=grid.path,
        title=title,
        year=table_year(title),
        department=department,
        units=profile.units(),
        budget=profile.budget(),
        profile=Profile(
            goal=profile.value("xlsx.goal"),
            achieved=profile.value("xlsx.achieved"),
            shortfall=profile.value("xlsx.shortfall"),
        ),
        rows=tuple(reader.rows),
        header_at=rows[header].at(0),
        total=reader.total,
        total_max=reader.total_max,
        total_at=reader.total_at,
        grade_line=reader.grade_line,
        grade_at=reader.grade_at,
        subtotals=tuple(reader.subtotals),
        doubts=(*doubts, *profile.doubts, *reader.doubts),
        places=_places(profile, before),
    )


def _places(profile: _Profile, before: list[GridRow]) -> dict[tuple[str, ...], Where]:
    """Where the table states each value an inputs file holds outside the rows (the title: its year, and its
    department when no 部门名称 is filled in)."""
    title = next((row.at(i) for row in before for i, c in enumerate(row.cells) if c), None)
    found: dict[tuple[str, ...], Where | None] = {("year",): title}
    found[("department",)] = profile.cell("xlsx.department")[1] or title
    found[("units",)] = profile.cell("xlsx.units")[1]
    found[("budget",)] = profile.budget_at
    for key in ("goal", "achieved", "shortfall"):
        found[("profile", key)] = profile.cell(f"xlsx.{key}")[1]
    return {key: where for key, where in found.items() if where is not None}


def _read_doubts(row: GridRow) -> list[Doubt]:
    return [*row.doubts, *garbled(row, [(i, c) for i, c in enumerate(row.cells) if c])]


def table_year(title: str) -> int | None:
    """The year a table's title names: "2022年度…" (or, in an English title, the year it mentions)."""
    found = _YEAR.search(title) or None
    if found:
        return int(found.group(1))
    years = _ANY_YEAR.findall(title)
    return int(years[-1]) if years else None


def _title(rows: list[GridRow]) -> str:
    for row in rows:
        texts = [c for c in row.cells if c]
        if texts:
            return texts[0].lstrip("#").strip()
    return ""


def _department_from_title(title: str, rules: RuleSet) -> str:
    name = _YEAR.sub("", title, count=1).removeprefix("度").strip()
    for suffix in (rules.title, rules.title_en):
        if suffix and name.endswith(suffix):
            name = name[: -len(suffix)]
    return name.strip(" :：,")


def _columns(header: GridRow, scores: frozenset[str]) -> Columns:
    level3, reasons, improvements = words(*LEVEL3), words("form.reasons"), words("form.improvements")
    cells = [norm(c) for c in header.cells]
    name = next(i for i, c in enumerate(cells) if c in level3)
    score = next(i for i, c in enumerate(cells) if c in scores)
    reason = next((i for i, c in enumerate(cells) if c in reasons and i > score), score + 1)
    improvement = next((i for i, c in enumerate(cells) if c in improvements and i > score), reason + 1)
    return Columns(name, score, reason - score, improvement - score)


class _Profile:
    """部门基本情况: each label's value is the next cell that is not blank and not itself a label."""

    KEYS = ("xlsx.department", "xlsx.units", "xlsx.goal", "xlsx.achieved", "xlsx.shortfall", "xlsx.budget")

    def __init__(self, rows: list[GridRow]):
        self.rows = rows
        self.doubts: list[Doubt] = []
        self.budget_at: Where | None = None  # the row of numbers of 年度部门预算情况
        self.labels = {key: words(key) for key in self.KEYS}
        self.all_labels = frozenset().union(*self.labels.values()) | words(
            "xlsx.profile", "xlsx.budget_total", "xlsx.budget_kinds"
        )

    def value(self, key: str) -> str:
        return self.cell(key)[0]

    def cell(self, key: str) -> tuple[str, Where | None]:
        for row in self.rows:
            cells = list(row.cells)
            for index, cell in enumerate(cells):
                if norm(cell) in self.labels[key]:
                    following = [(i, c) for i, c in enumerate(cells) if c and i > index]
                    if following and norm(following[0][1]) not in self.all_labels:
                        text = following[0][1]
                        return ("" if norm(text) in NOTHING else text), row.at(following[0][0])
                    return "", row.at(index)  # the label, its value left blank
        return "", None

    def units(self) -> int | None:
        text, where = self.cell("xlsx.units")
        number = cell_number(text) if text else None
        if number is None and text and number_like(text) and where is not None:
            self.doubts.append(Doubt(where, NOT_A_NUMBER, text, "workbook.field.units"))
        return int(number) if number is not None and number == int(number) and number >= 0 else None

    def budget(self) -> dict[str, Decimal]:
        """The numbers row of 年度部门预算情况: total, basic, project, … in the order the form prints them. A row
        of numbers with one meant as a number but not one is a doubt at that cell, and no budget is read."""
        seen = False
        for row in self.rows:
            filled = [(i, c) for i, c in enumerate(row.cells) if c]
            seen = seen or any(norm(c) in self.labels["xlsx.budget"] for _, c in filled)
            numbers = [cell_number(c) for _, c in filled]
            unclear = [
                (i, c) for (i, c), n in zip(filled, numbers, strict=True) if n is None and number_like(c)
            ]
            if (
                not seen
                or len(filled) < 3
                or len(unclear) + sum(n is not None for n in numbers) < len(filled)
            ):
                continue
            self.budget_at = row.at(filled[0][0])
            if unclear:
                self.doubts += [Doubt(row.at(i), NOT_A_NUMBER, c, "xlsx.budget") for i, c in unclear]
                return {}
            return {key: n for key, n in zip(_BUDGET_KEYS, numbers, strict=False) if n is not None}
        return {}
