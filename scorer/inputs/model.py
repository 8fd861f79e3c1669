"""A department's inputs, read and checked: exact values, deductions, overrides and declared targets."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from decimal import Decimal

from msgspec import Struct, field

from scorer.invisible import without_invisible
from scorer.kinds.targets.model import Target


class Deduction(Struct, frozen=True):
    points: Decimal
    reason: str
    improvement: str = ""
    code: str | None = None  # set when the deduction is one the rule file declares


class Override(Struct, frozen=True):
    score: Decimal
    reason: str
    improvement: str = ""


class Judgement(Struct, frozen=True):
    """An evaluator's pick for a graded row: the grade, a score within its range, and why."""

    grade: str
    score: Decimal
    reason: str


class IndicatorInputs(Struct, frozen=True):
    values: Mapping[str, Decimal] = field(default_factory=dict)
    deductions: tuple[Deduction, ...] = ()
    override: Override | None = None
    targets: tuple[Target, ...] = ()
    improvement: str = ""  # 改进措施 for the row, whatever scored it
    judgement: Judgement | None = None  # a graded row's pick
    choice: str = ""  # the option the department chose, for a row scored by alternatives
    # 未达标原因 in the department's own words for a row scored by its formula ("平均支出进度为89.92%*权重，得8.99分"),
    # shown instead of the rule's reason template when the row loses points; its facts are the department's to state.
    reason: str = ""


class Profile(Struct, frozen=True):
    """部门基本情况 as the official form prints it, and the 自评报告's narrative parts; all as the department
    wrote them, every one optional (a missing part is left blank, never invented)."""

    goal: str = ""  # 年度整体绩效目标
    achieved: str = ""  # 整体绩效目标完成情况
    shortfall: str = ""  # 未能完成原因
    key_tasks: str = ""  # 部门年度重点工作任务
    results: str = ""  # 绩效目标完成情况与效益
    performance_management: str = ""  # 绩效管理
    procurement_management: str = ""  # 采购管理
    asset_management: str = ""  # 资产管理
    problems: str = ""  # 存在的主要问题
    improvements: str = ""  # 下一步改进措施
    project: str = ""  # 项目名称 (`project:`), for a project's self-evaluation


def department_key(name: str) -> str:
    """What makes two department names one department: the name after NFKC normalisation (full-width letters
    and digits, compatibility ideographs and U+3000 become their plain forms), with the characters that are
    drawn as nothing taken out (scorer/invisible.py: Unicode's default-ignorable characters such as U+200B,
    U+FEFF, U+2060, the bidi marks and variation selectors, format characters, controls, U+2800) and every run
    of white space made one space, none at either end. Names are compared by this key everywhere (a batch's
    duplicates, the ranking's order, the history, the audit) and shown as the department wrote them."""
    if name.isascii() and name.isprintable() and "  " not in name and name == name.strip():
        return name  # most names: nothing to normalise
    # Taken out before NFKC too: a joiner between a letter and its accent keeps NFKC from composing them.
    text = unicodedata.normalize("NFKC", without_invisible(name))
    return " ".join(without_invisible(text).split())


class Department(Struct, frozen=True):
    name: str
    year: int
    units: int | None
    budget: Mapping[str, Decimal]
    indicators: Mapping[str, IndicatorInputs]
    path: str = ""
    profile: Profile = field(default_factory=Profile)

    def inputs(self, indicator_id: str) -> IndicatorInputs:
        return self.indicators.get(indicator_id) or IndicatorInputs()
