"""`score explain`: how each score came about, step by step."""

from __future__ import annotations

from scorer.model.result import IndicatorResult, Result
from scorer.numbers import fmt
from scorer.render.common import metric_text

_WORDS = {
    "base": "起点",
    "formula": "公式",
    "rounding": "取舍",
    "clamp": "限于[0, 分值]",
    "deduction": "扣分",
    "override": "人工调整",
    "missing": "缺失数据",
    "target": "目标",
    "roll-up": "汇总",
}


def render(result: Result, only: str | None = None) -> str:
    rows = [i for i in result.indicators if only in (None, i.id)]
    blocks = [_indicator(i) for i in rows]
    if only is None:
        blocks.append(f"总分 {fmt(result.total)} / {fmt(result.max)}，评价等级 {result.grade}")
    return "\n\n".join(blocks) + "\n"


def _indicator(indicator: IndicatorResult) -> str:
    lines = [
        f"{indicator.id}  {indicator.title}（{indicator.level1} / {indicator.level2}，分值 {fmt(indicator.weight)}）"
    ]
    for step in indicator.steps:
        value = "" if step.value is None else f"  = {fmt(step.value)}"
        lines.append(f"  {_WORDS.get(step.what, step.what)}: {step.detail}{value}")
    for metric in indicator.metrics:
        lines.append(f"  参考指标: {metric.name} {metric_text(metric)}（不计分）")
    for note in indicator.notes:
        lines.append(f"  说明: {note}")
    flag = "（人工调整）" if indicator.overridden else ""
    lines.append(f"  得分: {fmt(indicator.score)}{flag}，失分 {fmt(indicator.lost)}")
    return "\n".join(lines)
