"""The characters drawn as nothing: what a name, a reason or a sheet's name may hold without it showing.

Written once, here, and used wherever `score` decides that two texts are one (`department_key`, `sheet_key`) or
that a text holds nothing visible (`escape.is_blank`). The set is Unicode's Default_Ignorable_Code_Point
(DerivedCoreProperties.txt, Unicode 15.1: soft hyphen, combining grapheme joiner, Hangul fillers, Khmer inherent
vowels, Mongolian variation selectors and vowel separator, zero-width and bidi characters, invisible operators,
variation selectors, the byte order mark, the tag characters and the reserved planes' ranges), the characters of
category Cf (format) and Cc (controls) besides, and the characters that look blank yet are not White_Space
(U+2800 BRAILLE PATTERN BLANK). White space is not in it: it separates words, and is collapsed, not removed.
"""

from __future__ import annotations

import unicodedata

_RANGES = (  # Default_Ignorable_Code_Point, as DerivedCoreProperties.txt lists it
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
_BLANK_LOOKING = (0x2800,)  # drawn blank, but not White_Space
DRAWN_AS_NOTHING = frozenset(
    [chr(code) for first, last in _RANGES for code in range(first, last + 1)] + list(map(chr, _BLANK_LOOKING))
)


def drawn_as_nothing(char: str) -> bool:
    """Whether a character is drawn as nothing (white space aside, which is drawn as space)."""
    if char.isspace():
        return False
    return char in DRAWN_AS_NOTHING or unicodedata.category(char) in ("Cf", "Cc")


def without_invisible(text: str) -> str:
    """The text with every character drawn as nothing taken out."""
    return "".join(char for char in text if not drawn_as_nothing(char))
