"""Text shared by the table and Markdown renderers, in the wording of the published 自评表."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from scorer.model.result import IndicatorResult, MetricValue, NodeResult, Result
from scorer.numbers import completion_percent, fmt

HEADERS = ("一级指标", "分值", "二级指标", "分值", "三级指标", "分值", "得分", "未达标原因", "改进措施")
OVERRIDE_MARK = "※"


def title(result: Result) -> str:
    return f"{result.year}年度{result.department}{result.rules_title}"


def facts(result: Result) -> list[str]:
    lines = []
    if result.units is not None:
        lines.append(f"单位数：{result.units}")
    budget = result.budget
    if budget:
        names = {"total": "总预算", "basic": "基本支出", "project": "项目支出"}
        parts = [f"{names[k]} {fmt(budget[k])} 万元" for k in ("total", "basic", "project") if k in budget]
        lines.append("年度部门预算：" + "，".join(parts))
    lines.append(f"评分规则：{result.rules_year} ({result.rules_digest[:19]}…)")
    return lines


def score_cell(indicator: IndicatorResult) -> str:
    return fmt(indicator.score) + (OVERRIDE_MARK if indicator.overridden else "")


def grade_line(result: Result) -> str:
    return "； ".join(("√" if band.reached else "□") + f"{band.name} {band.label}" for band in result.bands)


def summary(result: Result) -> list[str]:
    """The largest point losses and what the next grade up needs."""
    lines = []
    losses = result.largest_losses()
    if losses:
        lines.append("主要失分：")
        for indicator in losses:
            lines.append(f"  {indicator.title}：失 {fmt(indicator.lost)} 分（{indicator.reasons[0]}）")
    upward = result.next_band
    if upward is None:
        lines.append(f"已达最高等级：{result.grade}。")
    else:
        lines.append(f"距上一等级 {upward[0]} 还差 {fmt(upward[1])} 分。")
    return lines


def metric_text(metric: MetricValue) -> str:
    return "无法计算（分母为0）" if metric.value is None else f"{fmt(metric.value)}{metric.unit}"


def notes(result: Result) -> list[str]:
    """Overrides, clamping and evidence ratios, which the official columns have no room for."""
    lines = []
    for indicator in result.indicators:
        if indicator.overridden:
            lines.append(f"{OVERRIDE_MARK} {indicator.title}：得分由评价人调整（{indicator.reasons[0]}）")
        for note in indicator.notes:
            lines.append(f"{indicator.title}：{note}")
        for metric in indicator.metrics:
            lines.append(f"{indicator.title}：{metric.name} {metric_text(metric)}")
    return lines


@dataclass(frozen=True)
class Row:
    """One indicator's row, with the level nodes it sits under and whether it opens their merged cells."""

    indicator: IndicatorResult
    level: NodeResult
    child: NodeResult
    opens_level: bool
    opens_child: bool
    closes_level: bool


def rows(result: Result) -> Iterator[Row]:
    levels = {level.name: level for level in result.levels}
    items = result.indicators
    for position, indicator in enumerate(items):
        before = items[position - 1] if position else None
        after = items[position + 1] if position + 1 < len(items) else None
        level = levels[indicator.level1]
        yield Row(
            indicator=indicator,
            level=level,
            child=next(c for c in level.children if c.name == indicator.level2),
            opens_level=before is None or before.level1 != indicator.level1,
            opens_child=before is None
            or (before.level1, before.level2) != (indicator.level1, indicator.level2),
            closes_level=after is None or after.level1 != indicator.level1,
        )


def reasons_cell(indicator: IndicatorResult, joiner: str) -> str:
    return joiner.join(indicator.reasons)


TARGET_HEADERS = ("三级指标", "绩效指标", "类别", "目标值", "实际值", "是否达标", "完成率")


def target_rows(result: Result) -> list[tuple[str, ...]]:
    """One row per declared target, for the 绩效指标完成情况 table under the main one."""
    out: list[tuple[str, ...]] = []
    for indicator in result.indicators:
        for target in indicator.targets:
            state = ("达标" if target.met else "未达标") + ("（评价人判定）" if target.judged else "")
            completion = (
                "—" if target.judged else f"{fmt(completion_percent(target.completion, target.met))}%"
            )
            out.append(
                (
                    indicator.title,
                    target.name,
                    target.category,
                    target.target,
                    target.actual or "—",
                    state,
                    completion,
                )
            )
    return out
