"""The batch summary as a workbook a bureau circulates: 汇总 (counts, grade distribution, level-2 averages against
their weights, refused departments), 排名 (the ranking with the level-2 subtotals), 指标失分 (where points were
lost, with the most frequent reasons), 与上年比较 when the history database knows an earlier year, and with
`--sheets` each department's 自评表 in the official layout (scorer/render/xlsx.py), in ranking order.

Numbers are numbers (shown with two decimals), exactly the results' values; text from files is text, never a
formula. openpyxl is imported here only.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, BinaryIO, NamedTuple

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from scorer.batch.report import common, given
from scorer.batch.report.common import (
    counts_line,
    has_history,
    has_stated,
    losses_headers,
    missing_line,
    moved_text,
    name_columns,
    noted,
    ranking_headers,
    ranking_row,
    reasons_line,
    rubric_marks,
    rubrics_line,
    rules_line,
    title,
)
from scorer.batch.report.common import names as entry_names
from scorer.batch.summary import Summary
from scorer.escape import one_line
from scorer.i18n import t
from scorer.render.options import RenderOptions
from scorer.render.problems import lines
from scorer.render.xlsx_cells import MAX_ROW_HEIGHT, disk_errors, made, save_to, sheet_title, styled, workbook

FONT = "SimSun"
SIZE = 10  # points: readable on A4 (the leaders' sheets are printed and circulated)
_THIN = Side(style="thin", color="808080")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
NUMBER = "0.00"
CHANGE = "+0.00;-0.00;0.00"  # 较上年: the sign always shown


def render(summary: Summary, options: RenderOptions) -> bytes:
    write_to(summary, options, buffer := io.BytesIO())
    return buffer.getvalue()


def write_to(summary: Summary, options: RenderOptions, out: BinaryIO) -> None:
    """The workbook into `out`, each sheet written a row at a time in openpyxl's write-only mode, so that no
    sheet is held whole; with `--sheets` (each department's 自评表, which keeps every result) in the ordinary mode."""
    book = workbook(summary.lang, write_only=summary.kept is None)
    with disk_errors(book):  # a write-only sheet is written as its rows come
        _write(summary, book, out)


def _write(summary: Summary, book: Workbook, out: BinaryIO) -> None:
    lang = summary.lang

    for default in list(book.worksheets):  # the ordinary mode's first sheet: each is made below
        book.remove(default)

    def sheet(
        key: str, header: int | None, widths: Iterable[float], group: Summary | None = None
    ) -> Worksheet:
        # another rubric's sheet: named by it, and its printed pages titled by it, with its marks
        wanted = f"{t(key, lang)} {group.rubric}" if group is not None else t(key, lang)
        made_sheet: Any = book.create_sheet(sheet_title(wanted, {n.casefold() for n in book.sheetnames}))
        _for_print(made_sheet, header, print_heading(group or summary), lang)
        for column, width in enumerate(widths, start=1):
            made_sheet.column_dimensions[get_column_letter(column)].width = width
        return made_sheet  # type: ignore[no-any-return]

    _overview(sheet("batch.sheet.summary", None, [16, 14, 10, 12]), summary)
    _ranking(sheet("batch.sheet.ranking", 1, _ranking_widths(summary)), summary)
    _losses(sheet("batch.sheet.losses", 1, [26, 12, 8, 12, 10, 80]), summary)
    if has_history(summary):
        _history(sheet("batch.sheet.history", 1, [40, 9, 9, 9, 9, 8, 8, 80]), summary)
    if summary.noted:
        _notes(sheet("batch.sheet.notes", 2, [6, 40, 100]), summary)
    if given.any_given(summary):
        _given(sheet("batch.sheet.given", 2, [6, 30, 12, 24, 10, 10, 60]), summary)
    _places(sheet("batch.sheet.places", None, [6, 40, 60]), summary)
    for group in summary.groups.values():  # each other rubric's departments, ranked apart
        _ranking(sheet("batch.sheet.ranking", 1, _ranking_widths(group), group), group)
        _losses(sheet("batch.sheet.losses", 1, [26, 12, 8, 12, 10, 80], group), group)
    for each in (summary, *summary.groups.values()) if summary.kept is not None else ():
        _department_sheets(book, each)
    save_to(book, out)


def print_heading(summary: Summary) -> str:
    """The title every printed page carries: the unit that circulates it, the year and rubric, the date."""
    from datetime import date

    lang = summary.lang
    unit = one_line(summary.unit) if summary.unit else ""
    return t(
        "batch.print_title", lang, unit=unit, title=one_line(title(summary)), date=date.today().isoformat()
    )


def _put(
    sheet: Worksheet, row: int, column: int, value: object, *, bold: bool = False, box: bool = False
) -> Cell:
    cell = made(sheet, row, column, value)  # text stays text, escaped and whole (scorer/render/xlsx_cells.py)
    look = (isinstance(value, Decimal), bold, isinstance(cell.value, str) and len(cell.value) > 30, box)
    return styled(cell, look, lambda new: _look(new, *look))


def _look(cell: Cell, number: bool, bold: bool, wrap: bool, box: bool) -> None:
    """The first cell of a look in a workbook; the others take its style (scorer/render/xlsx_cells.py)."""
    cell.number_format = NUMBER if number else "General"
    cell.font = Font(name=FONT, bold=bold, size=SIZE)
    cell.alignment = Alignment(wrap_text=wrap, vertical="top")
    cell.border = BOX if box else Border()


class _Rows:
    """A sheet filled top to bottom, a row at a time (a write-only sheet's one way in): blank rows between."""

    def __init__(self, sheet: Worksheet):
        self.sheet = sheet
        self.last = 0

    def add(self, row: int, cells: list[Cell], height: float | None = None) -> None:
        while self.last < row - 1:
            self.sheet.append([])
            self.last += 1
        if height is not None:  # a row's height is written with the row
            self.sheet.row_dimensions[row].height = height
        self.sheet.append(cells)
        if height is not None and self.sheet.parent.write_only:  # written: not kept for each row
            del self.sheet.row_dimensions[row]
        self.last = row

    def line(self, row: int, text: str, *, bold: bool = False, top: bool = False) -> None:
        """One text in column A; `top`: on one line, over the empty cells to its right."""
        cell = _put(self.sheet, row, 1, text, bold=bold)
        if top:
            cell.alignment = Alignment(vertical="top")
        self.add(row, [cell])


def _for_print(sheet: Worksheet, header: int | None, heading: str, lang: str) -> None:
    """Landscape A4, as wide as the page, the header row repeated on every page; the title at the top of each
    page and its number at the foot (Excel's header codes: a text's own `&` is doubled)."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
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


Rows = Callable[[], Iterable[Sequence[object]]]  # a table's rows, made again for each pass over them


def _table(rows: _Rows, row: int, headers: list[str], values: Rows, wrap: Wrap | None = None) -> int:
    """A table from `row`: its header, then its rows as `values` makes them (once to see which columns hold
    numbers, once to write them); `wrap`: a column of long texts and its formats. The row after the blank
    row below it."""
    sheet = rows.sheet
    numeric = [False] * len(headers)
    for line in values():
        numeric = [seen or (len(line) > at and _numeric(line[at])) for at, seen in enumerate(numeric)]
    header = []
    for column, head in enumerate(headers, start=1):
        cell = _put(sheet, row, column, head, bold=True, box=True)
        cell.fill = HEADER_FILL
        if numeric[column - 1]:
            cell.alignment = Alignment(horizontal="right", vertical="top", wrap_text=True)
        header.append(cell)
    rows.add(row, header, _wrapped(sheet, header, wrap, header=True))
    for line in values():
        row += 1
        cells = [_put(sheet, row, column, value, box=True) for column, value in enumerate(line, start=1)]
        rows.add(row, cells, _wrapped(sheet, cells, wrap))
    return row + 2


class Wrap(NamedTuple):
    """A column of long texts, wrapped, each row as tall as its lines; `header` too (merged across `across`
    columns), and the number format of each column that has one."""

    column: int
    header: bool = False
    across: int = 1
    formats: tuple[tuple[int, str], ...] = ()


def _wrapped(sheet: Worksheet, cells: list[Cell], wrap: Wrap | None, header: bool = False) -> float | None:
    """The row's height for its wrapped cell (None: as tall as Excel makes it); its number formats set."""
    if wrap is None or (header and not wrap.header):
        return None
    for column, number_format in wrap.formats if not header else ():
        cells[column - 1].number_format = number_format
    if not wrap.column or wrap.column > len(cells):
        return None
    cell = cells[wrap.column - 1]
    if wrap.across > 1:
        sheet.merged_cells.add(f"A{cell.row}:{get_column_letter(wrap.across)}{cell.row}")
    width = sum(
        sheet.column_dimensions[get_column_letter(c)].width or 8.43
        for c in range(wrap.column, wrap.column + wrap.across)
    )
    return _wrap(cell, width)


def _overview(sheet: Worksheet, summary: Summary) -> None:
    lang = summary.lang
    rows = _Rows(sheet)
    first = made(sheet, 1, 1, print_heading(summary))
    first.font = Font(name=FONT, bold=True, size=14)
    rows.add(1, [first])
    # several rubrics: each named, with its sheets, and the others' marks
    marks = [
        rubrics_line(summary) or "",
        *(m for group in summary.groups.values() for m in rubric_marks(group)),
    ]
    several = t("list.separator", lang).join(marks)
    lines_ = (rules_line(summary), counts_line(summary), given.tally(summary), several)
    for row, text in enumerate(lines_, start=2):
        rows.line(row, text, top=True)  # one line each, over the empty cells to their right
    rows.line(6, t("batch.distribution", lang), bold=True)
    grades = [[grade, count] for grade, count in summary.distribution()]
    row = _table(rows, 7, [t("batch.grade", lang), common.counted(summary, "batch.count")], lambda: grades)
    rows.line(row, t("batch.nodes", lang), bold=True)
    heads = [t("batch.level1", lang), t("batch.level2", lang), t("batch.weight", lang),
             t("batch.mean_score", lang)]  # fmt: skip
    means = [
        [node.level1, node.name, node.weight, "" if mean is None else mean]
        for node, mean in summary.node_means()
    ]
    row = _table(rows, row + 1, heads, lambda: means)
    rows.line(row, common.counted(summary, "batch.refused_title", count=len(summary.refusals)), bold=True)
    elsewhere = t("batch.refused_elsewhere", lang, sheet=t("batch.sheet.places", lang))
    if summary.refusals:  # their messages name files: on the sheet of places, not on the leaders' sheets
        rows.line(row + 1, elsewhere)
    row += 3 if summary.refusals else 2
    for named in filter(None, (missing_line(summary), common.unsubmitted_line(summary))):  # 本年缺报, 未提交
        rows.line(row, named, bold=True)  # names of departments only
        row += 2
    if summary.others:  # their messages name files too: on the sheet of places
        rows.line(row, t("batch.others_title", lang, count=len(summary.others)), bold=True)
        rows.line(row + 1, elsewhere)


def _places(sheet: Worksheet, summary: Summary) -> None:
    """Where each department was read from, and the refused departments' messages: the files, kept off the
    sheets that are printed for leaders."""
    lang = summary.lang
    rows = _Rows(sheet)
    heads = [t("batch.rank", lang), *name_columns(summary), t("batch.source", lang)]
    row = _table(rows, 1, heads, lambda: ([rank, *entry_names(e), e.place] for rank, e in summary.ranked()))
    rows.line(row, common.counted(summary, "batch.refused_title", count=len(summary.refusals)), bold=True)
    across = Wrap(1, header=True, across=3)  # each message in column A, merged across three columns
    problems = [[text] for refusal in summary.refusals for text in lines(refusal.problems, lang)]
    end = _table(rows, row + 1, [t("batch.problem", lang)], lambda: problems, across)
    if summary.others:  # the files that were no submission, each with why
        rows.line(end, t("batch.others_title", lang, count=len(summary.others)), bold=True)
        problems = [[text] for other in summary.others for text in lines(other.problems, lang)]
        _table(rows, end + 1, [t("batch.problem", lang)], lambda: problems, across)


def _wrap(cell: Cell, width: float) -> float:
    """The cell wrapped; the height of its row, as tall as its lines."""
    from rich.cells import cell_len  # the width of Chinese characters counts double, as in a spreadsheet

    cell.alignment = Alignment(wrap_text=True, vertical="top")
    room = max(1, int(width) - 2)
    lines = sum(-(-max(1, cell_len(part)) // room) for part in str(cell.value or "").split("\n"))
    return min(MAX_ROW_HEIGHT, max(15, 15 * lines))  # taller: Excel repairs it


def _name_width(names: Iterable[str]) -> int:
    """The department column as wide as its longest name (Chinese characters count double), within 12–40, so
    that a ranking of a dozen columns prints on A4 near full size."""
    from rich.cells import cell_len

    return min(40, max([12, *(cell_len(name) + 2 for name in names)]))


def _ranking_widths(summary: Summary) -> list[int]:
    history, stated = has_history(summary), has_stated(summary)
    names = (entry.department for entry in summary.entries)
    projects = [_name_width(entry.project or "" for entry in summary.entries)] if summary.projects else []
    return (
        [6, _name_width(names), *projects, 9, *([9] if stated else []), 6]
        + [9] * len(summary.nodes)
        + ([9, 9, 9, 8] if history else [])
        + ([16] if summary.last_year is not None else [])
        + [9, 9, 9]
    )


def _ranking(sheet: Worksheet, summary: Summary) -> None:
    history, stated = has_history(summary), has_stated(summary)
    identity = summary.last_year is not None
    headers = ranking_headers(summary, history, places=False)
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(summary.entries) + 1}"
    # 较上年 as a number, its sign always shown
    change = ((headers.index(t("batch.change", summary.lang)) + 1, CHANGE),) if history else ()
    _table(
        _Rows(sheet), 1, headers,
        lambda: (ranking_row(rank, e, history, stated, identity, places=False) for rank, e in summary.ranked()),
        Wrap(0, formats=change),
    )  # fmt: skip


def _losses(sheet: Worksheet, summary: Summary) -> None:
    lang = summary.lang
    sheet.freeze_panes = "B2"
    rows = [
        [x.name, x.level2, x.weight, x.departments, x.points, reasons_line(x, lang, "\n")]
        for x in summary.losing()
    ]
    _table(_Rows(sheet), 1, losses_headers(summary), lambda: rows, Wrap(6))


def _history(sheet: Worksheet, summary: Summary) -> None:
    lang = summary.lang
    heads = [t("batch.department", lang), t("batch.previous_year", lang), t("batch.previous_total", lang),
             t("batch.total", lang), t("batch.change", lang), t("batch.previous_grade", lang), t("batch.grade", lang),
             t("batch.moved_title", lang)]  # fmt: skip

    def rows() -> Iterator[list[object]]:
        for _, entry in summary.ranked():
            if entry.previous is not None:
                yield [entry.department, entry.previous.year, entry.previous.total, entry.total,
                       entry.change, entry.previous.grade, entry.grade, moved_text(entry, lang)]  # fmt: skip

    _table(_Rows(sheet), 1, heads, rows, Wrap(8, formats=((5, CHANGE),)))


def _notes(sheet: Worksheet, summary: Summary) -> None:
    """Each note of each department's result (扣完为止, …), one a row, in ranking order."""
    lang = summary.lang
    rows = _Rows(sheet)
    rows.line(1, common.counted(summary, "batch.notes_title", count=summary.noted), bold=True, top=True)
    heads = [t("batch.rank", lang), t("batch.department", lang), t("batch.note_text", lang)]
    _table(
        rows, 2, heads,
        lambda: ([rank, entry.department, note] for rank, entry in noted(summary) for note in entry.notes),
        Wrap(3),
    )  # fmt: skip


def _given(sheet: Worksheet, summary: Summary) -> None:
    """The departments' own scores and the bureau's adjustments, one a row, kept apart, each with its reason."""
    rows = _Rows(sheet)
    rows.line(1, given.tally(summary), bold=True, top=True)
    _table(
        rows, 2, given.headings(summary.lang),
        lambda: ([r.rank, r.department, r.kind, r.indicator, "" if r.own is None else r.own, r.score, r.reason]
                 for r in given.rows(summary)),
        Wrap(7),
    )  # fmt: skip


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
