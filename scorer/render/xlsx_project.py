"""The 项目支出绩效自评表 as an Excel workbook, for a rubric whose `form: layout` is `project`: the title, the
预算执行 block (年初预算数 | 全年预算数 | 全年执行数 | 执行率 | 分值 | 得分), then one line per indicator the
project declared (一级/二级/三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施), 总分 and
the grade line. The cells, styles and page set-up are the 部门整体 table's (scorer/render/xlsx.py)."""

from __future__ import annotations

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from scorer.engine.result import Result
from scorer.i18n import t
from scorer.render.common import grade_line, rubric_marks, title
from scorer.render.project_rows import BUDGET_HEADINGS, HEADINGS, budget_row, budget_values, deviation, lines
from scorer.render.xlsx import MONEY, POINTS, _cell, _height, _lines, _merge, _page_setup

WIDTHS = (12, 12, 24, 16, 16, 9, 9, 36)  # the eight columns, in characters
PERCENT = '0.00"%"'  # a rate kept as its percent number (90 for 90%), shown as the forms print it


def fill(sheet: Worksheet, result: Result, lang: str) -> None:
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    _cell(sheet, 1, 1, title(result, lang), bold=True, center=True, size=14)
    _merge(sheet, 1, 1, 8)
    sheet.row_dimensions[1].height = 30
    _cell(sheet, 2, 1, t("xlsx.department", lang), bold=True)
    _cell(sheet, 2, 2, result.department)
    _merge(sheet, 2, 2, 8)
    header = _budget(sheet, result, lang, 3) if budget_row(result) is not None else 3
    _table(sheet, result, lang, header)
    _page_setup(sheet, header)


def _budget(sheet: Worksheet, result: Result, lang: str, row: int) -> int:
    """Two lines: the headings, then the values; the row's 分值 and 得分 under the indicators' own columns."""
    _cell(sheet, row, 1, t("form.project.budget", lang), bold=True, center=True)
    _merge(sheet, row, 1, 1, row + 1)
    for column, key in enumerate(BUDGET_HEADINGS, start=2):
        _cell(sheet, row, column, t(key, lang), bold=True, center=True)
    values = budget_values(result)
    for column, value in enumerate(values, start=2):
        number = PERCENT if column == len(values) + 1 else MONEY  # the rate, then the amounts
        _cell(sheet, row + 1, column, "" if value is None else value, number=number, center=True)
    scored = budget_row(result)
    text = deviation(scored, lang) if scored is not None else ""
    if scored is not None:
        _cell(sheet, row + 1, 6, scored.weight, number=POINTS, center=True)
        _cell(sheet, row + 1, 7, scored.score, number=POINTS, center=True)
        _cell(sheet, row + 1, 8, text)
    sheet.row_dimensions[row].height = _height(2)
    sheet.row_dimensions[row + 1].height = _height(_lines(text, WIDTHS[7]))
    return row + 2


def _table(sheet: Worksheet, result: Result, lang: str, row: int) -> None:
    for column, key in enumerate(HEADINGS, start=1):
        _cell(sheet, row, column, t(key, lang), bold=True, center=True)
    for line in lines(result, lang):
        row += 1
        cells = (line.level1, line.level2, line.level3, line.target, line.actual, line.weight, line.score)
        for column, value in enumerate((*cells, line.deviation), start=1):
            _cell(sheet, row, column, value, number=POINTS if column in (6, 7) else None, center=column != 8)
        texts = ((line.level3, WIDTHS[2]), (line.deviation, WIDTHS[7]))
        sheet.row_dimensions[row].height = _height(max(_lines(text, width) for text, width in texts))
    row += 1
    _cell(sheet, row, 1, t("form.total", lang), bold=True, center=True)
    _merge(sheet, row, 1, 5)
    _cell(sheet, row, 6, result.max, number=POINTS, bold=True, center=True)
    _cell(sheet, row, 7, result.total, number=POINTS, bold=True, center=True)
    _cell(sheet, row, 8, "")
    grades = grade_line(result, lang)
    if grades:
        row += 1
        _cell(sheet, row, 1, t("form.grade_label", lang), bold=True, center=True)
        _cell(sheet, row, 2, grades)
        _merge(sheet, row, 2, 8)
    for mark in rubric_marks(result, lang):  # a provisional rubric, an earlier year's: under the table too
        row += 1
        _cell(sheet, row, 1, mark, bold=True)
        _merge(sheet, row, 1, 8)
