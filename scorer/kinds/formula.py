"""Formula: the rule's formula over the department's inputs gives the score (the 2022 rubric's kind); the
department's own reason, or else the rule's reason template, says why points were lost."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from scorer.errors import Problem
from scorer.facts import fact, rule_reason, said
from scorer.formula.evaluate import FormulaError
from scorer.kinds.base import Kind, Step, place
from scorer.kinds.context import KindError, Row
from scorer.numbers import EXACT
from scorer.rounding import Exact, fmt

if TYPE_CHECKING:
    from scorer.kinds.rule import Rule


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
            row.reasons.append(rule_reason(spec.reason_templates, _placeholders(spec, row, raw, score)))
        return score

    def needs(self, spec: Rule, names: Mapping[str, Decimal], choice: str) -> frozenset[str]:
        return frozenset(input.name for input in spec.inputs)


def _placeholders(indicator: Rule, row: Row, raw: Exact, score: Decimal) -> dict[str, str]:
    """The values a formula row's reason templates name, as the tables print them (only those: each is
    written out)."""
    values = row.inputs.values
    placeholders = {}
    for name in indicator.reason_names:
        if name == "year":
            placeholders[name] = str(row.year)
        elif name == "score":
            placeholders[name] = fmt(score)
        elif name == "weight":
            placeholders[name] = fmt(indicator.weight)
        elif name == "lost":
            placeholders[name] = fmt(EXACT.subtract(indicator.weight, score))
        elif name == "raw":
            placeholders[name] = fmt(raw)
        else:
            value = next((m.value for m in row.metrics if m.id == name and m.value is not None), None)
            if value is None:
                value = values.get(name)
            if value is not None:
                placeholders[name] = indicator.rounding.show(value)
    unfilled = [name for name in indicator.reason_names if name not in placeholders]
    if unfilled:
        raise KindError(("reason",), fact("template.no_value", names=", ".join(sorted(unfilled))))
    return placeholders


KIND = FormulaKind()
