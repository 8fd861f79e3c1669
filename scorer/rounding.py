"""Exact values rounded as the rubric declares, and written as the published tables print them.

Context-free and independent of everything else in `score`: the messages (scorer/i18n) write numbers with `fmt`.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from msgspec import Struct

# Each mode rounds an exact value (a Fraction) to a whole number of units of the last kept place.
# "half_up": 0.125 → 0.13, what the published tables use for most rows; "down": 9.888 → 9.88, truncation
# toward zero, as the tables do for budget_execution; "up" rounds toward +∞ and "floor" toward −∞.
ROUNDING_MODES = ("half_up", "down", "half_even", "up", "floor")

Exact = Decimal | Fraction | int


class Rounding(Struct, frozen=True):
    places: int
    mode: str
    # The places a value named in a reason is shown to (a rate, an input), when the rubric declares them; the
    # score itself keeps `places`.
    display: int | None = None

    def apply(self, value: Exact) -> Decimal:
        """Round an exact value once, to `places` decimals, by `mode`. Independent of any decimal context."""
        numerator, denominator = _ratio(value)
        return self.of_ratio(numerator, denominator)

    def of_ratio(self, numerator: int, denominator: int) -> Decimal:
        """As `apply`, for the exact value numerator / denominator (denominator > 0, any common factor)."""
        # floor, and rest/denominator in [0, 1): the same whether or not the ratio is in lowest terms
        whole, rest = divmod(numerator * 10**self.places, denominator)
        if rest:
            whole += _round_up(self.mode, whole, 2 * rest, denominator)
        return from_units(whole, self.places)

    def show(self, value: Exact) -> str:
        """A value as a reason names it: to the declared display places (half up), or as `fmt` writes it where
        none are declared; marked ≈ where that is not the value itself: a rate that is not 0 never reads 0%, nor
        one over 20% as 20%."""
        places = 4 if self.display is None else self.display
        if self.display is None and (type(value) is not Fraction or value == 0):
            return fmt(value)  # what every output printed before display places could be declared
        shown = Rounding(places, "half_up").apply(value)
        text = fmt(shown)
        if shown == value:
            return text
        return "≈" + text

    def fits(self, value: Exact) -> bool:
        """True when `value` has no more decimal places than this rounding keeps."""
        numerator, denominator = _ratio(value)
        return numerator * 10**self.places % denominator == 0


def _ratio(value: Exact) -> tuple[int, int]:
    """numerator, denominator > 0 of an exact value, as Fraction(value) gives them (not always in lowest terms:
    a Decimal's own ratio is), without Fraction's generic checks."""
    kind = type(value)
    if kind is Fraction:
        return value.numerator, value.denominator  # type: ignore[union-attr]
    if kind is Decimal:
        return value.as_integer_ratio()  # type: ignore[union-attr]  # NaN and ∞ raise as Fraction(value) does
    if kind is int:
        return value, 1  # type: ignore[return-value]
    fraction = Fraction(value)
    return fraction.numerator, fraction.denominator


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
    made = _MADE.get((units, places))
    if made is None:
        made = Decimal(f"{units}E-{places}")  # read from text exactly, whatever the decimal context
        if len(_MADE) < 4096:  # a bound on what is kept, whatever a batch scores
            _MADE[units, places] = made
    return made


# Each score made once, by its units and places (Decimals are immutable): a batch's scores are a few hundred
# values again and again.
_MADE: dict[tuple[int, int], Decimal] = {}


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
