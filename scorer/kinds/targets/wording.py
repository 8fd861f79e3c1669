"""A target's wording read once, then each text of that wording read by putting its number in.

Departments write the same few wordings with different numbers: `≥50次`, `≥182次`, `≤3天`, `90%以上`. A text
of one plain number (ASCII digits, at most one point) between words without digits is split into its wording
(the words before and after) and its number. The wording is read once by the full reader (scorer/kinds/
targets/text.py) with the probe numbers 1 and 0, which says everything about it that does not depend on the
number: its label, direction, strictness, unit and sign. Each later text of the wording takes that part with its
own number. What depends on the number is decided as the full reader decides it: a number out of bounds, or a
negative one of a unit that cannot be negative, goes to the full reader for its message; a bare rate (`95%`)
is a level to reach unless it is 0. A wording the full reader refuses is never kept: its texts are read in full.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache

from scorer.kinds.targets.model import Expression, Part
from scorer.kinds.targets.words import MAX_TEXT_LENGTH
from scorer.numbers import out_of_bounds

# Words without an ASCII digit, one plain number, words without an ASCII digit: linear, nothing to backtrack.
_ONE_NUMBER = re.compile(r"([^0-9]*)([0-9]+(?:\.[0-9]+)?)([^0-9]*)")

Reader = Callable[[object, bool], Expression]


def read_by_wording(text: str, reading_actual: bool, full: Reader) -> Expression | None:
    """The text read through its wording, or None when the full reader must read it (`full`, with the probes)."""
    if len(text) > MAX_TEXT_LENGTH:
        return None
    found = _ONE_NUMBER.fullmatch(text)
    if found is None:
        return None
    before, digits, after = found.groups()
    wording = _wording(before, after, reading_actual, full)
    if wording is None:
        return None
    number = Decimal(digits)
    if len(digits) > 12 and out_of_bounds(number) is not None:  # 12 characters are within every bound
        return None
    positive, zero = wording
    like = positive if number else zero
    # Signed as the full reader signs it: never -0 (a unit that cannot be negative was refused at the probe).
    signed = -number if number and positive.number < 0 else number
    return Expression(text, (Part(like.label, like.direction, like.strict, signed, like.unit),))


@lru_cache(maxsize=1024)
def _wording(before: str, after: str, reading_actual: bool, full: Reader) -> tuple[Part, Part] | None:
    """The part the wording reads as with the numbers 1 and 0; None when it is not one part of one number."""
    try:
        one = full(before + "1" + after, reading_actual)
        zero = full(before + "0" + after, reading_actual)
    except ValueError:  # TargetError: the wording itself is refused, whatever the number
        return None
    if len(one.parts) != 1 or len(zero.parts) != 1 or abs(one.parts[0].number) != 1 or zero.parts[0].number:
        return None
    return one.parts[0], zero.parts[0]
