"""Exact decimal numbers: reading them as people write them, rounding them as the rubric declares.

Floats never touch a score. Python's `round()` rounds half to even on binary floats, which the published tables
contradict in both directions; each indicator declares its own mode instead.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Decimal,
    InvalidOperation,
)

ROUNDING_MODES = {
    "half_up": ROUND_HALF_UP,  # 0.125 → 0.13: what the published tables use for most rows
    "down": ROUND_DOWN,  # 9.888 → 9.88: truncation, as the tables do for budget_execution
    "half_even": ROUND_HALF_EVEN,
    "up": ROUND_CEILING,
    "floor": ROUND_FLOOR,
}

# Beyond this an input is surely a typing slip (the largest budgets are under a billion 万元).
MAX_MAGNITUDE = Decimal("1e12")

# Every number a result carries must print exactly as a JSON number (see to_json_number).
MAX_DIGITS = 15

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


@dataclass(frozen=True)
class Rounding:
    places: int
    mode: str

    def apply(self, value: Decimal) -> Decimal:
        return value.quantize(Decimal(1).scaleb(-self.places), rounding=ROUNDING_MODES[self.mode])

    def fits(self, value: Decimal) -> bool:
        """True when `value` has no more decimal places than this rounding keeps."""
        return value == value.quantize(Decimal(1).scaleb(-self.places), rounding=ROUND_DOWN)

    def describe(self) -> str:
        return f"{self.places} places, {self.mode}"


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
    if not number.is_finite():
        raise NotANumber("must be a finite number")
    if abs(number) >= MAX_MAGNITUDE:
        raise NotANumber(f"{value} is too large to be right")
    if len(number.as_tuple().digits) > MAX_DIGITS:
        raise NotANumber(f"{value} has more than {MAX_DIGITS} significant digits")
    return number + 0  # normalise -0 and the context


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


def fmt(value: Decimal) -> str:
    """A decimal as the tables print it: no exponent, no trailing zeros (94.20 → 94.2, 20.00 → 20)."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def to_json_number(value: Decimal) -> int | float:
    """A JSON number that prints exactly as `fmt` does.

    Python prints a float as the shortest text that reads back as the same float, so any decimal of at most
    15 significant digits prints back unchanged: 9.88 stays 9.88, never 9.879999.
    """
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    if repr(as_float) != fmt(value):
        raise ValueError(f"{value} cannot be carried exactly by a JSON number")
    return as_float
