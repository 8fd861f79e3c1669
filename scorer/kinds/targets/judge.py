"""Judging declared targets against their actual values, and rolling them up into an indicator's raw score.

Every completion and mean is an exact Fraction; only the texts and the JSON round, and each rounds once.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from msgspec import Struct

from scorer.facts import Fact, fact, said
from scorer.kinds.targets.model import Part, Target, TargetOutcome
from scorer.kinds.targets.words import AT_LEAST, AT_MOST
from scorer.numbers import percent
from scorer.rounding import Rounding

ONE, ZERO = Fraction(1), Fraction(0)

# A strict bound (">95%", "高于", "<3天", "低于") reached but not passed is missed, so its completion cannot be the
# 1 of a met target. It counts as 99%, and a nearer miss of a strict bound earns no more than that, so that
# completion never falls as the actual comes closer to the bound.
STRICT_BOUND_REACHED = Fraction(99, 100)
_STRICT = (STRICT_BOUND_REACHED.numerator, STRICT_BOUND_REACHED.denominator)  # read once: in integers


def judge(target: Target) -> TargetOutcome:
    if target.judged is not None:
        return _outcome(target, target.judged, ONE if target.judged else ZERO, judged=True)
    assert target.target is not None and target.actual is not None
    wanted, got = target.target.parts, target.actual.parts
    if len(wanted) == 1 and len(got) == 1:  # the common case: one number against one number
        met, completion = judge_part(wanted[0], got[0])
        return _outcome(target, met, completion, judged=False)
    by_label = {p.label: p for p in target.actual.parts}
    results = [
        judge_part(part, by_label.get(part.label, target.actual.parts[0])) for part in target.target.parts
    ]
    met = all(ok for ok, _ in results)
    completions = [c for _, c in results]
    completion = completions[0] if len(completions) == 1 else sum(completions, ZERO) / len(completions)
    return _outcome(target, met, completion, judged=False)


def _outcome(target: Target, met: bool, completion: Fraction, judged: bool) -> TargetOutcome:
    return TargetOutcome(
        target.name,
        target.target_text,
        target.actual_text,
        met,
        completion,
        judged,
        target.category,
        target.reason,
    )


def judge_part(want: Part, got: Part) -> tuple[bool, Fraction]:
    """(met, completion) of one part: 1 when met; otherwise how close the actual came, below 1 (`shortfall`)."""
    missed = shortfall(want, got)
    if missed is None:
        return True, ONE
    return False, Fraction(*missed)


def shortfall(want: Part, got: Part) -> tuple[int, int] | None:
    """None when the part is met; otherwise its completion, below 1, as (numerator, denominator > 0).

    Closeness is the smaller magnitude over the larger (actual/target for a missed "at least", target/actual
    for a missed "at most"), and 0 when they lie on opposite sides of zero or one of them is zero: a zero
    target (0起) is met only at zero.
    """
    # In integers, as a/b against c/d is a·d against c·b (b, d > 0): Fraction's own comparisons cost ten times
    # as much, and a batch judges every target of every department.
    (goal_n, goal_d), (value_n, value_d) = want.ratio, got.ratio
    value, goal = value_n * goal_d, goal_n * value_d
    if want.direction == AT_LEAST:
        met = value > goal if want.strict else value >= goal
    elif want.direction == AT_MOST:
        met = value < goal if want.strict else value <= goal
    else:
        met = value == goal
    if met:
        return None
    small, large = _closeness(value, goal)
    if want.strict and small * _STRICT[1] > _STRICT[0] * large:
        return _STRICT
    return small, large


def _closeness(value: int, goal: int) -> tuple[int, int]:
    """value/goal or goal/value, whichever is below 1, of two amounts brought to one denominator."""
    if value == goal:
        return 1, 1
    if value * goal <= 0:
        return 0, 1
    value, goal = abs(value), abs(goal)
    return (value, goal) if value < goal else (goal, value)


def mean_completion(roll_up_method: str, targets: Sequence[Target]) -> tuple[int, int] | None:
    """The mean completion `roll_up` works out, in integers, as (numerator, denominator > 0): for its mean
    methods and targets of one number against one; None otherwise (left to `roll_up`)."""
    if roll_up_method in _NOT_THE_MEAN or not targets:
        return None
    numerator, denominator = 0, 1
    for target in targets:
        wanted, got = target.target, target.actual
        if target.judged is not None or wanted is None or got is None:
            return None
        if len(wanted.parts) != 1 or len(got.parts) != 1:
            return None
        missed = shortfall(wanted.parts[0], got.parts[0])
        if missed is None:  # met: completes exactly 1
            numerator += denominator
        else:
            numerator, denominator = numerator * missed[1] + missed[0] * denominator, denominator * missed[1]
    return numerator, denominator * len(targets)


_NOT_THE_MEAN = (
    "per_target_points",
    "equal_shares",
    "weighted_completion",
)  # the methods of `roll_up` but its last


class TargetsScore(Struct, frozen=True):
    raw: Fraction
    targets: tuple[TargetOutcome, ...]
    reasons: tuple[Fact, ...]
    detail: Fact


def roll_up(
    roll_up_method: str,
    weight: Decimal | Fraction,
    targets: Sequence[Target],
    rounding: Rounding | None = None,
) -> TargetsScore:
    """The indicator's raw score from its targets, exactly, by the method the rule file declares (`rounding`:
    the row's, for the methods that round each target's points)."""
    if not targets:
        raise ValueError("no targets to roll up")
    outcomes = tuple(judge(t) for t in targets)
    whole = weight if type(weight) is Fraction else Fraction(weight)
    unmet = [o for o in outcomes if not o.met]
    met = len(outcomes) - len(unmet)
    if roll_up_method == "per_target_points":  # each method but the last in _NOT_THE_MEAN
        from scorer.kinds.targets.points import per_target_points

        raw, scored, reasons = per_target_points(targets, outcomes, rounding or Rounding(2, "half_up"))
        return TargetsScore(raw, scored, reasons, fact("detail.per_target_points", count=len(outcomes)))
    if roll_up_method == "equal_shares":
        raw = whole * met / len(outcomes)
        detail = fact("detail.equal_shares", met=met, count=len(outcomes))
    elif roll_up_method == "weighted_completion":
        weights = [Fraction(t.weight or 0) for t in targets]
        mean = sum((w * o.completion for w, o in zip(weights, outcomes, strict=True)), ZERO) / sum(weights)
        raw = whole * mean
        detail = fact("detail.weighted_completion", percent=percent(mean))
    else:  # a met target completes exactly 1: only the others are fractions to add
        mean = _mean(met, [o.completion for o in unmet], len(outcomes))
        raw = whole * mean
        detail = fact("detail.mean_completion", percent=percent(mean))
    reasons = tuple(_unmet(o) for o in unmet)
    return TargetsScore(raw, outcomes, reasons, detail)


def _mean(met: int, completions: list[Fraction], count: int) -> Fraction:
    """(met + the sum of `completions`) / count, exactly: added over one growing denominator and reduced once
    (a Fraction reduces after every addition)."""
    numerator, denominator = met, 1
    for completion in completions:
        numerator = numerator * completion.denominator + completion.numerator * denominator
        denominator *= completion.denominator
    return Fraction(numerator, denominator * count)


def _unmet(outcome: TargetOutcome) -> Fact:
    shown = {
        "name": said(outcome.name),
        "target": said(outcome.target),
        "actual": said(outcome.actual or "—"),
    }
    if outcome.reason:
        return fact("reason.target_unmet_because", **shown, why=said(outcome.reason))
    return fact("reason.target_unmet", **shown)
