"""How Excel shows a cell, as far as a 自评表 reader must know it: a number through its number format ("98.88%" for
0.9888 shown as a percentage, "0.8" for 0.82 shown with one decimal), a format that shows nothing (";;;", a zero
section left empty), text in the colour of its background. Used by scorer/sources/grid_xlsx.py.

Excel picks a format's section by the value: the first for a positive number (for any number where there is one
section), the second for a negative one, the third for zero, the fourth for text. Formats this reader does not
follow (dates, scientific, fractions, scaled by thousands) leave the value as stored.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import Any

from scorer.numbers import out_of_bounds

_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')  # quoted text, escapes, [colours], padding, fills
_SHOWS_TEXT = re.compile(r'"[^"]+"|\\.|[^\s\[\]_*]')  # what makes a section show something
_SCALED = re.compile(r"[0#?],+(?![0#?])")  # "0.0," shows thousands
_WHITE = "FFFFFF"
_SYSTEM_BACKGROUND = 65  # the indexed colour of the window's background
_LEGIBLE = 4  # points: smaller text is a dot on screen and on paper (forms are set in 9 to 12)
# Wide enough for any number within the bounds; Excel rounds half away from zero; whatever the caller's context.
_CONTEXT = Context(prec=60, rounding=ROUND_HALF_UP, traps=[InvalidOperation])


def sections(number_format: str) -> list[str]:
    """The format's sections, split at each ";" outside quoted text and escapes."""
    parts: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    for char in number_format:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    return [*parts, "".join(current)]


def _section(value: Any, parts: list[str]) -> str | None:
    """The section that shows `value`, or None where a text is shown as it is."""
    if isinstance(value, str):
        return parts[3] if len(parts) >= 4 else None
    if value < 0 and len(parts) >= 2:
        return parts[1]
    if value == 0 and len(parts) >= 3:
        return parts[2]
    return parts[0]


def shows_nothing(value: Any, number_format: str) -> bool:
    """Whether the format shows nothing of this value (";;;", or "0;-0;" for a zero)."""
    if (
        number_format in ("General", "@", "")
        or not isinstance(value, str | int | float)
        or isinstance(value, bool)
    ):
        return False  # a date or time is shown by its format's date codes; TRUE and FALSE as they are
    section = _section(value, sections(number_format))
    return section is not None and not _SHOWS_TEXT.search(re.sub(r"\[[^\]]*\]|_.|\*.", "", section))


def shown_number(value: float, number_format: str) -> tuple[str, bool]:
    """A number as its format shows it, and whether that is another number than the cell holds (rounded); the
    stored number, exactly, where the format is General or one this reader does not follow."""
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    places = _places(value, number_format)
    if places is None or not exact.is_finite() or out_of_bounds(exact):  # the reader says what is wrong
        return format(exact, "f"), False
    fixed, most, percent = places
    number = exact.scaleb(2, _CONTEXT) if percent else exact
    shown = number.quantize(Decimal(1).scaleb(-most, _CONTEXT), context=_CONTEXT)
    text = format(shown, "f")
    while "." in text and len(text.split(".")[1]) > fixed and text.endswith("0"):
        text = text[:-1]
    return text.rstrip(".") + ("%" if percent else ""), shown != number


def _places(value: float, number_format: str) -> tuple[int, int, bool] | None:
    """The decimals a format always shows, the most it shows, and whether as a percentage; None where it is
    General, a date or time, text, or a format not followed (scientific, fractions, scaled by thousands)."""
    from openpyxl.styles.numbers import is_date_format

    if number_format in ("General", "@", "") or is_date_format(number_format):
        return None
    section = _LITERALS.sub("", _section(value, sections(number_format)) or "")
    if (
        section.lower() in ("", "general", "@")
        or not any(char in section for char in "0#?")
        or any(char in section for char in "eE/")
        or _SCALED.search(section)
    ):
        return None
    decimals = section.split(".", 1)[1] if "." in section else ""
    return sum(c in "0?" for c in decimals), sum(c in "0#?" for c in decimals), "%" in section


def invisible(cell: Any) -> bool:
    """Whether a cell's text has its background's colour: white on no fill or on white, or one colour on the same
    solid colour (as far as the colours are written out; a theme's are taken as the default theme's)."""
    font = cell.font.color if cell.font is not None else None
    text = _rgb(font)
    if text is None:
        return False
    fill = cell.fill
    if fill is None or fill.fill_type is None:
        return text == _WHITE
    return fill.fill_type == "solid" and _rgb(fill.fgColor) == text


def _rgb(color: Any) -> str | None:
    """A colour as RRGGBB, where it is written as one, or as the default theme's white, or as an index into the
    default palette; else None."""
    if color is None:
        return None
    if getattr(color, "type", None) == "rgb" and isinstance(color.rgb, str):
        return color.rgb[-6:].upper()
    if getattr(color, "type", None) == "theme" and color.theme == 0 and not color.tint:
        return _WHITE  # the default theme's first colour, the window's background
    if getattr(color, "type", None) == "indexed" and isinstance(color.indexed, int):
        from openpyxl.styles.colors import COLOR_INDEX

        if color.indexed == _SYSTEM_BACKGROUND:
            return _WHITE
        if 0 <= color.indexed < len(COLOR_INDEX):  # the default palette: 1 and 9 are white
            return COLOR_INDEX[color.indexed][-6:].upper()
    return None


# A number format whose display this reader computes exactly: digits (0 # ?), at most one decimal point, thousands
# separators inside the digits, and a percent sign at the end. Anything else in a section (quoted or escaped text,
# [colours], [conditions], fractions, exponents, scaling commas, padding, fills, dates) shows what it likes; only
# a unit the form itself reads after a number (分, points: scorer/audit/words.py) may follow in quotes.
_PLAIN_SECTION = re.compile(
    r'(?:[#0?]+(?:,[#0?]+)*(?:\.[#0?]*)?%?|general)(?:" ?(?:分|points?)")?', re.IGNORECASE
)


def readable_format(value: Any, number_format: str) -> bool:
    """Whether the format shows this cell as something the reader can read back exactly: a text through no text
    section (or one that is only "@"); a number through General or a plain section (a negative one only as the
    positive one with a minus sign in front). A section the format leaves empty shows nothing (`shows_nothing`)."""
    if number_format in ("General", "@", ""):
        return True
    parts = sections(number_format)
    if isinstance(value, str):
        text = parts[3] if len(parts) >= 4 else (parts[0] if len(parts) == 1 and "@" in parts[0] else None)
        return text is None or text.strip() in ("", "@")
    if not isinstance(value, int | float) or isinstance(value, bool):
        return True  # a date or time is read by the form as text, TRUE and FALSE are shown as they are
    if len(parts) > 4 or any("[" in part for part in parts):  # [conditions] choose sections; [colours] hide
        return False
    section = _section(value, parts) or ""
    if value < 0 and len(parts) >= 2:
        if not section.startswith("-") or section[1:] != parts[0]:
            return False  # "0.00;0.00" shows -9.88 as 9.88
        section = section[1:]
    return section == "" or _PLAIN_SECTION.fullmatch(section) is not None


def font_hides(font: Any, alignment: Any = None) -> bool:
    """Whether a font (a cell's or a rich text run's) hides what it is given: under 4 points, struck through; or
    an alignment that repeats the text to fill the cell (a number shown as '9.889.889.88'). A whole cell's colour
    is judged against its fill by `invisible`."""
    if alignment is not None and getattr(alignment, "horizontal", None) == "fill":
        return True
    if font is None:
        return False
    size = getattr(font, "sz", None) if getattr(font, "sz", None) is not None else getattr(font, "size", None)
    if size is not None and float(size) < _LEGIBLE:
        return True
    return bool(getattr(font, "strike", None))


def run_hidden(value: Any, cell: Any = None) -> bool:
    """Whether a rich text holds a run its font hides (tiny, struck through, or in its background's colour: white
    on no fill or on white, the fill's own colour on a solid fill)."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock

    if not isinstance(value, CellRichText):
        return False
    fill: Any = getattr(cell, "fill", None)
    background = _rgb(fill.fgColor) if fill is not None and fill.fill_type == "solid" else _WHITE
    return any(
        isinstance(run, TextBlock)
        and run.text.strip()
        and (font_hides(run.font) or _rgb(getattr(run.font, "color", None)) == background)
        for run in value
    )
