"""Exact decimal numbers: reading them as people write them, within bounds, summing them exactly.
Rounding them as the rubric declares and writing them as the tables do is scorer/rounding.py.

Floats never touch a score. Python's `round()` rounds half to even on binary floats, which the published tables
contradict in both directions; each indicator declares its own mode instead.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Context, Decimal, Inexact, InvalidOperation, Overflow, Underflow
from fractions import Fraction

from scorer.facts import Fact, fact
from scorer.immutable import reused
from scorer.rounding import Rounding, from_units

# Beyond this an input is surely a typing slip (the largest budgets are under a billion 万元).
MAX_MAGNITUDE = Decimal("1e12")

# Every number a result carries must print exactly as a JSON number (see to_json_number): at most 15
# significant digits, and no more decimal places than any rubric or department writes.
MAX_DIGITS = 15
MAX_PLACES = 10

# Sums and differences of bounded values are exact in this context; anything inexact is a bug and raises.
# Used explicitly (EXACT.add, EXACT.subtract), so the caller's decimal context never changes a result.
EXACT = Context(prec=60, Emax=99, Emin=-99, traps=[InvalidOperation, Inexact, Overflow, Underflow])


def total(values: Iterable[Decimal]) -> Decimal:
    """The exact sum of decimals, whatever the caller's decimal context."""
    result = Decimal(0)
    for value in values:
        result = EXACT.add(result, value)
    return result


_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


class NotANumber(ValueError):
    """The text is not a number as a department would write one; `fact` says why (worded where it is shown)."""

    def __init__(self, why: Fact):
        super().__init__(why)
        self.fact = why


def parse_number(value: object, *, percent: bool = False) -> Decimal:
    """Read a number from YAML: an int, a Decimal, or text such as "98.88%", "11,887.73" or "９８．８８".

    With `percent`, a trailing % (or ％) is allowed and dropped: the value is in percent units.
    """
    if isinstance(value, bool) or value is None:
        raise NotANumber(fact("number.expected"))
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        number = _parse_text(value, percent)
    else:
        raise NotANumber(fact("number.expected"))
    problem = out_of_bounds(number)
    if problem:
        raise NotANumber(
            problem
            if not number.is_finite()
            else fact("number.value_problem", value=str(value), problem=problem)
        )
    return number.copy_abs() if number.is_zero() else number  # -0 is 0


def out_of_bounds(number: Decimal) -> Fact | None:
    """Why a number cannot be a department's or a rubric's value, or None. Context-free.

    Said after the number ("1E+13 is too large to be right"), except for a number that is not finite, whose
    message stands alone ("must be a finite number")."""
    if not number.is_finite():
        return fact("number.not_finite")
    if number.is_zero():  # 0.0e-999999999 is zero, but written out it is a billion zeros
        exponent = number.as_tuple().exponent
        assert isinstance(exponent, int)
        if exponent < -MAX_PLACES:
            return fact("number.too_many_places", places=MAX_PLACES)
        return fact("number.too_large") if exponent >= MAX_MAGNITUDE.adjusted() else None
    if number.adjusted() >= MAX_MAGNITUDE.adjusted():
        return fact("number.too_large")
    _, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)
    kept = len(digits)
    while kept > 1 and digits[kept - 1] == 0:  # trailing zeros say nothing: 1.500 is 1.5
        kept -= 1
        exponent += 1
    if exponent < -MAX_PLACES:
        return fact("number.too_many_places", places=MAX_PLACES)
    if kept > MAX_DIGITS:
        return fact("number.too_many_digits", digits=MAX_DIGITS)
    return None


def json_decimal(text: str) -> Decimal:
    """A JSON number with a fraction or an exponent, as the exact Decimal it writes, refused as it is read
    (NotANumber, a ValueError, saying why) when out of bounds: `1e999999999` must not reach anything that would write out or
    convert its billion digits. For `json.loads(parse_float=…)`."""
    number = Decimal(text)
    problem = out_of_bounds(number)
    if problem is not None:
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise NotANumber(fact("number.value_problem", value=shown, problem=problem))
    return number


def json_whole(text: str) -> int:
    """A JSON whole number, bounded as `json_decimal` bounds one. For `json.loads(parse_int=…)`."""
    if len(text) <= MAX_MAGNITUDE.adjusted():  # at most 12 characters: below 10¹², the usual count or line
        return int(text)
    json_decimal(text)
    return int(text)


def _parse_text(text: str, percent: bool) -> Decimal:
    if len(text) > 60:
        raise NotANumber(fact("number.not_a_number", text=text[:37] + "..."))
    if text.isascii() and _PLAIN.fullmatch(text):  # "98.88" as most write it: nothing to clean, read as it is
        return Decimal(text)
    for char in text:  # NFKC would read "9⁶" as 96 and "①⓪" as 10: only 0-9 and full-width digits are digits
        if unicodedata.category(char) == "No" or (
            char.isdigit() and not ("0" <= char <= "9" or "０" <= char <= "９")
        ):
            raise NotANumber(fact("number.odd_digit", text=text, char=char))
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    cleaned = cleaned.replace("。", ".")
    if percent and cleaned.endswith("%"):
        cleaned = cleaned[:-1]
    elif cleaned.endswith("%"):
        raise NotANumber(fact("number.percent_not_allowed", text=text))
    if _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(",", "")
    if not _PLAIN.match(cleaned):
        raise NotANumber(fact("number.not_a_number", text=text))
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern above admits only valid decimals
        raise NotANumber(fact("number.not_a_number", text=text)) from None


@reused(maxsize=4096)  # weights, scores and amounts repeat from one result to the next
def to_json_number(value: Decimal) -> int | float:
    """A JSON number that prints exactly as `fmt` does.

    Python prints a float as the shortest text that reads back as the same float, so any decimal of at most
    15 significant digits prints back unchanged: 9.88 stays 9.88, never 9.879999.
    """
    numerator, denominator = value.as_integer_ratio()
    if denominator == 1:
        return numerator
    number = float(value)
    if Decimal(repr(number)) != value:  # 1e-05 is the same number as 0.00001
        raise ValueError(f"{value} cannot be carried exactly by a JSON number")
    return number


# ---- display of target completions (exact fractions, rounded once for the eye) ----

_SHOWN = Rounding(4, "half_up")  # a completion in the JSON: a ratio to 4 places
_PERCENT = Rounding(2, "half_up")  # a completion in the texts: a percentage to 2 places


def percent(ratio: Fraction) -> Decimal:
    """A ratio as a percentage to 2 places, rounded half up: for display only."""
    return _PERCENT.apply(ratio * 100)


def rounded_short_of(whole: int, value: Fraction, rounding: Rounding, met: bool) -> Decimal:
    """`value` rounded, but a missed target's completion stays below `whole` (0.99996 shows as 0.9999, not 1)."""
    shown = rounding.apply(value)
    if met or shown < whole:
        return shown
    return from_units(whole * 10**rounding.places - 1, rounding.places)


def completion_shown(completion: Fraction, met: bool) -> Decimal:
    """A target's completion as a ratio to 4 places; a missed target's never shows as 1."""
    return rounded_short_of(1, completion, _SHOWN, met)


def completion_percent(completion: Fraction, met: bool) -> Decimal:
    """A target's completion as a percentage to 2 places; a missed target's never shows as 100."""
    return rounded_short_of(100, completion * 100, _PERCENT, met)
