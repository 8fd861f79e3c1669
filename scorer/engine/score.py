"""The engine: a rule set and one department's checked inputs in, a result out. Pure: no I/O, no printing.

Each indicator's score is built in the same order the published tables imply: the formula (or the full weight),
rounded as the indicator declares; then the deductions; then clamped to [0, weight] (扣完为止); or, instead of all
that, the evaluator's override. Every lost point carries a reason.

Speed: what depends only on the rule set is worked out once per rule set (`_Plan`: grade bands, subtotal groups,
and the result of each row a department leaves empty); the steps of `score explain` are worked out only when
someone reads them (`_Steps`, scorer/engine/row.py). One row's pipeline is scorer/engine/row.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal, localcontext
from operator import itemgetter

from scorer.engine.compiled import compiled_row
from scorer.engine.result import GradeBand, IndicatorResult, NodeResult, Result
from scorer.engine.row import ZERO, score_indicator
from scorer.engine.rows import Entry, Rows
from scorer.inputs.model import Department, IndicatorInputs
from scorer.kinds.registry import kind, unencoded
from scorer.numbers import EXACT
from scorer.rules.model import Grade, Indicator, RuleSet
from scorer.version import __version__

_NO_INPUTS = IndicatorInputs()


def score(rules: RuleSet, department: Department) -> Result:
    with localcontext(EXACT):  # the caller's decimal context never reaches a score
        return _score(rules, department)


def score_interpreted(rules: RuleSet, department: Department) -> Result:
    """As `score`, with every row worked out step by step by its kind's `score` rather than by its compiled
    scorer (scorer/engine/compiled.py): what the compiled rows are held to, result for result."""
    with localcontext(EXACT):
        return _score(rules, department, compiled=False)


def _score(rules: RuleSet, department: Department, compiled: bool = True) -> Result:
    plan = _plan(rules)
    year, given = department.year, department.indicators
    scored = _rows(plan.rows, given, year, compiled)
    scores = [entry.score for entry in scored]
    grand_total = sum(scores, ZERO)  # exact: in the EXACT context (see `score`)
    grade = plan.grade_of(grand_total) if plan.downward else None  # a rubric may declare no grades
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
        grade=grade.name if grade else "",
        bands=plan.bands[grade.name] if grade else (),
        levels=plan.levels(scores),
        indicators=Rows(scored) if compiled else scored,  # type: ignore[arg-type]  # interpreted: every row built
        engine_version=__version__,
        rules_title_en=rules.title_en,
        profile=department.profile,
        rules_id=rules.id,
        rules_provisional=rules.provisional,
        rules_partly_encoded=plan.partly_encoded,
        form=rules.form.layout,
        form_budget=_form_budget(rules, department, scored),
        form_budget_row=rules.form.budget_row,
    )


def _form_budget(
    rules: RuleSet, department: Department, indicators: tuple[Entry, ...]
) -> tuple[tuple[str, Decimal | None], ...]:
    """The values of the form's 预算执行 block: each column's input of the budget row, or its metric."""
    form = rules.form
    if not form.budget_row:
        return ()
    given = department.indicators.get(form.budget_row)
    values: dict[str, Decimal | None] = dict(given.values) if given is not None else {}
    for row in indicators:
        if row.id == form.budget_row:
            values.update((m.id, m.value) for m in row.metrics)
    return tuple((column, values.get(name)) for column, name in form.budget.items())


def _rows(
    rows: tuple[_Row, ...], given: Mapping[str, IndicatorInputs], year: int, compiled: bool
) -> tuple[Entry, ...]:
    """Each row's result: a row the department leaves empty shares the result kept for its year; a row it fills is
    scored by its compiled scorer (or, with `compiled` False, the interpreted way)."""
    scored = []
    for row in rows:
        inputs = given.get(row.id)
        if row.pure and (inputs is row.blank or inputs is None):
            entry = row.empty.get(year) or _indicator_result(row, inputs, year)
        else:
            entry = _indicator_result(row, inputs, year, compiled)
        scored.append(entry)
    return tuple(scored)


def _indicator_result(row: _Row, inputs: IndicatorInputs | None, year: int, compiled: bool = True) -> Entry:
    if row.pure and (
        inputs is None or inputs is row.blank or (inputs == _NO_INPUTS and row.saw_blank(inputs))
    ):
        cached = row.empty.get(year)
        if cached is None:
            cached = row.empty[year] = score_indicator(row.indicator, _NO_INPUTS, year)
        return cached
    given = _NO_INPUTS if inputs is None else inputs
    return row.score(given, year) if compiled else score_indicator(row.indicator, given, year)


class _Row:
    """One indicator of a rule set, with the result of an empty row by year (results are frozen: shared)."""

    __slots__ = ("indicator", "id", "pure", "empty", "blank", "score")

    def __init__(self, indicator: Indicator):
        self.indicator, self.id = indicator, indicator.id
        self.score = compiled_row(indicator)  # the row's scoring, compiled once (scorer/engine/compiled.py)
        # A kind whose result depends on nothing but the indicator, its inputs and the year: a row a department
        # leaves empty scores the same for every department of that year, and is worked out once.
        self.pure = kind(indicator.scoring).pure
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
        self.rows = tuple(_Row(i) for i in rules.indicators)
        self.bands = {grade.name: _bands(rules, grade) for grade in rules.grades}
        self.downward = sorted(rules.grades, key=lambda g: g.min, reverse=True)
        self.partly_encoded = unencoded(i.scoring for i in rules.indicators)  # some row scored by hand only
        english = rules.english
        # Per level-1 node: (name, weight, English name, its rows, its level-2 nodes, each likewise).
        groups = [
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

        self.subtotals = [
            (name, weight, name_en, _gather(members), [(*part[:3], _gather(part[3])) for part in children])
            for name, weight, name_en, members, children in groups
        ]  # each node's rows picked from the scores in one call

    def grade_of(self, total: Decimal) -> Grade:
        """As RuleSet.grade_of, over the grades sorted once."""
        for grade in self.downward:
            if total >= grade.min:
                return grade
        return min(self.downward, key=lambda g: g.min)

    def levels(self, scores: list[Decimal]) -> tuple[NodeResult, ...]:
        """Subtotals of the rows' scores, summed exactly in the EXACT context `score` runs in."""
        return tuple([
            NodeResult(
                name,
                weight,
                sum(members(scores), ZERO),
                tuple([
                    NodeResult(part, part_weight, sum(rows(scores), ZERO), (), part_en)
                    for part, part_weight, part_en, rows in children
                ]),
                name_en,
            )
            for name, weight, name_en, members, children in self.subtotals
        ])  # fmt: skip


def _gather(rows: list[int]) -> Callable[[list[Decimal]], tuple[Decimal, ...]]:
    """The scores of these rows, picked in one call (a subtotal of every department)."""
    if len(rows) == 1:
        (row,) = rows
        return lambda scores: (scores[row],)
    return itemgetter(*rows) if rows else lambda scores: ()


def _bands(rules: RuleSet, reached: Grade) -> tuple[GradeBand, ...]:
    top = max(g.max for g in rules.grades)
    return tuple(
        GradeBand(
            g.name, g.label(top=g.max == top), g.min, g.name == reached.name, rules.english.get(g.name, "")
        )
        for g in sorted(rules.grades, key=lambda g: g.min, reverse=True)
    )


def _plan(rules: RuleSet) -> _Plan:
    return rules.derived.get("scoring plan", lambda: _Plan(rules))
