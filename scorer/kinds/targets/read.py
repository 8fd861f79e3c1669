"""Declared 绩效指标 targets as a department lists them: each entry's target and actual value read (by
`target_text`), checked against each other, with its category and weight.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from scorer.errors import did_you_mean
from scorer.escape import is_blank
from scorer.facts import fact
from scorer.kinds.targets.model import Expression, Part, Target
from scorer.kinds.targets.text import TargetError, parse_actual, parse_expression, unit_words
from scorer.kinds.targets.words import AT_LEAST, AT_MOST, EXACTLY, MAX_TEXT_LENGTH, NEVER_NEGATIVE, UNIT_KINDS
from scorer.numbers import NotANumber, out_of_bounds, parse_number
from scorer.rounding import fmt

# Reading is split in two modules for length; importers need only this one.
__all__ = [
    "AT_LEAST", "AT_MOST", "EXACTLY", "MAX_TEXT_LENGTH", "UNIT_KINDS", "Expression", "Part", "Target",
    "TargetError", "check_match", "match_category", "parse_actual", "parse_expression", "read_target", "unit_words",
]  # fmt: skip


def read_target(item: Mapping[str, Any], categories: Sequence[str]) -> Target:
    """Read one entry of an inputs file's `targets` list. Raises TargetError naming the field."""
    name = str(item["name"])
    if is_blank(name):
        raise TargetError(field="name", message=fact("targets.name_blank"))
    judged = item.get("met")
    reason = str(item.get("reason") or "").strip()
    if judged is not None and is_blank(reason):
        raise TargetError(
            field="reason",
            message=fact("targets.judged_without_reason", name=name, met=str(judged).lower()),
        )
    target_text = _shown(item.get("target"))
    actual_text = _shown(item.get("actual"))
    target = _read(parse_expression, item.get("target"), "target", name, judged)
    actual = None
    if item.get("actual") is None or actual_text == "":
        if judged is None:
            raise TargetError(
                field="actual",
                message=fact("targets.no_actual", name=name),
            )
    else:
        actual = _read(parse_actual, item.get("actual"), "actual", name, judged)
    if target is not None and actual is not None:
        check_match(name, target, actual)
    weight = None
    if item.get("weight") is not None:
        try:
            weight = parse_number(item["weight"])
        except NotANumber as exc:
            raise TargetError(
                field="weight", message=fact("targets.weight_problem", name=name, problem=exc.fact)
            ) from None
        if weight < 0:
            raise TargetError(field="weight", message=fact("targets.weight_negative", name=name))
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
        if field == "target":
            message = fact(
                "targets.target_problem",
                name=name,
                problem=exc.fact,
                hint=exc.hint or fact("targets.target_hint"),
            )
        else:
            message = fact(
                "targets.actual_problem",
                name=name,
                problem=exc.fact,
                hint=exc.hint or fact("targets.actual_hint"),
            )
        raise TargetError(field=field, message=message) from None


def check_match(name: str, target: Expression, actual: Expression) -> None:
    if len(target.parts) > 1 or len(actual.parts) > 1:
        wanted = [p.label for p in target.parts]
        given = [p.label for p in actual.parts]
        if sorted(wanted) != sorted(given):
            raise TargetError(
                field="actual",
                message=fact(
                    "targets.parts_differ",
                    name=name,
                    given="、".join(given) or fact("targets.no_part"),
                    wanted="、".join(wanted),
                ),
            )
    by_label = {p.label: p for p in actual.parts}
    for part in target.parts:
        got = by_label.get(part.label, actual.parts[0])
        if not _comparable(part, got):
            raise TargetError(
                field="actual",
                message=fact(
                    "targets.units_differ",
                    name=name,
                    target=target.text,
                    actual=actual.text,
                    wanted=unit_words(part),
                    given=unit_words(got),
                ),
            )
        if got.number < 0 and part.kind in NEVER_NEGATIVE:  # a bare "-60" against a count
            raise TargetError(
                field="actual",
                message=fact(
                    "targets.actual_negative",
                    name=name,
                    actual=repr(actual.text),
                    unit=unit_words(part),
                    example=f"{fmt(-got.number)}{part.unit}",
                ),
            )


def _comparable(want: Part, got: Part) -> bool:
    if want.kind == got.kind == "duration" or want.kind == got.kind == "other":
        return want.base_unit == got.base_unit
    if "plain" in (want.kind, got.kind) and {want.kind, got.kind} <= {"count", "plain"}:
        return True  # "≥50" against "60次": the same count, its unit left out on one side
    if want.kind == got.kind == "count":
        return want.base_unit == got.base_unit  # 次 and 人 count different things
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
    hint = did_you_mean(text, categories) or fact("targets.one_of", choices="、".join(categories))
    raise TargetError(field="category", message=fact("targets.unknown_category", text=text, hint=hint))
