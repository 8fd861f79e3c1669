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

from scorer.i18n import t
from scorer.inputs import workbook_layout as layout
from scorer.rounding import fmt

ROLES = (layout.PROFILE, layout.INDICATORS, layout.TARGETS)
MAX_TEXT = 5000  # a cell's worth of what a clerk types on the page
# The labels shown beside a row's fields, by sheet: the columns a clerk reads but does not fill.
LABELS = {
    layout.PROFILE: (layout.P_LABEL,),
    layout.INDICATORS: (layout.NAME, layout.INPUT_LABEL, layout.UNIT),
    layout.TARGETS: (layout.T_INDICATOR,),
}


@dataclass
class Field:
    name: str  # "<sheet role>!<cell>", e.g. "indicators!I5"
    value: str
    options: list[str] | None = None  # the workbook's own list for the cell
    long: bool = False
    problem: bool = False


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
    made = []
    for role, sheet in _sheets(book, lang).items():
        editable = sorted({c.column for row in sheet.iter_rows(min_row=layout.FIRST_ROW) for c in row
                           if c.protection.locked is False})  # fmt: skip
        headers = [_shown(sheet.cell(row=2, column=c).value) for c in (*LABELS[role], *editable)]
        section = Section(role, _shown(sheet.cell(row=1, column=1).value), headers)
        options = _options(sheet)
        for row in range(layout.FIRST_ROW, sheet.max_row + 1):
            cells = [sheet.cell(row=row, column=c) for c in editable]
            if not any(c.protection.locked is False for c in cells):
                continue
            fields: list[Field | None] = []
            for cell in cells:
                if cell.protection.locked is not False:
                    fields.append(None)
                    continue
                name = f"{role}!{cell.coordinate}"
                long = role == layout.PROFILE and sheet.row_dimensions[row].height is not None
                long = long or cell.column in (layout.REASON, layout.IMPROVEMENT, layout.T_REASON)
                fields.append(
                    Field(name, _shown(cell.value), options.get(cell.coordinate), long, name in problems)
                )
            labels = [_shown(sheet.cell(row=row, column=c).value) for c in LABELS[role]]
            section.lines.append(Line(labels, fields))
        made.append(section)
    return made


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


def field_names(problem_places: list[str | int | None], lang: str) -> set[str]:
    """The fields the problems' places ("指标!I5") name."""
    roles = {t(f"workbook.sheet.{role}", lang): role for role in ROLES}
    names = set()
    for place in problem_places:
        if isinstance(place, str) and "!" in place:
            sheet, cell = place.split("!", 1)
            if sheet in roles:
                names.add(f"{roles[sheet]}!{cell}")
    return names
