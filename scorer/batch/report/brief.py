"""The leader's brief (`score batch … -o 简报.docx`): two or three A4 pages a bureau hands its leaders.

The overall figures, the grade distribution, the ten highest and ten lowest totals, the main loss points with
their most common reasons, the scores put in place by departments and by the bureau, and with a history database
the year's movers. No file path appears: the brief speaks of departments, never of where they were read. python-docx
is imported here only (and by the single department's report, whose styles it shares).
"""

from __future__ import annotations

import io
from decimal import Decimal
from fractions import Fraction
from typing import Any

from scorer.batch.report import given
from scorer.batch.report.common import (
    counted,
    counts_line,
    every_rubric_marks,
    handed_in_others,
    has_history,
    missing_line,
    name_columns,
    names,
    rubrics_line,
    shown,
    signed,
    title,
    unsubmitted_line,
)
from scorer.batch.summary import Summary
from scorer.escape import one_line, visible
from scorer.i18n import t
from scorer.render.options import RenderOptions
from scorer.rounding import Rounding, fmt

TOP = 10  # departments at each end of the ranking
LOSSES = 8  # loss points listed
MOVERS = 5  # departments risen and fallen most
RANKED = (16, 100, 27, 27)  # the ranking tables' columns, in millimetres
RANKED_PROJECTS = (16, 50, 50, 27, 27)  # the same with the unit and its project
SHARE = Rounding(1, "half_up")  # a grade's share of the departments, in percent


def render(summary: Summary, options: RenderOptions) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    from scorer.render.report_docx import _Body, _styles

    lang = summary.lang
    document = Document()
    _styles(document)
    for section in document.sections:  # A4, margins that leave room for the tables
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = section.bottom_margin = Mm(22)
        section.left_margin = section.right_margin = Mm(20)
    body = _Body(document)
    unit = one_line(summary.unit) if summary.unit else ""
    body.paragraph(
        t("brief.title", lang, unit=unit, title=one_line(title(summary))), "Title"
    ).alignment = WD_ALIGN_PARAGRAPH.CENTER
    from datetime import date

    body.paragraph(t("brief.date", lang, date=date.today().isoformat())).alignment = WD_ALIGN_PARAGRAPH.CENTER
    _overall(body, summary)
    _distribution(document, body, summary)
    _ends(document, body, summary)
    _losses(document, body, summary)
    if has_history(summary):
        _movers(document, body, summary)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _table(document: Any, heads: list[str], rows: list[list[object]], widths: tuple[int, ...]) -> None:
    """A grid with its columns `widths` wide (millimetres: the page leaves 170), numbers right-aligned."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    table = document.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    table.autofit = False
    for cell, head in zip(table.rows[0].cells, heads, strict=True):
        cell.text = visible(head)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for _ in rows:
        table.add_row()
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)  # the grid LibreOffice lays out by, and each cell's width Word reads
        for cell in column.cells:
            cell.width = Mm(width)
    for values, row in zip(rows, table.rows[1:], strict=True):
        cells = row.cells
        for cell, value in zip(cells, values, strict=True):
            number = isinstance(value, Decimal | int)
            cell.text = visible(shown(value) if isinstance(value, Decimal) else str(value))
            if number:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _overall(body: Any, summary: Summary) -> None:
    lang = summary.lang
    body.paragraph(t("brief.overall", lang), "Heading 1")
    body.paragraph(counts_line(summary))
    if given.any_given(summary):
        body.paragraph(given.tally(summary))
    # The rubric's marks, 本年缺报 and how many files handed in were no submission: said to leaders too, with no
    # path; the system files a computer leaves and the batch's own option files are no news to them.
    handed = handed_in_others(summary)
    others = t("batch.others_title", lang, count=len(handed)) if handed else ""
    several = [rubrics_line(summary) or ""]  # the other rubrics' departments: ranked apart, not here
    lines = (*every_rubric_marks(summary), *several, missing_line(summary), unsubmitted_line(summary), others)
    for line in lines:
        if line:
            body.paragraph(line)


def _distribution(document: Any, body: Any, summary: Summary) -> None:
    lang = summary.lang
    body.paragraph(t("batch.distribution", lang), "Heading 1")
    count = len(summary.entries) or 1
    rows: list[list[object]] = [
        [grade, number, f"{fmt(SHARE.apply(Fraction(100 * number, count)))}%"]
        for grade, number in summary.distribution()
    ]
    _table(
        document,
        [t("batch.grade", lang), counted(summary, "batch.count"), t("brief.share", lang)],
        rows,
        (50, 60, 60),
    )


def _ends(document: Any, body: Any, summary: Summary) -> None:
    """The ten highest totals and the ten lowest (all of them, once, when there are twenty or fewer)."""
    lang = summary.lang
    ranked = summary.ranked()
    heads = [t("batch.rank", lang), *name_columns(summary), t("batch.total", lang), t("batch.grade", lang)]
    rows = [[rank, *names(entry), entry.total, entry.grade] for rank, entry in ranked]
    widths = RANKED_PROJECTS if summary.projects else RANKED
    if len(rows) <= 2 * TOP:
        body.paragraph(t("batch.ranking", lang), "Heading 1")
        _table(document, heads, rows, widths)  # type: ignore[arg-type]
        return
    body.paragraph(counted(summary, "brief.top", count=TOP), "Heading 1")
    _table(document, heads, rows[:TOP], widths)  # type: ignore[arg-type]
    body.paragraph(counted(summary, "brief.bottom", count=TOP), "Heading 1")
    _table(document, heads, rows[-TOP:], widths)  # type: ignore[arg-type]


def _losses(document: Any, body: Any, summary: Summary) -> None:
    lang = summary.lang
    body.paragraph(t("brief.losses", lang), "Heading 1")
    losing = summary.losing()[:LOSSES]
    if not losing:
        body.paragraph(counted(summary, "batch.no_losses"))
        return
    heads = [t("batch.indicator", lang), counted(summary, "batch.departments_losing"), t("batch.points_lost", lang),
             counted(summary, "batch.reasons")]  # fmt: skip
    rows: list[list[object]] = [
        [x.name, x.departments, x.points, "\n".join(t("batch.reason_count", lang, reason=r, count=c)
                                                    for r, c in x.top(2))]
        for x in losing
    ]  # fmt: skip
    _table(document, heads, rows, (44, 24, 24, 78))


def _movers(document: Any, body: Any, summary: Summary) -> None:
    lang = summary.lang
    moved = [entry for entry in summary.entries if entry.change is not None]
    moved.sort(key=lambda entry: (entry.change, entry.department))  # type: ignore[return-value,arg-type]
    body.paragraph(t("brief.movers", lang), "Heading 1")
    heads = [t("batch.department", lang), t("batch.previous_total", lang), t("batch.total", lang),
             t("batch.change", lang)]  # fmt: skip
    rising = [e for e in reversed(moved) if e.change and e.change > 0][:MOVERS]
    falling = [e for e in moved if e.change and e.change < 0][:MOVERS]
    rows: list[list[object]] = [
        [e.department, e.previous.total if e.previous else "", e.total, signed(e.change)]
        for e in rising + falling
    ]
    if rows:
        _table(document, heads, rows, (86, 28, 28, 28))
    else:
        body.paragraph(t("batch.nothing_moved", lang))
