"""The indicator rows of a 自评表, read one grid row at a time by what their cells say, and the 小计, 总分 and
评价等级 rows. See scorer/load/table_layout.py."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from scorer.load.table_words import NOTHING, Columns, Vocabulary, cell_number, norm, words
from scorer.model.audit import GridRow, PrintedLevel, Subtotal, TableRow, Where


@dataclass
class _Token:
    kind: str  # level1, level2, name, explanation, number, text, nothing
    column: int
    text: str
    value: str | Decimal | None = None


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
        if all(norm(c) in NOTHING for _, c in filled):
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
