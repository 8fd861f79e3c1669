"""The batch ranking as CSV, for Excel and for other programs: one row per department, highest total first.

Written by scorer/render/csv_cells.py: to a file as UTF-8 with a byte-order mark (without it Excel, also on
Chinese Windows, opens the Chinese names as mojibake) and CRLF line ends; to standard output with `\n`. A text
cell that a spreadsheet would take for a formula (`=…`, `+…`, `-…`, `@…`) is written with a leading apostrophe,
so that it stays text. Numbers are written with two decimals, as the terminal shows them (a value with more places
in full, never rounded).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal

from scorer.batch.report import given
from scorer.batch.report.common import (
    every_rubric_marks,
    group_line,
    has_history,
    has_stated,
    missing_line,
    ranking_headers,
    ranking_row,
    rubric_groups,
    shown,
)
from scorer.batch.summary import Entry, Summary
from scorer.i18n import t
from scorer.render.csv_cells import lines
from scorer.render.options import RenderOptions
from scorer.render.problems import words


def _number(value: Decimal | int) -> str:
    return shown(value) if isinstance(value, Decimal) else str(value)  # two places, as the 自评表 writes them


def render(summary: Summary, options: RenderOptions) -> str | bytes:
    text = "".join(pieces(summary, options))
    return text if options.to_stream else text.encode("utf-8")  # its first piece is the byte-order mark


def pieces(summary: Summary, options: RenderOptions) -> Iterator[str]:
    """The CSV a row at a time, made from the packed entries in ranking order: never held whole."""
    return lines(_rows(summary), to_stream=options.to_stream, number=_number)


def _rows(summary: Summary) -> Iterator[Sequence[object]]:
    """The batch's own rubric's ranking, then each other rubric's (after a blank row and its heading), each row
    naming its rubric when there are several; then what was refused or is no submission."""
    named = bool(summary.groups)
    yield from _ranking(summary, named)
    for group in rubric_groups(summary):
        yield from ([], [group_line(group)])
        yield from _ranking(group, named)
    if summary.missing:
        yield from ([], [missing_line(summary)])
    if summary.others:  # after a blank row: the files that were no submission, each with why
        yield []
        yield [
            t("batch.others_title", summary.lang, count=len(summary.others)),
            t("batch.problem", summary.lang),
        ]
        yield from ([o.place, words(problem, summary.lang)] for o in summary.others for problem in o.problems)
    yield from (
        [mark] for mark in every_rubric_marks(summary)
    )  # a provisional or earlier year's rubric, last


def _ranking(summary: Summary, named: bool) -> Iterator[Sequence[object]]:
    """One rubric's ranking; `named`: with the rubric in a last column (a batch of several rubrics)."""
    history = has_history(summary)
    rubric = [t("batch.rubric", summary.lang)] if named else []
    yield [*ranking_headers(summary, history), t("batch.given.title", summary.lang), *rubric]
    stated = has_stated(summary)
    identity = summary.last_year is not None
    rubric = [summary.rubric] if named else []
    for rank, entry in summary.ranked():
        yield [
            *ranking_row(rank, entry, history, stated, identity),
            _given_text(summary, rank, entry),
            *rubric,
        ]


def _given_text(summary: Summary, rank: int, entry: Entry) -> str:
    """A department's own and adjusted scores in one cell."""
    if not (entry.overrides or entry.adjustments):
        return ""
    listed = given.rows_of(summary, rank, entry)
    return "；".join(given.as_text(row, summary.lang, shown) for row in listed)
