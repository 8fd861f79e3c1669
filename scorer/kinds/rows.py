"""The inputs a declarative kind asks of a department besides its declared inputs: a graded row's grade, score
and reason, and the alternative a department chooses. The input workbook and the batch sheet both ask for them,
each under the name that says where its value goes (`judgement.grade`, `choice`)."""

from __future__ import annotations

from scorer.i18n import t
from scorer.kinds.base import InputSpec
from scorer.kinds.specs import Alternatives, Graded
from scorer.rules.model import Indicator


def kind_rows(indicator: Indicator, lang: str) -> list[InputSpec]:
    kind = indicator.kinds.spec
    if isinstance(kind, Graded):
        grades = "、".join(f"{g.name} {g.interval.text}" for g in kind.grades)
        return [
            InputSpec("judgement.grade", "grade", t("scaffold.judgement", lang, grades=grades)),
            InputSpec("judgement.score", "number", "score", min=None, max=indicator.weight),
            InputSpec("judgement.reason", "text", "reason"),
        ]
    if isinstance(kind, Alternatives) and kind.choose == "by_department":
        options = ", ".join(f"{o.id} ({o.name})" for o in kind.options)
        return [InputSpec("choice", "choice", t("scaffold.choice", lang, options=options))]
    return []
