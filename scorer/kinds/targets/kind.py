"""Targets: the department's declared performance targets, each judged met or not (or its completion worked
out), rolled up into the row's score as the rule declares (scorer/kinds/targets/judge.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from scorer.errors import Problem
from scorer.facts import Fact, fact, said
from scorer.kinds.base import Kind, KindScore, Step, place, within, within_ratio
from scorer.kinds.context import Row
from scorer.kinds.deductions import full_weight
from scorer.kinds.targets.judge import TargetsScore, mean_completion, roll_up
from scorer.kinds.targets.model import Target, TargetOutcome
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
        """The full weight for a row without targets; else the targets judged and rolled up, as `score` does:
        the mean completion in integers (`mean_completion`), each target's outcome and reason when read."""
        targets, full = spec.targets, KindScore(spec.weight)
        if targets is None:
            return None
        method, rounded = targets.roll_up, within_ratio(spec)
        whole_n, whole_d = spec.exact_weight.numerator, spec.exact_weight.denominator

        def scored(given: Given, year: int) -> KindScore | None:
            listed = given.targets
            if not listed:
                return full
            mean = mean_completion(method, listed)
            if mean is None:
                return _rolled_up(spec, listed)
            score = rounded(whole_n * mean[0], whole_d * mean[1])
            if score is None:
                return None
            return KindScore(score, later=partial(_judged, spec, listed, score))

        return scored

    def schema(self, spec: Rule) -> Mapping[str, Any]:
        return {"targets": {"type": "array", "items": {"$ref": "#/$defs/target"}}}


def _rolled_up(spec: Rule, listed: Sequence[Target]) -> KindScore | None:
    """The targets judged and rolled up, with the reasons of the misses; None for a value to be clamped."""
    assert spec.targets is not None
    outcome = roll_up(spec.targets.roll_up, spec.exact_weight, listed, spec.rounding)
    score = within(spec, outcome.raw)
    return None if score is None else _said(spec, outcome, score)


def _judged(spec: Rule, listed: Sequence[Target], score: Decimal) -> KindScore:
    """What a row scored in integers says: its targets judged one by one, and the reasons of the misses."""
    assert spec.targets is not None
    return _said(spec, roll_up(spec.targets.roll_up, spec.exact_weight, listed, spec.rounding), score)


def _said(spec: Rule, outcome: TargetsScore, score: Decimal) -> KindScore:
    reasons = tuple(outcome.reasons)
    if score < spec.weight:
        reasons += (fact("reason.targets_scored", detail=outcome.detail, score=score),)
    return KindScore(score, reasons, (), outcome.targets)


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
