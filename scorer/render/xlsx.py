"""The official 部门整体支出绩效自评表 as an Excel workbook, laid out as the published tables are.

Title line, the 部门基本情况 block (name, units, goals, the budget breakdown), the ten columns with merged cells for
the level-1 and level-2 spans, 总分 and the grade line with the reached band ticked. Numbers are numbers, exactly the
engine's values: points shown as the published tables print them (20, 8.99, 0.5, 94.2), amounts of money with two
decimals. Ready to print: A4 landscape, one page wide, header rows repeated, a CJK font, wrapped text. openpyxl is
imported here only.
"""

from __future__ import annotations

from decimal import Decimal

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet
from rich.cells import cell_len

from scorer.engine.result import Result
from scorer.i18n import t
from scorer.render.common import Row, grade_line, named, reasons_text, rows, rubric_marks, title
from scorer.render.options import RenderOptions
from scorer.render.xlsx_cells import MAX_ROW_HEIGHT, put, save, styled, workbook

FONT = "SimSun"  # 宋体, as the published forms; LibreOffice falls back to any installed CJK font
WIDTHS = (10, 9, 10, 9, 22, 9, 30, 9, 30, 24)  # the ten columns, in characters
_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
# Points are shown as the published tables print them (20, 8.99, 0.5, 94.2: Excel's General shows a number's own
# digits, never a forced 20.00); amounts of money (万元) with two decimals, as the 年度部门预算情况 block prints them.
POINTS = "General"
MONEY = "0.00"


def render(result: Result, options: RenderOptions) -> bytes:
    book = workbook(options.lang)
    sheet = book.active
    assert sheet is not None
    sheet.title = t("xlsx.sheet", options.lang)
    fill(sheet, result, options.lang)
    return save(book)


def fill(sheet: Worksheet, result: Result, lang: str) -> None:
    """Lay the 自评表 out on `sheet` (also one sheet of a batch's workbook), in the table its rubric declares."""
    if result.form == "project":
        from scorer.render.xlsx_project import fill as fill_project

        fill_project(sheet, result, lang)
        return
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    row = _title(sheet, result, lang)
    row = _profile(sheet, result, lang, row)
    header = row
    _table(sheet, result, lang, row)
    _page_setup(sheet, header)


def _cell(
    sheet: Worksheet,
    row: int,
    column: int,
    value: object,
    *,
    bold: bool = False,
    center: bool = False,
    number: str | None = None,
    size: int = 10,
) -> None:
    cell = put(sheet, row, column, value)  # text stays text, escaped and whole (scorer/render/xlsx_cells.py)
    styled(cell, (bold, center, size, number), lambda made: _look(made, number, bold, center, size))


_BOXED = (False, False, 10, None)  # a merged range's other cells: empty, with the table's box


def _look(cell: Cell, number: str | None, bold: bool, center: bool, size: int) -> None:
    """The first cell of a look in a workbook styled by name; the others take its style (`styled`)."""
    cell.style = _style(cell.parent, bold, center, size)
    if number is not None:
        cell.number_format = number


def _style(sheet: Worksheet, bold: bool, center: bool, size: int) -> str:
    """The cell's font, alignment and box as one named style of the workbook, made the first time it is asked:
    a thousand tables of a batch (`--sheets`) set their styles by name instead of comparing fonts and borders
    for each of their 600,000 cells (which took most of the time)."""
    name = f"score-{'bold' if bold else 'plain'}-{'center' if center else 'wrap'}-{size}"
    book = sheet.parent
    if name not in book.named_styles:
        font = Font(name=FONT, bold=bold, size=size)
        book.add_named_style(NamedStyle(name, font=font, border=_BOX, alignment=_CENTER if center else _WRAP))
    return name


def _merge(sheet: Worksheet, row: int, first: int, last: int, end_row: int | None = None) -> None:
    """Merge the cells, each with the table's box (so that the merged cell's edges print): the first keeps its
    value and style, the others are empty."""
    end = end_row or row
    if last > first or end > row:
        merged = MergedCellRange(sheet, f"{get_column_letter(first)}{row}:{get_column_letter(last)}{end}")
        sheet.merged_cells.add(merged)
        for r in range(row, end + 1):
            for c in range(first, last + 1):
                if (r, c) != (row, first):
                    styled(
                        sheet.cell(row=r, column=c), _BOXED, lambda made: _look(made, None, False, False, 10)
                    )


def _title(sheet: Worksheet, result: Result, lang: str) -> int:
    _cell(sheet, 1, 1, title(result, lang), bold=True, center=True, size=14)
    _merge(sheet, 1, 1, 10)
    sheet.row_dimensions[1].height = 30
    return 2


def _profile(sheet: Worksheet, result: Result, lang: str, row: int) -> int:
    """部门基本情况: name and units, goals, and the 年度部门预算情况 breakdown as printed in the 2022 tables."""
    _cell(sheet, row, 1, t("xlsx.profile", lang), bold=True, center=True)
    _merge(sheet, row, 1, 10)
    row += 1
    _cell(sheet, row, 1, t("xlsx.department", lang), bold=True)
    _cell(sheet, row, 2, result.department)
    _merge(sheet, row, 2, 7)
    _cell(sheet, row, 8, t("xlsx.units", lang), bold=True)
    _cell(sheet, row, 9, result.units if result.units is not None else "", center=True)
    _merge(sheet, row, 9, 10)
    row += 1
    row = _goals(sheet, result, lang, row)
    # 年度部门预算情况: a label spanning four rows, then the headings of the breakdown and its values.
    _cell(sheet, row, 1, t("xlsx.budget", lang), bold=True, center=True)
    _merge(sheet, row, 1, 1, row + 3)
    _cell(sheet, row, 2, t("xlsx.budget_total", lang), bold=True, center=True)
    _merge(sheet, row, 2, 3, row + 2)
    _cell(sheet, row, 4, t("xlsx.budget_kinds", lang), bold=True, center=True)
    _merge(sheet, row, 4, 10)
    groups = (
        ("xlsx.department_budget", 4, 5),
        ("xlsx.development", 6, 7),
        ("xlsx.development_levels", 8, 10),
    )
    for key, first, last in groups:
        _cell(sheet, row + 1, first, t(key, lang), bold=True, center=True)
        _merge(sheet, row + 1, first, last)
    parts = (
        ("basic", 4, 4),
        ("project", 5, 5),
        ("special", 6, 6),
        ("other_development", 7, 7),
        ("district_level", 8, 9),
        ("transfers", 10, 10),
    )
    budget = result.budget
    for key, first, last in parts:
        _cell(sheet, row + 2, first, t(f"budget.{key}", lang), bold=True, center=True)
        _merge(sheet, row + 2, first, last)
        _cell(sheet, row + 3, first, budget.get(key, Decimal(0)), number=MONEY, center=True)
        _merge(sheet, row + 3, first, last)
    _cell(sheet, row + 3, 2, budget.get("total", ""), number=MONEY, center=True)
    _merge(sheet, row + 3, 2, 3)
    return row + 4


def _table(sheet: Worksheet, result: Result, lang: str, row: int) -> int:
    keys = (
        "form.level1",
        "form.weight",
        "form.level2",
        "form.weight",
        "form.level3",
        "form.weight",
        "form.explanation",
        "xlsx.score",
        "form.reasons",
        "form.improvements",
    )
    for column, key in enumerate(keys, start=1):
        _cell(sheet, row, column, t(key, lang), bold=True, center=True)
    row += 1
    level_start = child_start = row
    table = list(rows(result))
    for position, item in enumerate(table):
        if item.opens_level:
            level_start = row
        if item.opens_child:
            child_start = row
        _indicator_row(sheet, item, lang, row)
        following = table[position + 1] if position + 1 < len(table) else None
        if following is None or following.opens_child:
            _merge(sheet, child_start, 3, 3, row)
            _merge(sheet, child_start, 4, 4, row)
        if item.closes_level:
            _merge(sheet, level_start, 1, 1, row)
            _merge(sheet, level_start, 2, 2, row)
        row += 1
    _cell(sheet, row, 1, t("form.total", lang), bold=True, center=True)
    _cell(sheet, row, 2, result.max, number=POINTS, bold=True, center=True)
    _merge(sheet, row, 3, 7)
    _cell(sheet, row, 8, result.total, number=POINTS, bold=True, center=True)
    _merge(sheet, row, 9, 10)
    row += 1
    _cell(sheet, row, 1, t("form.grade_label", lang), bold=True, center=True)
    _cell(sheet, row, 2, grade_line(result, lang))
    _merge(sheet, row, 2, 10)
    for mark in rubric_marks(result, lang):  # a provisional rubric, an earlier year's: under the table too
        row += 1
        _cell(sheet, row, 1, mark, bold=True)
        _merge(sheet, row, 1, 10)
    return row + 1


def _indicator_row(sheet: Worksheet, item: Row, lang: str, row: int) -> None:
    """One indicator's cells, a level's and a child's where they open, the row as high as its longest text."""
    indicator = item.indicator
    if item.opens_level:
        _cell(sheet, row, 1, named(item.level, lang), center=True)
        _cell(sheet, row, 2, item.level.weight, number=POINTS, center=True)
    if item.opens_child:
        _cell(sheet, row, 3, named(item.child, lang), center=True)
        _cell(sheet, row, 4, item.child.weight, number=POINTS, center=True)
    explanation = (
        indicator.explanation_en if lang == "en" and indicator.explanation_en else indicator.explanation
    )
    _cell(sheet, row, 5, named(indicator, lang) if indicator.name else "")
    _cell(sheet, row, 6, indicator.weight, number=POINTS, center=True)
    _cell(sheet, row, 7, explanation)
    _cell(sheet, row, 8, indicator.score, number=POINTS, center=True)
    _cell(sheet, row, 9, reasons_text(indicator, lang, "\n"))
    _cell(sheet, row, 10, "\n".join(indicator.improvements))
    texts = (
        (named(indicator, lang), 4),
        (explanation, 6),
        (reasons_text(indicator, lang, "\n"), 8),
        ("\n".join(indicator.improvements), 9),
    )
    sheet.row_dimensions[row].height = _height(max(_lines(text, WIDTHS[column]) for text, column in texts))


# A goal text longer than this many lines beside the others is given the table's whole width on its own row.
_SIDE_BY_SIDE_LINES = 15


def _goals(sheet: Worksheet, result: Result, lang: str, row: int) -> int:
    """年度整体绩效目标, 整体绩效目标完成情况, 未能完成原因: side by side as the 2022 tables print them, or one under
    the other across the whole width when the texts are long (a row cannot be taller than a page)."""
    profile = result.profile
    parts = (
        (t("xlsx.goal", lang), profile.goal),
        (t("xlsx.achieved", lang), profile.achieved),
        (t("xlsx.shortfall", lang), profile.shortfall),
    )
    beside = ((2, 5), (7, 8), (10, 10))
    needed = max(  # the label's lines too: "年度整体绩效目标" beside a short text takes three
        max(_lines(text, _width(first, last)), _lines(label, WIDTHS[first - 2]))
        for (label, text), (first, last) in zip(parts, beside, strict=True)
    )
    if needed <= _SIDE_BY_SIDE_LINES:
        for (label, text), (first, last) in zip(parts, beside, strict=True):
            _cell(sheet, row, first - 1, label, bold=True)
            _cell(sheet, row, first, text)
            _merge(sheet, row, first, last)
        sheet.row_dimensions[row].height = _height(needed)
        return row + 1
    for label, text in parts:
        _cell(sheet, row, 1, label, bold=True)
        _cell(sheet, row, 2, text)
        _merge(sheet, row, 2, 10)
        sheet.row_dimensions[row].height = _height(max(_lines(text, _width(2, 10)), _lines(label, WIDTHS[0])))
        row += 1
    return row


def _width(first: int, last: int) -> int:
    return sum(WIDTHS[first - 1 : last])


def _lines(text: str, width: int) -> int:
    """How many lines a wrapped cell needs: CJK characters take two width units, as Excel measures them."""
    room = max(1, width - 1)
    return sum(max(1, -(-cell_len(part) // room)) for part in str(text).split("\n"))


def _height(lines: int) -> float:
    return min(MAX_ROW_HEIGHT, max(18.0, 13.5 * lines + 4))


def _page_setup(sheet: Worksheet, header_row: int) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.print_options.horizontalCentered = True
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
