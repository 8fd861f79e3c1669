from __future__ import annotations

from decimal import Decimal

import pytest

from scorer.i18n import say
from scorer.numbers import NotANumber, parse_number, to_json_number
from scorer.rounding import Rounding, fmt


@pytest.mark.parametrize(
    ("mode", "value", "expected"),
    [
        ("half_up", "0.125", "0.13"),
        ("half_up", "0.409090909", "0.41"),
        ("half_up", "0.818181818", "0.82"),
        ("half_up", "0.8905", "0.89"),
        ("half_up", "0.115", "0.12"),
        ("down", "9.888", "9.88"),
        ("down", "8.992", "8.99"),
        ("down", "0.129", "0.12"),
        ("half_even", "0.125", "0.12"),
        ("half_even", "0.135", "0.14"),
        ("up", "0.121", "0.13"),
        ("floor", "-0.121", "-0.13"),
    ],
)
def test_rounding_modes(mode: str, value: str, expected: str) -> None:
    assert Rounding(2, mode).apply(Decimal(value)) == Decimal(expected)


def test_builtin_round_would_be_wrong_here() -> None:
    """Why the modes exist: Python's round() gives 0.12 for 0.125 where the tables round half-up."""
    assert round(0.125, 2) == 0.12
    assert Rounding(2, "half_up").apply(Decimal("0.125")) == Decimal("0.13")


@pytest.mark.parametrize(
    ("text", "percent", "expected"),
    [
        (98, False, "98"),
        (Decimal("98.88"), True, "98.88"),
        ("98.88%", True, "98.88"),
        ("98.88％", True, "98.88"),
        ("９８．８８", False, "98.88"),
        ("11,887.73", False, "11887.73"),
        (" 12 ", False, "12"),
    ],
)
def test_parse_number_reads_what_people_write(text: object, percent: bool, expected: str) -> None:
    assert parse_number(text, percent=percent) == Decimal(expected)


@pytest.mark.parametrize(
    "text", ["abc", "", "1,2,3", "98.88%", True, None, Decimal("NaN"), Decimal("Infinity"), "1e999", "12,34"]
)
def test_parse_number_refuses_what_is_not_a_number(text: object) -> None:
    with pytest.raises(NotANumber):
        parse_number(text)


@pytest.mark.parametrize(
    ("value", "text"),
    [("94.20", "94.2"), ("20.00", "20"), ("0.41", "0.41"), ("9.88", "9.88"), ("100", "100")],
)
def test_numbers_print_as_the_tables_print_them(value: str, text: str) -> None:
    assert fmt(Decimal(value)) == text
    assert repr(to_json_number(Decimal(value))) == text


def test_more_digits_than_json_can_carry_are_refused() -> None:
    assert parse_number("123456789012.345") == Decimal("123456789012.345")
    with pytest.raises(NotANumber) as refused:
        parse_number("1234567.123456789")
    assert "more than 15 significant digits" in say(refused.value.fact)  # a fact, worded where it is shown
