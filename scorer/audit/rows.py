"""The indicator rows of a 自评表, read one grid row at a time by what their cells say, and the 小计, 总分 and
评价等级 rows. See scorer/audit/layout.py.

Where the form puts a number (a level's or an indicator's weight, the score, a subtotal, the total) a cell is taken
only when it is a number exactly (`table_words.cell_number`). A cell there meant as a number but not one ("约9.5",
"9.5?", "100分（暂定）", "9.5 9.6") is a doubt at that cell: never read as the number, never passed over for
another number of the row. The reason and the improvement are the cells the header places beside the score: a
blank reason stays blank, whatever the improvement beside it says, and a reason cell holding only a number is a
doubt, not a reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from scorer.audit.model import PrintedLevel, Subtotal, TableRow
from scorer.audit.words import NOTHING, Columns, Vocabulary, cell_number, number_like, words
from scorer.escape import is_blank
from scorer.sources.grid import (
    GARBLED,
    NOT_A_NUMBER,
    NUMBER_AS_REASON,
    SECOND_TOTAL,
    Doubt,
    GridRow,
    Where,
    norm,
)

_NUMBERS = ("number", "unclear")  # what stands where the form puts a number: one exactly, or one meant


@dataclass
class _Token:
    # level1, level2, name, explanation, number, unclear (meant as a number, not one), text, nothing
    kind: str
    column: int
    text: str
    value: str | Decimal | None = None


@dataclass
class _Parts:
    """What one indicator row has been found to hold so far."""

    row: GridRow
    levels: list[PrintedLevel] = field(default_factory=list)
    cells: dict[str, Where] = field(default_factory=dict)
    columns: dict[int, str] = field(default_factory=dict)  # column → the catalogue key of what it holds
    doubts: list[Doubt] = field(default_factory=list)
    name: _Token | None = None
    explanation: _Token | None = None
    weight: Decimal | None = None
    weight_doubted: bool = False
    loose: list[_Token] = field(default_factory=list)

    def place(self, what: str, column: int) -> None:
        self.cells[what] = self.row.at(column)
        self.columns[column] = _FIELDS[what]

    def doubt(self, token: _Token, why: str, column_key: str) -> None:
        self.doubts.append(Doubt(self.row.at(token.column), why, token.text, column_key, token.column))

    def read_doubts(self, filled: list[tuple[int, str]]) -> list[Doubt]:
        """The reader's doubts about this row's cells (a formula never computed, a value hidden), each named
        by what the row's reading found in its column, and the cells holding characters lost in copying."""
        out = [replace(d, field=d.field or self.columns.get(d.column, "")) for d in self.row.doubts]
        return out + garbled(self.row, filled, self.columns)


class RowReader:
    """The indicator rows, 小计 rows, 总分 and 评价等级, read one grid row at a time."""

    def __init__(self, vocabulary: Vocabulary, columns: Columns, level3: frozenset[str]):
        self.vocabulary = vocabulary
        self.columns = columns
        self.level3 = level3
        self.total_words = words("form.total", extra=("合计", "总计", "得分合计"))
        self.grade_words = words("form.grade_label", extra=("等级",))
        self.rows: list[TableRow] = []
        self.subtotals: list[Subtotal] = []
        self.total: Decimal | None = None
        self.total_max: Decimal | None = None
        self.total_at: Where | None = None
        self.grade_line: str | None = None
        self.grade_at: Where | None = None
        self.doubts: list[Doubt] = []  # in the rows read that are not indicator rows

    def read(self, row: GridRow) -> bool:
        """Take one grid row; True once the grade line is read (the table ends there)."""
        filled = [(i, c) for i, c in enumerate(row.cells) if c]
        if filled and self._is_indicator_row(filled):
            self.rows.append(self._indicator_row(row, [self._token(i, c) for i, c in filled]))
            return False
        first = norm(filled[0][1]) if filled else ""
        total, subtotal = first in self.total_words, _is_subtotal(first)
        column_key = "form.total" if total else "audit.field.subtotal" if subtotal else ""
        self.doubts += [replace(d, field=d.field or column_key) for d in (*row.doubts, *garbled(row, filled))]
        if not filled:
            return False
        if first in self.grade_words:
            self.grade_line = " ".join(c for _, c in filled[1:])
            self.grade_at = row.at(filled[1][0] if len(filled) > 1 else filled[0][0])
            return True
        if total:
            self._total(row, filled)
        elif subtotal:
            self._subtotal(row, filled)
        return False

    def _is_indicator_row(self, filled: list[tuple[int, str]]) -> bool:
        first = norm(filled[0][1])
        return not (
            any(norm(c) in self.level3 for _, c in filled)  # the header again, after a page break
            or first in self.grade_words
            or first in self.total_words
            or _is_subtotal(first)
            or all(norm(c) in NOTHING for _, c in filled)
        )

    def _slots(self, row: GridRow, filled: list[tuple[int, str]], column_key: str) -> list[_Token]:
        """The cells of a 总分 or 小计 row that stand where a number goes; one meant as a number but not one is a
        doubt (and keeps its place, so that no other cell is taken for it)."""
        tokens = [self._token(i, c) for i, c in filled]
        slots = [tok for tok in tokens if tok.kind in _NUMBERS]
        for tok in slots:
            if tok.kind == "unclear":
                self.doubts.append(Doubt(row.at(tok.column), NOT_A_NUMBER, tok.text, column_key))
        return slots

    def _total(self, row: GridRow, filled: list[tuple[int, str]]) -> None:
        if self.total_at is not None:  # a second 总分 row: which of the two was meant cannot be told
            text = " ".join(c for _, c in filled)
            self.doubts.append(Doubt(row.at(filled[0][0]), SECOND_TOTAL, text, "form.total", filled[0][0]))
            return
        slots = self._slots(row, filled[1:], "form.total")
        if len(slots) >= 2:
            self.total_max = _value(slots[0])
        if slots and (len(slots) >= 2 or slots[-1].column >= self.columns.score):
            self.total, self.total_at = _value(slots[-1]), row.at(slots[-1].column)
        elif slots:
            self.total_max = _value(slots[0])
        if self.total_at is None:
            self.total_at = row.at(filled[0][0])

    def _subtotal(self, row: GridRow, filled: list[tuple[int, str]]) -> None:
        slots = self._slots(row, filled[1:], "audit.field.subtotal")
        value = _value(slots[-1]) if slots else None
        if value is None:
            return
        label = norm(filled[0][1])
        named = {**self.vocabulary.level1, **self.vocabulary.level2}
        level = next((full for word, full in named.items() if word and word in label), "")
        self.subtotals.append(Subtotal(level, value, row.at(slots[-1].column), len(self.rows)))

    def _token(self, column: int, text: str) -> _Token:
        key = norm(text)
        vocabulary = self.vocabulary
        if key in NOTHING:
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
        if number_like(text):
            return _Token("unclear", column, text)
        return _Token("text", column, text)

    # ---- one indicator row ----

    def _indicator_row(self, row: GridRow, tokens: list[_Token]) -> TableRow:
        parts = _Parts(row)
        self._names_and_weights(parts, tokens)
        score, split = self._score(parts)
        reason = self._text_beside(parts, split + self.columns.reason, "reason")
        improvement = self._text_beside(parts, split + self.columns.improvement, "improvement")
        name, explanation = parts.name, parts.explanation
        texts_before = [tok for tok in parts.loose if tok.kind == "text" and tok.column < split]
        name_text = ""
        if name is not None:
            name_text = name.text
        elif explanation is not None and explanation.column <= self.columns.name:
            name_text = ""
        elif texts_before:
            first = texts_before.pop(0)
            name_text = first.text
            parts.place("name", first.column)
        explanation_text = explanation.text if explanation is not None else ""
        if not explanation_text and texts_before:
            explanation_text = texts_before[0].text
        doubted = {d.column for d in parts.doubts}
        for tok in parts.loose:  # meant as a number, before the score, and taken for nothing: not passed over
            if tok.kind == "unclear" and tok.column < split and tok.column not in doubted:
                parts.doubt(tok, NOT_A_NUMBER, "")
        filled = [(tok.column, tok.text) for tok in tokens]
        return TableRow(
            where=row.at(tokens[0].column),
            name=name_text,
            explanation=explanation_text,
            weight=parts.weight,
            score=score,
            reason="" if is_blank(reason) else reason,  # zero-width or filler characters only: no reason
            improvement="" if is_blank(improvement) else improvement,
            levels=tuple(parts.levels),
            cells=parts.cells,
            doubts=(*parts.read_doubts(filled), *parts.doubts),
            identified=str(name.value if name is not None else explanation.value if explanation else ""),
        )

    def _names_and_weights(self, parts: _Parts, tokens: list[_Token]) -> None:
        """Levels and their weights, the indicator's name (or explanation) and the weight after it; the rest of
        the row's cells are left in `parts.loose`."""
        row = parts.row
        owner: str | None = None  # what the next number belongs to
        pending: _Token | None = None  # a level name waiting for its weight
        for token in tokens:
            if token.kind in ("level1", "level2"):
                if pending is not None:
                    parts.levels.append(_level(pending, None, row.at(pending.column)))
                pending, owner = token, "level"
                continue
            if token.kind in _NUMBERS and owner == "level" and pending is not None:
                parts.levels.append(_level(pending, _value(token), row.at(token.column)))
                if token.kind == "unclear":
                    parts.doubt(token, NOT_A_NUMBER, "form.weight")
                pending, owner = None, None
                continue
            if pending is not None:
                parts.levels.append(_level(pending, None, row.at(pending.column)))
                pending, owner = None, None
            if token.kind == "name" and (parts.name is None or parts.name.value == token.value):
                parts.name, owner = token, "name"
                parts.place("name", token.column)
                continue
            if token.kind in _NUMBERS and owner == "name" and parts.weight is None:
                parts.weight = _value(token)
                parts.place("weight", token.column)
                if token.kind == "unclear":
                    parts.doubt(token, NOT_A_NUMBER, "form.weight")
                    parts.weight_doubted = True
                owner = None
                continue
            owner = None
            if token.kind == "explanation" and parts.explanation is None:
                parts.explanation = token
                continue
            parts.loose.append(token)
        if pending is not None:
            parts.levels.append(_level(pending, None, row.at(pending.column)))

    def _score(self, parts: _Parts) -> tuple[Decimal | None, int]:
        """The score, and the column the reason and improvement are placed from.

        The cell under the header's 得分 is the score when it stands for a number (one meant but not exactly one is
        a doubt); else, in a row whose cells moved left, the last number before that column. A number right of
        the 得分 column stands in the reason's or improvement's place and is never a score."""
        score_column = self.columns.score
        at_score = next((tok for tok in parts.loose if tok.column == score_column), None)
        candidates = [tok for tok in parts.loose if tok.kind == "number" and tok.column < score_column]
        chosen: _Token | None
        if at_score is not None and at_score.kind in _NUMBERS:
            chosen = at_score
        else:
            chosen = candidates[-1] if candidates else None
        if parts.weight is None and not parts.weight_doubted:
            earlier = [
                tok
                for tok in parts.loose
                if tok.kind in _NUMBERS and chosen is not None and tok.column < chosen.column
            ]
            if earlier:
                parts.weight = _value(earlier[0])
                parts.place("weight", earlier[0].column)
                if earlier[0].kind == "unclear":
                    parts.doubt(earlier[0], NOT_A_NUMBER, "form.weight")
            elif chosen is not None and chosen is not at_score and len(candidates) == 1:
                parts.weight = _value(chosen)  # the row's one number, left of 得分: its weight; no score
                parts.place("weight", chosen.column)
                chosen = None
        if chosen is None:
            parts.place("score", score_column)  # blank, or not a number
            if at_score is not None and at_score.kind == "text":
                parts.doubt(at_score, NOT_A_NUMBER, "xlsx.score")
            return None, score_column
        parts.place("score", chosen.column)
        if chosen.kind == "unclear":
            parts.doubt(chosen, NOT_A_NUMBER, "xlsx.score")
        return _value(chosen), chosen.column

    def _text_beside(self, parts: _Parts, column: int, what: str) -> str:
        """The reason or the improvement: the text in its cell; blank where the cell is blank or says "/". A
        reason cell holding only a number is a doubt (a score put one column right?), not a reason."""
        parts.place(what, column)
        token = next((tok for tok in parts.loose if tok.column == column), None)
        if token is None:
            return ""
        if token.kind in ("text", "unclear"):
            return token.text
        if token.kind == "number" and what == "reason":
            parts.doubt(token, NUMBER_AS_REASON, "form.reasons")
        return ""


def _is_subtotal(label: str) -> bool:
    return "小计" in label or "subtotal" in label


def _value(token: _Token) -> Decimal | None:
    return token.value if token.kind == "number" and isinstance(token.value, Decimal) else None


def _level(token: _Token, weight: Decimal | None, where: Where) -> PrintedLevel:
    return PrintedLevel(1 if token.kind == "level1" else 2, str(token.value), weight, where)


_FIELDS = {
    "name": "form.level3",
    "weight": "form.weight",
    "score": "xlsx.score",
    "reason": "form.reasons",
    "improvement": "form.improvements",
}


def garbled(
    row: GridRow, filled: list[tuple[int, str]], columns: dict[int, str] | None = None
) -> list[Doubt]:
    """Cells holding characters lost in copying: U+FFFD (a byte no encoding could read, or an OCR's "unknown")
    and private-use characters (a symbol font copied out of a PDF)."""
    return [
        Doubt(row.at(column), GARBLED, text, (columns or {}).get(column, ""), column)
        for column, text in filled
        if any(char == "\ufffd" or "\ue000" <= char <= "\uf8ff" for char in text)
    ]
