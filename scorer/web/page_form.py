"""The input workbook as a form on the page, for a clerk without Excel at hand: one field for each cell the
workbook leaves open to fill (formula inputs, 扣分 and 未达标原因, 自评分, 改进措施, targets, 基本情况), laid out
as the workbook's rows with their labels.

The form is made from the workbook `score template` writes and goes back into it: the values sent are written
into those same cells (as text, never as a formula), and the workbook is read by the same reader as an upload.
So the page checks exactly what the workbook checks, and each problem's sheet and cell names the field it is about.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from scorer.errors import Problem
from scorer.i18n import LANGUAGES, t
from scorer.inputs import workbook_layout as layout
from scorer.rounding import fmt

ROLES = (layout.PROFILE, layout.INDICATORS, layout.TARGETS)
MAX_TEXT = 5000  # a cell's worth of what a clerk types on the page
# The labels shown beside a row's fields, by sheet: the columns a clerk reads but does not fill.
LABELS = {
    layout.PROFILE: (layout.P_LABEL,),
    layout.INDICATORS: (layout.NAME, layout.WEIGHT, layout.INPUT_LABEL, layout.UNIT),
    layout.TARGETS: (layout.T_INDICATOR,),
}


@dataclass
class Field:
    name: str  # "<sheet role>!<cell>", e.g. "indicators!I5"
    value: str
    options: list[tuple[str, str]] | None = None  # the workbook's own list for the cell: (value, as shown)
    long: bool = False
    problem: bool = False
    label: str = ""  # the field in the form's words: its row and its column ("财务管理合规性 · 未达标原因")


@dataclass
class Line:
    labels: list[str]
    fields: list[Field | None]


@dataclass
class Section:
    role: str
    title: str
    headers: list[str]
    lines: list[Line] = field(default_factory=list)


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return fmt(Decimal(repr(value)))
    return str(value)


def _options(sheet: Any) -> dict[str, list[str]]:
    """Each cell's list of choices, from the sheet's data validations of type list."""
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.cell import range_boundaries

    found: dict[str, list[str]] = {}
    for validation in sheet.data_validations.dataValidation:
        if validation.type != "list" or not validation.formula1 or not validation.formula1.startswith('"'):
            continue
        options = validation.formula1.strip('"').split(",")
        for ranged in str(validation.sqref).split():
            low_col, low_row, high_col, high_row = range_boundaries(ranged)
            for row in range(low_row, high_row + 1):
                for column in range(low_col, high_col + 1):
                    found[f"{get_column_letter(column)}{row}"] = options
    return found


def _sheets(book: Any, lang: str) -> dict[str, Any]:
    titles = {t(f"workbook.sheet.{role}", lang): role for role in ROLES}
    return {titles[sheet.title]: sheet for sheet in book.worksheets if sheet.title in titles}


def sections(content: bytes, lang: str, problems: set[str] = frozenset()) -> list[Section]:  # type: ignore[assignment]
    """The form for a (pre-filled) input workbook in `lang`; the fields named in `problems` are marked."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    sheets = _sheets(book, lang)
    names = _indicator_names(sheets.get(layout.INDICATORS))
    return [_section(role, sheet, lang, problems, names) for role, sheet in sheets.items()]


def _indicator_names(sheet: Any) -> dict[str, str]:
    """Each indicator's id → its name as the 指标 sheet shows it: the 绩效指标 sheet's list offers the names."""
    found: dict[str, str] = {}
    if sheet is not None:
        for row in range(layout.FIRST_ROW, sheet.max_row + 1):
            ident, name = (
                sheet.cell(row=row, column=layout.ID).value,
                sheet.cell(row=row, column=layout.NAME).value,
            )
            if isinstance(ident, str) and name:
                found.setdefault(ident, _shown(name))
    return found


def _section(role: str, sheet: Any, lang: str, problems: set[str], names: dict[str, str]) -> Section:
    editable = sorted({c.column for row in sheet.iter_rows(min_row=layout.FIRST_ROW) for c in row
                       if c.protection.locked is False})  # fmt: skip
    column_words = {c: _shown(sheet.cell(row=2, column=c).value) for c in (*LABELS[role], *editable)}
    # The sheet's own title asks for its yellow cells: the form on the page has none, and says what it asks.
    section = Section(role, t(f"web.fill.section.{role}", lang), list(column_words.values()))
    options = _options(sheet)
    opened = ""  # the indicator a continuation row belongs to
    for row in range(layout.FIRST_ROW, sheet.max_row + 1):
        cells = [sheet.cell(row=row, column=c) for c in editable]
        if not any(c.protection.locked is False for c in cells):
            continue
        labels = [_shown(sheet.cell(row=row, column=c).value) for c in LABELS[role]]
        if role == layout.INDICATORS:  # a second line of an indicator leaves its name blank in the workbook
            opened = labels[0] or opened
            labels[0] = labels[0] or t("web.fill.continued", lang, name=opened)
        row_words = (
            t("web.fill.target_row", lang, number=len(section.lines) + 1)
            if role == layout.TARGETS
            else labels[0]
        )
        fields: list[Field | None] = []
        for cell in cells:
            if cell.protection.locked is not False:
                fields.append(None)
                continue
            column = labels[2] if role == layout.INDICATORS and cell.column == layout.VALUE else None
            label = (
                row_words
                if role == layout.PROFILE
                else f"{row_words} · {column or column_words[cell.column]}"
            )
            long = role == layout.PROFILE and sheet.row_dimensions[row].height is not None
            fields.append(_field(role, cell, options.get(cell.coordinate), names, long, problems, label))
        section.lines.append(Line(labels, fields))
    return section


def _field(role: str, cell: Any, listed: list[str] | None, names: dict[str, str], long: bool,
           problems: set[str], label: str) -> Field:  # fmt: skip
    name = f"{role}!{cell.coordinate}"
    value = _shown(cell.value)
    if listed and value and value not in listed:  # saved in the other language, or sent by hand: kept, shown
        listed = [*listed, value]
    shown = [(o, names.get(o, o) if role == layout.TARGETS else o) for o in listed] if listed else None
    long = long or cell.column in (layout.REASON, layout.IMPROVEMENT, layout.T_REASON)
    return Field(name, value, shown, long, name in problems, label)


def filled(template: bytes, posted: dict[str, str], lang: str) -> bytes:
    """The blank workbook with each open cell set to what the page sent for it: text, never a formula."""
    from openpyxl import load_workbook

    from scorer.render.xlsx_cells import put, save

    book = load_workbook(io.BytesIO(template))
    for role, sheet in _sheets(book, lang).items():
        for row in sheet.iter_rows(min_row=layout.FIRST_ROW):
            for cell in row:
                if cell.protection.locked is not False:
                    continue
                value = posted.get(f"{role}!{cell.coordinate}", "").strip()[:MAX_TEXT]
                # Through the one cell writer: "=…" typed on the page is text, as in a cell typed as text.
                put(sheet, cell.row, cell.column, value or None)
    return save(book)


def field_name(place: str | int | None) -> str | None:
    """The field a problem's place ("指标!I5", "indicators!I5") names: the form's saves are read in the language
    they were made in, which need not be the page's."""
    if isinstance(place, str) and "!" in place:
        sheet, cell = place.split("!", 1)
        for lang in LANGUAGES:
            for role in ROLES:
                if sheet == t(f"workbook.sheet.{role}", lang):
                    return f"{role}!{cell}"
    return None


def field_names(problem_places: list[str | int | None]) -> set[str]:
    """The fields the problems' places name."""
    return {name for place in problem_places if (name := field_name(place)) is not None}


def values(content: bytes) -> dict[str, str]:
    """What a save of the form holds in its open cells, as typed, by field: to fill the form again from it."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    found: dict[str, str] = {}
    for lang in LANGUAGES:
        for role, sheet in _sheets(book, lang).items():
            for row in sheet.iter_rows(min_row=layout.FIRST_ROW):
                for cell in row:
                    if cell.protection.locked is False and cell.value is not None:
                        found[f"{role}!{cell.coordinate}"] = _shown(cell.value)
    return found


def problem_lines(problems: list[Problem], shown: list[Section], lang: str) -> list[dict[str, str]]:
    """The problems of a save of the form, each placed at the form's row and column it is about (the cell the
    reader names is one of the form's fields); one about no field says what it is about, without the workbook's
    file name and cell, which the clerk never saw."""
    from dataclasses import replace

    from scorer.render.problems import ordered, words

    labels = {f.name: f.label for section in shown for line in section.lines for f in line.fields if f}
    lines = []
    for problem in ordered(problems, lang):
        label = labels.get(field_name(problem.location.line) or "")
        where = f"{label}:" if label else replace(problem.location, path="", line=None).prefix(lang)
        lines.append({"where": where, "message": words(problem, lang)})
    return lines
