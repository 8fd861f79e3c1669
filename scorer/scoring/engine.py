"""The engine: a rule set and one department's checked inputs in, a result out. Pure: no I/O, no printing.

Each indicator's score is built in the same order the published tables imply: the formula (or the full weight),
rounded as the indicator declares; then the deductions; then clamped to [0, weight] (扣完为止); or, instead of all
that, the evaluator's override. Every lost point carries a reason.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

from scorer import __version__
from scorer.model.department import Department, IndicatorInputs
from scorer.model.result import (
    GradeBand,
    IndicatorResult,
    MetricValue,
    NodeResult,
    Result,
    Step,
    TargetOutcome,
)
from scorer.model.rules import Indicator, RuleSet
from scorer.numbers import EXACT, Exact, Rounding, completion_percent, fmt, total
from scorer.scoring.formula import FormulaError
from scorer.scoring.targets import roll_up

ZERO = Decimal(0)


class EngineError(Exception):
    """Something the checks before the engine should have caught: a bug, not a user's mistake."""


class RuleRuntimeError(Exception):
    """A rule's formula failed on a department's values (e.g. an unguarded division). Names the indicator."""

    def __init__(self, indicator: Indicator, message: str, key: str = "formula"):
        self.indicator = indicator
        self.key = key  # the rule file's key whose text failed, for its line
        super().__init__(message)


def score(rules: RuleSet, department: Department) -> Result:
    with localcontext(EXACT):  # the caller's decimal context never reaches a score
        return _score(rules, department)


def _score(rules: RuleSet, department: Department) -> Result:
    indicators = tuple(score_indicator(i, department.inputs(i.id), department.year) for i in rules.indicators)
    grand_total = total(i.score for i in indicators)
    grade = rules.grade_of(grand_total)
    top = max(g.max for g in rules.grades)
    bands = tuple(
        GradeBand(g.name, g.label(top=g.max == top), g.min, g.name == grade.name)
        for g in sorted(rules.grades, key=lambda g: g.min, reverse=True)
    )
    return Result(
        department=department.name,
        year=department.year,
        rules_year=rules.year,
        rules_title=rules.title,
        rules_digest=rules.digest,
        units=department.units,
        budget=dict(department.budget),
        total=grand_total,
        max=rules.total,
        grade=grade.name,
        bands=bands,
        levels=_levels(rules, indicators),
        indicators=indicators,
        engine_version=__version__,
    )


def _levels(rules: RuleSet, indicators: tuple[IndicatorResult, ...]) -> tuple[NodeResult, ...]:
    def subtotal(level1: str, level2: str | None = None) -> Decimal:
        return total(i.score for i in indicators if i.level1 == level1 and level2 in (None, i.level2))

    return tuple(
        NodeResult(
            level.name,
            level.weight,
            subtotal(level.name),
            tuple(NodeResult(name, weight, subtotal(level.name, name)) for name, weight in level.children),
        )
        for level in rules.levels
    )


def score_indicator(indicator: Indicator, inputs: IndicatorInputs, year: int) -> IndicatorResult:
    builder = _Builder(indicator, inputs, year)
    return builder.build()


class _Builder:
    """Collects one indicator's score, reasons, notes and steps as it is worked out."""

    def __init__(self, indicator: Indicator, inputs: IndicatorInputs, year: int):
        self.indicator = indicator
        self.inputs = inputs
        self.year = year
        self.reasons: list[str] = []
        self.improvements: list[str] = []
        self.notes: list[str] = []
        self.steps: list[Step] = []
        self.clamped = False
        self.targets: tuple[TargetOutcome, ...] = ()
        self.metrics = self._metrics()

    def build(self) -> IndicatorResult:
        indicator, inputs = self.indicator, self.inputs
        if inputs.override is not None:
            score = inputs.override.score
            self.reasons.append(inputs.override.reason)
            self._improve(inputs.override.improvement)
            self.steps.append(Step("override", f"评价人调整得分：{inputs.override.reason}", score))
        else:
            score = self._deduct(self._base())
        if not ZERO <= score <= indicator.weight:
            raise EngineError(f"{indicator.id}: score {score} outside [0, {indicator.weight}]")
        if score < indicator.weight and not self.reasons:
            raise EngineError(f"{indicator.id}: {score} of {indicator.weight} without a reason for the loss")
        return IndicatorResult(
            id=indicator.id,
            name=indicator.name,
            level1=indicator.level1,
            level2=indicator.level2,
            weight=indicator.weight,
            score=score,
            reasons=tuple(self.reasons),
            improvements=tuple(self.improvements),
            overridden=inputs.override is not None,
            clamped=self.clamped,
            notes=tuple(self.notes),
            metrics=self.metrics,
            steps=tuple(self.steps),
            targets=self.targets,
        )

    def _improve(self, text: str) -> None:
        if text and text not in self.improvements:
            self.improvements.append(text)

    def _base(self) -> Decimal:
        """The score before deductions."""
        indicator = self.indicator
        if indicator.scoring == "formula":
            return self._formula()
        if indicator.scoring == "targets" and self.inputs.targets:
            return self._targets()
        self.steps.append(Step("base", f"满分 {fmt(indicator.weight)} 分，按扣分计", indicator.weight))
        return indicator.weight

    def _targets(self) -> Decimal:
        indicator = self.indicator
        assert indicator.targets is not None and self.inputs.targets
        outcome = roll_up(indicator.targets.roll_up, indicator.weight, self.inputs.targets)
        self.targets = outcome.targets
        self.steps.extend(Step("target", _target_text(t)) for t in outcome.targets)
        self.steps.append(Step("roll-up", f"{indicator.targets.roll_up}: {outcome.detail}", outcome.raw))
        score = self._round(self._clamp(outcome.raw, "目标完成度得分"))
        self.reasons.extend(outcome.reasons)
        if score < indicator.weight:
            self.reasons.append(f"按{outcome.detail}计得{fmt(score)}分。")
        return score

    def _formula(self) -> Decimal:
        indicator, values = self.indicator, self.inputs.values
        assert indicator.formula is not None
        needed = indicator.formula.names & _input_names(indicator)
        missing = sorted(needed - values.keys())
        if missing:
            return self._missing(missing)
        names = {**values, "weight": indicator.weight, "year": Decimal(self.year)}
        try:
            raw = indicator.formula.evaluate(names)
        except FormulaError as exc:
            raise RuleRuntimeError(indicator, f"{exc}", "formula") from None
        shown = ", ".join(f"{k}={fmt(v)}" for k, v in sorted(values.items()))
        self.steps.append(Step("formula", f"{indicator.formula.source}  ← {shown}", raw))
        score = self._round(self._clamp(raw, "公式结果"))
        if score < indicator.weight and indicator.reason is not None:
            placeholders = {k: fmt(v) for k, v in values.items()}
            placeholders.update(
                weight=fmt(indicator.weight),
                year=str(self.year),
                score=fmt(score),
                lost=fmt(EXACT.subtract(indicator.weight, score)),
                raw=fmt(raw),
                **{m.id: fmt(m.value) for m in self.metrics if m.value is not None},
            )
            missing_placeholders = indicator.reason.names - placeholders.keys()
            if missing_placeholders:
                raise RuleRuntimeError(
                    indicator, f"no value for {', '.join(sorted(missing_placeholders))}", "reason"
                )
            self.reasons.append(indicator.reason.render(placeholders))
        return score

    def _missing(self, missing: list[str]) -> Decimal:
        indicator = self.indicator
        labels = "、".join(spec.label for spec in indicator.inputs if spec.name in missing)
        if indicator.on_missing == "full_marks":
            self.notes.append(f"未提供{labels}，按本规则的缺失数据约定计满分。")
            self.steps.append(Step("missing", f"{', '.join(missing)} missing → full marks", indicator.weight))
            return indicator.weight
        if indicator.on_missing == "zero":
            self.reasons.append(f"未提供{labels}，按本规则的缺失数据约定计0分。")
            self.steps.append(Step("missing", f"{', '.join(missing)} missing → zero", ZERO))
            return ZERO
        raise EngineError(f"{indicator.id}: missing {missing} should have been reported when reading inputs")

    def _round(self, value: Exact) -> Decimal:
        """The one rounding of a score, from its exact value."""
        rounded = self.indicator.rounding.apply(value)
        self.steps.append(Step("rounding", self.indicator.rounding.describe(), rounded))
        return rounded

    def _clamp(self, value: Exact, what: str) -> Exact:
        """An exact raw value outside [0, weight] is brought inside before it is rounded or shown."""
        weight = self.indicator.weight
        if value > weight:
            self.clamped = True
            self.notes.append(f"{what} {fmt(value)} 超出分值 {fmt(weight)}，按分值计。")
            self.steps.append(Step("clamp", f"{fmt(value)} > {fmt(weight)} → {fmt(weight)}", weight))
            return weight
        if value < 0:
            self.clamped = True
            self.notes.append(f"{what} {fmt(value)} 低于0，按0分计。")
            self.steps.append(Step("clamp", f"{fmt(value)} < 0 → 0", ZERO))
            return ZERO
        return value

    def _deduct(self, base: Decimal) -> Decimal:
        score = base
        for deduction in self.inputs.deductions:
            score = EXACT.subtract(score, deduction.points)
            self.reasons.append(deduction.reason)
            self._improve(deduction.improvement)
            label = f"[{deduction.code}] " if deduction.code else ""
            self.steps.append(
                Step("deduction", f"{label}-{fmt(deduction.points)}：{deduction.reason}", score)
            )
        if score < 0:
            self.clamped = True
            self.notes.append(f"扣分合计超过可得分 {fmt(base)}，扣完为止，按0分计。")
            self.steps.append(Step("clamp", "扣完为止 → 0", ZERO))
            return ZERO
        return score

    def _metrics(self) -> tuple[MetricValue, ...]:
        values = {**self.inputs.values, "weight": self.indicator.weight, "year": Decimal(self.year)}
        shown = []
        for metric in self.indicator.metrics:
            if not metric.formula.names <= values.keys():
                continue  # evidence not given: nothing to show
            try:
                value: Decimal | None = Rounding(metric.places, "half_up").apply(
                    metric.formula.evaluate(values)
                )
            except FormulaError:
                value = None  # e.g. a zero denominator: shown as "cannot be computed"
            shown.append(MetricValue(metric.id, metric.name, value, metric.unit))
        return tuple(shown)


def _input_names(indicator: Indicator) -> set[str]:
    return {spec.name for spec in indicator.inputs}


def _target_text(outcome: TargetOutcome) -> str:
    state = "达标" if outcome.met else "未达标"
    how = (
        "（评价人判定）"
        if outcome.judged
        else f"，完成率{fmt(completion_percent(outcome.completion, outcome.met))}%"
    )
    return f"{outcome.name}：目标{outcome.target}，实际{outcome.actual or '—'}，{state}{how}"
