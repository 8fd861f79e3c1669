"""Lint of a rubric's `form:`: the row its 预算执行 block shows exists, and each column names an input or a metric
of that row, each problem at its own line of rubric.yaml."""

from __future__ import annotations

from collections.abc import Iterator

from scorer.errors import Location, Problem, did_you_mean
from scorer.facts import fact
from scorer.rules.model import RuleSet


def check_form(rules: RuleSet) -> list[Problem]:
    return list(_form(rules))


def _form(rules: RuleSet) -> Iterator[Problem]:
    form = rules.form
    row = rules.indicator(form.budget_row)
    if row is None:
        hint = did_you_mean(form.budget_row, [i.id for i in rules.indicators])
        yield Problem(_at(rules, "row"), fact("lint.form_row_unknown", id=form.budget_row, hint=hint))
        return
    names = [spec.name for spec in row.inputs] + [metric.id for metric in row.metrics]
    for column, name in form.budget.items():
        if name not in names:
            hint = did_you_mean(name, names)
            yield Problem(_at(rules, column), fact("lint.form_name_unknown", name=name, id=row.id, hint=hint))


def _at(rules: RuleSet, key: str) -> Location:
    return Location(
        rules.rubric_path, rules.rubric_lines.line(("form", "budget", key)), None, f"form.budget.{key}"
    )
