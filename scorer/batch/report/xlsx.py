"""The batch summary as a workbook a bureau circulates: 汇总 (counts, grade distribution, level-2 averages against
their weights, refused departments), 排名 (the ranking with the level-2 subtotals), 指标失分 (where points were
lost, with the most frequent reasons), 与上年比较 when the history database knows an earlier year, and with
`--sheets` each department's 自评表 in the official layout (scorer/render/xlsx.py), in ranking order.

Numbers are numbers (shown with two decimals), exactly the results' values; text from files is text, never a
formula. openpyxl is imported here only.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from scorer.batch.report import given
from scorer.batch.report.common import (
    counts_line,
    has_history,
    has_stated,
    losses_headers,
    missing_line,
    moved_text,
    noted,
    ranking_headers,
    ranking_row,
    reasons_line,
    rules_line,
    title,
)
from scorer.batch.summary import Summary
from scorer.escape import one_line
from scorer.i18n import t
from scorer.render.options import RenderOptions
from scorer.render.xlsx_cells import MAX_ROW_HEIGHT, put, save, sheet_title, workbook

FONT = "SimSun"
SIZE = 10  # points: readable on A4 (the leaders' sheets are printed and circulated)
_THIN = Side(style="thin", color="808080")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
NUMBER = "0.00"
CHANGE = "+0.00;-0.00;0.00"  # 较上年: the sign always shown


def render(summary: Summary, options: RenderOptions) -> bytes:
    lang = summary.lang
    book = workbook(lang)
    first = book.active
    assert first is not None
    first.title = t("batch.sheet.summary", lang)
    _overview(first, summary)
    _ranking(book.create_sheet(t("batch.sheet.ranking", lang)), summary)
    _losses(book.create_sheet(t("batch.sheet.losses", lang)), summary)
    if has_history(summary):
        _history(book.create_sheet(t("batch.sheet.history", lang)), summary)
    if summary.noted:
        _notes(book.create_sheet(t("batch.sheet.notes", lang)), summary)
    if given.any_given(summary):
        _given(book.create_sheet(t("batch.sheet.given", lang)), summary)
    _places(book.create_sheet(t("batch.sheet.places", lang)), summary)
    headed = {
        t("batch.sheet.notes", lang): 2,
        t("batch.sheet.given", lang): 2,
        t("batch.sheet.places", lang): None,
    }
    heading = print_heading(summary)
    for sheet in book.worksheets:
        _for_print(sheet, None if sheet is first else headed.get(sheet.title, 1), heading, lang)
    if summary.kept is not None:
        _department_sheets(book, summary)
    return save(book)


def print_heading(summary: Summary) -> str:
    """The title every printed page carries: the unit that circulates it, the year and rubric, the date."""
    from datetime import date

    lang = summary.lang
    unit = one_line(summary.unit) if summary.unit else ""
    return t(
        "batch.print_title", lang, unit=unit, title=one_line(title(summary)), date=date.today().isoformat()
    )


def _put(sheet: Worksheet, row: int, column: int, value: object, *, bold: bool = False) -> None:
    cell = put(sheet, row, column, value)  # text stays text, escaped and whole (scorer/render/xlsx_cells.py)
    if isinstance(value, Decimal):
        cell.number_format = NUMBER
    cell.font = Font(name=FONT, bold=bold, size=SIZE)
    cell.alignment = Alignment(wrap_text=isinstance(cell.value, str) and len(cell.value) > 30, vertical="top")


def _for_print(sheet: Worksheet, header: int | None, heading: str, lang: str) -> None:
    """Landscape A4, as wide as the page, the header row repeated on every page; the title at the top of each
    page and its number at the foot (Excel's header codes: a text's own `&` is doubled)."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    if header is not None:
        sheet.print_title_rows = f"{header}:{header}"
    sheet.oddHeader.center.text = heading.replace("&", "&&")[:200]
    sheet.oddHeader.center.size = SIZE
    sheet.oddFooter.center.text = t("batch.print_page", lang, page="&P", pages="&N")
    sheet.oddFooter.center.size = SIZE


def _numeric(value: object) -> bool:
    return isinstance(value, Decimal | int) and not isinstance(value, bool)


def _table(
    sheet: Worksheet, row: int, headers: list[str], rows: list[list[object]], widths: list[int]
) -> int:
    for column, (head, width) in enumerate(zip(headers, widths, strict=False), start=1):
        _put(sheet, row, column, head, bold=True)
        sheet.cell(row=row, column=column).fill = HEADER_FILL
        sheet.cell(row=row, column=column).border = BOX
        if any(len(values) >= column and _numeric(values[column - 1]) for values in rows):
            sheet.cell(row=row, column=column).alignment = Alignment(
                horizontal="right", vertical="top", wrap_text=True
            )
        letter = get_column_letter(column)
        # openpyxl gives a column it has not seen a width of 13: only a width set before counts.
        before = sheet.column_dimensions[letter].width if letter in sheet.column_dimensions else 0
        sheet.column_dimensions[letter].width = max(before or 0, width)
    for values in rows:
        row += 1
        for column, value in enumerate(values, start=1):
            _put(sheet, row, column, value)
            sheet.cell(row=row, column=column).border = BOX
    return row + 2


def _overview(sheet: Worksheet, summary: Summary) -> None:
    lang = summary.lang
    put(sheet, 1, 1, print_heading(summary)).font = Font(name=FONT, bold=True, size=14)
    _put(sheet, 2, 1, rules_line(summary))
    _put(sheet, 3, 1, counts_line(summary))
    _put(sheet, 4, 1, given.tally(summary))
    for row in (2, 3, 4):  # one line each, over the empty cells to their right
        sheet.cell(row=row, column=1).alignment = Alignment(vertical="top")
    row = 6
    _put(sheet, row, 1, t("batch.distribution", lang), bold=True)
    rows: list[list[object]] = [[grade, count] for grade, count in summary.distribution()]
    row = _table(sheet, row + 1, [t("batch.grade", lang), t("batch.count", lang)], rows, [16, 12])
    _put(sheet, row, 1, t("batch.nodes", lang), bold=True)
    heads = [
        t("batch.level1", lang),
        t("batch.level2", lang),
        t("batch.weight", lang),
        t("batch.mean_score", lang),
    ]
    rows = [
        [node.level1, node.name, node.weight, mean if mean is not None else ""]
        for node, mean in summary.node_means()
    ]
    row = _table(sheet, row + 1, heads, rows, [16, 14, 10, 12])
    _put(sheet, row, 1, t("batch.refused_title", lang, count=len(summary.refusals)), bold=True)
    if summary.refusals:  # their messages name files: on the sheet of places, not on the leaders' sheets
        _put(sheet, row + 1, 1, t("batch.refused_elsewhere", lang, sheet=t("batch.sheet.places", lang)))
    sheet.column_dimensions["A"].width = 16
    row += 3 if summary.refusals else 2
    if summary.missing:  # 本年缺报: names of departments only
        _put(sheet, row, 1, missing_line(summary), bold=True)
        row += 2
    if summary.others:  # their messages name files too: on the sheet of places
        _put(sheet, row, 1, t("batch.others_title", lang, count=len(summary.others)), bold=True)
        _put(sheet, row + 1, 1, t("batch.refused_elsewhere", lang, sheet=t("batch.sheet.places", lang)))


def _places(sheet: Worksheet, summary: Summary) -> None:
    """Where each department was read from, and the refused departments' messages: the files, kept off the
    sheets that are printed for leaders."""
    lang = summary.lang
    rows: list[list[object]] = [[rank, entry.department, entry.place] for rank, entry in summary.ranked()]
    heads = [t("batch.rank", lang), t("batch.department", lang), t("batch.source", lang)]
    row = _table(sheet, 1, heads, rows, [6, 40, 60])
    _put(sheet, row, 1, t("batch.refused_title", lang, count=len(summary.refusals)), bold=True)
    rows = [[str(problem)] for refusal in summary.refusals for problem in refusal.problems]
    end = _table(sheet, row + 1, [t("batch.problem", lang)], rows, [6])
    _wrap_across(sheet, row + 1, end - 2, 3)
    if summary.others:  # the files that were no submission, each with why
        _put(sheet, end, 1, t("batch.others_title", lang, count=len(summary.others)), bold=True)
        rows = [[str(problem)] for other in summary.others for problem in other.problems]
        last = _table(sheet, end + 1, [t("batch.problem", lang)], rows, [6])
        _wrap_across(sheet, end + 1, last - 2, 3)


def _wrap_across(sheet: Worksheet, first: int, last: int, columns: int) -> None:
    """Each row's text in column A, merged across `columns` columns, wrapped, the row as tall as its lines."""
    width = sum(sheet.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, columns + 1))
    for row in range(first, last + 1):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
        _wrap(sheet, row, 1, width)


def _wrap_column(sheet: Worksheet, column: int, first: int, last: int) -> None:
    """A column of long texts (reasons, notes) wrapped, each row as tall as its lines."""
    width = sheet.column_dimensions[get_column_letter(column)].width or 8.43
    for row in range(first, last + 1):
        _wrap(sheet, row, column, width)


def _wrap(sheet: Worksheet, row: int, column: int, width: float) -> None:
    from rich.cells import cell_len  # the width of Chinese characters counts double, as in a spreadsheet

    cell = sheet.cell(row=row, column=column)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    room = max(1, int(width) - 2)
    lines = sum(-(-max(1, cell_len(part)) // room) for part in str(cell.value or "").split("\n"))
    height = sheet.row_dimensions[row].height or 15
    sheet.row_dimensions[row].height = min(
        MAX_ROW_HEIGHT, max(height, 15 * lines)
    )  # taller: Excel repairs it


def _name_width(names: Iterable[str]) -> int:
    """The department column as wide as its longest name (Chinese characters count double), within 12–40, so
    that a ranking of a dozen columns prints on A4 near full size."""
    from rich.cells import cell_len

    return min(40, max([12, *(cell_len(name) + 2 for name in names)]))


def _ranking(sheet: Worksheet, summary: Summary) -> None:
    history, stated = has_history(summary), has_stated(summary)
    identity = summary.last_year is not None
    rows: list[list[object]] = [
        list(ranking_row(rank, e, history, stated, identity, places=False)) for rank, e in summary.ranked()
    ]
    headers = ranking_headers(summary, history, places=False)
    widths = (
        [6, _name_width(str(values[1]) for values in rows), 9, *([9] if stated else []), 6]
        + [9] * len(summary.nodes)
        + ([9, 9, 9, 8] if history else [])
        + ([16] if identity else [])
        + [9, 9, 9]
    )
    _table(sheet, 1, headers, rows, widths)
    if history:  # 较上年 as a number, its sign always shown
        change = headers.index(t("batch.change", summary.lang)) + 1
        for row in range(2, len(rows) + 2):
            sheet.cell(row=row, column=change).number_format = CHANGE
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"


def _losses(sheet: Worksheet, summary: Summary) -> None:
    lang = summary.lang
    rows: list[list[object]] = [
        [
            losses.name,
            losses.level2,
            losses.weight,
            losses.departments,
            losses.points,
            reasons_line(losses, lang, "\n"),
        ]
        for losses in summary.losing()
    ]
    _table(sheet, 1, losses_headers(lang), rows, [26, 12, 8, 12, 10, 80])
    _wrap_column(sheet, 6, 2, len(rows) + 1)
    sheet.freeze_panes = "B2"


def _history(sheet: Worksheet, summary: Summary) -> None:
    lang = summary.lang
    heads = [t("batch.department", lang), t("batch.previous_year", lang), t("batch.previous_total", lang),
             t("batch.total", lang), t("batch.change", lang), t("batch.previous_grade", lang), t("batch.grade", lang),
             t("batch.moved_title", lang)]  # fmt: skip
    rows: list[list[object]] = []
    for _, entry in summary.ranked():
        if entry.previous is not None:
            rows.append([entry.department, entry.previous.year, entry.previous.total, entry.total,
                         entry.change, entry.previous.grade, entry.grade, moved_text(entry, lang)])  # fmt: skip
    _table(sheet, 1, heads, rows, [40, 9, 9, 9, 9, 8, 8, 80])
    for row in range(2, len(rows) + 2):
        sheet.cell(row=row, column=5).number_format = CHANGE
    _wrap_column(sheet, 8, 2, len(rows) + 1)


def _notes(sheet: Worksheet, summary: Summary) -> None:
    """Each note of each department's result (扣完为止, …), one a row, in ranking order."""
    lang = summary.lang
    _put(sheet, 1, 1, t("batch.notes_title", lang, count=summary.noted), bold=True)
    sheet.cell(row=1, column=1).alignment = Alignment(vertical="top")  # one line over the columns
    heads = [t("batch.rank", lang), t("batch.department", lang), t("batch.note_text", lang)]
    rows: list[list[object]] = [
        [rank, entry.department, note] for rank, entry in noted(summary) for note in entry.notes
    ]
    _table(sheet, 2, heads, rows, [6, 40, 100])
    _wrap_column(sheet, 3, 3, len(rows) + 2)


def _given(sheet: Worksheet, summary: Summary) -> None:
    """The departments' own scores and the bureau's adjustments, one a row, kept apart, each with its reason."""
    _put(sheet, 1, 1, given.tally(summary), bold=True)
    sheet.cell(row=1, column=1).alignment = Alignment(vertical="top")  # one line over the columns
    rows: list[list[object]] = [
        [r.rank, r.department, r.kind, r.indicator, r.own if r.own is not None else "", r.score, r.reason]
        for r in given.rows(summary)
    ]
    _table(sheet, 2, given.headings(summary.lang), rows, [6, 30, 12, 24, 10, 10, 60])
    _wrap_column(sheet, 7, 3, len(rows) + 2)


def _department_sheets(book: Workbook, summary: Summary) -> None:
    from scorer.render.xlsx import fill

    assert summary.kept is not None
    taken = {name.casefold() for name in book.sheetnames}
    order = {entry.order: rank for rank, entry in summary.ranked()}
    ranked = sorted(
        zip(summary.entries, summary.kept, strict=True),
        key=lambda pair: (order[pair[0].order], pair[0].order),
    )
    for entry, result in ranked:
        name = sheet_title(f"{order[entry.order]} {entry.department}", taken)
        taken.add(name.casefold())
        fill(book.create_sheet(name), result, summary.lang)
