"""How an inputs file's values are read: numbers exactly (a percent as written, a unit after it, a slip of the
decimal point named), yes/no answers in the ways people write them, texts as written. Mixed into the reader
(scorer/inputs/read.py), whose problems it adds to."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from scorer.errors import PathKey
from scorer.facts import Fact, Message, fact, joined
from scorer.kinds.base import InputSpec
from scorer.numbers import NotANumber, parse_number
from scorer.rounding import fmt
from scorer.sources.schema import show

POINTS = ("分",)
ENVELOPE_WORDS = {"year": ("年", "年度"), "units": ("个",)}


def without_word(value: Any, words: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        text = value.strip()
        for word in sorted(words, key=len, reverse=True):
            if text.endswith(word) and text[: -len(word)].strip():
                return text[: -len(word)].strip()
    return value


def envelope_integer(key: str, value: Any) -> Any:
    """The year or number of units as an integer when written as text a person means as one ("2022年", "3",
    "３个"), or written as a whole number in another form (1.0e+3, 3.0: JSON Schema's integers, which every output
    writes as a whole number); anything else unchanged, for the schema to refuse with its own words."""
    if isinstance(value, Decimal):  # within bounds: the YAML reader refuses any other
        return int(value) if value.is_finite() and value == value.to_integral_value() else value
    if not isinstance(value, str):
        return value
    try:
        number = parse_number(without_word(value, ENVELOPE_WORDS[key]))
    except NotANumber:
        return value
    return int(number) if number == number.to_integral_value() else value


# How a yes/no answer may be written (a checklist item, a condition's fact).
YES_NO = {"是": True, "否": False, "yes": True, "no": False, "true": True, "false": False, "1": True, "0": False,
          "有": True, "无": False, "y": True, "n": False}  # fmt: skip

# How a unit may be written after a number ("500万" for 万元).
_UNIT_SPELLINGS = {"万元": ("万元", "万"), "元": ("元",), "亿元": ("亿元", "亿")}


def as_text(value: object) -> str:
    """A text the department wrote, as written, without the blank lines and spaces around it."""
    return str(value).strip() if value is not None else ""


def _slip(number: Decimal, limit: Decimal) -> Fact | None:
    """A hint for a number typed with its point in the wrong place: 934 for 93.4."""
    if number <= 0 or limit <= 0:
        return None
    shifted = number
    for _ in range(6):
        shifted = shifted.scaleb(-1)
        if shifted <= limit:
            return fact("inputs.slip", value=shifted)
    return None


class ReadsValues:
    """The reader's value methods: each says what is wrong through `fail`, at the value's path."""

    def fail(self, path: PathKey, message: Message) -> None:
        raise NotImplementedError  # the reader's: gathers the problem at its place

    def number(self, path: PathKey, value: Any, percent: bool) -> Decimal | None:
        try:
            return parse_number(value, percent=percent)
        except NotANumber as exc:
            hint = fact("inputs.percent_hint") if percent and isinstance(value, str) else None
            got = (
                None if isinstance(value, str) else fact("inputs.got", value=show(value))
            )  # text is quoted in the message
            self.fail(path, joined(exc.fact, got, hint))
            return None

    def value(self, path: PathKey, spec: InputSpec, raw: Any) -> Decimal | None:
        if spec.type == "yes_no":
            return self.yes_no(path, spec, raw)
        raw = self.without_unit(path, spec, raw)
        if raw is None:
            return None
        number = self.number(path, raw, percent=spec.type == "percent")
        if number is None:
            return None
        if spec.type == "integer" and number != number.to_integral_value():
            self.fail(path, fact("inputs.not_whole", value=show(raw)))
            return None
        if spec.type == "percent" and 0 < number <= 1 and not str(raw).strip().endswith(("%", "％")):
            # 0.934 and 1 are ambiguous alike: a fraction (93.4%, 100%) or a tiny percentage?
            self.fail(
                path,
                fact(
                    "inputs.looks_like_fraction",
                    value=show(raw),
                    label=spec.label,
                    percent=fmt(number * 100),
                    raw=str(raw),
                ),
            )
            return None
        if spec.min is not None and number < spec.min:
            self.fail(path, fact("inputs.at_least", min=f"{spec.min:f}", value=show(raw)))
            return None
        if spec.max is not None and number > spec.max:
            hint = _slip(number, spec.max)
            self.fail(path, fact("inputs.at_most", max=f"{spec.max:f}", value=show(raw), hint=hint))
            return None
        return number

    def without_unit(self, path: PathKey, spec: InputSpec, raw: Any) -> Any:
        """ "15份" for an input counted in 份, "500万" or "500万元" for one in 万元: the number, its unit being the
        input's own. Another unit ("15人", "500元") is refused, never read as if it were the input's."""
        if not isinstance(raw, str):
            return raw
        text = raw.strip()
        number_end = len(text)
        while number_end and (text[number_end - 1].isalpha() or text[number_end - 1] == " "):
            number_end -= 1  # letters and CJK characters after the number: its unit
        unit = text[number_end:].strip()
        if not unit or not text[:number_end].strip():  # no unit, or no number at all ("很高"): read as it is
            return raw
        if spec.unit and unit in _UNIT_SPELLINGS.get(spec.unit, (spec.unit,)):
            return text[:number_end].strip()
        expected = spec.unit or fact("inputs.no_unit")
        self.fail(path, fact("inputs.wrong_unit", value=show(raw), unit=unit, expected=expected))
        return None

    def yes_no(self, path: PathKey, spec: InputSpec, raw: Any) -> Decimal | None:
        """是/否, yes/no, true/false or 1/0: 1 for yes, 0 for no."""
        answer = YES_NO.get(str(raw).strip().lower()) if not isinstance(raw, bool) else raw
        if answer is None:
            self.fail(path, fact("inputs.not_yes_no", value=show(raw), label=spec.label))
            return None
        return Decimal(1 if answer else 0)
