"""The one way `score` writes CSV (`score batch -f csv`, `score template --batch`), to a file or to a stream.

- A text that a spreadsheet would take for a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
  return, OWASP's list for CSV injection, also after spaces or line breaks) is written with a leading
  apostrophe, so that it stays text. Only text
  is: a number `score` writes (`-0.53`, a change since last year) is written as the number it is.
- Control characters are shown escaped (`\\x1b`), as everywhere else.
- To a file: UTF-8 with a byte-order mark, which is how Excel (also on Chinese Windows) knows to read it as
  UTF-8, and lines ending in CRLF, as RFC 4180 and Excel have them. To a text stream (standard output): lines
  ending in `\\n`, which the stream turns into its platform's line end; the csv module's `\\r\\n` written to a
  text stream on Windows would arrive as `\\r\\r\\n`, a blank line between every two rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal

from scorer.escape import visible

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object, number: Callable[[Decimal | int], str] = str) -> str:
    """One cell's text: a number (never bool) as `number` writes it, text escaped and kept text."""
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return number(value)
    text = visible("" if value is None else str(value))
    return "'" + text if text.lstrip(" \n").startswith(FORMULA_START) else text  # " =1+1" too


def document(
    rows: Iterable[Iterable[object]], *, to_stream: bool, number: Callable[[Decimal | int], str] = str
) -> str | bytes:
    """The rows as CSV: bytes for a file (BOM, CRLF), text for a text stream (`\\n`)."""
    text = "".join(lines(rows, to_stream=to_stream, number=number))
    return text if to_stream else text.encode("utf-8")  # the byte-order mark is the first line's


def lines(
    rows: Iterable[Iterable[object]], *, to_stream: bool, number: Callable[[Decimal | int], str] = str
) -> Iterator[str]:
    """The rows as CSV, one row's text at a time (a file's first with the byte-order mark `\\ufeff`), so that a
    long table is written as it is made, never held whole."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n" if to_stream else "\r\n")
    if not to_stream:
        yield "\ufeff"
    for row in rows:
        writer.writerow([cell(value, number) for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
