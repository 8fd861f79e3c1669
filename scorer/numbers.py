"""Exact decimal numbers: reading them as people write them, rounding them as the rubric declares.

Floats never touch a score. Python's `round()` rounds half to even on binary floats, which the published tables
contradict in both directions; each indicator declares its own mode instead.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Context, Decimal, Inexact, InvalidOperation, Overflow, Underflow
from fractions import Fraction

# Each mode rounds an exact value (a Fraction) to a whole number of units of the last kept place.
# "half_up": 0.125 → 0.13, what the published tables use for most rows; "down": 9.888 → 9.88, truncation
# toward zero, as the tables do for budget_execution; "up" rounds toward +∞ and "floor" toward −∞.
ROUNDING_MODES = ("half_up", "down", "half_even", "up", "floor")

# Beyond this an input is surely a typing slip (the largest budgets are under a billion 万元).
MAX_MAGNITUDE = Decimal("1e12")

# Every number a result carries must print exactly as a JSON number (see to_json_number): at most 15
# significant digits, and no more decimal places than any rubric or department writes.
MAX_DIGITS = 15
MAX_PLACES = 10

Exact = Decimal | Fraction | int

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


@dataclass(frozen=True)
class Rounding:
    places: int
    mode: str

    def apply(self, value: Exact) -> Decimal:
        """Round an exact value once, to `places` decimals, by `mode`. Independent of any decimal context."""
        scaled = Fraction(value) * 10**self.places
        whole, rest = divmod(scaled.numerator, scaled.denominator)  # floor, and rest/denominator in [0, 1)
        if rest:
            whole += _round_up(self.mode, whole, 2 * rest, scaled.denominator)
        return from_units(whole, self.places)

    def fits(self, value: Exact) -> bool:
        """True when `value` has no more decimal places than this rounding keeps."""
        return (Fraction(value) * 10**self.places).denominator == 1

    def describe(self) -> str:
        return f"{self.places} places, {self.mode}"


def _round_up(mode: str, floor: int, twice_rest: int, denominator: int) -> int:
    """1 when the value floor + rest (0 < rest < 1) rounds to floor + 1 under `mode`, else 0."""
    if mode == "floor":
        return 0
    if mode == "up":
        return 1
    if mode == "down":  # toward zero
        return 1 if floor < 0 else 0
    if twice_rest != denominator:  # not a tie: to the nearer
        return 1 if twice_rest > denominator else 0
    if mode == "half_up":  # a tie goes away from zero
        return 0 if floor < 0 else 1
    return floor % 2  # half_even: to the even neighbour


def from_units(units: int, places: int) -> Decimal:
    """units × 10^-places as a Decimal with exactly `places` decimals; never -0."""
    sign = 1 if units < 0 else 0
    digits = tuple(int(d) for d in str(abs(units)))
    return Decimal((sign, digits, -places))


class NotANumber(ValueError):
    """The text is not a number as a department would write one; the message says why."""


def parse_number(value: object, *, percent: bool = False) -> Decimal:
    """Read a number from YAML: an int, a Decimal, or text such as "98.88%", "11,887.73" or "９８．８８".

    With `percent`, a trailing % (or ％) is allowed and dropped: the value is in percent units.
    """
    if isinstance(value, bool) or value is None:
        raise NotANumber("expected a number")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        number = _parse_text(value, percent)
    else:
        raise NotANumber("expected a number")
    problem = out_of_bounds(number)
    if problem:
        raise NotANumber(problem if problem.startswith("must") else f"{value} {problem}")
    return number.copy_abs() if number.is_zero() else number  # -0 is 0


def out_of_bounds(number: Decimal) -> str | None:
    """Why a number cannot be a department's or a rubric's value, or None. Context-free."""
    if not number.is_finite():
        return "must be a finite number"
    if number.is_zero():
        return None
    if number.adjusted() >= MAX_MAGNITUDE.adjusted():
        return "is too large to be right"
    _, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)
    kept = len(digits)
    while kept > 1 and digits[kept - 1] == 0:  # trailing zeros say nothing: 1.500 is 1.5
        kept -= 1
        exponent += 1
    if exponent < -MAX_PLACES:
        return f"has more than {MAX_PLACES} decimal places"
    if kept > MAX_DIGITS:
        return f"has more than {MAX_DIGITS} significant digits"
    return None


def _parse_text(text: str, percent: bool) -> Decimal:
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    cleaned = cleaned.replace("。", ".")
    if percent and cleaned.endswith("%"):
        cleaned = cleaned[:-1]
    elif cleaned.endswith("%"):
        raise NotANumber(f"'{text}' is a percentage, but a plain number is expected here")
    if _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(",", "")
    if not _PLAIN.match(cleaned):
        raise NotANumber(f"'{text}' is not a number")
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern above admits only valid decimals
        raise NotANumber(f"'{text}' is not a number") from None


def fmt(value: Exact) -> str:
    """A number as the tables print it: no exponent, no trailing zeros (94.20 → 94.2, 20.00 → 20), never -0.

    Context-free. A Fraction that is not a finite decimal is shown to 4 places (rounded half up).
    """
    if isinstance(value, Fraction | int):
        value = to_decimal(value)
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def to_decimal(value: Exact, places: int = 4) -> Decimal:
    """An exact value as a Decimal: exactly, when it is a finite decimal of at most `places` places."""
    if isinstance(value, Decimal):
        return value
    fraction = Fraction(value)
    return Rounding(places, "half_up").apply(fraction)


def to_json_number(value: Decimal) -> int | float:
    """A JSON number that prints exactly as `fmt` does.

    Python prints a float as the shortest text that reads back as the same float, so any decimal of at most
    15 significant digits prints back unchanged: 9.88 stays 9.88, never 9.879999.
    """
    if value == int(value):
        return int(value)
    as_float = float(value)
    if repr(as_float) != fmt(value):
        raise ValueError(f"{value} cannot be carried exactly by a JSON number")
    return as_float


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
