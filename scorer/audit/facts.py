"""The facts a row's reason states, read back with the rule file's own reason template.

A template such as "{year}年平均预算执行率为{execution_rate}%，按执行率×权重得{score}分。" is turned into a
matcher: the literal text around each placeholder, and the placeholder as a number. A reason written by `score`
(any language the rule file gives) matches it whole. A department's own wording ("平均支出进度为89.92%*权重，
得8.99分") is read by the same template piece by piece: for each input, the number whose preceding text ends
with a piece of the template's text before the placeholder (the longer the piece the better; at least one
character), followed by the input's unit; a percentage input may also be the only percentage in the text. A
number an input bounded by another (`max_ref`) states with a negation after it ("其中2项未…备案") is the
complement of that other input. Pure: no I/O.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from scorer.facts import Template
from scorer.formula.template_match import NUMBER, matcher, normalise
from scorer.kinds.base import InputSpec
from scorer.rules.model import Indicator

_NUMBER = NUMBER
MAX_REASON = 4000  # a reason cell is a sentence or two; a longer text is read as far as this
_NUMBER_RE = re.compile(_NUMBER)
# What a department writes after a count (份合同, 11项, 9个) or an amount (万, 万元, 元).
_MEASURE = "项份个件家次笔万元"
_NEGATION = re.compile(r"未|没有|不|逾期|超期|超时|\bnot\b|\blate\b|\bno\b", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[，,。；;、\n]")
# A stated score and a stated deduction in free wording: "得8.99分", "经计算评分为0.89分", "本项扣1分".
_STATED_SCORE = re.compile(r"(?:得分为|得分|评分为|评分|得|计)\s*(" + _NUMBER + r")\s*分")
_STATED_DEDUCTION = re.compile(r"扣(?:除|减)?\s*(" + _NUMBER + r")\s*分|deduct(?:ed|s)?\s*(" + _NUMBER + ")")


def stated_values(indicator: Indicator, reason: str) -> dict[str, Decimal]:
    """The inputs, and the score ("score"), that a row's reason states, as far as they can be read."""
    text = normalise(reason[:MAX_REASON])
    if not text.strip():
        return {}
    for written in indicator.reason_templates.values():
        whole = matcher(written).search(text)
        if whole:
            return {k: v for k, v in _decimals(whole.groupdict()).items() if k != "year"}
    values: dict[str, Decimal] = {}
    template = indicator.reason
    for spec in indicator.inputs:
        found = _piece(text, template, spec) if template is not None else None
        if found is None and spec.type == "percent":
            percents = re.findall(rf"({_NUMBER})\s*%", text)
            found = _decimal(percents[0]) if len(set(percents)) == 1 else None
        if found is not None:
            values[spec.name] = found
    _complements(indicator, text, template, values)
    score = _stated_score(text, template)
    if score is not None:
        values["score"] = score
    return values


def stated_deduction(reason: str) -> Decimal | None:
    """The points a reason says were deducted ("本项扣1分"), summed over every deduction it names."""
    found = [_decimal(a or b) for a, b in _STATED_DEDUCTION.findall(normalise(reason[:MAX_REASON]))]
    numbers = [n for n in found if n is not None]
    return sum(numbers, Decimal(0)) if numbers else None


def _stated_score(text: str, template: Template | None) -> Decimal | None:
    if template is not None and "score" in template.names:
        spec = InputSpec("score", "number", "", unit="分")
        found = _piece(text, template, spec, minimum=2)
        if found is not None:
            return found
    stated = _STATED_SCORE.findall(text)
    return _decimal(stated[-1]) if stated else None


def _around(template: Template, name: str) -> tuple[str, str]:
    """The template's literal text just before and just after placeholder `name`."""
    parts = template.parts
    for index, (literal, placeholder) in enumerate(parts):
        if placeholder == name:
            after = parts[index + 1][0] if index + 1 < len(parts) else ""
            return normalise(literal), normalise(after)
    return "", ""


def _piece(text: str, template: Template, spec: InputSpec, minimum: int = 1) -> Decimal | None:
    """The number in `text` placed as the template places `spec`'s placeholder; None unless one stands out."""
    before, after = _around(template, spec.name)
    if not before and not after:
        return None
    best, chosen = 0, set[str]()
    for match in _NUMBER_RE.finditer(text):
        tail = text[match.end() : match.end() + 16].lstrip()
        if tail.startswith("年") or not _unit_follows(tail, spec, after):
            continue
        shared = _shared_ending(before, text[max(0, match.start() - 80) : match.start()].rstrip())
        if shared < minimum or shared < best:
            continue
        if shared > best:
            best, chosen = shared, set()
        chosen.add(match.group())
    values = {_decimal(value) for value in chosen}
    return values.pop() if len(values) == 1 else None


def _unit_follows(tail: str, spec: InputSpec, after: str) -> bool:
    if spec.type == "percent":
        return tail.startswith("%")
    if tail.startswith("%"):
        return False
    expected = {after[:1], spec.unit[:1]} - {""}
    return not expected or tail[:1] in expected or tail[:1] in _MEASURE


def _shared_ending(template_before: str, text_before: str) -> int:
    """How long a piece of the template's text before the placeholder ends the text before the number (within
    two characters: "共11项" is read by "年共签订{contracts_total}份")."""
    best = 0
    for slack in range(3):
        end = len(text_before) - slack
        length = 0
        while length < end and text_before[end - length - 1 : end] in template_before:
            length += 1
        best = max(best, length)
    return best


def _complements(
    indicator: Indicator, text: str, template: Template | None, values: dict[str, Decimal]
) -> None:
    """An input bounded by another, stated with a negation ("其中2项未按时备案"), is the other minus it."""
    if template is None:
        return
    for spec in indicator.inputs:
        if spec.max_ref is None or spec.name not in values or spec.max_ref not in values:
            continue
        _, after = _around(template, spec.name)
        stated = values[spec.name]
        for match in _NUMBER_RE.finditer(text):
            if _decimal(match.group()) != stated:
                continue
            clause = _CLAUSE_END.split(text[match.end() : match.end() + 80], maxsplit=1)[0]
            if _NEGATION.search(clause) and not _NEGATION.search(_CLAUSE_END.split(after, maxsplit=1)[0]):
                values[spec.name] = values[spec.max_ref] - stated
            break


def _decimals(found: dict[str, str | None]) -> dict[str, Decimal]:
    out = {}
    for key, text in found.items():
        value = _decimal(text) if text is not None else None
        if value is not None:
            out[key] = value
    return out


def _decimal(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None
