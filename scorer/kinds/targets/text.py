"""One target or actual value, read from the words departments write around its number.

`≥50次`, `90%以上`, `不超过3天`, `0起` or `工业90%以上，商贸服务业80%以上` is read into parts, each with a direction
(at least, at most, exactly), a number and a unit. An actual value (`182次`, `工业95%，商贸服务业78%`) is read the
same way but must state the value achieved: a bound (`不足50次`) or an estimate (`近50次`) is refused.

Reading is one left-to-right pass over a text of bounded length: nothing backtracks on hostile input.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from scorer.facts import Fact, Message, fact
from scorer.i18n import Worded
from scorer.immutable import reused
from scorer.kinds.targets.model import Expression, Part
from scorer.kinds.targets.wording import read_by_wording
from scorer.kinds.targets.words import (
    AT_LEAST,
    EXACTLY,
    MAX_TEXT_LENGTH,
    MINUS_SIGNS,
    NEVER_NEGATIVE,
    REACHED_WORDS,
    SIGNS,
    SYMBOLS,
    direction_after,
    direction_before,
    estimate_word,
)
from scorer.numbers import NotANumber, out_of_bounds, parse_number
from scorer.rounding import fmt

_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")  # fixed-width look-arounds: linear
_SPLIT = re.compile(r"[,;、]")
_DIGIT = re.compile(r"[0-9]")


class TargetError(Worded, ValueError):
    """A target or actual value that cannot be read or compared; the message says which and why, `field`
    names the key of the target entry it is about, and `hint` (when set) the likely fix."""

    def __init__(self, message: Message, field: str = "target", hint: Message | None = None):
        super().__init__(message)
        self.field = field
        self.hint = hint


def parse_expression(value: object) -> Expression:
    """Read a target: `≥50次`, `90%以上`, `工业90%以上，商贸服务业80%以上`, `100%`, `0起`… Raises TargetError."""
    return _parse(value, reading_actual=False)


def parse_actual(value: object) -> Expression:
    """Read an actual value: `182次`, `95%`, `工业95%，商贸服务业78%`. A bound or an estimate raises TargetError."""
    return _parse(value, reading_actual=True)


def _parse(value: object, reading_actual: bool) -> Expression:
    kind = type(value)
    if kind is str or kind is int or (kind is Decimal and value.is_finite()):  # type: ignore[attr-defined]
        return _parse_kept(kind, value, reading_actual)  # the same text reads as the same (frozen) Expression
    return _read_expression(value, reading_actual)


@reused(maxsize=4096)
def _parse_kept(kind: type, value: object, reading_actual: bool) -> Expression:
    """Departments write the same few targets again and again (`≥95%`, `100%`): each text is read once. The
    type is part of the key (1 and Decimal(1) are equal, but so are 1 and True); a text that cannot be read
    raises, and is never kept. A new text of a wording read before takes its number into that wording."""
    if kind is str:
        found = read_by_wording(value.strip(), reading_actual, _read_expression)  # type: ignore[attr-defined]
        if found is not None:
            return found
    return _read_expression(value, reading_actual)


def _read_expression(value: object, reading_actual: bool) -> Expression:
    text = _source_text(value)
    if not text:
        raise TargetError(fact("targets.empty"))
    if len(text) > MAX_TEXT_LENGTH:
        raise TargetError(fact("targets.too_long", length=len(text), limit=MAX_TEXT_LENGTH))
    # A closing 。 ends the sentence; one inside is a decimal point typed in Chinese mode (98。5%), as
    # numbers.parse_number reads it: dropping it would turn 98.5% into 985%.
    cleaned = "".join(unicodedata.normalize("NFKC", text).split()).rstrip("。.").replace("。", ".")
    _refuse_hidden_digits(text, cleaned)
    cleaned = _THOUSANDS.sub("", cleaned)
    parts = tuple(_read_part(piece, text, reading_actual) for piece in _SPLIT.split(cleaned) if piece)
    if not parts:
        raise TargetError(fact("targets.unreadable", text=repr(text)))
    labels = [p.label for p in parts]
    if len(parts) > 1 and (not all(labels) or len(set(labels)) != len(labels)):
        raise TargetError(fact("targets.unnamed_parts", text=repr(text)))
    return Expression(text, parts)


def _source_text(value: object) -> str:
    """The text to read; a YAML number passes the number bounds first, so that 1.0e-999999999 is never spelt out."""
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        try:
            return fmt(parse_number(value))
        except NotANumber as exc:
            raise TargetError(exc.fact) from None
    return str(value).strip()


def _refuse_hidden_digits(text: str, cleaned: str) -> None:
    """NFKC turns `²` into 2 and `①` into 1, so that `10²` would silently read as 102: refuse such characters,
    and digits of other scripts, rather than guess."""
    plain_digits = sum(map(cleaned.count, "0123456789"))
    if sum(map(str.isdigit, cleaned)) == plain_digits == sum(map(str.isdecimal, text)):
        return
    odd = next((ch for ch in cleaned if ch.isdigit() and not "0" <= ch <= "9"), None)
    odd = odd or next(
        (
            ch
            for ch in text
            if not ch.isdecimal() and any(c.isdigit() for c in unicodedata.normalize("NFKC", ch))
        ),
        "?",
    )
    raise TargetError(
        fact("targets.odd_digit", text=repr(text), char=repr(odd)), hint=fact("targets.odd_digit_hint")
    )


def _read_part(piece: str, whole: str, reading_actual: bool) -> Part:
    direction, strict, said = EXACTLY, False, ""
    after = direction_after(piece)
    if after:
        said, direction = after
        piece = piece[: -len(said)]
    found = _DIGIT.search(piece)  # a one-character class: a plain scan, no backtracking
    if found is None:
        raise TargetError(fact("targets.no_number", text=repr(whole), piece=repr(piece)))
    start = found.start()
    end = _number_end(piece, start)
    label, unit = piece[:start], piece[end:]
    if any(map(str.isdigit, unit)):
        raise TargetError(fact("targets.two_numbers", text=repr(whole), piece=repr(piece)))
    label, negative = _take_sign(label, whole)
    before = direction_before(label)
    if before and not (reading_actual and before[0] in REACHED_WORDS):
        word, new_direction, strict = before
        if direction not in (EXACTLY, new_direction):
            raise TargetError(fact("targets.both_ways", text=repr(whole)))
        label, direction, said = label[: -len(word)], new_direction, word
    if _out_of_place(label, unit):
        raise TargetError(fact("targets.unreadable", text=repr(whole)))
    # An actual that states a bound or an estimate is refused rather than read as its number: "不足50次" read
    # as 50 would meet "≥50次", and no reading of a bound gives the completion the roll-up needs.
    hint = fact("targets.achieved_hint") if reading_actual else None
    vague = estimate_word(label, unit)
    if vague:
        raise TargetError(fact("targets.estimate", text=repr(whole), word=vague), hint=hint)
    if reading_actual and direction != EXACTLY:
        raise TargetError(fact("targets.bound", text=repr(whole), word=said), hint=hint)
    number_text = piece[start:end]
    number = Decimal(number_text)  # plain ASCII digits, at most one point: always a valid decimal
    problem = out_of_bounds(number)  # the bounds every number read from a department passes
    if problem:
        raise TargetError(
            fact("targets.number_out_of_bounds", text=repr(whole), number=number_text, problem=problem)
        )
    part = Part(label.rstrip(":"), direction, strict, -number if negative and number else number, unit)
    if part.number < 0 and part.kind in NEVER_NEGATIVE:
        raise TargetError(
            fact("targets.negative", text=repr(whole), unit=unit_words(part)),
            hint=fact("targets.negative_hint", example=f"{fmt(number)}{unit}"),
        )
    if not reading_actual and direction == EXACTLY and not said and part.base_unit == "%" and part.number > 0:
        # A bare rate ("100%", "95%") is a level to reach, not to hit exactly ("=95%" is exact); a bare count ("4次") is exact,
        # and a bare zero ("0起", "0%") is met only at zero.
        # (A new Part rather than dataclasses.replace, which costs ten times as much.)
        part = Part(part.label, AT_LEAST, part.strict, part.number, part.unit)
    return part


def _out_of_place(label: str, unit: str) -> bool:
    """A comparison symbol anywhere, a second sign (`负-5`), a stray point (`.5`, `5.`) or a unit too long to be one."""
    return bool(
        label.endswith(("负", "."))
        or label[-1:] in SIGNS
        or unit.startswith(".")
        or SIGNS & set(unit)
        or SYMBOLS & set(label + unit)
        or len(unit) > 4
    )


def _number_end(piece: str, start: int) -> int:
    """The end of the number starting at `start`: digits, then at most one `.` followed by digits."""
    end = start
    while end < len(piece) and "0" <= piece[end] <= "9":
        end += 1
    if end + 1 < len(piece) and piece[end] == "." and "0" <= piece[end + 1] <= "9":
        end += 1
        while end < len(piece) and "0" <= piece[end] <= "9":
            end += 1
    return end


def _take_sign(label: str, whole: str) -> tuple[str, bool]:
    """Strip a sign written just before the number: `-60`, `−60`, `负60`, `+5`. True when it is a minus."""
    if label.endswith(("±", "正负")):
        raise TargetError(fact("targets.tolerance", text=repr(whole)))
    if label[-1:] in MINUS_SIGNS or label.endswith("负"):
        return label[:-1], True
    return label.removesuffix("+"), False


def unit_words(part: Part) -> Fact:
    """`a count (次)`, `a duration (天)`…, for messages."""
    if not part.unit:
        return fact("targets.unit.plain")
    words = {
        "count": fact("targets.unit.count"),
        "percent": fact("targets.unit.percent"),
        "duration": fact("targets.unit.duration"),
        "money": fact("targets.unit.money"),
        "plain": fact("targets.unit.plain"),
    }
    return fact("targets.unit_named", word=words.get(part.kind) or fact("targets.unit.other"), unit=part.unit)
