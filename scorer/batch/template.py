"""`score template --batch -o 批量.xlsx|批量.csv`: the sheet a bureau fills with one department per row.

Row 1: each column's label (in the chosen language); row 2: the column keys the reader goes by
(scorer/inputs/columns.py); departments from row 3. The workbook has Excel's own checks on the number columns
(as the single-department workbook has) and a sheet of instructions; the CSV is UTF-8 with a byte-order mark, so
that Excel opens the Chinese labels correctly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scorer.i18n import t
from scorer.inputs.columns import Column, columns
from scorer.render.csv_cells import document
from scorer.rules.model import RuleSet
from scorer.rules.read import load_rules

ROWS = 1000  # rows prepared with checks in the workbook; more can be typed below


def batch_template(rules_spec: str, output: Path | None, lang: str) -> tuple[str | bytes, RuleSet]:
    rules = load_rules(rules_spec)
    cols = columns(rules, lang)
    if output is not None and output.suffix.lower() in (".xlsx", ".xlsm"):
        return _workbook(rules, cols, lang), rules
    rows = [[c.label for c in cols], [c.key for c in cols]]
    return document(rows, to_stream=output is None or str(output) == "-"), rules


def _workbook(rules: RuleSet, cols: list[Column], lang: str) -> bytes:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from scorer.render.input_workbook import FONT, HEADER_FILL, INPUT_FILL
    from scorer.render.xlsx_cells import put, save, workbook

    book = workbook(lang)
    sheet = book.active
    assert sheet is not None
    sheet.title = t("batch.sheet.departments", lang)
    checks: dict[str, Any] = {}
    for index, column in enumerate(cols, start=1):
        letter = get_column_letter(index)
        label = put(sheet, 1, index, column.label)  # a rule file's words: text, never a formula
        label.font = Font(name=FONT, bold=True)
        label.fill = HEADER_FILL
        label.alignment = Alignment(wrap_text=True, vertical="top")
        key = put(sheet, 2, index, column.key)
        key.font = Font(name=FONT, color="808080", size=9)
        sheet.column_dimensions[letter].width = (
            40 if column.key == "department" else (30 if column.kind == "text" else 14)
        )
        for row in range(3, 3 + ROWS):
            sheet.cell(row=row, column=index).fill = INPUT_FILL
        if column.kind in ("integer", "number", "money", "percent") and column.key != "year":
            _check(sheet, checks, column, lang, DataValidation).add(f"{letter}3:{letter}{2 + ROWS}")
    sheet.row_dimensions[1].height = 60
    sheet.freeze_panes = "B3"
    notes = book.create_sheet(t("workbook.sheet.instructions", lang))
    notes.column_dimensions["A"].width = 110
    put(notes, 1, 1, t("batch.template_title", lang, year=rules.year)).font = Font(
        name=FONT, bold=True, size=14
    )
    for row, line in enumerate(t("batch.template_instructions", lang, year=rules.year).split("\n"), start=3):
        put(notes, row, 1, line).font = Font(name=FONT)
    book.active = 0
    return save(book)


def _check(sheet: Any, known: dict[str, Any], column: Column, lang: str, kind: type) -> Any:
    """Excel's check as the bureau types: a number (a whole one for a count), at least 0."""
    key = {"integer": "whole", "percent": "percent"}.get(column.kind, "decimal")
    if key not in known:
        check = kind(type="whole" if key == "whole" else "decimal", operator="greaterThanOrEqual", formula1="0",
                     allow_blank=True)  # fmt: skip
        check.error = t("batch.template_invalid", lang)
        check.errorTitle = t("workbook.invalid_title", lang)
        check.prompt = t("workbook.percent_prompt" if key == "percent" else "workbook.number_prompt", lang)
        check.showErrorMessage = check.showInputMessage = True
        sheet.add_data_validation(check)
        known[key] = check
    return known[key]
