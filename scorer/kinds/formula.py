"""Formula: the rule's formula over the department's inputs gives the score (the 2022 rubric's kind); the
department's own reason, or else the rule's reason template, says why points were lost."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from functools import partial
from typing import TYPE_CHECKING, Any

from scorer.errors import Problem
from scorer.facts import fact, rule_reason, said
from scorer.formula.evaluate import FormulaError
from scorer.formula.ratio import Node as RatioNode
from scorer.formula.ratio import NotHere, Ratio, ratio_closure
from scorer.kinds.base import Kind, KindScore, Step, place, within, within_ratio
from scorer.kinds.context import KindError, Row
from scorer.numbers import EXACT
from scorer.rounding import Exact, fmt

if TYPE_CHECKING:
    from scorer.kinds.rule import Given, Rule


class FormulaKind(Kind["Rule"]):
    """The spec is the indicator: its `formula`, `reason_templates` and inputs."""

    name = "formula"
    pure = True
    by_formula = True
    owns = frozenset({"formula"})

    def check_keys(self, rule: Rule) -> Iterator[Problem]:
        if rule.formula is None and "formula" not in rule.keys:
            yield Problem(place(rule, "scoring"), fact("lint.formula_missing"))
        if "reason" not in rule.keys:
            yield Problem(place(rule, "scoring"), fact("lint.formula_needs_reason"))

    def score(self, spec: Rule, row: Row) -> Decimal:
        values = row.inputs.values
        assert spec.formula is not None
        missing = [name for name in spec.formula_inputs if name not in values]
        if missing:
            return row.missing(missing)
        try:
            raw = spec.formula.evaluate(row.names)
        except FormulaError as exc:
            raise KindError(("formula",), exc.fact) from None
        if row.explain:
            shown = ", ".join(f"{k}={fmt(v)}" for k, v in sorted(values.items()))
            row.steps.append(
                Step("formula", fact("step.formula", formula=spec.formula.source, values=shown), raw)
            )
        score = row.finish(raw, "word.formula_result")
        if row.inputs.reason:
            if score < spec.weight:
                row.reasons.append(said(row.inputs.reason))
            else:
                row.notes.append(fact("note.reason_full_marks", reason=said(row.inputs.reason)))
        elif score < spec.weight and spec.reason is not None:
            filled = _placeholders(spec, row.inputs.values, row.metrics, row.year, raw, score)
            row.reasons.append(rule_reason(spec.reason_templates, filled))
        return score

    def compile(self, spec: Rule, rule: Rule) -> Callable[[Given, int], KindScore | None] | None:
        """The formula's closures over the row's values, then the one rounding and the reason, as `score` gives
        them; a reason naming a metric (worked out by the engine) is left to `score`. The formula is worked out
        over integer ratios (scorer/formula/ratio.py) where it can be, else in exact Decimals or fractions; the
        reason template is filled in only when the reason is read (`KindScore.later`)."""
        formula, needed, weight = spec.formula, spec.formula_inputs, spec.weight
        if formula is None or {m.id for m in spec.metrics} & set(spec.reason_names):
            return None
        templates = spec.reason_templates if spec.reason is not None else None
        # In Decimals where every step is exact (the same value); a reason that shows the raw value shows it as
        # the fraction `score` computes.
        evaluate = formula.evaluate if "raw" in spec.reason_names else formula.evaluate_exact
        ratio = ratio_closure(formula.tree, {"weight": weight})
        to_fill = [name for name in spec.reason_names if name not in _OF_THE_ROW]  # the inputs it names
        rounded = within_ratio(spec)

        def scored(given: Given, year: int) -> KindScore | None:
            values = given.values
            for name in needed:
                if name not in values:
                    return None
            found = _in_ratios(ratio, values, year)
            raw: Exact | Ratio
            if found is not None:
                raw, score = found, rounded(*found)
            else:
                try:
                    raw = evaluate({**values, "weight": weight, "year": Decimal(year)})
                except FormulaError:
                    return None
                score = within(spec, raw)
            if score is None:
                return None
            if given.reason:
                if score < weight:
                    return KindScore(score, (said(given.reason),))
                return KindScore(score, (), (fact("note.reason_full_marks", reason=said(given.reason)),))
            if score < weight and templates is not None:
                if any(name not in values for name in to_fill):
                    return None  # `score` says which value the reason lacks
                return KindScore(score, later=partial(_reason, spec, templates, values, year, raw, score))
            return KindScore(score)

        return scored

    def needs(self, spec: Rule, names: Mapping[str, Decimal], choice: str) -> frozenset[str]:
        return frozenset(input.name for input in spec.inputs)


_OF_THE_ROW = frozenset({"year", "score", "weight", "lost", "raw"})


def _in_ratios(ratio: RatioNode | None, values: Mapping[str, Decimal], year: int) -> Ratio | None:
    """The formula's value as an integer ratio, or None where it is left to `Formula.evaluate`."""
    if ratio is None:
        return None
    try:
        found = ratio(values, year)
    except NotHere:
        return None
    return found if type(found) is tuple else None  # a truth value: `evaluate` says it is no number


def _reason(
    spec: Rule, templates: Any, values: Mapping[str, Decimal], year: int, raw: Exact | Ratio, score: Decimal
) -> KindScore:
    """The score with its reason: the rule's template filled in, when read."""
    exact = Fraction(*raw) if isinstance(raw, tuple) else raw
    return KindScore(score, (rule_reason(templates, _placeholders(spec, values, (), year, exact, score)),))


def _placeholders(
    indicator: Rule,
    values: Mapping[str, Decimal],
    metrics: Sequence[Any],
    year: int,
    raw: Exact,
    score: Decimal,
) -> dict[str, str]:
    """The values a formula row's reason templates name, as the tables print them (only those: each is
    written out)."""
    placeholders = {}
    for name in indicator.reason_names:
        if name == "year":
            placeholders[name] = str(year)
        elif name == "score":
            placeholders[name] = fmt(score)
        elif name == "weight":
            placeholders[name] = fmt(indicator.weight)
        elif name == "lost":
            placeholders[name] = fmt(EXACT.subtract(indicator.weight, score))
        elif name == "raw":
            placeholders[name] = fmt(raw)
        else:
            value = next((m.value for m in metrics if m.id == name and m.value is not None), None)
            if value is None:
                value = values.get(name)
            if value is not None:
                placeholders[name] = indicator.rounding.show(value)
    unfilled = [name for name in indicator.reason_names if name not in placeholders]
    if unfilled:
        raise KindError(("reason",), fact("template.no_value", names=", ".join(sorted(unfilled))))
    return placeholders


KIND = FormulaKind()
