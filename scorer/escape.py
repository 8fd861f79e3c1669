"""Text from a file is data in every output: never a control code on a terminal, never markup in a document.

Departments and rubric maintainers write names, reasons and targets that end up on screens and in documents.
A stray ESC can recolour or rewrite a terminal, a bidi override can make `扣1分` read as something else, and a
`|` or `<script>` in a reason can break or hijack a Markdown table. Each output escapes what would act:
`visible` for terminals and logs, `markdown` for Markdown, `json_safe` for JSON text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from scorer.invisible import DRAWN_AS_NOTHING, drawn_as_nothing

# C0 controls but tab and newline, DEL, C1 controls, the invisible formatting characters that reorder or hide
# text (bidi embeddings, overrides and isolates, marks, line and paragraph separators), and what no XML document
# can carry nor any terminal encode (unpaired surrogates, as a file name with bytes that are not UTF-8 decodes;
# U+FFFE, U+FFFF). The patterns here are compiled by `re` when first used, not at import: compiling this one
# alone took a millisecond of the start.
_ACTING = (
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufeff\ufffe\uffff]"
)
# Characters that take no room and say nothing on their own: a name made only of these is empty.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me", "Cn", "Co", "Cs"}


def _escape(match: re.Match[str]) -> str:
    return _escaped(match.group())


def _escaped(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """Control and bidi characters shown as `\\x1b`, `\\u202e`…; newlines and tabs kept."""
    # All it escapes is unprintable, and most text has none of it.
    if text.replace("\n", " ").replace("\t", " ").isprintable():
        return text
    return re.sub(_ACTING, _escape, text)


def one_line(text: str) -> str:
    """`plain`, with line breaks shown as ⏎ so that one value stays on one line (messages, cells)."""
    return plain(text.replace("\r\n", "\n").replace("\n", " ⏎ ").replace("\r", "\\r"))


def plain(text: str) -> str:
    """`visible`, and each character drawn as nothing (scorer/invisible.py: a zero-width space, a variation
    selector, a filler, U+2800) shown as its escape too: in a message, two names that differ by one of them
    must not look alike (`财政局` and `财\u200b政局`). Documents keep them (`visible`): they are the text."""
    shown = visible(text)
    if shown.isascii() or (shown.replace("\t", " ").isprintable() and not _printable_nothing().search(shown)):
        return shown  # most text: what is drawn as nothing is unprintable, but for a few marks and fillers
    return "".join(_escaped(char) if drawn_as_nothing(char) else char for char in shown)


@cache
def _printable_nothing() -> re.Pattern[str]:
    """The characters drawn as nothing that Python counts as printable (variation selectors, fillers, U+2800)."""
    codes = sorted(ord(c) for c in DRAWN_AS_NOTHING if c.isprintable())
    spans: list[list[int]] = []
    for code in codes:  # as ranges: a class of single characters is slow to search
        if spans and spans[-1][1] == code - 1:
            spans[-1][1] = code
        else:
            spans.append([code, code])
    return re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in spans) + "]")


def is_blank(text: str) -> bool:
    """True when nothing visible is left: spaces, marks with nothing to mark, and the characters drawn as
    nothing (scorer/invisible.py: zero-width, fillers, variation selectors, controls, U+2800) only."""
    return all(unicodedata.category(ch) in _INVISIBLE_CATEGORIES or ch in DRAWN_AS_NOTHING for ch in text)


_JSON_ACTING = "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"


def json_safe(text: str) -> str:
    """JSON text (from json.dumps, which escapes C0 already) with C1 and bidi characters as \\uXXXX escapes:
    the same data, but nothing that acts on the terminal that shows it."""
    return re.sub(_JSON_ACTING, lambda m: f"\\u{ord(m.group()):04x}", text)


# CommonMark lets a backslash escape any ASCII punctuation; these are the ones that can start markup inline
# (user text never starts a line of ours, so list and heading markers need no escape).
_MARKDOWN_SPECIAL = r"([\\`*_\[\]|~])"


def markdown(text: str, *, in_table: bool = True) -> str:
    """Inline Markdown text that renders as exactly the characters given: markup escaped, tags as entities,
    line breaks as <br> in a table cell or spaces elsewhere, control characters visible."""
    text = visible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(_MARKDOWN_SPECIAL, r"\\\1", text)
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return ("<br>" if in_table else " ").join(line for line in lines if line)
