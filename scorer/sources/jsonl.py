"""JSON Lines: one inputs document (Contract 1, written as JSON) per line, for batches of departments.

Each line is read on its own, so one broken line refuses one department, never the file. Numbers stay exact
(`98.88` is the Decimal 98.88), a key given twice is an error as in YAML, and NaN or Infinity are refused.
Every problem of a line is located at `file:line`.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from scorer.errors import LineMap, Location, UserError
from scorer.facts import fact
from scorer.numbers import NotANumber, json_decimal, json_whole
from scorer.sources.limits import MAX_FILE_BYTES
from scorer.sources.yaml import YamlDocument, open_regular

MAX_LINE_BYTES = MAX_FILE_BYTES  # one department's document is never larger than a YAML file may be


class _Duplicate(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise _Duplicate(key)
        data[key] = value
    return data


def _no_constant(name: str) -> Any:
    raise ValueError(name)


# What Python's JSON reader says of a syntax error, in the catalogue's words.
_JSON_WORDS = {
    "Expecting value": "jsonl.expecting_value",
    "Expecting property name enclosed in double quotes": "jsonl.expecting_key",
    "Expecting ',' delimiter": "jsonl.expecting_comma",
    "Expecting ':' delimiter": "jsonl.expecting_colon",
    "Unterminated string starting at": "jsonl.unterminated_string",
    "Extra data": "jsonl.extra_data",
    "Invalid control character at": "jsonl.control_character",
}


def parse_line(text: str, display: str, line: int) -> YamlDocument:
    """One line's document, every value located at the line."""
    where = Location(display, line)
    try:
        data = json.loads(
            text,
            parse_float=json_decimal,
            parse_int=json_whole,
            parse_constant=_no_constant,
            object_pairs_hook=_no_duplicates,
        )
    except _Duplicate as exc:
        raise UserError.at(where, fact("jsonl.duplicate_key", key=str(exc))) from None
    except json.JSONDecodeError as exc:
        detail = fact(_JSON_WORDS[exc.msg]) if exc.msg in _JSON_WORDS else exc.msg
        raise UserError.at(where, fact("jsonl.syntax", detail=detail, column=exc.colno)) from None
    except (
        ValueError,
        RecursionError,
    ) as exc:  # NaN, Infinity, a number of thousands of digits, deep nesting
        # A number's fact is worded within 80 characters (its value is shown cut to 40); any other text is cut here.
        detail = exc.fact if isinstance(exc, NotANumber) else str(exc)[:80]
        raise UserError.at(where, fact("jsonl.bad_value", detail=detail)) from None
    if _SURROGATE_ESCAPE.search(text) and (char := _lone_surrogate(data)):
        raise UserError.at(where, fact("jsonl.lone_surrogate", escape=f"\\u{ord(char):04x}"))
    return YamlDocument(display, data, LineMap({(): line}))


# JSON may escape half of a UTF-16 pair on its own ("\ud800"): Python reads it as a lone surrogate, which no
# file, terminal or workbook can hold (the YAML reader refuses such an escape as it reads). A pair
# ("\ud83d\ude00") reads as one character. Lines without such an escape are not searched.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")


def _lone_surrogate(value: Any) -> str | None:
    """The first lone surrogate in a document's keys and texts, or None."""
    if isinstance(value, str):
        return next((char for char in value if "\ud800" <= char <= "\udfff"), None)
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found = (_lone_surrogate(key) if isinstance(key, str) else None) or _lone_surrogate(item)
        if found:
            return found
    return None


def read_lines(path: Path, display: str) -> Iterator[tuple[int, str | UserError]]:
    """Each non-blank line with its number, as text, or the problem that keeps it from being read. The file is
    read a line at a time: a batch of a million departments takes no more memory than one."""
    handle = os.fdopen(open_regular(path, display), "rb")  # a regular file: never a device or a pipe
    with handle:
        number = 0
        while True:
            raw = handle.readline(MAX_LINE_BYTES + 1)
            if not raw:
                return
            number += 1
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):  # skip the rest of the long line
                    raw = handle.readline(1 << 20)
                yield (
                    number,
                    UserError.at(
                        Location(display, number), fact("jsonl.line_too_long", limit=f"{MAX_LINE_BYTES:,}")
                    ),
                )
                continue
            if number == 1 and raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: no line reads
                raise UserError.at(Location(display), fact("jsonl.utf16"))
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]  # a byte-order mark, as some Windows tools write
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield number, UserError.at(Location(display, number), fact("yaml.not_utf8", byte=exc.start))
                continue
            if text.strip():
                yield number, text
