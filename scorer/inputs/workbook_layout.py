"""Where everything stands in the clerk's input workbook (`score template -o 自评输入.xlsx`).

The writer (scorer/render/input_workbook.py) and the reader (scorer/inputs/workbook.py) share this one description, so
that a workbook read back gives exactly the inputs it was written from. The reader relies on the id columns and
positions below, never on the headers' wording (they follow the language the workbook was made in).
"""

from __future__ import annotations

from typing import NamedTuple

# What a workbook's file name ends with (a YAML inputs file's is anything else): kept where every inputs file's
# kind is told, so that reading a YAML file does not load the workbook's layout.
from scorer.sources.file_kind import WORKBOOK_SUFFIXES  # noqa: F401 - named here with the rest of the layout

# Sheets, by their role; their shown names come from the catalogue (workbook.sheet.<role>).
INSTRUCTIONS, INDICATORS, TARGETS, PROFILE = "instructions", "indicators", "targets", "profile"
SHEETS = (INSTRUCTIONS, INDICATORS, TARGETS, PROFILE)

FIRST_ROW = 3  # row 1: the title, row 2: the headers


# 指标 sheet: one row per formula input of an indicator (one row for an indicator without inputs). The row's score
# as the 自评表 asks it (自评分) stands beside the reasons; the deduction column (扣分分值) is kept, last, for the clerk
# who itemises what was lost, and so that a workbook of the earlier layout (扣分分值 where 自评分 now stands, no
# 自评分) is still read: `columns_of` tells the two apart by the header above column J.
class Columns(NamedTuple):
    LEVEL1: int
    LEVEL2: int
    NAME: int
    WEIGHT: int
    EXPLANATION: int
    ID: int
    INPUT_LABEL: int
    UNIT: int
    VALUE: int
    SCORE: int | None  # None: the earlier layout asked deductions only
    REASON: int
    IMPROVEMENT: int
    INPUT: int
    OVERRIDE: int
    POINTS: int


CURRENT = Columns(*range(1, 16))
EARLIER = CURRENT._replace(SCORE=None, POINTS=10)  # 扣分分值 where 自评分 now stands
(LEVEL1, LEVEL2, NAME, WEIGHT, EXPLANATION, ID, INPUT_LABEL, UNIT, VALUE, SCORE, REASON, IMPROVEMENT, INPUT,
 OVERRIDE, POINTS) = (column or 0 for column in CURRENT)  # fmt: skip
INDICATOR_COLUMNS = (
    ("form.level1", 10), ("form.level2", 10), ("form.level3", 22), ("form.weight", 7), ("form.explanation", 30),
    ("workbook.id", 14), ("workbook.input", 20), ("workbook.unit", 7), ("workbook.value", 12),
    ("workbook.score", 9), ("form.reasons", 30), ("form.improvements", 30), ("workbook.input_id", 14),
    ("workbook.override", 12), ("workbook.points", 9),
)  # fmt: skip


def columns_of(headers: dict[int, object], score_words: set[str], points_words: set[str]) -> Columns:
    """The layout a workbook was made with, by its headers (column → text): the current one when the header above
    自评分's column says so, or, that header changed, when 扣分分值 heads the current layout's last column."""

    def says(column: int, words: set[str]) -> bool:
        text = headers.get(column)
        return isinstance(text, str) and text.strip() in words

    if says(CURRENT.SCORE or 0, score_words) or says(CURRENT.POINTS, points_words):
        return CURRENT
    return EARLIER


# How a formula row's live 自评分 begins (scorer/render/input_workbook_formula.py): the reader passes over that
# formula, whatever an office suite computed with it, and reads any other number or formula there as typed.
SCORE_PREVIEW = "=IFERROR(IF(AND(COUNT("


# 绩效指标 sheet: one row per declared target.
# The 分值 column last: each target's own points, where the row's roll-up weighs its targets.
T_INDICATOR, T_ID, T_CATEGORY, T_NAME, T_TARGET, T_ACTUAL, T_JUDGED, T_REASON, T_WEIGHT = range(1, 10)
TARGET_COLUMNS = (
    ("form.level3", 22), ("workbook.id", 14), ("targets.category", 12), ("targets.name", 30),
    ("targets.target", 16), ("targets.actual", 16), ("workbook.judged", 12), ("workbook.judged_reason", 30),
    ("workbook.target_weight", 10),
)  # fmt: skip
TARGET_ROWS = 40  # rows offered per workbook; more can be added by copying a row

# 基本情况 sheet: one row per field: its label, its key in the inputs file, the value.
P_LABEL, P_KEY, P_VALUE = 1, 2, 3
PROFILE_FIELDS = (
    ("department", "text"), ("project", "text"), ("year", "integer"), ("rubric", "text"), ("units", "integer"),
    ("budget.total", "money"), ("budget.basic", "money"), ("budget.project", "money"),
    ("budget.special", "money"), ("budget.other_development", "money"), ("budget.district_level", "money"),
    ("budget.transfers", "money"), ("budget.executed", "money"),
    ("profile.goal", "long"), ("profile.achieved", "long"), ("profile.shortfall", "long"),
    ("report.key_tasks", "long"), ("report.results", "long"), ("report.performance_management", "long"),
    ("report.procurement_management", "long"), ("report.asset_management", "long"), ("report.problems", "long"),
    ("report.improvements", "long"),
)  # fmt: skip

# What a project's form (`form: layout: project`, whose 基本情况 asks 项目名称) words its own way (单位名称,
# 项目概况 …): the catalogue's workbook.project.field.<key>.
PROJECT_WORDS = frozenset({"department", "profile.goal", "profile.achieved", "report.key_tasks"})

MET_WORDS = {
    "达标": True,
    "是": True,
    "yes": True,
    "met": True,
    "未达标": False,
    "否": False,
    "no": False,
    "not met": False,
}
