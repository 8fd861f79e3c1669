"""What the 项目支出绩效自评表 prints (a rubric's `form: layout: project`), as data each format writes its own way
(scorer/render/xlsx_project.py, markdown.py, report.py): the 预算执行 block's values, and one line per indicator the
project declared with its 年度指标值, 实际完成值, 分值 and 得分."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from scorer.engine.result import IndicatorResult, Result
from scorer.facts import fact, said
from scorer.i18n import say
from scorer.kinds.targets.model import TargetOutcome
from scorer.render.common import named, reasons_text

BUDGET_COLUMNS = ("start", "full_year", "spent", "rate")  # 年初预算数, 全年预算数, 全年执行数, 执行率
BUDGET_HEADINGS = (
    "form.project.start",
    "form.project.full_year",
    "form.project.spent",
    "form.project.rate",
    "form.weight",
    "form.score",
    "form.project.deviation",
)
HEADINGS = (
    "form.level1",
    "form.level2",
    "form.level3",
    "form.project.target",
    "form.project.actual",
    "form.weight",
    "form.score",
    "form.project.deviation",
)


@dataclass(frozen=True, slots=True)
class Line:
    level1: str
    level2: str
    level3: str
    target: str
    actual: str
    weight: Decimal
    score: Decimal
    deviation: str


def budget_values(result: Result) -> tuple[Decimal | None, ...]:
    """The block's values in BUDGET_COLUMNS order, None where the department gave none."""
    values = dict(result.form_budget)
    return tuple(values.get(key) for key in BUDGET_COLUMNS)


def budget_row(result: Result) -> IndicatorResult | None:
    """The row the block scores: its 分值 and 得分 are printed there, not among the indicators."""
    return next((i for i in result.indicators if i.id == result.form_budget_row), None)


def lines(result: Result, lang: str) -> Iterator[Line]:
    """Each indicator the project declared with its 分值 (where a row lists them), else the row itself."""
    for indicator in result.indicators:
        if indicator.id == result.form_budget_row:
            continue
        listed = [target for target in indicator.targets if target.points is not None]
        if not listed:
            yield Line(
                indicator.level1,
                indicator.level2,
                named(indicator, lang),
                "",
                "",
                indicator.weight,
                indicator.score,
                deviation(indicator, lang),
            )
        for target in listed:
            weight, points = target.weight or Decimal(0), target.points or Decimal(0)
            shortfall = _shortfall(target, weight, points, lang)
            yield Line(
                target.category, "", target.name, target.target, target.actual, weight, points, shortfall
            )


def deviation(indicator: IndicatorResult, lang: str) -> str:
    """偏差原因分析及改进措施 of a row: why points were lost, then the department's improvements."""
    return "\n".join(part for part in (reasons_text(indicator, lang, "\n"), *indicator.improvements) if part)


def _shortfall(target: TargetOutcome, weight: Decimal, points: Decimal, lang: str) -> str:
    """The department's own 偏差原因 for the target, else, where it lost points, how they were worked out."""
    if target.reason or points >= weight:
        return target.reason
    values = {"target": said(target.target or "—"), "actual": said(target.actual or "—")}
    return say(
        fact("reason.target_points", name=said(target.name), points=points, weight=weight, **values), lang
    )
