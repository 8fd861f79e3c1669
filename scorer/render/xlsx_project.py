"""The 项目支出绩效自评表 as an Excel workbook, for a rubric whose `form: layout` is `project`: the title, the
预算执行 block (年初预算数 | 全年预算数 | 全年执行数 | 执行率 | 分值 | 得分), then one line per indicator the
project declared (一级/二级/三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施), 总分 and
the grade line. The cells, styles and page set-up are the 部门整体 table's (scorer/render/xlsx.py)."""

from __future__ import annotations

from decimal import Decimal

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from scorer.engine.result import IndicatorResult, Result
from scorer.facts import fact, said
from scorer.i18n import say, t
from scorer.kinds.targets.model import TargetOutcome
from scorer.render.common import grade_line, named, reasons_text, rubric_marks, title
from scorer.render.xlsx import MONEY, POINTS, _cell, _height, _lines, _merge, _page_setup

WIDTHS = (12, 12, 24, 16, 16, 9, 9, 36)  # the eight columns, in characters
PERCENT = '0.00"%"'  # a rate kept as its percent number (90 for 90%), shown as the forms print it
_BUDGET_COLUMNS = ("start", "full_year", "spent", "rate")
_BUDGET_HEADINGS = (
    "form.project.start",
    "form.project.full_year",
    "form.project.spent",
    "form.project.rate",
    "form.weight",
    "form.score",
    "form.project.deviation",
)
_HEADINGS = (
    "form.level1",
    "form.level2",
    "form.level3",
    "form.project.target",
    "form.project.actual",
    "form.weight",
    "form.score",
    "form.project.deviation",
)


def fill(sheet: Worksheet, result: Result, lang: str) -> None:
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    _cell(sheet, 1, 1, title(result, lang), bold=True, center=True, size=14)
    _merge(sheet, 1, 1, 8)
    sheet.row_dimensions[1].height = 30
    _cell(sheet, 2, 1, t("xlsx.department", lang), bold=True)
    _cell(sheet, 2, 2, result.department)
    _merge(sheet, 2, 2, 8)
    header = _budget(sheet, result, lang, 3)
    _table(sheet, result, lang, header, result.form_budget_row)  # that row is scored in the block
    _page_setup(sheet, header)


def _budget(sheet: Worksheet, result: Result, lang: str, row: int) -> int:
    """Two lines: the headings, then the values; the row's 分值 and 得分 under the indicators' own columns."""
    values = dict(result.form_budget)
    scored = next((i for i in result.indicators if i.id == result.form_budget_row), None)
    _cell(sheet, row, 1, t("form.project.budget", lang), bold=True, center=True)
    _merge(sheet, row, 1, 1, row + 1)
    for column, key in enumerate(_BUDGET_HEADINGS, start=2):
        _cell(sheet, row, column, t(key, lang), bold=True, center=True)
    for column, key in enumerate(_BUDGET_COLUMNS, start=2):
        value = values.get(key)
        _cell(sheet, row + 1, column, "" if value is None else value, number=_format(key), center=True)
    if scored is not None:
        _cell(sheet, row + 1, 6, scored.weight, number=POINTS, center=True)
        _cell(sheet, row + 1, 7, scored.score, number=POINTS, center=True)
        _cell(sheet, row + 1, 8, _deviation(scored, lang))
    sheet.row_dimensions[row].height = _height(2)
    deviation = _deviation(scored, lang) if scored is not None else ""
    sheet.row_dimensions[row + 1].height = _height(_lines(deviation, WIDTHS[7]))
    return row + 2


def _format(key: str) -> str:
    return PERCENT if key == "rate" else MONEY


def _table(sheet: Worksheet, result: Result, lang: str, row: int, budget_row: str) -> None:
    for column, key in enumerate(_HEADINGS, start=1):
        _cell(sheet, row, column, t(key, lang), bold=True, center=True)
    row += 1
    for indicator in result.indicators:
        if indicator.id != budget_row:
            row = _indicator(sheet, indicator, lang, row)
    _cell(sheet, row, 1, t("form.total", lang), bold=True, center=True)
    _merge(sheet, row, 1, 5)
    _cell(sheet, row, 6, result.max, number=POINTS, bold=True, center=True)
    _cell(sheet, row, 7, result.total, number=POINTS, bold=True, center=True)
    _cell(sheet, row, 8, "")
    line = grade_line(result, lang)
    if line:
        row += 1
        _cell(sheet, row, 1, t("form.grade_label", lang), bold=True, center=True)
        _cell(sheet, row, 2, line)
        _merge(sheet, row, 2, 8)
    for mark in rubric_marks(result, lang):  # a provisional rubric, an earlier year's: under the table too
        row += 1
        _cell(sheet, row, 1, mark, bold=True)
        _merge(sheet, row, 1, 8)


def _indicator(sheet: Worksheet, indicator: IndicatorResult, lang: str, row: int) -> int:
    """The project's own indicators, one line each, where the row lists them with their 分值; else the row."""
    listed = [target for target in indicator.targets if target.points is not None]
    if not listed:
        cells = (indicator.level1, indicator.level2, named(indicator, lang), "", "")
        _line(sheet, row, (*cells, indicator.weight, indicator.score, _deviation(indicator, lang)))
        return row + 1
    for target in listed:
        cells = (target.category, "", target.name, target.target, target.actual)
        _line(sheet, row, (*cells, target.weight or Decimal(0), target.points, _shortfall(target, lang)))
        row += 1
    return row


def _shortfall(target: TargetOutcome, lang: str) -> str:
    """The department's own 偏差原因 for the target, else, where it lost points, how they were worked out."""
    if target.reason or target.points is None or target.weight is None or target.points >= target.weight:
        return target.reason
    values = {"target": said(target.target or "—"), "actual": said(target.actual or "—")}
    return say(
        fact(
            "reason.target_points",
            name=said(target.name),
            points=target.points,
            weight=target.weight,
            **values,
        ),
        lang,
    )


def _line(sheet: Worksheet, row: int, cells: tuple[object, ...]) -> None:
    for column, value in enumerate(cells, start=1):
        number = POINTS if column in (6, 7) else None
        _cell(sheet, row, column, value, number=number, center=column != 8)
    texts = [(str(cells[2]), 2), (str(cells[7]), 7)]
    sheet.row_dimensions[row].height = _height(max(_lines(text, WIDTHS[column]) for text, column in texts))


def _deviation(indicator: IndicatorResult, lang: str) -> str:
    """偏差原因分析及改进措施: why points were lost, then the department's improvements."""
    return "\n".join(part for part in (reasons_text(indicator, lang, "\n"), *indicator.improvements) if part)
