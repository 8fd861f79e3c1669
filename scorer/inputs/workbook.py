"""A clerk's input workbook (`自评输入.xlsx`), read into the same inputs as a YAML file, with the same checks.

The workbook is another spelling of the inputs file: this module turns its cells into the inputs file's data,
remembering for each value its sheet and cell, so that every problem the inputs reader finds is reported at
`自评输入.xlsx:指标!I7`. It copes with what Excel and LibreOffice do to a file: percent-formatted cells (0.934 shown
as 93.40%), numbers stored as text, stray spaces, formulas with cached values, a workbook re-saved elsewhere.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from scorer.errors import LineMap, Location, PathKey, Problem, UserError
from scorer.facts import Fact, Message, Said, fact, said
from scorer.i18n import LANGUAGES, t
from scorer.inputs import workbook_layout as layout
from scorer.inputs.values import as_text
from scorer.rounding import fmt
from scorer.sources.xlsx_open import FORM, Checked, check, open_book, sheet_named
from scorer.sources.yaml import YamlDocument, display_path


def is_workbook(path: Path) -> bool:
    return path.suffix.lower() in layout.WORKBOOK_SUFFIXES


def load_workbook_inputs(path: Path, display: str | None = None) -> YamlDocument:
    display = display or display_path(path)
    checked = check(path, display, FORM)  # bounded before openpyxl sees it (scorer/sources/xlsx_open.py)
    reader = _Reader(display, open_book(checked, read_only=False), checked)
    data = reader.data()
    return YamlDocument(display, data, reader.lines, "workbook", reader.labels, tuple(reader.early))


class _Reader:
    def __init__(self, display: str, book: Any, checked: Checked):
        self.display = display
        self.book = book
        self.checked = checked
        self.lines = LineMap({(): "A1"})
        self.labels: dict[
            str, tuple[str | None, str | Message | None]
        ] = {}  # cell → its row's name, its column's
        self.early: list[Problem] = []
        self._formulas: Any = None
        self.cols = layout.CURRENT

    def sheet(self, role: str) -> Any:
        name = sheet_named(self.checked, {t(f"workbook.sheet.{role}", lang) for lang in LANGUAGES})
        if name is None or name not in self.book.sheetnames:  # a chart sheet by that name holds no cells
            raise UserError.at(
                Location(self.display), fact("workbook.missing_sheet", sheet=fact(f"workbook.sheet.{role}"))
            )
        return self.book[name]

    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        self.profile(data)
        data.setdefault("department", "")
        data["indicators"] = {}
        self.indicators(data["indicators"])
        self.targets(data["indicators"])
        return data

    def at(
        self, path: PathKey, sheet: Any, cell: Any, row: str | None = None, column: Fact | Said | None = None
    ) -> None:
        where = f"{sheet.title}!{cell.coordinate}"
        self.lines.lines[path] = where
        if row or column:
            self.labels.setdefault(where, (row, column))

    def problem(
        self, sheet: Any, cell: Any, row: str | None, column: Fact | Said | None, message: Message
    ) -> None:
        self.early.append(
            Problem(Location(self.display, f"{sheet.title}!{cell.coordinate}", row, column), message)
        )

    def value(self, sheet: Any, cell: Any, kind: str = "number") -> Any:
        """A cell's value as the inputs reader expects it; None when empty."""
        value = cell.value
        if value is None:
            if self._has_formula(sheet, cell):
                raise UserError.at(
                    Location(self.display, f"{sheet.title}!{cell.coordinate}"),
                    fact("workbook.formula_without_value"),
                )
            return None
        if isinstance(value, str):
            value = value.strip()
            return value or None
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
            if kind == "text":
                return fmt(number)
            if "%" in (cell.number_format or ""):  # 0.934 shown as 93.40%: the clerk means 93.4%
                return f"{fmt(number.scaleb(2))}%"
            return int(number) if number == int(number) and kind != "money" else number
        return str(value).strip() or None  # a date or time typed into a cell: as its text

    def computed(self, sheet: Any, cell: Any) -> bool:
        """A formula row's 自评分 as the template writes it (locked, its formula a preview of `score run`'s score):
        what an office suite computed there is never read. A number or another formula put there is read, and
        refused as a score typed on a computed row."""
        if cell.value is None:
            return bool(cell.protection.locked)  # nothing computed, nothing typed
        return self._formula(sheet, cell).startswith(layout.SCORE_PREVIEW)

    def _has_formula(self, sheet: Any, cell: Any) -> bool:
        return self._formula(sheet, cell).startswith("=")

    def _formula(self, sheet: Any, cell: Any) -> str:
        """The cell's formula, '' when it holds none."""
        if self._formulas is None:
            self._formulas = open_book(self.checked, read_only=False, data_only=False)
        formula = self._formulas[sheet.title][cell.coordinate].value
        return formula if isinstance(formula, str) else ""

    def profile(self, data: dict[str, Any]) -> None:
        sheet = self.sheet(layout.PROFILE)
        kinds = dict(layout.PROFILE_FIELDS)
        rows = range(layout.FIRST_ROW, sheet.max_row + 1)
        keys = {as_text(sheet.cell(row=row, column=layout.P_KEY).value).strip() for row in rows}
        worded = "workbook.project.field." if "project" in keys else "workbook.field."  # a project's form
        for row in rows:
            key = sheet.cell(row=row, column=layout.P_KEY).value
            shared = isinstance(key, str) and key.strip().startswith("shared.")  # an input the rubric shares
            if not isinstance(key, str) or (key.strip() not in kinds and not shared):
                continue
            key = key.strip()
            cell = sheet.cell(row=row, column=layout.P_VALUE)
            kind = "number" if shared else kinds[key]
            value = self.value(sheet, cell, "text" if kind in ("text", "long") else kind)
            path: PathKey = tuple(key.split("."))
            label = as_text(sheet.cell(row=row, column=layout.P_LABEL).value) if shared else ""
            words = worded if key in layout.PROJECT_WORDS else "workbook.field."
            self.at(path, sheet, cell, None, said(label) if label else fact(words + key))
            if value is None:
                continue
            parts = key.split(".")
            target = data
            for part in parts[:-1]:
                target = target.setdefault(part, {})
            target[parts[-1]] = value

    def indicators(self, entries: dict[str, Any]) -> None:
        sheet = self.sheet(layout.INDICATORS)
        headers = {
            c: sheet.cell(row=layout.FIRST_ROW - 1, column=c).value for c in (layout.SCORE, layout.POINTS)
        }
        words = {key: {t(key, lang) for lang in LANGUAGES} for key in ("workbook.score", "workbook.points")}
        self.cols = layout.columns_of(headers, words["workbook.score"], words["workbook.points"])
        cols = self.cols
        for row in range(layout.FIRST_ROW, sheet.max_row + 1):
            ident = sheet.cell(row=row, column=cols.ID).value
            if not isinstance(ident, str) or not ident.strip():
                continue
            ident = ident.strip()
            base: PathKey = ("indicators", ident)
            entry = entries.setdefault(ident, {})
            title = as_text(sheet.cell(row=row, column=cols.NAME).value) or ident
            self.lines.lines.setdefault(base, f"{sheet.title}!C{row}")
            self.labels.setdefault(f"{sheet.title}!C{row}", (title, None))
            name = sheet.cell(row=row, column=cols.INPUT).value
            value_cell = sheet.cell(row=row, column=cols.VALUE)
            if isinstance(name, str) and name.strip():
                label = as_text(sheet.cell(row=row, column=cols.INPUT_LABEL).value) or name.strip()
                key = tuple(name.strip().split("."))  # judgement.grade: a part of the judgement
                self.at(base + key, sheet, value_cell, title, said(label))
                kind = "text" if key[-1] in ("grade", "reason", "choice") else "number"
                value = self.value(sheet, value_cell, kind)
                if value is not None:
                    target = entry
                    for part in key[:-1]:
                        target = target.setdefault(part, {})
                        self.at(base + key[:-1], sheet, value_cell, title, said(label))
                    target[key[-1]] = value
            self.deduction(
                sheet, row, base, entry, title, asks_input=bool(isinstance(name, str) and name.strip())
            )

    def typed_score(self, sheet: Any, row: int, base: PathKey, entry: dict[str, Any], title: str) -> bool:
        """The row's 自评分 (the current layout): True when one was typed; its reason is the row's 未达标原因."""
        if self.cols.SCORE is None:
            return False
        cell = sheet.cell(row=row, column=self.cols.SCORE)
        if self.computed(sheet, cell):
            return False
        score = self.value(sheet, cell, "money")
        if score is None or score in {t("workbook.score_computed", lang) for lang in LANGUAGES}:
            return False  # what the template writes in a computed row's cell
        if "score" in entry:  # a second line of the same indicator: its score is typed once
            self.problem(sheet, cell, title, fact("workbook.score"), fact("workbook.score_twice"))
            return True
        self.at(base + ("score",), sheet, cell, title, fact("workbook.score"))
        entry["score"] = score
        reason_cell = sheet.cell(row=row, column=self.cols.REASON)
        self.at(base + ("reason",), sheet, reason_cell, title, fact("form.reasons"))
        reason = self.value(sheet, reason_cell, "text")
        if reason is not None:
            entry["reason"] = reason
        return True

    def override_slips(
        self, sheet: Any, row: int, title: str, points: Any, reason: str | None = None
    ) -> None:
        """An override typed with a deduction beside it, or without its reason: each slip told at its cell."""
        override_words, reason_words = fact("workbook.override"), fact("form.reasons")
        if points is not None:
            self.problem(
                sheet,
                sheet.cell(row=row, column=self.cols.POINTS),
                title,
                fact("workbook.points"),
                fact("workbook.override_and_points", override=override_words),
            )
        if reason is None:
            self.problem(
                sheet,
                sheet.cell(row=row, column=self.cols.REASON),
                title,
                reason_words,
                fact("workbook.override_needs_reason", override=override_words, reasons=reason_words),
            )

    def deduction(
        self, sheet: Any, row: int, base: PathKey, entry: dict[str, Any], title: str, asks_input: bool = False
    ) -> None:
        cols = self.cols
        points_cell = sheet.cell(row=row, column=cols.POINTS)
        reason_cell = sheet.cell(row=row, column=cols.REASON)
        improvement_cell = sheet.cell(row=row, column=cols.IMPROVEMENT)
        override_cell = sheet.cell(row=row, column=cols.OVERRIDE)
        scored = self.typed_score(sheet, row, base, entry, title)
        points = self.value(sheet, points_cell, "money")
        reason = self.value(sheet, reason_cell, "text")
        improvement = self.value(sheet, improvement_cell, "text")
        override = self.value(sheet, override_cell, "money")
        points_words, reason_words = fact("workbook.points"), fact("form.reasons")
        override_words = fact("workbook.override")
        if override is not None:  # the evaluator's score for the row; the reason column says why
            if reason is None:
                self.override_slips(sheet, row, title, points)
                return
            self.at(base + ("override",), sheet, override_cell, title, override_words)
            self.at(base + ("override", "score"), sheet, override_cell, title, override_words)
            self.at(base + ("override", "reason"), sheet, reason_cell, title, reason_words)
            entry["override"] = {"score": override, "reason": reason}
            if points is not None:
                self.override_slips(sheet, row, title, points, reason)
            points = reason = None
        if scored and points is None:
            reason = None  # the typed score's reason, read with it
        if points is None and reason is not None and not asks_input and cols.SCORE is not None:
            # A reason with no score beside it: the clerk meant the row's score and left it out.
            score_cell = sheet.cell(row=row, column=cols.SCORE)
            self.problem(
                sheet, score_cell, title, fact("workbook.score"), fact("workbook.reason_without_score")
            )
            reason = None
        if points is None and reason is not None and asks_input and "reason" not in entry:
            # A row scored from its inputs, with a reason and no points: the 未达标原因 in the department's words.
            self.at(base + ("reason",), sheet, reason_cell, title, reason_words)
            entry["reason"] = reason
            reason = None
        if points is not None or reason is not None:
            deductions = entry.setdefault("deductions", [])
            path = base + ("deductions", len(deductions))
            item: dict[str, Any] = {}
            if points is not None:
                item["points"] = points
            if reason is not None:
                item["reason"] = reason
            self.at(path, sheet, points_cell, title, points_words)
            self.at(path + ("points",), sheet, points_cell, title, points_words)
            self.at(path + ("reason",), sheet, reason_cell, title, reason_words)
            deductions.append(item)
        if improvement is not None:
            self.at(base + ("improvement",), sheet, improvement_cell, title, fact("form.improvements"))
            entry["improvement"] = improvement

    def targets(self, entries: dict[str, Any]) -> None:
        sheet = self.sheet(layout.TARGETS)
        columns = {"category": layout.T_CATEGORY, "name": layout.T_NAME, "target": layout.T_TARGET,
                   "actual": layout.T_ACTUAL, "reason": layout.T_REASON, "weight": layout.T_WEIGHT}  # fmt: skip
        words = {key: fact(key_words) for key, key_words in _TARGET_WORDS.items()}
        for row in range(layout.FIRST_ROW, sheet.max_row + 1):
            ident = as_text(sheet.cell(row=row, column=layout.T_ID).value)
            name = as_text(sheet.cell(row=row, column=layout.T_NAME).value)
            id_cell = sheet.cell(row=row, column=layout.T_ID)
            if not ident:
                filled = any(as_text(sheet.cell(row=row, column=c).value) for c in columns.values())
                # A target typed in without saying which 三级指标 it belongs to: never dropped silently.
                if filled:
                    self.problem(
                        sheet, id_cell, name or None, fact("workbook.id"), fact("workbook.target_without_id")
                    )
                continue
            if not name:
                continue
            self.at(("indicators", ident), sheet, id_cell, ident, fact("workbook.id"))
            targets = entries.setdefault(ident, {}).setdefault("targets", [])
            path: PathKey = ("indicators", ident, "targets", len(targets))
            item: dict[str, Any] = {}
            self.at(path, sheet, sheet.cell(row=row, column=layout.T_NAME), name, words["name"])
            for key, column in columns.items():
                cell = sheet.cell(row=row, column=column)
                self.at(path + (key,), sheet, cell, name, words[key])
                value = self.value(sheet, cell, "text")
                if value is not None:
                    item[key] = value
            judged_cell = sheet.cell(row=row, column=layout.T_JUDGED)
            judged = self.value(sheet, judged_cell, "text")
            self.at(path + ("met",), sheet, judged_cell, name, words["met"])
            if judged is not None:
                met = layout.MET_WORDS.get(str(judged).strip().lower())
                if met is not None and "reason" not in item:
                    reason_cell = sheet.cell(row=row, column=layout.T_REASON)
                    self.problem(
                        sheet, reason_cell, name, words["reason"], fact("workbook.judged_without_reason")
                    )
                    continue
                item["met"] = met if met is not None else judged  # an unknown word is refused by the schema
            targets.append(item)


# The 绩效指标 sheet's columns, as its header names them.
_TARGET_WORDS = {
    "category": "targets.category",
    "name": "targets.name",
    "target": "targets.target",
    "actual": "targets.actual",
    "met": "workbook.judged",
    "reason": "workbook.judged_reason",
    "weight": "workbook.target_weight",
}
