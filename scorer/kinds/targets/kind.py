"""Targets: the department's declared performance targets, each judged met or not (or its completion worked
out), rolled up into the row's score as the rule declares (scorer/kinds/targets/judge.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from scorer.errors import Problem
from scorer.facts import Fact, fact, said
from scorer.kinds.base import Kind, KindScore, Step, place, within
from scorer.kinds.context import Row
from scorer.kinds.deductions import full_weight
from scorer.kinds.targets.judge import roll_up
from scorer.kinds.targets.model import TargetOutcome
from scorer.numbers import completion_percent

if TYPE_CHECKING:
    from scorer.kinds.rule import Given, Rule


class TargetsKind(Kind["Rule"]):
    """The spec is the indicator: its `targets` (categories and roll-up)."""

    name = "targets"
    pure = True
    owns = frozenset({"targets"})
    judged = True
    nothing_to_fill = "scaffold.targets_row"

    def judged_row(self, entry: Mapping[str, Any]) -> bool:
        """Judged by its targets when it lists none (the published tables): scored as given otherwise."""
        return not entry.get("targets")

    def check_keys(self, rule: Rule) -> Iterator[Problem]:
        if rule.targets is None:
            yield Problem(place(rule, "scoring"), fact("lint.targets_missing"))

    def score(self, spec: Rule, row: Row) -> Decimal:
        if not row.inputs.targets:
            return full_weight(row)
        assert spec.targets is not None
        outcome = roll_up(spec.targets.roll_up, spec.exact_weight, row.inputs.targets, spec.rounding)
        row.targets = outcome.targets
        if row.explain:
            row.steps.extend(Step("target", _target_step(target)) for target in outcome.targets)
            row.steps.append(
                Step(
                    "roll-up",
                    fact("step.roll_up", method=spec.targets.roll_up, detail=outcome.detail),
                    outcome.raw,
                )
            )
        score = row.finish(outcome.raw, "word.targets_result")
        row.reasons.extend(outcome.reasons)
        if score < spec.weight:
            row.reasons.append(fact("reason.targets_scored", detail=outcome.detail, score=score))
        return score

    def compile(self, spec: Rule, rule: Rule) -> Callable[[Given, int], KindScore | None] | None:
        """The full weight for a row without targets; else the targets judged and rolled up, as `score` does."""
        targets, weight, full = spec.targets, spec.weight, KindScore(spec.weight)
        if targets is None:
            return None

        def scored(given: Given, year: int) -> KindScore | None:
            if not given.targets:
                return full
            outcome = roll_up(targets.roll_up, spec.exact_weight, given.targets, spec.rounding)
            score = within(spec, outcome.raw)
            if score is None:
                return None
            reasons = tuple(outcome.reasons)
            if score < weight:
                reasons += (fact("reason.targets_scored", detail=outcome.detail, score=score),)
            return KindScore(score, reasons, (), outcome.targets)

        return scored

    def schema(self, spec: Rule) -> Mapping[str, Any]:
        return {"targets": {"type": "array", "items": {"$ref": "#/$defs/target"}}}


def _target_step(outcome: TargetOutcome) -> Fact:
    how = (
        fact("target.judged")
        if outcome.judged
        else fact("target.completion", percent=completion_percent(outcome.completion, outcome.met))
    )
    return fact(
        "step.target",
        name=said(outcome.name),
        target=said(outcome.target),
        actual=said(outcome.actual or "—"),
        state=fact("target.met" if outcome.met else "target.unmet"),
        how=how,
    )


KIND = TargetsKind()
