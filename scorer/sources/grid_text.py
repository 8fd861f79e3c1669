"""A 自评表 copied out of Excel or Word as text: tab-separated cells, one row a line, as departments paste it.

Read as UTF-8, UTF-16 with its mark (Excel's "Unicode text") or GB18030 (GBK), which Excel on Chinese Windows
saves (scorer/sources/encoding.py). A cell Excel quotes ("…") may hold line breaks; a cell copied from Word may
break a row over several lines without quotes: when the table pads its rows to one width (as copies from Excel and
Word do), a short line followed by lines that make up the rest of the row is joined back into one row. Every cell keeps the line it starts on.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

from scorer.errors import Location, UserError
from scorer.facts import fact
from scorer.sources.grid import Grid, GridRow, clean, norm
from scorer.sources.yaml import read_bytes


def read_table_text(path: Path, display: str, labels: frozenset[str] = frozenset()) -> Grid:
    """The table's rows; `labels` are the words that open a row of the form (总分, 评价等级, …)."""
    text = decode(read_bytes(path, display), display)
    if not text.strip():
        raise UserError.at(Location(display), fact("audit.read.empty"))
    records = _records(text, display)
    return Grid(display, tuple(_join_broken_rows(records, labels)))


def decode(raw: bytes, display: str) -> str:
    """UTF-8, UTF-16 with its mark (Excel's "Unicode text"), GBK/GB18030 (scorer/sources/encoding.py)."""
    from scorer.sources.encoding import detect

    utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
    if b"\x00" in raw and not utf16:  # a binary file: not a pasted table
        raise UserError.at(Location(display), fact("audit.read.binary"))
    text = raw.decode(detect(raw, display))
    if "\x00" in text:
        raise UserError.at(Location(display), fact("audit.read.binary"))
    return text


def _records(text: str, display: str) -> list[GridRow]:
    """Rows of cells, each cell with the line it starts on. Quoted cells may span lines (as Excel copies them)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    reader = csv.reader(lines, dialect="excel-tab", strict=False)
    rows: list[GridRow] = []
    limit = csv.field_size_limit()
    try:
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # the file's size is bounded already
        start = 1
        for record in reader:
            end = reader.line_num
            rows.append(GridRow(tuple(record), tuple(_cell_lines(record, start))))
            start = end + 1
    except csv.Error as exc:
        raise UserError.at(
            Location(display, reader.line_num), fact("audit.read.bad_text", why=str(exc))
        ) from None
    finally:
        csv.field_size_limit(limit)
    return rows


def _cell_lines(record: list[str], start: int) -> list[int]:
    """The line each cell starts on: a cell holding line breaks moves the next ones down."""
    out, line = [], start
    for cell in record:
        out.append(line)
        line += cell.count("\n")
    return out


def _join_broken_rows(rows: list[GridRow], labels: frozenset[str]) -> list[GridRow]:
    """Join a row broken over several lines (a line break inside a cell, copied without quotes).

    Only where the table pads its rows to one width: a line shorter than the full rows around it, followed by a
    short line whose cells make up the rest of the width, is one row whose cell continues on the next line. A
    line that opens with one of the form's labels (总分, 评价等级, …) always starts a row."""
    out: list[GridRow] = []
    index = 0
    while index < len(rows):
        row = rows[index]
        width = _padded_width(rows, index)
        while (
            0 < len(row.cells) < width
            and index + 1 < len(rows)
            and 0 < len(rows[index + 1].cells) < width
            and len(row.cells) + len(rows[index + 1].cells) - 1 <= width
            and norm(clean(rows[index + 1].cells[0])) not in labels
        ):
            following = rows[index + 1]
            cells = (*row.cells[:-1], row.cells[-1] + "\n" + following.cells[0], *following.cells[1:])
            row = GridRow(cells, (*row.where, *following.where[1:]))
            index += 1
        out.append(row)
        index += 1
    return out


def _padded_width(rows: list[GridRow], index: int) -> int:
    """The width the table pads its rows to around `index`, or 0 where its rows are not padded (then nothing is
    joined). Padded: the rows near share one width, and either some of them end in blank cells (the padding) or
    all but two of them have it."""
    near = [r.cells for r in rows[max(0, index - 6) : index + 7] if len(r.cells) > 1]
    if not near:
        return 0
    width, count = Counter(len(cells) for cells in near).most_common(1)[0]
    padding = any(len(cells) == width and not cells[-1].strip() for cells in near)
    return width if count >= 3 and (padding or len(near) - count <= 2) else 0
