"""Declared 绩效指标 targets as a department lists them: each entry's target and actual value read (by
`target_text`), checked against each other, with its category and weight.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from scorer.load.target_text import TargetError, parse_actual, parse_expression, unit_words
from scorer.model.department import Expression, Part, Target
from scorer.model.problems import did_you_mean
from scorer.model.target_words import AT_LEAST, AT_MOST, EXACTLY, MAX_TEXT_LENGTH, NEVER_NEGATIVE, UNIT_KINDS
from scorer.numbers import NotANumber, fmt, out_of_bounds, parse_number

# Reading is split in two modules for length; importers need only this one.
__all__ = [
    "AT_LEAST", "AT_MOST", "EXACTLY", "MAX_TEXT_LENGTH", "UNIT_KINDS", "Expression", "Part", "Target",
    "TargetError", "match_category", "parse_actual", "parse_expression", "read_target", "unit_words",
]  # fmt: skip

_TARGET_HINT = "rewrite it (e.g. ≥50次, 90%以上) or judge it with met: true/false and a reason"
_ACTUAL_HINT = "write the value achieved (e.g. 182次, 95%) or judge it with met: true/false and a reason"


def read_target(item: Mapping[str, Any], categories: Sequence[str]) -> Target:
    """Read one entry of an inputs file's `targets` list. Raises TargetError naming the field."""
    name = str(item["name"])
    judged = item.get("met")
    reason = str(item.get("reason") or "").strip()
    if judged is not None and not reason:
        raise TargetError(
            field="reason",
            message=f"target '{name}' is judged met: {str(judged).lower()}; say why in 'reason'",
        )
    target_text = _shown(item.get("target"))
    actual_text = _shown(item.get("actual"))
    target = _read(parse_expression, item.get("target"), "target", name, judged)
    actual = None
    if item.get("actual") is None or actual_text == "":
        if judged is None:
            raise TargetError(
                field="actual",
                message=f"target '{name}' has no actual value; write what was achieved (e.g. 182次)",
            )
    else:
        actual = _read(parse_actual, item.get("actual"), "actual", name, judged)
    if target is not None and actual is not None:
        _check_match(name, target, actual)
    weight = None
    if item.get("weight") is not None:
        try:
            weight = parse_number(item["weight"])
        except NotANumber as exc:
            raise TargetError(field="weight", message=f"target '{name}': weight {exc}") from None
        if weight < 0:
            raise TargetError(field="weight", message=f"target '{name}': weight must not be negative")
    return Target(
        name=name,
        target=target,
        target_text=target_text,
        actual=actual,
        actual_text=actual_text,
        category=_category(item.get("category"), categories),
        weight=weight,
        judged=judged,
        reason=reason,
    )


def _shown(value: object) -> str:
    """The value as the department wrote it, for reports; a number too large to spell out keeps its short form."""
    if value is None:
        return ""
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        number = Decimal(value)
        return fmt(number) if out_of_bounds(number) is None else str(number)
    return str(value).strip()


def _read(
    parse: Callable[[object], Expression], value: object, field: str, name: str, judged: bool | None
) -> Expression | None:
    try:
        return parse(value)
    except TargetError as exc:
        if judged is not None:
            return None  # shown as judged
        hint = exc.hint or (_TARGET_HINT if field == "target" else _ACTUAL_HINT)
        raise TargetError(field=field, message=f"target '{name}': {field} {exc}; {hint}") from None


def _check_match(name: str, target: Expression, actual: Expression) -> None:
    if len(target.parts) > 1 or len(actual.parts) > 1:
        wanted = [p.label for p in target.parts]
        given = [p.label for p in actual.parts]
        if sorted(wanted) != sorted(given):
            raise TargetError(
                field="actual",
                message=f"target '{name}': the actual value names {'、'.join(given) or 'no part'}, but the target names {'、'.join(wanted)}",
            )
    by_label = {p.label: p for p in actual.parts}
    for part in target.parts:
        got = by_label.get(part.label, actual.parts[0])
        if not _comparable(part, got):
            raise TargetError(
                field="actual",
                message=f"target '{name}': units differ ({target.text} vs {actual.text}): {unit_words(part)} cannot be compared with {unit_words(got)}",
            )
        if got.number < 0 and part.kind in NEVER_NEGATIVE:  # a bare "-60" against a count
            raise TargetError(
                field="actual",
                message=f"target '{name}': actual {actual.text!r} is negative, but {unit_words(part)} cannot be; "
                f"write the value achieved (e.g. {fmt(-got.number)}{part.unit})",
            )


def _comparable(want: Part, got: Part) -> bool:
    if want.kind == got.kind == "duration" or want.kind == got.kind == "other":
        return want.base_unit == got.base_unit
    if {want.kind, got.kind} <= {"count", "plain"}:
        return True
    return want.kind == got.kind


def match_category(text: str, categories: Sequence[str]) -> str | None:
    """'数量', '数量指标' → '数量指标'; '服务对象满意度指标' → '满意度指标' (the 申报表 words it so)."""
    text = text.strip()
    for known in categories:
        if text in (known, known.removesuffix("指标")):
            return known
    return next((known for known in categories if known.removesuffix("指标") in text), None)


def _category(value: object, categories: Sequence[str]) -> str:
    if value is None:
        return ""
    text = str(value).strip()
    found = match_category(text, categories)
    if found:
        return found
    hint = did_you_mean(text, categories) or f" (one of: {'、'.join(categories)})"
    raise TargetError(field="category", message=f"unknown category '{text}'{hint}")
