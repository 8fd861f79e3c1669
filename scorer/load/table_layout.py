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

import html
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from scorer.i18n import LANGUAGES, t
from scorer.model.audit import Grid, GridRow, PrintedLevel, SubmittedTable, Subtotal, TableRow, Where
from scorer.model.department import Profile
from scorer.model.problems import Location, UserError
from scorer.model.rules import RuleSet
from scorer.numbers import NotANumber, parse_number

# Cells that say "nothing here" (a slash in the 未达标原因 column of a full-marks row).
_NOTHING = {"/", "／", "-", "—", "——", "无", "n/a", "na", "none", "\\"}
_CHECKED_BOX = re.compile(r"<input\b[^>]*\bchecked\b[^>]*>", re.IGNORECASE)
_BOX = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
_BREAK = re.compile(r"<br\s*/?>|</p>\s*<p\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"</?(?:b|p|strong|span|div|font|em|i|u|sup|sub|center)\b[^<>]*>", re.IGNORECASE)
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_BUDGET_KEYS = ("total", "basic", "project", "special", "other_development", "district_level", "transfers")


def clean(cell: str) -> str:
    """A cell's text without the HTML some copies carry (<p>, <b>); ticked and empty check boxes as √ and □."""
    if "<" in cell:
        cell = _CHECKED_BOX.sub("√", cell)
        cell = _BOX.sub("□", cell)
        cell = _BREAK.sub("\n", cell)
        cell = _TAG.sub("", cell)
    if "&" in cell:
        cell = html.unescape(cell)
    return cell.strip()


def norm(text: str) -> str:
    """A name as compared: full-width forms folded, spaces and line breaks dropped, a final colon dropped."""
    folded = "".join(unicodedata.normalize("NFKC", text).split()).lower()
    return folded.rstrip(":：。.")


def cell_number(text: str) -> Decimal | None:
    """A cell meant as a number ("8.99", "8.99分", "11,887.73"), or None."""
    plain = norm(text).removesuffix("分").removesuffix("points")
    if not plain or not (plain[0].isdigit() or plain[0] in "+-."):
        return None
    try:
        return parse_number(plain)
    except NotANumber:
        return None


def _words(*keys: str, extra: tuple[str, ...] = ()) -> frozenset[str]:
    return frozenset(norm(t(key, lang)) for key in keys for lang in LANGUAGES) | {norm(e) for e in extra}


def row_labels() -> frozenset[str]:
    """The words that open a row of the form (总分, 评价等级, the header, 部门基本情况's labels), both languages."""
    return _words(
        "form.total",
        "form.grade_label",
        "form.level1",
        "xlsx.profile",
        "xlsx.department",
        "xlsx.goal",
        "xlsx.budget",
    )


def header_words() -> frozenset[str]:
    """The words that name the indicator column in a header row, in both languages."""
    return _words("form.level3")


@dataclass
class _Vocabulary:
    """The names a table may use, from the rules and the catalogues, each to what it names."""

    rules: RuleSet
    level1: dict[str, str] = field(default_factory=dict)
    level2: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    explanations: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        english = self.rules.english
        for level in self.rules.levels:
            for name in (level.name, english.get(level.name, "")):
                if name:
                    self.level1[norm(name)] = level.name
            for child, _ in level.children:
                for name in (child, english.get(child, "")):
                    if name:
                        self.level2[norm(name)] = child
        for indicator in self.rules.indicators:
            for name in (indicator.name, indicator.name_en):
                if name:
                    self.names[norm(name)] = indicator.id
            for text in (indicator.explanation, indicator.explanation_en):
                if text:
                    self.explanations[norm(text)] = indicator.id


LEVEL3 = ("form.level3",)
SCORE = ("xlsx.score", "form.score")


def _score_words() -> frozenset[str]:
    return _words(*SCORE, extra=("自评分", "自评得分", "得分"))


def _header(rows: list[GridRow]) -> int | None:
    """The index of the indicator table's header row (三级指标 … 得分), or None."""
    level3, score_words = _words(*LEVEL3), _score_words()
    for index, row in enumerate(rows):
        if any(norm(c) in level3 for c in row.cells) and any(norm(c) in score_words for c in row.cells):
            return index
    return None


def _cleaned(grid: Grid) -> list[GridRow]:
    return [GridRow(tuple(clean(c) for c in row.cells), row.where) for row in grid.rows]


def title_of(grid: Grid) -> str:
    """The table's title (the first text above the table), which names its year; refused without a table."""
    rows = _cleaned(grid)
    header = _header(rows)
    if header is None:
        raise UserError.at(Location(grid.path), t("audit.read.no_table"))
    return _title(rows[:header])


def read_layout(grid: Grid, rules: RuleSet) -> SubmittedTable:
    """The 自评表 in `grid`, read with the names of `rules`. A grid without the indicator table is refused."""
    vocabulary = _Vocabulary(rules)
    level3, score_words = _words(*LEVEL3), _score_words()
    rows = _cleaned(grid)
    header = _header(rows)
    if header is None:
        raise UserError.at(Location(grid.path), t("audit.read.no_table"))
    columns = _columns(rows[header], score_words)
    before, after = rows[:header], rows[header + 1 :]
    profile = _Profile(before)
    reader = _Rows(vocabulary, columns, level3)
    for row in after:
        if reader.read(row):
            break
    title = _title(before)
    department = profile.value("xlsx.department") or _department_from_title(title, rules)
    return SubmittedTable(
        path=grid.path,
        title=title,
        year=table_year(title),
        department=department,
        units=_units(profile.value("xlsx.units")),
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
    )


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


def _units(text: str) -> int | None:
    number = cell_number(text) if text else None
    return int(number) if number is not None and number == int(number) and number >= 0 else None


@dataclass(frozen=True)
class _Columns:
    name: int
    score: int


def _columns(header: GridRow, score_words: frozenset[str]) -> _Columns:
    level3 = _words(*LEVEL3)
    cells = [norm(c) for c in header.cells]
    name = next(i for i, c in enumerate(cells) if c in level3)
    score = next(i for i, c in enumerate(cells) if c in score_words)
    return _Columns(name, score)


class _Profile:
    """部门基本情况: each label's value is the next cell that is not blank and not itself a label."""

    KEYS = ("xlsx.department", "xlsx.units", "xlsx.goal", "xlsx.achieved", "xlsx.shortfall", "xlsx.budget")

    def __init__(self, rows: list[GridRow]):
        self.rows = rows
        self.labels = {key: _words(key) for key in self.KEYS}
        self.all_labels = frozenset().union(*self.labels.values()) | _words(
            "xlsx.profile", "xlsx.budget_total", "xlsx.budget_kinds"
        )

    def value(self, key: str) -> str:
        for row in self.rows:
            cells = list(row.cells)
            for index, cell in enumerate(cells):
                if norm(cell) in self.labels[key]:
                    following = [c for c in cells[index + 1 :] if c]
                    if following and norm(following[0]) not in self.all_labels:
                        return "" if norm(following[0]) in _NOTHING else following[0]
                    return ""
        return ""

    def budget(self) -> dict[str, Decimal]:
        """The numbers row of 年度部门预算情况: total, basic, project, … in the order the form prints them."""
        seen = False
        for row in self.rows:
            texts = [c for c in row.cells if c]
            seen = seen or any(norm(c) in self.labels["xlsx.budget"] for c in texts)
            numbers = [cell_number(c) for c in texts]
            if seen and len(texts) >= 3 and all(n is not None for n in numbers):
                return {key: n for key, n in zip(_BUDGET_KEYS, numbers, strict=False) if n is not None}
        return {}


@dataclass
class _Token:
    kind: str  # level1, level2, name, explanation, number, text, nothing
    column: int
    text: str
    value: str | Decimal | None = None


class _Rows:
    """The indicator rows, 小计 rows, 总分 and 评价等级, read one grid row at a time."""

    def __init__(self, vocabulary: _Vocabulary, columns: _Columns, level3: frozenset[str]):
        self.vocabulary = vocabulary
        self.columns = columns
        self.level3 = level3
        self.total_words = _words("form.total", extra=("合计", "总计", "得分合计"))
        self.grade_words = _words("form.grade_label", extra=("等级",))
        self.rows: list[TableRow] = []
        self.subtotals: list[Subtotal] = []
        self.total: Decimal | None = None
        self.total_max: Decimal | None = None
        self.total_at: Where | None = None
        self.grade_line: str | None = None
        self.grade_at: Where | None = None

    def read(self, row: GridRow) -> bool:
        """Take one grid row; True once the grade line is read (the table ends there)."""
        filled = [(i, c) for i, c in enumerate(row.cells) if c]
        if not filled:
            return False
        first = norm(filled[0][1])
        if any(norm(c) in self.level3 for _, c in filled):
            return False  # the header again, after a page break
        if first in self.grade_words:
            self.grade_line = " ".join(c for _, c in filled[1:])
            self.grade_at = row.at(filled[1][0] if len(filled) > 1 else filled[0][0])
            return True
        if first in self.total_words:
            self._total(row, filled)
            return False
        if "小计" in first or "subtotal" in first:
            self._subtotal(row, filled)
            return False
        if all(norm(c) in _NOTHING for _, c in filled):
            return False
        self.rows.append(self._indicator_row(row, [self._token(i, c) for i, c in filled]))
        return False

    def _total(self, row: GridRow, filled: list[tuple[int, str]]) -> None:
        numbers = [(i, n) for i, c in filled[1:] if (n := cell_number(c)) is not None]
        if len(numbers) >= 2:
            self.total_max = numbers[0][1]
        if numbers and (len(numbers) >= 2 or numbers[-1][0] >= self.columns.score):
            self.total, self.total_at = numbers[-1][1], row.at(numbers[-1][0])
        elif numbers:
            self.total_max = numbers[0][1]
        if self.total_at is None:
            self.total_at = row.at(filled[0][0])

    def _subtotal(self, row: GridRow, filled: list[tuple[int, str]]) -> None:
        numbers = [(i, n) for i, c in filled if (n := cell_number(c)) is not None]
        if not numbers:
            return
        label = norm(filled[0][1])
        named = {**self.vocabulary.level1, **self.vocabulary.level2}
        level = next((full for word, full in named.items() if word and word in label), "")
        self.subtotals.append(Subtotal(level, numbers[-1][1], row.at(numbers[-1][0]), len(self.rows)))

    def _token(self, column: int, text: str) -> _Token:
        key = norm(text)
        vocabulary = self.vocabulary
        if key in _NOTHING:
            return _Token("nothing", column, "")
        number = cell_number(text)
        if number is not None:
            return _Token("number", column, text, number)
        for kind, table in (
            ("level1", vocabulary.level1),
            ("level2", vocabulary.level2),
            ("name", vocabulary.names),
            ("explanation", vocabulary.explanations),
        ):
            if key in table:
                return _Token(kind, column, text, table[key])
        return _Token("text", column, text)

    def _indicator_row(self, row: GridRow, tokens: list[_Token]) -> TableRow:
        levels: list[PrintedLevel] = []
        cells: dict[str, Where] = {}
        name: _Token | None = None
        explanation: _Token | None = None
        weight: Decimal | None = None
        owner: str | None = None  # what the next number belongs to
        pending_level: _Token | None = None
        loose: list[_Token] = []
        for token in tokens:
            if token.kind in ("level1", "level2"):
                pending_level, owner = token, "level"
                continue
            if token.kind == "number" and owner == "level" and pending_level is not None:
                depth = 1 if pending_level.kind == "level1" else 2
                value = token.value if isinstance(token.value, Decimal) else None
                levels.append(PrintedLevel(depth, str(pending_level.value), value, row.at(token.column)))
                pending_level, owner = None, None
                continue
            if pending_level is not None:
                depth = 1 if pending_level.kind == "level1" else 2
                levels.append(
                    PrintedLevel(depth, str(pending_level.value), None, row.at(pending_level.column))
                )
                pending_level, owner = None, None
            if token.kind == "name" and (name is None or name.value == token.value):
                name, owner = token, "name"
                cells["name"] = row.at(token.column)
                continue
            if token.kind == "number" and owner == "name" and weight is None:
                weight = token.value if isinstance(token.value, Decimal) else None
                cells["weight"] = row.at(token.column)
                owner = None
                continue
            owner = None
            if token.kind == "explanation" and explanation is None:
                explanation = token
                continue
            loose.append(token)
        if pending_level is not None:
            depth = 1 if pending_level.kind == "level1" else 2
            levels.append(PrintedLevel(depth, str(pending_level.value), None, row.at(pending_level.column)))
        numbers = [tok for tok in loose if tok.kind == "number"]
        score_token = next((tok for tok in numbers if tok.column == self.columns.score), None)
        if score_token is None and numbers:
            score_token = numbers[-1]
        if weight is None:
            earlier = [tok for tok in numbers if score_token is not None and tok.column < score_token.column]
            if earlier:
                weight = earlier[0].value if isinstance(earlier[0].value, Decimal) else None
                cells["weight"] = row.at(earlier[0].column)
            elif score_token is not None and score_token.column < self.columns.score and len(numbers) == 1:
                weight = score_token.value if isinstance(score_token.value, Decimal) else None
                cells["weight"] = row.at(score_token.column)
                score_token = None
        split = score_token.column if score_token is not None else self.columns.score
        texts_before = [tok for tok in loose if tok.kind in ("text",) and tok.column < split]
        texts_after = [tok for tok in loose if tok.kind in ("text", "nothing") and tok.column > split]
        if score_token is None:
            texts_after = [tok for tok in loose if tok.kind in ("text", "nothing") and tok.column >= split]
        unreadable: list[tuple[str, str]] = []
        if score_token is None:
            at_score = next((tok for tok in loose if tok.column == self.columns.score and tok.text), None)
            if at_score is not None and at_score in texts_after:
                texts_after.remove(at_score)
                unreadable.append(("score", at_score.text))
                cells["score"] = row.at(at_score.column)
        else:
            cells["score"] = row.at(score_token.column)
        name_text = ""
        if name is not None:
            name_text = name.text
        elif explanation is not None and explanation.column <= self.columns.name:
            name_text = ""
        elif texts_before:
            first = texts_before.pop(0)
            name_text = first.text
            cells["name"] = row.at(first.column)
        explanation_text = explanation.text if explanation is not None else ""
        if not explanation_text and texts_before:
            explanation_text = texts_before[0].text
        reason = texts_after[0].text if texts_after else ""
        improvement = texts_after[1].text if len(texts_after) > 1 else ""
        if texts_after:
            cells["reason"] = row.at(texts_after[0].column)
        return TableRow(
            where=row.at(tokens[0].column),
            name=name_text,
            explanation=explanation_text,
            weight=weight,
            score=score_token.value
            if score_token is not None and isinstance(score_token.value, Decimal)
            else None,
            reason=reason,
            improvement=improvement,
            levels=tuple(levels),
            cells=cells,
            unreadable=tuple(unreadable),
            identified=str(name.value if name is not None else explanation.value if explanation else ""),
        )
