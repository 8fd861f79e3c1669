"""Declared 绩效指标 targets and their actual values: reading them as departments write them, and scoring them.

A target such as `≥50次`, `90%以上`, `不超过3天`, `0起` or `工业90%以上，商贸服务业80%以上` is read into parts, each
with a direction (at least, at most, exactly), a number and a unit. An actual value (`182次`, `工业95%，商贸服务业78%`)
is read the same way and checked part by part.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .errors import did_you_mean
from .numbers import NotANumber, fmt, parse_number

AT_LEAST, AT_MOST, EXACTLY = "at_least", "at_most", "exactly"

# Word and symbol → (direction, strict). Longest first, so that ">=" wins over ">".
_PREFIXES = [
    (">=", AT_LEAST, False), ("≥", AT_LEAST, False), ("≧", AT_LEAST, False), (">", AT_LEAST, True),
    ("不低于", AT_LEAST, False), ("不少于", AT_LEAST, False), ("不小于", AT_LEAST, False), ("至少", AT_LEAST, False),
    ("大于等于", AT_LEAST, False), ("高于", AT_LEAST, True), ("大于", AT_LEAST, True),
    ("<=", AT_MOST, False), ("≤", AT_MOST, False), ("≦", AT_MOST, False), ("<", AT_MOST, True),
    ("不超过", AT_MOST, False), ("不高于", AT_MOST, False), ("不多于", AT_MOST, False), ("不大于", AT_MOST, False),
    ("小于等于", AT_MOST, False), ("最多", AT_MOST, False), ("低于", AT_MOST, True), ("小于", AT_MOST, True),
    ("=", EXACTLY, False),
]  # fmt: skip
_SUFFIXES = [
    ("及以上", AT_LEAST),
    ("以上", AT_LEAST),
    ("及以下", AT_MOST),
    ("以下", AT_MOST),
    ("以内", AT_MOST),
]

UNIT_KINDS = {
    "count": {"次", "场", "个", "项", "家", "起", "宗", "件", "人", "人次", "份", "台", "套", "篇", "期", "批", "户", "所", "处", "条", "张", "册", "本", "座"},
    "percent": {"%"},
    "duration": {"年", "个月", "月", "周", "天", "日", "工作日", "小时", "分钟"},
    "money": {"元", "万元", "亿元"},
}  # fmt: skip
_MONEY_IN_YUAN = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}

_PART = re.compile(r"^(?P<label>.*?)(?P<number>\d+(?:\.\d+)?)(?P<unit>[^\d]*)$")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_SPLIT = re.compile(r"[,;、]")
_SYMBOLS = set("<>≤≥≦≧=")


class TargetError(ValueError):
    """A target or actual value that cannot be read or compared; the message says which and why, and
    `field` names the key of the target entry it is about."""

    def __init__(self, message: str, field: str = "target"):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Part:
    label: str
    direction: str
    strict: bool
    number: Decimal
    unit: str

    @property
    def kind(self) -> str:
        return next(
            (kind for kind, units in UNIT_KINDS.items() if self.unit in units),
            "plain" if not self.unit else "other",
        )


@dataclass(frozen=True)
class Expression:
    text: str
    parts: tuple[Part, ...]


def parse_expression(value: object) -> Expression:
    """Read `≥50次`, `90%以上`, `工业90%以上，商贸服务业80%以上`, `100%`, `0起`… Raises TargetError."""
    text = str(value).strip() if not isinstance(value, Decimal | int) else fmt(Decimal(value))
    if not text:
        raise TargetError("is empty")
    cleaned = unicodedata.normalize("NFKC", text).replace(" ", "").replace("。", "")
    cleaned = _THOUSANDS.sub("", cleaned)
    parts = tuple(_parse_part(piece, text) for piece in _SPLIT.split(cleaned) if piece)
    if not parts:
        raise TargetError(f"cannot read {text!r}")
    labels = [p.label for p in parts]
    if len(parts) > 1 and (not all(labels) or len(set(labels)) != len(labels)):
        raise TargetError(
            f"{text!r} has several parts; give each its own name (e.g. 工业90%以上，商贸服务业80%以上)"
        )
    return Expression(text, parts)


def _parse_part(piece: str, whole: str) -> Part:
    direction, strict = EXACTLY, False
    for word, new_direction in _SUFFIXES:
        if piece.endswith(word):
            piece, direction = piece[: -len(word)], new_direction
            break
    match = _PART.match(piece)
    if match is None:
        raise TargetError(f"cannot read {whole!r}: no number in {piece!r}")
    label = match["label"]
    for word, new_direction, new_strict in sorted(_PREFIXES, key=lambda item: -len(item[0])):
        if label.endswith(word):
            if direction != EXACTLY and direction != new_direction:
                raise TargetError(f"cannot read {whole!r}: it says both more and less")
            label, direction, strict = label[: -len(word)], new_direction, new_strict
            break
    unit = match["unit"]
    if _SYMBOLS & set(label + unit) or any(ch.isdigit() for ch in label) or len(unit) > 4:
        raise TargetError(f"cannot read {whole!r}")
    number = Decimal(match["number"])
    if direction == EXACTLY and unit == "%" and number > 0:
        # A bare rate ("100%", "95%") is a level to reach, not to hit exactly; a bare count ("4次") is exact,
        # and a bare zero ("0起", "0%") is met only at zero.
        direction = AT_LEAST
    return Part(label.rstrip(":："), direction, strict, number, unit)


@dataclass(frozen=True)
class Target:
    """One declared target as the department listed it, read and checked."""

    name: str
    target: Expression | None  # None where the text cannot be read and the evaluator has judged it
    target_text: str
    actual: Expression | None
    actual_text: str
    category: str = ""
    weight: Decimal | None = None
    judged: bool | None = None  # the evaluator's `met`, when given
    reason: str = ""


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
    target_text = _text(item.get("target"))
    actual_text = _text(item.get("actual"))
    target = _read(item.get("target"), "target", name, judged)
    actual = None
    if item.get("actual") is None or actual_text == "":
        if judged is None:
            raise TargetError(
                field="actual",
                message=f"target '{name}' has no actual value; write what was achieved (e.g. 182次)",
            )
    else:
        actual = _read(item.get("actual"), "actual", name, judged)
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


def _text(value: object) -> str:
    if value is None:
        return ""
    return (
        fmt(Decimal(value))
        if isinstance(value, Decimal | int) and not isinstance(value, bool)
        else str(value).strip()
    )


def _read(value: object, field: str, name: str, judged: bool | None) -> Expression | None:
    try:
        return parse_expression(value)
    except TargetError as exc:
        if judged is not None:
            return None  # shown as judged
        raise TargetError(
            field=field,
            message=f"target '{name}': {field} {exc}; rewrite it (e.g. ≥50次, 90%以上) or judge it with met: true/false and a reason",
        ) from None


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
                message=f"target '{name}': units differ ({target.text} vs {actual.text}): {_unit_words(part)} cannot be compared with {_unit_words(got)}",
            )


def _comparable(want: Part, got: Part) -> bool:
    if want.kind == got.kind == "duration" or want.kind == got.kind == "other":
        return want.unit == got.unit
    if {want.kind, got.kind} <= {"count", "plain"}:
        return True
    return want.kind == got.kind


def _unit_words(part: Part) -> str:
    words = {
        "count": "a count",
        "percent": "a percentage",
        "duration": "a duration",
        "money": "an amount",
        "plain": "a plain number",
    }
    return f"{words.get(part.kind, 'a quantity')} ({part.unit})" if part.unit else words["plain"]


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


# ---- scoring --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetOutcome:
    name: str
    target: str
    actual: str
    met: bool
    completion: Decimal
    judged: bool
    category: str
    reason: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "target": self.target,
            "actual": self.actual,
            "met": self.met,
            "completion": self.completion.quantize(
                Decimal("0.0001"), rounding=ROUND_HALF_UP
            ),  # a ratio, 4 places
            "judged": self.judged,
            "category": self.category,
            "reason": self.reason,
        }

    def __str__(self) -> str:
        state = "达标" if self.met else "未达标"
        how = "（评价人判定）" if self.judged else f"，完成率{fmt(percent(self.completion))}%"
        return f"{self.name}：目标{self.target}，实际{self.actual or '—'}，{state}{how}"


def percent(ratio: Decimal) -> Decimal:
    return (ratio * 100).quantize(Decimal("0.01"))


def judge(target: Target) -> TargetOutcome:
    if target.judged is not None:
        completion = Decimal(1) if target.judged else Decimal(0)
        return _outcome(target, target.judged, completion, judged=True)
    assert target.target is not None and target.actual is not None
    by_label = {p.label: p for p in target.actual.parts}
    results = [
        _judge_part(part, by_label.get(part.label, target.actual.parts[0])) for part in target.target.parts
    ]
    met = all(ok for ok, _ in results)
    completion = sum((c for _, c in results), Decimal(0)) / len(results)
    return _outcome(target, met, completion, judged=False)


def _outcome(target: Target, met: bool, completion: Decimal, judged: bool) -> TargetOutcome:
    return TargetOutcome(
        target.name,
        target.target_text,
        target.actual_text,
        met,
        completion,
        judged,
        target.category,
        target.reason,
    )


def _judge_part(want: Part, got: Part) -> tuple[bool, Decimal]:
    """(met, completion): actual/target for at-least targets, target/actual for at-most ones, capped at 1."""
    goal, value = _in_common_unit(want), _in_common_unit(got)
    if want.direction == AT_LEAST:
        met = value > goal if want.strict else value >= goal
        completion = Decimal(1) if goal <= 0 else value / goal
    elif want.direction == AT_MOST:
        met = value < goal if want.strict else value <= goal
        completion = Decimal(1) if value <= goal else (goal / value if value else Decimal(1))
    else:
        met = value == goal
        completion = Decimal(1) if met else (Decimal(0) if goal == 0 else min(value, goal) / max(value, goal))
    if goal == 0 and want.direction != AT_LEAST:
        completion = Decimal(1) if value == 0 else Decimal(0)  # a zero target (0起) is met only at zero
    return met, max(Decimal(0), min(completion, Decimal(1)))


def _in_common_unit(part: Part) -> Decimal:
    return part.number * _MONEY_IN_YUAN[part.unit] if part.kind == "money" else part.number


@dataclass(frozen=True)
class TargetsScore:
    raw: Decimal
    targets: tuple[TargetOutcome, ...]
    reasons: tuple[str, ...]
    detail: str


def roll_up(roll_up_method: str, weight: Decimal, targets: Sequence[Target]) -> TargetsScore:
    """The indicator's raw score from its targets, by the method the rule file declares."""
    outcomes = tuple(judge(t) for t in targets)
    count = Decimal(len(outcomes))
    if roll_up_method == "equal_shares":
        raw = weight * sum(1 for o in outcomes if o.met) / count
        detail = f"达标{sum(1 for o in outcomes if o.met)}项/共{len(outcomes)}项"
    elif roll_up_method == "weighted_completion":
        weights = [t.weight or Decimal(0) for t in targets]
        total = sum(weights, Decimal(0))
        mean = sum((w * o.completion for w, o in zip(weights, outcomes, strict=True)), Decimal(0)) / total
        raw = weight * mean
        detail = f"加权平均完成率{fmt(percent(mean))}%"
    else:
        mean = sum((o.completion for o in outcomes), Decimal(0)) / count
        raw = weight * mean
        detail = f"平均完成率{fmt(percent(mean))}%"
    reasons = tuple(
        f"“{o.name}”未达标：目标{o.target}，实际{o.actual or '—'}"
        + (f"（{o.reason}）" if o.reason else "")
        + "。"
        for o in outcomes
        if not o.met
    )
    return TargetsScore(raw, outcomes, reasons, detail)
