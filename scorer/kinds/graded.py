"""Graded judgement: the evaluator picks one of the declared grades and a score within its range, with a
reason (the inputs reader checks the pick against the ranges)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from scorer.facts import fact, said
from scorer.i18n import t
from scorer.kinds.base import InputSpec, Step
from scorer.kinds.context import Declarative, KindError, Row
from scorer.kinds.parts import Ask, Interval, Item, Reader
from scorer.kinds.specs import Path, Texts, where

if TYPE_CHECKING:
    from scorer.errors import Problem
    from scorer.kinds.rule import Rule


@dataclass(frozen=True, slots=True)
class Grade:
    name: str
    interval: Interval
    description: Texts
    path: Path


@dataclass(frozen=True, slots=True)
class Graded:
    grades: tuple[Grade, ...]
    path: Path
    kind: str = "graded"

    def grade(self, name: str) -> Grade | None:
        return next((g for g in self.grades if g.name == name), None)


def score(row: Row, spec: Graded) -> Decimal:
    judgement = row.inputs.judgement
    if judgement is None:  # the reader asks for one; only an override scores without it
        raise KindError(spec.path, said("no judgement"))
    grade = spec.grade(judgement.grade)
    if grade is None:
        raise KindError(spec.path, said(f"unknown grade {judgement.grade!r}"))
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


class GradedKind(Declarative[Graded]):
    name = "graded"

    def read(self, data: list[dict[str, Any]], path: Path, at: Reader) -> Graded:
        from scorer.kinds.read import interval

        grades = tuple(
            Grade(
                g["name"],
                interval(g),
                at.texts(g.get("description"), path + (i, "description"), self.placeholders),
                path + (i,),
            )
            for i, g in enumerate(data)
        )
        return Graded(grades, path)

    def lint(self, spec: Graded, rule: Rule, year: int | None) -> Iterator[Problem]:
        from scorer.errors import Problem
        from scorer.kinds.interval import check_ranges
        from scorer.kinds.lint_tools import at

        weight = rule.weight
        for grade in spec.grades:
            high = grade.interval.high
            if high is not None and high > weight:
                yield Problem(
                    at(rule, grade.path + ("to",)),
                    fact("lint.points_over_weight", points=high, weight=weight),
                )
        yield from check_ranges(
            rule, [(g.interval, g.path) for g in spec.grades], (Decimal(0), weight), spec.path, False
        )

    def scored(self, spec: Graded, row: Row) -> Decimal:
        return score(row, spec)

    def items(self, spec: Graded, ident: str) -> Iterator[Item]:
        for grade in spec.grades:
            place = where(grade.path)
            yield Item(place, fact("cases.item.pick", id=ident, where=place))

    def parts(self, spec: Graded) -> Iterator[tuple[str, str]]:
        for grade in spec.grades:
            yield where(grade.path), f"{grade.name} {grade.interval.text}"

    def asks(self, spec: Graded) -> Iterator[Ask]:
        names = tuple(g.name for g in spec.grades)
        ranges = tuple((g.name, g.interval) for g in spec.grades)
        yield Ask(
            "judgement", "grade", names, "grades", _grades(spec),
            "inputs.judgement_missing", "scaffold.judgement", "{grade: , score: , reason: }", ranges,
        )  # fmt: skip

    def rows(self, spec: Graded, weight: Decimal, lang: str) -> list[InputSpec]:
        return [
            InputSpec("judgement.grade", "grade", t("scaffold.judgement", lang, grades=_grades(spec))),
            InputSpec("judgement.score", "number", "score", min=None, max=weight),
            InputSpec("judgement.reason", "text", "reason"),
        ]

    def schema(self, spec: Graded) -> Mapping[str, Any]:
        return {
            "judgement": {
                "type": "object",
                "additionalProperties": False,
                "required": ["grade", "score", "reason"],
                "description": "评价: " + _grades(spec),
                "properties": {
                    "grade": {"enum": [g.name for g in spec.grades]},
                    "score": {"$ref": "#/$defs/number"},
                    "reason": {"type": "string"},
                },
            }
        }


def _grades(spec: Graded) -> str:
    return "、".join(f"{g.name} {g.interval.text}" for g in spec.grades)


KIND = GradedKind()
