"""Graded judgement: the evaluator picks one of the declared grades and a score within its range, with a
reason (the inputs reader checks the pick against the ranges)."""

from __future__ import annotations

from decimal import Decimal

from scorer.facts import fact, said
from scorer.kinds.base import Step
from scorer.kinds.context import KindError, Row
from scorer.kinds.specs import Graded, where


def score(row: Row, spec: Graded) -> Decimal:
    judgement = row.inputs.judgement
    if judgement is None:  # the reader asks for one; only an override scores without it
        raise KindError(spec.path, "no judgement")
    grade = spec.grade(judgement.grade)
    if grade is None:
        raise KindError(spec.path, f"unknown grade {judgement.grade!r}")
    row.exercised.append(where(grade.path))
    detail = fact(
        "step.grade", grade=said(grade.name), range=grade.interval.text, reason=said(judgement.reason)
    )
    row.steps.append(Step("grade", detail, judgement.score))
    result = row.finish(judgement.score)
    if result < row.weight:
        row.reasons.append(fact("reason.graded", grade=said(grade.name), range=grade.interval.text))
        row.reasons.append(said(judgement.reason))
    return result
