"""Alternatives: the row is scored by whichever declared option applies (the first whose condition holds), or
by the one the department chose; the result says which, and why."""

from __future__ import annotations

from decimal import Decimal

from scorer.facts import fact, said
from scorer.i18n import t
from scorer.kinds.base import Step
from scorer.kinds.context import KindError, Row
from scorer.kinds.needs import chosen
from scorer.kinds.specs import Alternatives, where


def score(row: Row, spec: Alternatives) -> Decimal:
    from scorer.kinds.registry import score_spec

    option = chosen(spec, row.names, row.inputs.choice)
    if option is None:
        raise KindError(spec.path + ("options",), t("kinds.no_option"))
    how = (
        fact("kinds.by_department")
        if spec.choose == "by_department"
        else fact("kinds.by_condition", when=option.when.source)
        if option.when
        else fact("kinds.otherwise")
    )
    row.notes.append(fact("note.option", name=said(option.name), how=how))
    row.steps.append(Step("option", fact("step.option", id=option.id, name=said(option.name), how=how)))
    row.exercised.append(where(option.path))
    return score_spec(row, option.spec)
