"""The engine: a rule set and one department's checked inputs in, a result out. Pure: no I/O, no printing.

Each indicator's score is built in the same order the published tables imply: the formula (or the full weight),
rounded as the indicator declares; then the deductions; then clamped to [0, weight] (扣完为止); or, instead of all
that, the evaluator's override. Every lost point carries a reason.

Speed: what depends only on the rule set is worked out once per rule set (`_Plan`: grade bands, subtotal groups,
and the result of each row a department leaves empty); the steps of `score explain` are worked out only when
someone reads them (`_Steps`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any, overload

from scorer.engine.result import GradeBand, IndicatorResult, MetricValue, NodeResult, Result
from scorer.errors import Location
from scorer.facts import Fact, Message, fact, rule_reason, said
from scorer.formula.evaluate import FormulaError
from scorer.i18n import t
from scorer.inputs.model import Department, IndicatorInputs
from scorer.kinds import registry as kinds
from scorer.kinds.base import Step
from scorer.kinds.specs import where
from scorer.kinds.targets.judge import roll_up
from scorer.kinds.targets.model import TargetOutcome
from scorer.numbers import EXACT, completion_percent
from scorer.rounding import Exact, Rounding, fmt
from scorer.rules.model import Grade, Indicator, RuleSet
from scorer.version import __version__

ZERO = Decimal(0)
_NO_INPUTS = IndicatorInputs()
# Scoring kinds whose result depends on nothing but the indicator, its inputs and the year: a row a department
# leaves empty scores the same for every department of that year, and is worked out once.
_PURE_KINDS = frozenset({"formula", "deductions", "targets"})


class EngineError(Exception):
    """Something the checks before the engine should have caught: a bug, not a user's mistake."""


class RuleRuntimeError(Exception):
    """A rule's formula failed on a department's values (e.g. an unguarded division). Names the indicator."""

    def __init__(
        self, indicator: Indicator, message: str, key: str = "formula", path: tuple[str | int, ...] = ()
    ):
        self.indicator = indicator
        self.key = key  # the rule file's key whose text failed, for its line
        self.path = path or (key,)
        super().__init__(message)

    def location(self) -> Location:
        """The rule file, line, indicator and key of the text that failed."""
        rule = self.indicator
        return Location(rule.path, rule.lines.line(self.path), rule.id, where(self.path))


def score(rules: RuleSet, department: Department) -> Result:
    with localcontext(EXACT):  # the caller's decimal context never reaches a score
        return _score(rules, department)


def _score(rules: RuleSet, department: Department) -> Result:
    plan = _plan(rules)
    year, given = department.year, department.indicators
    indicators = tuple(_indicator_result(row, given.get(row.indicator.id), year) for row in plan.rows)
    grand_total = sum([i.score for i in indicators], ZERO)  # exact: in the EXACT context (see `score`)
    grade = plan.grade_of(grand_total)
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
        bands=plan.bands[grade.name],
        levels=plan.levels(indicators),
        indicators=indicators,
        engine_version=__version__,
        rules_title_en=rules.title_en,
        profile=department.profile,
    )


def _indicator_result(row: _Row, inputs: IndicatorInputs | None, year: int) -> IndicatorResult:
    if row.pure and (
        inputs is None or inputs is row.blank or (inputs == _NO_INPUTS and row.saw_blank(inputs))
    ):
        cached = row.empty.get(year)
        if cached is None:
            cached = row.empty[year] = score_indicator(row.indicator, _NO_INPUTS, year)
        return cached
    return score_indicator(row.indicator, _NO_INPUTS if inputs is None else inputs, year)


class _Row:
    """One indicator of a rule set, with the result of an empty row by year (results are frozen: shared)."""

    __slots__ = ("indicator", "pure", "empty", "blank")

    def __init__(self, indicator: Indicator):
        self.indicator = indicator
        self.pure = indicator.scoring in _PURE_KINDS
        self.empty: dict[int, IndicatorResult] = {}
        self.blank = (
            _NO_INPUTS  # the last empty inputs seen (frozen: the reader shares one): known by identity
        )

    def saw_blank(self, inputs: IndicatorInputs) -> bool:
        self.blank = inputs
        return True


class _Plan:
    """What scoring needs from a rule set that no department changes, worked out once per rule set."""

    def __init__(self, rules: RuleSet):
        self.rules = rules  # held, so that the id it is filed under stays this rule set's
        self.rows = tuple(_Row(i) for i in rules.indicators)
        self.bands = {grade.name: _bands(rules, grade) for grade in rules.grades}
        self.downward = sorted(rules.grades, key=lambda g: g.min, reverse=True)
        english = rules.english
        # Per level-1 node: (name, weight, English name, its rows, its level-2 nodes, each likewise).
        self.groups = [
            (
                level.name,
                level.weight,
                english.get(level.name, ""),
                [n for n, i in enumerate(rules.indicators) if i.level1 == level.name],
                [
                    (
                        name,
                        weight,
                        english.get(name, ""),
                        [
                            n
                            for n, i in enumerate(rules.indicators)
                            if (i.level1, i.level2) == (level.name, name)
                        ],
                    )
                    for name, weight in level.children
                ],
            )
            for level in rules.levels
        ]

    def grade_of(self, total: Decimal) -> Grade:
        """As RuleSet.grade_of, over the grades sorted once."""
        for grade in self.downward:
            if total >= grade.min:
                return grade
        return min(self.downward, key=lambda g: g.min)

    def levels(self, indicators: tuple[IndicatorResult, ...]) -> tuple[NodeResult, ...]:
        """Subtotals, summed exactly in the EXACT context `score` runs in."""
        scores = [i.score for i in indicators]
        return tuple(
            NodeResult(
                name,
                weight,
                sum([scores[n] for n in members], ZERO),
                tuple(
                    NodeResult(part, part_weight, sum([scores[n] for n in rows], ZERO), (), part_en)
                    for part, part_weight, part_en, rows in children
                ),
                name_en,
            )
            for name, weight, name_en, members, children in self.groups
        )


def _bands(rules: RuleSet, reached: Grade) -> tuple[GradeBand, ...]:
    top = max(g.max for g in rules.grades)
    return tuple(
        GradeBand(
            g.name, g.label(top=g.max == top), g.min, g.name == reached.name, rules.english.get(g.name, "")
        )
        for g in sorted(rules.grades, key=lambda g: g.min, reverse=True)
    )


_PLANS: dict[int, _Plan] = {}
_MAX_PLANS = 16  # a few rule sets side by side (diff, tests); the oldest plan goes first


def _plan(rules: RuleSet) -> _Plan:
    plan = _PLANS.get(id(rules))
    if plan is None or plan.rules is not rules:
        while len(_PLANS) >= _MAX_PLANS:
            del _PLANS[next(iter(_PLANS))]
        plan = _PLANS[id(rules)] = _Plan(rules)
    return plan


def score_indicator(indicator: Indicator, inputs: IndicatorInputs, year: int) -> IndicatorResult:
    """One indicator's result; its explain steps are worked out when first read."""
    return _Builder(indicator, inputs, year, explain=False).build()


class _Steps(Sequence[Step]):
    """The steps of one indicator's score, worked out again (with the same inputs, so the same) when first read.

    Compares, hashes and pickles as the tuple it stands for."""

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

    @overload
    def __getitem__(self, index: int) -> Step: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Step, ...]: ...
    def __getitem__(self, index: int | slice) -> Step | tuple[Step, ...]:
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[Step]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _Steps | tuple):
            return self._all() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return repr(self._all())

    def __reduce__(self) -> tuple[Any, ...]:
        return (tuple, (self._all(),))


class _Builder:
    """Collects one indicator's score, reasons, notes and steps as it is worked out."""

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
        if not ZERO <= score <= indicator.weight:
            raise EngineError(f"{indicator.id}: score {score} outside [0, {indicator.weight}]")
        if score < indicator.weight and not self.reasons:
            raise EngineError(f"{indicator.id}: {score} of {indicator.weight} without a reason for the loss")
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
            reasons=tuple(self.reasons),
            improvements=tuple(self.improvements),
            overridden=inputs.override is not None,
            clamped=self.clamped,
            notes=tuple(self.notes),
            metrics=self.metrics,
            steps=tuple(self.steps) if self.explain else _Steps(indicator, inputs, self.year),
            targets=self.targets,
            exercised=tuple(self.exercised),
        )

    def _improve(self, text: str) -> None:
        if text and text not in self.improvements:
            self.improvements.append(text)

    def _base(self) -> Decimal:
        """The score before deductions."""
        indicator = self.indicator
        if indicator.kinds.spec is not None or indicator.kinds.conditions:  # declarative kinds, gates, n/a
            try:
                declared = kinds.base(kinds.Row(self))
            except kinds.KindError as exc:
                raise RuleRuntimeError(indicator, str(exc), str(exc.path[0]), exc.path) from None
            if declared is not None:
                return declared
        if indicator.scoring == "formula":
            return self._formula()
        if indicator.scoring == "targets" and self.inputs.targets:
            return self._targets()
        if self.explain:
            self.steps.append(Step("base", fact("step.base", weight=indicator.weight), indicator.weight))
        return indicator.weight

    def _targets(self) -> Decimal:
        indicator = self.indicator
        assert indicator.targets is not None and self.inputs.targets
        outcome = roll_up(indicator.targets.roll_up, indicator.exact_weight, self.inputs.targets)
        self.targets = outcome.targets
        if self.explain:
            self.steps.extend(Step("target", _target_step(target)) for target in outcome.targets)
            self.steps.append(
                Step(
                    "roll-up",
                    fact("step.roll_up", method=indicator.targets.roll_up, detail=outcome.detail),
                    outcome.raw,
                )
            )
        score = self._round(self._clamp(outcome.raw, "word.targets_result"))
        self.reasons.extend(outcome.reasons)
        if score < indicator.weight:
            self.reasons.append(fact("reason.targets_scored", detail=outcome.detail, score=score))
        return score

    def _formula(self) -> Decimal:
        indicator, values = self.indicator, self.inputs.values
        assert indicator.formula is not None
        missing = [name for name in indicator.formula_inputs if name not in values]
        if missing:
            return self._missing(missing)
        names = indicator.formula_names(values, self.year)
        try:
            raw = indicator.formula.evaluate(names)
        except FormulaError as exc:
            raise RuleRuntimeError(indicator, f"{exc}", "formula") from None
        if self.explain:
            shown = ", ".join(f"{k}={fmt(v)}" for k, v in sorted(values.items()))
            self.steps.append(
                Step("formula", fact("step.formula", formula=indicator.formula.source, values=shown), raw)
            )
        score = self._round(self._clamp(raw, "word.formula_result"))
        if self.inputs.reason:
            if score < indicator.weight:
                self.reasons.append(said(self.inputs.reason))
            else:
                self.notes.append(fact("note.reason_full_marks", reason=said(self.inputs.reason)))
        elif score < indicator.weight and indicator.reason is not None:
            self.reasons.append(rule_reason(indicator.reason_templates, self._placeholders(raw, score)))
        return score

    def _placeholders(self, raw: Exact, score: Decimal) -> dict[str, str]:
        """The values a formula row's reason templates name, as the tables print them (only those: each is
        written out)."""
        indicator, values = self.indicator, self.inputs.values
        placeholders = {}
        for name in indicator.reason_names:
            if name == "year":
                placeholders[name] = str(self.year)
            elif name == "score":
                placeholders[name] = fmt(score)
            elif name == "weight":
                placeholders[name] = fmt(indicator.weight)
            elif name == "lost":
                placeholders[name] = fmt(EXACT.subtract(indicator.weight, score))
            elif name == "raw":
                placeholders[name] = fmt(raw)
            else:
                value = next((m.value for m in self.metrics if m.id == name and m.value is not None), None)
                if value is None:
                    value = values.get(name)
                if value is not None:
                    placeholders[name] = fmt(value)
        unfilled = [name for name in indicator.reason_names if name not in placeholders]
        if unfilled:
            raise RuleRuntimeError(
                indicator, t("template.no_value", names=", ".join(sorted(unfilled))), "reason"
            )
        return placeholders

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
        raise EngineError(f"{indicator.id}: missing {missing} should have been reported when reading inputs")

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
        if not self.indicator.metrics:
            return ()
        values = self.indicator.formula_names(self.inputs.values, self.year)
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
