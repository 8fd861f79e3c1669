"""The batch ranking as CSV, for Excel and for other programs: one row per department, highest total first.

Written by scorer/render/csv_cells.py: to a file as UTF-8 with a byte-order mark (without it Excel, also on
Chinese Windows, opens the Chinese names as mojibake) and CRLF line ends; to standard output with `\n`. A text
cell that a spreadsheet would take for a formula (`=…`, `+…`, `-…`, `@…`) is written with a leading apostrophe,
so that it stays text. Numbers are written with two decimals, as the terminal shows them (a value with more places
in full, never rounded).
"""

from __future__ import annotations

from decimal import Decimal

from scorer.batch.report import given
from scorer.batch.report.common import (
    has_history,
    has_stated,
    missing_line,
    ranking_headers,
    ranking_row,
    rubric_marks,
    shown,
)
from scorer.batch.summary import Summary
from scorer.i18n import t
from scorer.render.csv_cells import document
from scorer.render.options import RenderOptions


def _number(value: Decimal | int) -> str:
    return shown(value) if isinstance(value, Decimal) else str(value)  # two places, as the 自评表 writes them


def render(summary: Summary, options: RenderOptions) -> str | bytes:
    history = has_history(summary)
    by_entry = _given_texts(summary)
    rows: list[list[object]] = [[*ranking_headers(summary, history), t("batch.given.title", summary.lang)]]
    stated = has_stated(summary)
    identity = summary.last_year is not None
    rows += [
        [*ranking_row(rank, entry, history, stated, identity), by_entry.get(entry.order, "")]
        for rank, entry in summary.ranked()
    ]
    if summary.missing:
        rows += [[], [missing_line(summary)]]
    if summary.others:  # after a blank row: the files that were no submission, each with why
        rows += [
            [],
            [
                t("batch.others_title", summary.lang, count=len(summary.others)),
                t("batch.problem", summary.lang),
            ],
        ]
        rows += [[o.place, problem.message] for o in summary.others for problem in o.problems]
    rows += [[mark] for mark in rubric_marks(summary)]  # a provisional or earlier year's rubric, said last
    return document(rows, to_stream=options.to_stream, number=_number)


def _given_texts(summary: Summary) -> dict[int, str]:
    """Each department's own and adjusted scores in one cell (by its input order)."""
    lang = summary.lang
    texts: dict[int, str] = {}
    for rank, entry in summary.ranked():
        if entry.overrides or entry.adjustments:
            listed = given.rows_of(summary, rank, entry)
            texts[entry.order] = "；".join(given.as_text(row, lang, shown) for row in listed)
    return texts
