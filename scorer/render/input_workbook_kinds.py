"""The input workbook's rows for the declarative kinds: a yes/no answer (checklist items, conditions) chosen
from 是/否, a graded row's grade, score and reason, and the alternative a department chooses. Each is one row
of the 指标 sheet whose hidden input id says where the value goes (`judgement.grade`, `choice`)."""

from __future__ import annotations

from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from scorer.kinds.base import InputSpec
from scorer.kinds.registry import kind
from scorer.kinds.rows import kind_rows
from scorer.render.xlsx_cells import choices
from scorer.rules.model import Indicator

__all__ = ["CHOICE_TYPES", "choose_from", "given_choice", "kind_rows"]

CHOICE_TYPES = ("yes_no", "grade", "choice", "text")
YES, NO = "是", "否"


def given_choice(entry: dict[str, Any], spec: InputSpec) -> Any:
    """What an earlier inputs file gave for this row, as the workbook shows it."""
    if spec.name.startswith("judgement."):
        return (entry.get("judgement") or {}).get(spec.name.split(".", 1)[1])
    value = entry.get(spec.name)
    if spec.type == "yes_no" and isinstance(value, bool):
        return YES if value else NO
    return value


def choose_from(sheet: Worksheet, spec: InputSpec, where: str, indicator: Indicator, lang: str) -> None:
    """Excel's own list for a yes/no answer, a grade or a choice (a reason is free text); none where a rule
    file's grade names cannot be written as one (the reader checks the answer either way)."""
    asked = [ask for ask in kind(indicator.scoring).asks(indicator.spec) if ask.type == spec.type]
    if spec.type == "yes_no":
        options = [YES, NO]
    elif asked:
        options = list(asked[0].choices)
    else:
        return
    validation = choices(options)
    if validation is not None:
        sheet.add_data_validation(validation)
        validation.add(where)
