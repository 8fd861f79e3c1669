"""What the clerk's workbook asks on 基本情况 for a rubric, and where each value formulas read is typed there.

A department's form asks every field of layout.PROFILE_FIELDS but 项目名称. A project's (`form: layout: project`) asks
its 项目名称 and leaves out what its table and report never print (单位数, 基本支出, 区本级资金, the 绩效/采购/资产管理 texts,
scorer/render/report.py), keeping a part of the budget block a row's formula or a check reads. The rubric's shared
inputs (`inputs:`) follow, one row each.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter, quote_sheetname

from scorer.inputs import workbook_layout as layout
from scorer.rules.model import RuleSet

# What a project's table and report never show: asked on a department's form only.
_DEPARTMENT_ONLY = frozenset(
    {"units", "report.performance_management", "report.procurement_management", "report.asset_management"}
)


def in_project_words(rules: RuleSet, key: str) -> bool:
    """Whether 基本情况 labels the field `key` in a project form's words (workbook.project.field.<key>)."""
    return rules.form.layout == "project" and key in layout.PROJECT_WORDS


def profile_title(rules: RuleSet) -> str:
    """The catalogue key of 基本情况's title: a department's, or a project's."""
    return "workbook.project.profile_title" if rules.form.layout == "project" else "workbook.profile_title"


def profile_fields(rules: RuleSet) -> tuple[tuple[str, str], ...]:
    """The fields 基本情况 asks for `rules`, in order: (key in the inputs file, kind)."""
    if rules.form.layout != "project":
        return tuple((key, kind) for key, kind in layout.PROFILE_FIELDS if key != "project")
    read = {
        spec.name for indicator in rules.indicators for spec in indicator.inputs if spec.shared == "budget"
    }
    checked = " ".join(check.holds for check in rules.checks)
    return tuple(
        (key, kind)
        for key, kind in layout.PROFILE_FIELDS
        if key not in _DEPARTMENT_ONLY
        and (not key.startswith("budget.") or _budget_name(key) in read or _budget_name(key) in checked)
    )


def shared_row(rules: RuleSet) -> int:
    """The row of 基本情况 where the first shared input is asked."""
    return layout.FIRST_ROW + len(profile_fields(rules))


def profile_cells(rules: RuleSet, title: str) -> dict[str, str]:
    """Where on 基本情况 (titled `title`) each value every row may read is typed, by the name formulas give it
    (`budget_total`, a shared input's name): an absolute, sheet-qualified reference for a row's live 自评分."""
    fields = enumerate(profile_fields(rules), start=layout.FIRST_ROW)
    rows = {_budget_name(key): row for row, (key, _) in fields if key.startswith("budget.")}
    rows.update({spec.name: row for row, spec in enumerate(rules.shared, start=shared_row(rules))})
    column = get_column_letter(layout.P_VALUE)
    return {name: f"{quote_sheetname(title)}!${column}${row}" for name, row in rows.items()}


def _budget_name(key: str) -> str:
    """`budget.total` → `budget_total`, as formulas read it."""
    return key.replace(".", "_", 1)
