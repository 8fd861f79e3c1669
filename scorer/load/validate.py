"""Checks that span files or need the compiled rules: ids, weights, grade bands, formulas on sample values.

Each check returns problems rather than raising, so that `score lint` can list them all at once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from scorer.load.schemas import field_name
from scorer.model.problems import Location, Problem, did_you_mean
from scorer.model.rules import Indicator, RuleSet
from scorer.numbers import fmt
from scorer.scoring.formula import Formula, FormulaError


def check_rule_set(rules: RuleSet, complete: bool = True) -> list[Problem]:
    """Every problem of a rule set. Not `complete` (some file could not be read): only what holds without it."""
    problems: list[Problem] = []
    for check in (_year, _ids, _levels, _weights, _grades) if complete else (_year, _levels, _grades):
        problems += check(rules)
    for indicator in rules.indicators:
        problems += check_indicator(indicator)
    return problems


def _year(rules: RuleSet) -> Iterator[Problem]:
    name = Path(rules.folder).name
    if name.isdigit() and len(name) == 4 and int(name) != rules.year:
        yield Problem(
            _rubric_at(rules, "year"),
            f"the folder is named {name} but its year is {rules.year}; rename the folder or correct the year",
        )


def _rubric_at(rules: RuleSet, *path: str | int) -> Location:
    return Location(rules.rubric_path, rules.rubric_lines.line(tuple(path)))


def _at(indicator: Indicator, *path: str | int) -> Location:
    return Location(indicator.path, indicator.lines.line(tuple(path)), indicator.id, field_name(tuple(path)))


def _ids(rules: RuleSet) -> Iterator[Problem]:
    listed = list(rules.listed)
    for ident, count in Counter(listed).items():
        if count > 1:
            yield Problem(_rubric_at(rules, "indicators"), f"indicator '{ident}' is listed {count} times")
    seen: dict[str, str] = {}
    for indicator in rules.indicators:
        stem = Path(indicator.path).stem
        if indicator.id != stem:
            yield Problem(
                _at(indicator, "id"), f"id '{indicator.id}' does not match the file name '{stem}.yaml'"
            )
        if indicator.id in seen:
            yield Problem(_at(indicator, "id"), f"id '{indicator.id}' is also used by {seen[indicator.id]}")
        seen.setdefault(indicator.id, indicator.path)
        if indicator.id not in listed:
            yield Problem(
                _at(indicator, "id"),
                f"indicator '{indicator.id}' is not listed under 'indicators' in {rules.rubric_path}",
            )
    for index, ident in enumerate(listed):
        if ident not in seen:
            hint = did_you_mean(ident, seen)
            yield Problem(
                _rubric_at(rules, "indicators", index), f"listed indicator '{ident}' has no file{hint}"
            )


def _levels(rules: RuleSet) -> Iterator[Problem]:
    level1 = {level.name: level for level in rules.levels}
    for indicator in rules.indicators:
        level = level1.get(indicator.level1)
        if level is None:
            hint = did_you_mean(indicator.level1, level1)
            yield Problem(
                _at(indicator, "level1"), f"no level-1 node '{indicator.level1}' in the rubric{hint}"
            )
            continue
        children = [name for name, _ in level.children]
        if indicator.level2 not in children:
            hint = did_you_mean(indicator.level2, children)
            yield Problem(
                _at(indicator, "level2"),
                f"no level-2 node '{indicator.level2}' under '{indicator.level1}' in the rubric{hint}",
            )


def _weights(rules: RuleSet) -> Iterator[Problem]:
    level_sum = sum((level.weight for level in rules.levels), Decimal(0))
    if level_sum != rules.total:
        yield Problem(
            _rubric_at(rules, "levels"),
            f"level-1 weights sum to {fmt(level_sum)}, but the total is {fmt(rules.total)}",
        )
    for index, level in enumerate(rules.levels):
        child_sum = sum((weight for _, weight in level.children), Decimal(0))
        if child_sum != level.weight:
            yield Problem(
                _rubric_at(rules, "levels", index, "children"),
                f"the children of '{level.name}' sum to {fmt(child_sum)}, but its weight is {fmt(level.weight)}",
            )
        for child_index, (child, weight) in enumerate(level.children):
            members = [i for i in rules.indicators if i.level1 == level.name and i.level2 == child]
            total = sum((i.weight for i in members), Decimal(0))
            if members and total != weight:
                yield Problem(
                    _rubric_at(rules, "levels", index, "children", child_index),
                    f"the indicators under '{level.name} / {child}' weigh {fmt(total)}, but '{child}' weighs {fmt(weight)}",
                )
            if not members:
                yield Problem(
                    _rubric_at(rules, "levels", index, "children", child_index),
                    f"no indicator belongs to '{level.name} / {child}'",
                )
    indicator_sum = sum((i.weight for i in rules.indicators), Decimal(0))
    if indicator_sum != rules.total:
        yield Problem(
            _rubric_at(rules, "total"),
            f"the indicators weigh {fmt(indicator_sum)} in all, but the total is {fmt(rules.total)}",
        )


def _grades(rules: RuleSet) -> Iterator[Problem]:
    bands = sorted(enumerate(rules.grades), key=lambda pair: pair[1].min)
    names = Counter(g.name for g in rules.grades)
    for name, count in names.items():
        if count > 1:
            yield Problem(_rubric_at(rules, "grades"), f"grade '{name}' is defined {count} times")
    for index, grade in bands:
        if grade.min >= grade.max:
            yield Problem(_rubric_at(rules, "grades", index), f"grade '{grade.name}' has min ≥ max")
    if bands and bands[0][1].min != 0:
        yield Problem(
            _rubric_at(rules, "grades", bands[0][0]),
            f"the lowest grade '{bands[0][1].name}' starts at {fmt(bands[0][1].min)}, not 0: scores below have no grade",
        )
    if bands and bands[-1][1].max != rules.total:
        yield Problem(
            _rubric_at(rules, "grades", bands[-1][0]),
            f"the top grade '{bands[-1][1].name}' ends at {bands[-1][1].max:f}, not at the total {fmt(rules.total)}",
        )
    for (_, lower), (index, upper) in zip(bands, bands[1:], strict=False):
        if lower.max < upper.min:
            yield Problem(
                _rubric_at(rules, "grades", index),
                f"gap between grades '{lower.name}' (to {fmt(lower.max)}) and '{upper.name}' (from {fmt(upper.min)})",
            )
        elif lower.max > upper.min:
            yield Problem(
                _rubric_at(rules, "grades", index),
                f"grades '{lower.name}' (to {fmt(lower.max)}) and '{upper.name}' (from {fmt(upper.min)}) overlap",
            )


def check_indicator(indicator: Indicator) -> list[Problem]:
    return list(_indicator(indicator))


def _indicator(indicator: Indicator) -> Iterator[Problem]:
    if not indicator.rounding.fits(indicator.weight):  # else rounding a full score could exceed the weight
        yield Problem(
            _at(indicator, "weight"),
            f"the weight {fmt(indicator.weight)} has more decimal places than the indicator's rounding keeps "
            f"({indicator.rounding.places})",
        )
    yield from _scoring(indicator)
    yield from _inputs(indicator)
    yield from _declared_deductions(indicator)
    yield from _provenance(indicator)
    yield from _samples(indicator)


def _scoring(indicator: Indicator) -> Iterator[Problem]:
    kind = indicator.scoring
    has_formula = indicator.formula is not None or "formula" in indicator.keys
    if kind == "formula" and not has_formula:
        yield Problem(_at(indicator, "scoring"), "scoring is 'formula' but there is no formula")
    if kind != "formula" and has_formula:
        yield Problem(_at(indicator, "formula"), f"a formula is given but scoring is '{kind}'")
    if kind == "formula" and "reason" not in indicator.keys:
        yield Problem(
            _at(indicator, "scoring"), "a formula score needs a reason template to explain lost points"
        )
    if kind == "targets" and indicator.targets is None:
        yield Problem(_at(indicator, "scoring"), "scoring is 'targets' but there is no 'targets' section")
    if kind != "targets" and indicator.targets is not None:
        yield Problem(_at(indicator, "targets"), f"a 'targets' section is given but scoring is '{kind}'")


def _inputs(indicator: Indicator) -> Iterator[Problem]:
    names = [spec.name for spec in indicator.inputs]
    if indicator.formula is None and "formula" in indicator.keys:
        return  # the formula did not compile; that error says enough
    used = set(indicator.formula.names) if indicator.formula else set()
    for metric in indicator.metrics:
        used |= metric.formula.names
    for spec in indicator.inputs:
        if spec.optional and indicator.on_missing == "error" and spec.name in used and indicator.formula:
            yield Problem(
                _at(indicator, "inputs", spec.name, "optional"),
                f"the formula needs '{spec.name}', so it cannot be optional while on_missing is 'error'",
            )
        if spec.max_ref is not None and spec.max_ref not in names:
            hint = did_you_mean(spec.max_ref, names)
            yield Problem(
                _at(indicator, "inputs", spec.name, "max_ref"),
                f"max_ref '{spec.max_ref}' is not an input{hint}",
            )
        if spec.type == "percent" and spec.max is None:
            yield Problem(
                _at(indicator, "inputs", spec.name),
                f"percent input '{spec.name}' declares no max; give its plausible range (e.g. max: 100) so "
                "that a slip such as 934 for 93.4 is refused",
            )
        if spec.min is not None and spec.max is not None and spec.min > spec.max:
            yield Problem(_at(indicator, "inputs", spec.name), "min is greater than max")
        if spec.name not in used:
            yield Problem(
                _at(indicator, "inputs", spec.name),
                f"input '{spec.name}' is used by no formula or metric",
                severity="warning",
            )


def _declared_deductions(indicator: Indicator) -> Iterator[Problem]:
    codes = Counter(d.code for d in indicator.deductions)
    for index, deduction in enumerate(indicator.deductions):
        if codes[deduction.code] > 1:
            yield Problem(
                _at(indicator, "deductions", index, "code"), f"deduction code '{deduction.code}' is repeated"
            )
        if deduction.points > indicator.weight:
            yield Problem(
                _at(indicator, "deductions", index, "points"),
                f"deduction '{deduction.code}' takes {fmt(deduction.points)} points, more than the weight {fmt(indicator.weight)}",
            )
        if not indicator.rounding.fits(deduction.points):
            yield Problem(
                _at(indicator, "deductions", index, "points"),
                f"{fmt(deduction.points)} has more decimal places than the indicator keeps ({indicator.rounding.places})",
            )


def _provenance(indicator: Indicator) -> Iterator[Problem]:
    for index, item in enumerate(indicator.provenance.get("assumptions") or []):
        if not item.get("note"):
            yield Problem(
                _at(indicator, "provenance", "assumptions", index),
                "assumption without a note (say why it was chosen and how to change it)",
                severity="warning",
            )


def _samples(indicator: Indicator) -> Iterator[Problem]:
    """Evaluate each formula on sample values: it must give a number, and a zero input must not divide by 0."""
    formulas: list[tuple[tuple[str | int, ...], Formula]] = []
    if indicator.formula:
        formulas.append((("formula",), indicator.formula))
    formulas += [(("metrics", i, "formula"), m.formula) for i, m in enumerate(indicator.metrics)]
    base = {spec.name: _sample(spec.min, spec.max) for spec in indicator.inputs}
    names = {**base, "weight": indicator.weight, "year": Decimal(2022)}
    for path, formula in formulas:
        try:
            formula.evaluate(names)
        except FormulaError as exc:
            yield Problem(_at(indicator, *path), f"on sample values: {exc}")
            continue
        if path != ("formula",):
            continue  # a metric of zero is shown as "—", so dividing by zero is fine there
        for spec in indicator.inputs:
            if spec.min is not None and spec.min > 0:
                continue
            try:
                formula.evaluate({**names, spec.name: Decimal(0)})
            except FormulaError as exc:
                if "division by zero" in str(exc):
                    yield Problem(
                        _at(indicator, *path),
                        f"divides by zero when '{spec.name}' is 0; guard it, e.g. "
                        f"'... if {spec.name} else ...'",
                    )


def _sample(low: Decimal | None, high: Decimal | None) -> Decimal:
    value = max(Decimal(1), low if low is not None else Decimal(1))
    return min(value, high) if high is not None else value
