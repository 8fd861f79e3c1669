"""The batch ranking as CSV, for Excel and for other programs: one row per department, highest total first.

Written as UTF-8 with a byte-order mark, which is how Excel (also on Chinese Windows) knows to read it as UTF-8:
without it the Chinese names would open as mojibake. A text cell that a spreadsheet would take for a formula
(`=…`, `+…`, `-…`, `@…`) is written with a leading apostrophe, so that it stays text. Numbers are written with two
decimals, as the terminal shows them (a value with more places in full, never rounded).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from scorer.batch.summary import Summary
from scorer.escape import visible
from scorer.render.batch_common import has_history, ranking_headers, ranking_row, shown
from scorer.render.options import RenderOptions

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    if isinstance(value, Decimal):
        return shown(value)  # two places, as the terminal and the 自评表 write them (more places in full)
    text = visible(str(value))
    return "'" + text if text.startswith(_FORMULA_START) else text


def render(summary: Summary, options: RenderOptions) -> bytes:
    history = has_history(summary)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(ranking_headers(summary, history))
    for rank, entry in summary.ranked():
        writer.writerow([cell(value) for value in ranking_row(rank, entry, history)])
    return buffer.getvalue().encode("utf-8-sig")
