"""The 复核清单 in each format `-o` names by its extension: `.xlsx` (the list, and a sheet of every finding at its
row or cell), `.csv` (the list, then the findings), `.md`, `.json` and `.txt` (the audit's own report, with the
list). An extension none of these writes is refused before any table is read; no format is ever written under
another's name (no text in an `.xlsx`).

Every text from a table (names, reasons quoted in findings, file names) is written as data: through the one
workbook writer (scorer/render/xlsx_cells.py: text stays text, escaped), the CSV writer (a leading `=` kept as
text) or Markdown's escaping.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from scorer.batch.review import DistrictReview, Reviewed
from scorer.errors import Problem
from scorer.i18n import say, t
from scorer.render import Renderer
from scorer.render.problems import field_words, ordered, words
from scorer.rounding import fmt

REVIEWS = (
    Renderer("text", (".txt",), "scorer.audit.report"),
    Renderer("json", (".json",), "scorer.audit.report"),
    Renderer("xlsx", (".xlsx",), "scorer.batch.review_formats", binary=True),
    Renderer("csv", (".csv",), "scorer.batch.review_formats"),
    Renderer("markdown", (".md",), "scorer.batch.review_formats"),
)
LIST_COLUMNS = ("batch.file", "batch.department", "batch.stated", "audit.list.rescored", "audit.list.difference",
                "audit.list.findings", "audit.list.status")  # fmt: skip
# Column widths (Excel's characters) that keep a printed row on one A4 landscape page at ≥ 9 pt with the web
# workplace's seven columns added (tests/test_web_bureau_pages.py measures it).
LIST_WIDTHS = (14, 20, 8, 8, 8, 7, 9)
FINDING_WIDTHS = (14, 20, 12, 20, 12, 8, 60)
FINDING_COLUMNS = ("batch.file", "batch.department", "audit.list.where", "batch.indicator", "audit.list.field",
                   "audit.list.severity", "batch.problem")  # fmt: skip


def render(review: DistrictReview, name: str, lang: str) -> str | bytes:
    from scorer.audit.report import render_json, render_text

    if name == "json":
        return render_json(review.audits, review.refused, lang, _json_extra(review, lang))
    if name == "text":
        from scorer.batch.report.common import other_lines

        others = other_lines((p for _, problems in review.others for p in problems), lang)
        return render_text(review.audits, lang) + "".join(line + "\n" for line in others)
    if name == "xlsx":
        return review_workbook(review, lang)
    if name == "csv":
        from scorer.render.csv_cells import document

        rows: list[list[object]] = [
            _heads(LIST_COLUMNS, lang),
            *list_rows(review, lang),
            [],
            _heads(FINDING_COLUMNS, lang),
        ]
        return document(rows + finding_rows(review, lang), to_stream=False, number=_text)
    return _markdown(review, lang)


def list_rows(review: DistrictReview, lang: str) -> list[list[object]]:
    return [_list_row(row, lang) for row in review.rows] + [
        [place, "", "", "", "", 0, t("audit.status.other", lang)] for place, _ in review.others
    ]


def _list_row(row: Reviewed, lang: str) -> list[object]:
    return [row.place, row.department, _number(row.stated), _number(row.rescored), _number(row.difference),
            row.findings, t(f"audit.status.{row.status}", lang)]  # fmt: skip


def finding_rows(review: DistrictReview, lang: str) -> list[list[object]]:
    """Every finding at its row or cell; a refused table's problems, and why each other file is none."""
    rows: list[list[object]] = []
    for row in review.rows:
        if row.audit is not None:
            for finding in row.audit.findings:
                severity = t("audit.severity." + finding.severity, lang)
                rows.append(_finding(row, finding.location, severity, say(finding.message, lang), lang))
        for problem in ordered(row.problems, lang):
            error = t("audit.severity.error", lang)
            rows.append(_finding(row, problem.location, error, words(problem, lang), lang))
    for place, problems in review.others:
        rows += [[place, "", "", "", "", t("audit.status.other", lang), words(p, lang)] for p in problems]
    return rows


def _finding(row: Reviewed, location: Any, severity: str, message: str, lang: str) -> list[object]:
    where = "" if location.line is None else str(location.line)
    return [
        row.place,
        row.department,
        where,
        location.indicator or "",
        field_words(location, lang) or "",
        severity,
        message,
    ]


def review_workbook(
    review: DistrictReview,
    lang: str,
    extra_heads: Sequence[str] = (),
    extra: Sequence[Sequence[object]] = (),
    extra_widths: Sequence[int] = (),
) -> bytes:
    """The 复核清单 workbook: the list (with `extra` columns per table, as the web workplace adds its workflow's),
    and every finding; printed on A4 landscape as wide as the page, the header repeated on each page."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from scorer.render.xlsx_cells import put, save, workbook

    book = workbook(lang)
    first = book.active
    assert first is not None
    first.title = t("audit.list.sheet", lang)
    sheets = [
        (first, [*_heads(LIST_COLUMNS, lang), *extra_heads], [[*r, *e] for r, e in _padded(review, lang, extra)],
         [*LIST_WIDTHS, *extra_widths]),
        (book.create_sheet(t("audit.list.findings_sheet", lang)), _heads(FINDING_COLUMNS, lang),
         finding_rows(review, lang), FINDING_WIDTHS),
    ]  # fmt: skip
    for sheet, heads, rows, widths in sheets:
        for column, head in enumerate(heads, start=1):
            put(sheet, 1, column, head).font = Font(bold=True)
            width = widths[column - 1] if column <= len(widths) else 14
            sheet.column_dimensions[get_column_letter(column)].width = width
        for number, values in enumerate(rows, start=2):
            for column, value in enumerate(values, start=1):
                cell = put(sheet, number, column, value)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if isinstance(value, Decimal):
                    cell.number_format = "0.00"
        sheet.freeze_panes = "A2"
        _for_print(sheet)
    return save(book)


def _for_print(sheet: Any) -> None:
    """As the batch's summary workbook prints: A4 landscape, as wide as the page, the header row on each page."""
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.print_options.horizontalCentered = True


def _padded(
    review: DistrictReview, lang: str, extra: Sequence[Sequence[object]]
) -> list[tuple[list[object], Sequence[object]]]:
    rows = list_rows(review, lang)
    return [(row, extra[i] if i < len(extra) else ()) for i, row in enumerate(rows)]


def _markdown(review: DistrictReview, lang: str) -> str:
    from scorer.escape import markdown

    def table(heads: list[object], rows: list[list[object]]) -> list[str]:
        lines = ["| " + " | ".join(markdown(str(h)) for h in heads) + " |", "|" + "---|" * len(heads)]
        return lines + ["| " + " | ".join(markdown(_text(v)) for v in row) + " |" for row in rows]

    out = [
        f"# {markdown(t('audit.list.sheet', lang), in_table=False)}",
        "",
        markdown(review.tally(lang), in_table=False),
        "",
    ]
    out += table(_heads(LIST_COLUMNS, lang), list_rows(review, lang))
    out += ["", f"## {markdown(t('audit.list.findings_sheet', lang), in_table=False)}", ""]
    out += table(_heads(FINDING_COLUMNS, lang), finding_rows(review, lang))
    return "\n".join(out) + "\n"


def _json_extra(review: DistrictReview, lang: str) -> dict[str, object]:
    from scorer.numbers import to_json_number

    def number(value: Decimal | None) -> object:
        return None if value is None else to_json_number(value)

    listed = [
        {"path": row.place, "department": row.department, "stated": number(row.stated),
         "rescored": number(row.rescored), "difference": number(row.difference), "findings": row.findings,
         "status": row.status}
        for row in review.rows
    ]  # fmt: skip
    others = [{"path": place, "why": [words(p, lang) for p in problems]} for place, problems in review.others]
    return {"list": listed, "others": others, "tally": review.tally(lang)}


def _heads(keys: Sequence[str], lang: str) -> list[object]:
    return [t(key, lang) for key in keys]


def _number(value: Decimal | None) -> Decimal | str:
    return "" if value is None else value


def _text(value: object) -> str:
    return fmt(value) if isinstance(value, Decimal) else str(value)  # exact: 94.2, never 94.20


def problems_of(review: DistrictReview) -> list[Problem]:
    """What the terminal says on stderr: each refused table's problems."""
    return review.refused
