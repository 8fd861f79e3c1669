"""One indicator's row, scored: the formula (or the full weight), rounded as the indicator declares; then the
deductions; then clamped to [0, weight] (扣完为止); or, instead of all that, the evaluator's override. Every lost
point carries a reason; the steps of `score explain` are worked out only when someone reads them (`_Steps`)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, localcontext
from fractions import Fraction

from scorer.engine.errors import EngineError, RuleRuntimeError
from scorer.engine.result import IndicatorResult, MetricValue
from scorer.engine.when_read import WhenRead
from scorer.facts import Message, fact, said
from scorer.formula.evaluate import FormulaError
from scorer.inputs.model import IndicatorInputs
from scorer.kinds import registry as kinds
from scorer.kinds.base import Step
from scorer.kinds.targets.model import TargetOutcome
from scorer.numbers import EXACT
from scorer.rounding import Exact, Rounding
from scorer.rules.model import Indicator

ZERO = Decimal(0)


def score_indicator(indicator: Indicator, inputs: IndicatorInputs, year: int) -> IndicatorResult:
    """One indicator's result; its explain steps are worked out when first read."""
    return _Builder(indicator, inputs, year, explain=False).build()


def steps_when_read(indicator: Indicator, inputs: IndicatorInputs, year: int) -> Sequence[Step]:
    """The steps of one indicator's score, worked out (with the same inputs, so the same) when first read."""
    return _Steps(indicator, inputs, year)


class _Steps(WhenRead[Step]):
    """The steps of one indicator's score, worked out again (with the same inputs, so the same) when first read."""

    __slots__ = ("_given", "_steps")

    def __init__(self, indicator: Indicator, inputs: IndicatorInputs, year: int):
        self._given: tuple[Indicator, IndicatorInputs, int] | None = (indicator, inputs, year)
        self._steps: tuple[Step, ...] = ()

    def _all(self) -> tuple[Step, ...]:
        if self._given is not None:
            builder = _Builder(*self._given, explain=True)
            with localcontext(EXACT):
                builder.build()
            self._steps, self._given = tuple(builder.steps), None
        return self._steps


class _Builder(kinds.Row):
    """Collects one indicator's score, reasons, notes and steps as it is worked out."""

    indicator: Indicator
    inputs: IndicatorInputs

    def __init__(self, indicator: Indicator, inputs: IndicatorInputs, year: int, *, explain: bool = True):
        self.indicator = indicator
        self.inputs = inputs
        self.year = year
        self.explain = (
            explain  # collect the steps of `score explain` (otherwise they are worked out when read)
        )
        self.reasons: list[Message] = []
        self.improvements: list[str] = []
        self.notes: list[Message] = []
        self.steps: list[Step] = []
        self.clamped = False
        self.exercised: list[str] = []
        self.targets: tuple[TargetOutcome, ...] = ()
        self.metrics = self._metrics()

    def build(self) -> IndicatorResult:
        indicator, inputs = self.indicator, self.inputs
        if inputs.override is not None:
            score = inputs.override.score
            self.reasons.append(said(inputs.override.reason))
            self._improve(inputs.override.improvement)
            if self.explain:
                self.steps.append(
                    Step("override", fact("step.override", reason=said(inputs.override.reason)), score)
                )
        else:
            score = self._deduct(self._base())
        self._improve(inputs.improvement)
        return row_result(
            indicator,
            score,
            self.reasons,
            self.improvements,
            overridden=inputs.override is not None,
            clamped=self.clamped,
            notes=tuple(self.notes),
            metrics=self.metrics,
            steps=tuple(self.steps) if self.explain else _Steps(indicator, inputs, self.year),
            targets=self.targets,
            exercised=tuple(self.exercised),
        )

    def _improve(self, text: str) -> None:
        add_improvement(self.improvements, text)

    def _base(self) -> Decimal:
        """The score before deductions: a not-applicable rule or gate that holds, else the row's kind."""
        try:
            return kinds.score(self)
        except kinds.KindError as exc:
            raise RuleRuntimeError(self.indicator, exc.fact, str(exc.path[0]), exc.path) from None

    def finish(self, raw: Exact, what_key: str = "word.kind_result") -> Decimal:
        return self._round(self._clamp(raw, what_key))

    def missing(self, names: list[str]) -> Decimal:
        return self._missing(names)

    def _missing(self, missing: list[str]) -> Decimal:
        indicator = self.indicator
        labels = "、".join(spec.label for spec in indicator.inputs if spec.name in missing)
        names = ", ".join(missing)
        if indicator.on_missing == "full_marks":
            self.notes.append(fact("note.missing_full_marks", labels=labels))
            if self.explain:
                self.steps.append(
                    Step("missing", fact("step.missing_full_marks", names=names), indicator.weight)
                )
            return indicator.weight
        if indicator.on_missing == "zero":
            self.reasons.append(fact("reason.missing_zero", labels=labels))
            if self.explain:
                self.steps.append(Step("missing", fact("step.missing_zero", names=names), ZERO))
            return ZERO
        raise EngineError(
            said(f"{indicator.id}: missing {missing} should have been reported when reading inputs")
        )

    def _round(self, value: Exact) -> Decimal:
        """The one rounding of a score, from its exact value."""
        rounding = self.indicator.rounding
        rounded = rounding.apply(value)
        if self.explain:
            self.steps.append(
                Step(
                    "rounding",
                    fact("step.rounding", places=rounding.places, mode=fact(f"rounding.{rounding.mode}")),
                    rounded,
                )
            )
        return rounded

    def _clamp(self, value: Exact, what_key: str) -> Exact:
        """An exact raw value outside [0, weight] is brought inside before it is rounded or shown."""
        weight = self.indicator.weight
        # A Fraction against the Decimal weight compares slowly (through the Decimal's own conversion): against
        # the weight as a Fraction instead.
        if 0 <= value <= (self.indicator.exact_weight if type(value) is Fraction else weight):
            return value
        what = fact(what_key)
        if value > weight:
            self.clamped = True
            self.notes.append(fact("note.clamped_high", what=what, value=value, weight=weight))
            if self.explain:
                self.steps.append(
                    Step("clamp", fact("step.clamped_high", value=value, weight=weight), weight)
                )
            return weight
        if value < 0:
            self.clamped = True
            self.notes.append(fact("note.clamped_low", what=what, value=value))
            if self.explain:
                self.steps.append(Step("clamp", fact("step.clamped_low", value=value), ZERO))
            return ZERO
        return value

    def _deduct(self, base: Decimal) -> Decimal:
        score = base
        for deduction in self.inputs.deductions:
            score = EXACT.subtract(score, deduction.points)
            self.reasons.append(said(deduction.reason))
            self._improve(deduction.improvement)
            if self.explain:
                key = "step.declared_deduction" if deduction.code else "step.deduction"
                detail = fact(
                    key, code=deduction.code, points=deduction.points, reason=said(deduction.reason)
                )
                self.steps.append(Step("deduction", detail, score))
        if score < 0:
            self.clamped = True
            self.notes.append(fact("note.deductions_exhausted", base=base))
            if self.explain:
                self.steps.append(Step("clamp", fact("step.deductions_exhausted"), ZERO))
            return ZERO
        return score

    def _metrics(self) -> tuple[MetricValue, ...]:
        return metric_values(self.indicator, self.inputs, self.year)


def metric_values(indicator: Indicator, inputs: IndicatorInputs, year: int) -> tuple[MetricValue, ...]:
    """The row's metrics (evidence shown beside its score) worked out from the inputs it gives."""
    if not indicator.metrics:
        return ()
    values = indicator.formula_names(inputs.values, year)
    shown = []
    for metric in indicator.metrics:
        if not metric.formula.names <= values.keys():
            continue  # evidence not given: nothing to show
        try:
            value: Decimal | None = Rounding(metric.places, "half_up").apply(metric.formula.evaluate(values))
        except FormulaError:
            value = None  # e.g. a zero denominator: shown as "cannot be computed"
        shown.append(MetricValue(metric.id, metric.name, value, metric.unit))
    return tuple(shown)


def check_score(indicator: Indicator, score: Decimal, reasons: list[Message]) -> None:
    """What every result holds, however it was scored: a score within [0, weight], and a reason for every point
    lost."""
    if not ZERO <= score <= indicator.weight:
        raise EngineError(said(f"{indicator.id}: score {score} outside [0, {indicator.weight}]"))
    if score < indicator.weight and not reasons:
        raise EngineError(
            said(f"{indicator.id}: {score} of {indicator.weight} without a reason for the loss")
        )


def add_improvement(improvements: list[str], text: str) -> None:
    """A 改进措施 said once, however many deductions give it."""
    if text and text not in improvements:
        improvements.append(text)


def row_result(
    indicator: Indicator,
    score: Decimal,
    reasons: list[Message],
    improvements: list[str],
    *,
    overridden: bool = False,
    clamped: bool = False,
    notes: tuple[Message, ...] = (),
    metrics: tuple[MetricValue, ...] = (),
    steps: Sequence[Step] = (),
    targets: tuple[TargetOutcome, ...] = (),
    exercised: tuple[str, ...] = (),
) -> IndicatorResult:
    """A row's result, however it was scored: what it repeats of its rule, then what scoring gave, once checked
    (`check_score`)."""
    check_score(indicator, score, reasons)
    return IndicatorResult(
        id=indicator.id,
        name=indicator.name,
        name_en=indicator.name_en,
        shown_as="" if indicator.name else indicator.title,
        explanation=indicator.explanation,
        explanation_en=indicator.explanation_en,
        level1=indicator.level1,
        level2=indicator.level2,
        weight=indicator.weight,
        score=score,
        reasons=tuple(reasons),
        improvements=tuple(improvements),
        overridden=overridden,
        clamped=clamped,
        notes=notes,
        metrics=metrics,
        steps=steps,
        targets=targets,
        exercised=exercised,
    )
