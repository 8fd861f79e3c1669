"""A department's inputs, read and checked: exact values, deductions, overrides and declared targets."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import field
from decimal import Decimal

from scorer.frozen import Frozen
from scorer.kinds.targets.model import Target


class Deduction(Frozen):
    points: Decimal
    reason: str
    improvement: str = ""
    code: str | None = None  # set when the deduction is one the rule file declares


class Override(Frozen):
    score: Decimal
    reason: str
    improvement: str = ""


class Judgement(Frozen):
    """An evaluator's pick for a graded row: the grade, a score within its range, and why."""

    grade: str
    score: Decimal
    reason: str


class IndicatorInputs(Frozen):
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


class Profile(Frozen):
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


# Characters drawn as nothing that are not format characters (Cf): variation selectors, the combining grapheme
# joiner, Mongolian free variation selectors, Khmer inherent vowels and the Hangul fillers.
_DRAWN_AS_NOTHING = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u3164\uffa0"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)


def department_key(name: str) -> str:
    """What makes two department names one department: the name after NFKC normalisation (full-width letters
    and digits, compatibility ideographs and U+3000 become their plain forms), with the characters that are
    drawn as nothing taken out (format characters such as U+200B, U+FEFF, U+2060 and the bidi marks, controls,
    variation selectors) and every run of white space made one space, none at either end. Names are compared
    by this key everywhere (a batch's duplicates, the ranking's order, the history, the audit) and shown as
    the department wrote them."""
    if name.isascii() and name.isprintable() and "  " not in name and name == name.strip():
        return name  # most names: nothing to normalise
    text = unicodedata.normalize("NFKC", name)
    kept = "".join(ch for ch in text if not _drawn_as_nothing(ch))
    return " ".join(kept.split())


def _drawn_as_nothing(char: str) -> bool:
    if char.isspace():
        return False  # white space is collapsed, not removed
    return unicodedata.category(char) in ("Cf", "Cc") or char in _DRAWN_AS_NOTHING


class Department(Frozen):
    name: str
    year: int
    units: int | None
    budget: Mapping[str, Decimal]
    indicators: Mapping[str, IndicatorInputs]
    path: str = ""
    profile: Profile = field(default_factory=Profile)

    def inputs(self, indicator_id: str) -> IndicatorInputs:
        return self.indicators.get(indicator_id) or IndicatorInputs()
