"""Per-target points (`roll_up: per_target_points`): each declared target carries its own 分值 W and scores by
its operator as the Ministry of Finance performance module's configuration computes it (a system's rules, not a
legal text; docs/rubrics.md, rules/mof-pmkpi-default): with T = 年度指标值, A = 实际完成值 (a negative A counts as 0):

- ≥ and ＞ (positive): A ≥ T → W; else A/T × W.
- ＝ (equal): T = 0: A ≤ 0 → W, else 0; otherwise as positive (an over-run scores full).
- ≤ and ＜ (reverse): A ≤ T → W; T < A < 2T → (1 − (A − T)/T) × W; A ≥ 2T → 0 (with T = 0, any A > 0 → 0).

＞ and ＜ are not strict: meeting the target exactly scores full, as the module does. Each target's points are
rounded once, to the row's places by its mode, before they are added.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from msgspec.structs import replace

from scorer.facts import Fact, fact, said
from scorer.kinds.targets.model import Part, Target, TargetOutcome
from scorer.kinds.targets.words import AT_LEAST, AT_MOST
from scorer.rounding import Rounding

ONE, ZERO = Fraction(1), Fraction(0)


def points(want: Part, got: Part, weight: Fraction) -> Fraction:
    """The exact points of one target before its rounding."""
    goal = Fraction(*want.ratio)
    actual = max(Fraction(*got.ratio), ZERO)  # 判断实际完成值为负数，默认赋值为0
    if want.direction == AT_MOST:
        if actual <= goal:
            return weight
        if goal <= 0 or actual >= 2 * goal:
            return ZERO
        return (1 - (actual - goal) / goal) * weight
    if want.direction != AT_LEAST and goal == 0:  # ＝0
        return weight if actual <= 0 else ZERO
    if actual >= goal:
        return weight
    return actual / goal * weight if goal > 0 else ZERO


def per_target_points(
    targets: Sequence[Target], outcomes: Sequence[TargetOutcome], rounding: Rounding
) -> tuple[Fraction, tuple[TargetOutcome, ...], tuple[Fact, ...]]:
    """The row's raw score (the sum of each target's rounded points), each target's outcome with the share of
    its points it scored as its completion, and a reason for each target below its points."""
    total, reasons, scored_outcomes = ZERO, [], []
    for target, outcome in zip(targets, outcomes, strict=True):
        weight = Fraction(target.weight or 0)
        if target.judged is not None or target.target is None or target.actual is None:
            scored = weight if outcome.met else ZERO
        else:
            scored = points(target.target.parts[0], target.actual.parts[0], weight)
        shown = rounding.apply(scored)
        rounded = Fraction(shown)
        total += rounded
        share = rounded / weight if weight else ONE
        scored_outcomes.append(
            replace(outcome, met=share == ONE, completion=share, weight=target.weight, points=shown)
        )
        if rounded < weight:
            reasons.append(
                fact(
                    "reason.target_points",
                    name=said(target.name),
                    target=said(target.target_text or "—"),
                    actual=said(target.actual_text or "—"),
                    points=rounded,
                    weight=weight,
                )
            )
    return total, tuple(scored_outcomes), tuple(reasons)
