"""The inputs a kind asks of a department besides its declared inputs: a graded row's grade, score and reason,
and the alternative a department chooses. The input workbook and the batch sheet both ask for them, each under
the name that says where its value goes (`judgement.grade`, `choice`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scorer.kinds.base import InputSpec
from scorer.kinds.registry import kind

if TYPE_CHECKING:
    from scorer.kinds.rule import Rule


def kind_rows(indicator: Rule, lang: str) -> list[InputSpec]:
    return kind(indicator.scoring).rows(indicator.spec, indicator.weight, lang)
