"""Rows of the 自评表 left without a score on the clerk's form or workbook.

An inputs file (YAML) gives an indicator with no deductions its full weight: that contract stands. The form and
the workbook, though, ask a 自评分 for every row a person scores, so a row left blank there is a cell the clerk
did not fill, not a full mark given. It still counts full marks (the file is read as the command line reads
it), but it is never silent: each blank row is a note at its 自评分 cell on the department's page and on the
bureau's 复核, and a save of the page form is not handed in while one is blank (a full score typed as the
weight is a score given). Worked out from a version's stored inputs, so every page says the same.
"""

from __future__ import annotations

import io
from functools import cache
from typing import Any

from scorer.errors import Location, Problem
from scorer.facts import fact
from scorer.i18n import t
from scorer.inputs import workbook_layout as layout
from scorer.inputs.typed import judged
from scorer.rounding import fmt
from scorer.web import library
from scorer.web.models import PAGE, WORKBOOK, Submission
from scorer.web.stored import loads

FORMS = (PAGE, WORKBOOK)  # a 自评表 handed in (TABLE) has a score written in every row


def unscored(version: Submission | None, lang: str = "zh") -> list[tuple[str, str, str]]:
    """The rows of a readable form or workbook a person scores and left blank: (id, name in `lang`, weight)."""
    if version is None or not version.readable or version.kind not in FORMS or version.rules_year is None:
        return []
    data = loads(version.inputs)
    entries: Any = data.get("indicators") if isinstance(data, dict) else None
    entries = entries if isinstance(entries, dict) else {}
    blank = []
    for indicator in library.rules_for(version.rules_year).indicators:
        entry = entries.get(indicator.id)
        entry = entry if isinstance(entry, dict) else {}
        if judged(indicator, entry) and not any(key in entry for key in ("score", "deductions", "override")):
            name = indicator.name_en if lang == "en" and indicator.name_en else indicator.title
            blank.append((indicator.id, name, fmt(indicator.weight)))
    return blank


@cache
def _first_rows(year: int) -> dict[str, int]:
    """Each indicator's first row on the workbook's 指标 sheet, where its 自评分 is typed."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(library.input_workbook(year, "zh", None)))
    sheet = book[t("workbook.sheet.indicators", "zh")]
    rows: dict[str, int] = {}
    for row in range(layout.FIRST_ROW, sheet.max_row + 1):
        ident = sheet.cell(row=row, column=layout.ID).value
        if isinstance(ident, str):
            rows.setdefault(ident, row)
    return rows


def notes(version: Submission | None, lang: str) -> list[Problem]:
    """Each blank row as a note at its 自评分 cell, in the words the file's other problems use."""
    from openpyxl.utils import get_column_letter

    blank = unscored(version, lang)
    if not blank or version is None:
        return []
    rows = _first_rows(version.rules_year or 0)
    sheet = t("workbook.sheet.indicators", lang)
    column = get_column_letter(layout.SCORE)
    return [
        Problem(
            Location(version.filename, f"{sheet}!{column}{rows.get(ident, 0)}", name, fact("workbook.score")),
            fact(
                "web.blank.full_marks" if version.kind == PAGE else "web.blank.full_marks_workbook",
                weight=weight,
            ),
            severity="warning",
        )
        for ident, name, weight in blank
    ]


def findings(version: Submission | None, lang: str) -> dict[str, list[str]]:
    """The note beside each blank row of the 自评表."""
    return {ident: [t("web.blank.row", lang, weight=weight)] for ident, _, weight in unscored(version)}
