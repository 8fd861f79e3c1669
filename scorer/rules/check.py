"""Checks that span files or need the compiled rules: ids, weights, grade bands, formulas on sample values.

Each check returns problems rather than raising, so that `score lint` can list them all at once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from scorer.errors import Location, Problem, did_you_mean
from scorer.facts import fact, said, separated
from scorer.formula.evaluate import DivisionByZero, Formula, FormulaError
from scorer.kinds.base import fixed_names
from scorer.kinds.registry import declared, kind
from scorer.rules.model import Indicator, RuleSet
from scorer.sources.schema import field_name


def check_rule_set(rules: RuleSet, complete: bool = True) -> list[Problem]:
    """Every problem of a rule set. Not `complete` (some file could not be read): only what holds without it."""
    from scorer.rules.check_weights import weights  # it places its problems with this module's `rubric_at`

    problems: list[Problem] = []
    twice = len(set(rules.listed)) != len(
        rules.listed
    )  # its sums count a row twice: the listing is said alone
    whole = (_year, _identity, _ids, _levels, *(() if twice else (weights,)), _grades)
    for check in whole if complete else (_year, _levels, _grades):
        problems += check(rules)
    for indicator in rules.indicators:
        shown = (
            frozenset(rules.form.budget.values()) if indicator.id == rules.form.budget_row else frozenset()
        )
        problems += check_indicator(indicator, rules.year, shown)
    if complete and rules.form.budget_row:
        from scorer.rules.form_check import check_form

        problems += check_form(rules)
    if complete and (rules.checks or rules.shared):
        from scorer.rules.across import lint, lint_shared

        problems += [*lint(rules), *lint_shared(rules)]
    return problems


def _year(rules: RuleSet) -> Iterator[Problem]:
    name = Path(rules.folder).name
    if name.isdigit() and len(name) == 4 and int(name) != rules.year:
        yield Problem(
            rubric_at(rules, "year"),
            fact("lint.folder_year", name=name, year=rules.year),
        )


def _identity(rules: RuleSet) -> Iterator[Problem]:
    """A rubric's folder is rules/<id>/<year>/; a provisional rubric is said to be one until its sources are
    recorded (every output marks it)."""
    folder = Path(rules.folder)
    laid_out = folder.name.isdigit() and folder.parent.parent.name == "rules"  # rules/<id>/<year>/
    if rules.id and laid_out and folder.parent.name != rules.id:
        yield Problem(rubric_at(rules, "id"), fact("lint.folder_id", name=folder.parent.name, id=rules.id))
    if rules.status == "provisional":
        yield Problem(
            rubric_at(rules, "status"), fact("lint.provisional", name=rules.name), severity="warning"
        )
    elif rules.provisional:
        yield Problem(
            rubric_at(rules, "provenance"), fact("lint.released_without_sources"), severity="warning"
        )


def rubric_at(rules: RuleSet, *path: str | int) -> Location:
    return Location(rules.rubric_path, rules.rubric_lines.line(tuple(path)))


def _at(indicator: Indicator, *path: str | int) -> Location:
    return Location(indicator.path, indicator.lines.line(tuple(path)), indicator.id, field_name(tuple(path)))


def _ids(rules: RuleSet) -> Iterator[Problem]:
    listed = list(rules.listed)
    for ident, count in Counter(listed).items():
        if count > 1:  # at the line of its second listing, the one to remove
            places = [n for n, listed_id in enumerate(listed) if listed_id == ident]
            lines = [str(rules.rubric_lines.line(("indicators", n)) or "?") for n in places]
            yield Problem(
                rubric_at(rules, "indicators", places[1]),
                fact(
                    "lint.listed_twice",
                    id=ident,
                    count=count,
                    lines=separated(fact("list.separator"), map(said, lines)),
                ),
            )
    seen: dict[str, str] = {}
    for indicator in rules.indicators:
        stem = Path(indicator.path).stem
        # a row a change made, or a shared one, is not its own file (scorer/rules/changes.py)
        if indicator.id != stem and Path(indicator.path).parent.name == "indicators":
            yield Problem(_at(indicator, "id"), fact("lint.id_not_file_name", id=indicator.id, stem=stem))
        if indicator.id in seen and seen[indicator.id] != indicator.path:  # one file listed twice: said above
            yield Problem(
                _at(indicator, "id"), fact("lint.id_reused", id=indicator.id, path=seen[indicator.id])
            )
        seen.setdefault(indicator.id, indicator.path)
        if indicator.id not in listed:
            yield Problem(
                _at(indicator, "id"),
                fact("lint.not_listed", id=indicator.id, path=rules.rubric_path),
            )
    for index, ident in enumerate(listed):
        if ident not in seen:
            hint = did_you_mean(ident, seen)
            yield Problem(
                rubric_at(rules, "indicators", index), fact("lint.listed_no_file", id=ident, hint=hint)
            )


def _levels(rules: RuleSet) -> Iterator[Problem]:
    level1 = {level.name: level for level in rules.levels}
    for indicator in rules.indicators:
        level = level1.get(indicator.level1)
        if level is None:
            hint = did_you_mean(indicator.level1, level1)
            yield Problem(_at(indicator, "level1"), fact("lint.no_level1", name=indicator.level1, hint=hint))
            continue
        children = [name for name, _ in level.children]
        if indicator.level2 not in children:
            hint = did_you_mean(indicator.level2, children)
            yield Problem(
                _at(indicator, "level2"),
                fact("lint.no_level2", name=indicator.level2, level1=indicator.level1, hint=hint),
            )


def _grades(rules: RuleSet) -> Iterator[Problem]:
    bands = sorted(enumerate(rules.grades), key=lambda pair: pair[1].min)
    names = Counter(g.name for g in rules.grades)
    for name, count in names.items():
        if count > 1:
            yield Problem(rubric_at(rules, "grades"), fact("lint.grade_repeated", name=name, count=count))
    for index, grade in bands:
        if grade.min >= grade.max:
            yield Problem(rubric_at(rules, "grades", index), fact("lint.grade_min_max", name=grade.name))
    if bands and bands[0][1].min != 0:
        yield Problem(
            rubric_at(rules, "grades", bands[0][0]),
            fact("lint.lowest_grade", name=bands[0][1].name, min=bands[0][1].min),
        )
    if bands and bands[-1][1].max != rules.total:
        yield Problem(
            rubric_at(rules, "grades", bands[-1][0]),
            fact("lint.top_grade", name=bands[-1][1].name, max=f"{bands[-1][1].max:f}", total=rules.total),
        )
    for (_, lower), (index, upper) in zip(bands, bands[1:], strict=False):
        if lower.max < upper.min:
            yield Problem(
                rubric_at(rules, "grades", index),
                fact("lint.grade_gap", lower=lower.name, to=lower.max, upper=upper.name, start=upper.min),
            )
        elif lower.max > upper.min:
            yield Problem(
                rubric_at(rules, "grades", index),
                fact("lint.grade_overlap", lower=lower.name, to=lower.max, upper=upper.name, start=upper.min),
            )


def check_indicator(
    indicator: Indicator, year: int | None, shown: frozenset[str] = frozenset()
) -> list[Problem]:
    """The problems of one indicator; its formulas are tried in the rules' `year` (None: the year file is broken,
    and only what needs no formula evaluated is checked). `shown`: its inputs the rubric's form prints."""
    return list(_indicator(indicator, year, shown))


def _indicator(indicator: Indicator, year: int | None, shown: frozenset[str]) -> Iterator[Problem]:
    if not indicator.rounding.fits(indicator.weight):  # else rounding a full score could exceed the weight
        yield Problem(
            _at(indicator, "weight"),
            fact("lint.weight_places", weight=indicator.weight, places=indicator.rounding.places),
        )
    yield from _scoring(indicator)
    if _declares_a_kind(indicator):  # the kinds' lint is imported for a rule set that declares one
        from scorer.kinds.lint_tools import check_kinds

        yield from check_kinds(indicator, year)
    yield from _inputs(indicator, shown)
    yield from _declared_deductions(indicator)
    yield from _provenance(indicator)
    if year is not None:
        yield from _samples(indicator, year)


def _declares_a_kind(indicator: Indicator) -> bool:
    """Whether the indicator declares a kind under its own key, or gates and not-applicable rules."""
    given = indicator.kinds
    return given.spec is not None or bool(given.conditions) or declared(indicator.scoring)


def _scoring(indicator: Indicator) -> Iterator[Problem]:
    """What the row's kind needs of its keys, and the keys only another kind reads."""
    scoring = kind(indicator.scoring)
    if "formula" not in scoring.owns and (indicator.formula is not None or "formula" in indicator.keys):
        yield Problem(_at(indicator, "formula"), fact("lint.formula_unused", kind=indicator.scoring))
    yield from scoring.check_keys(indicator)
    if "targets" not in scoring.owns and indicator.targets is not None:
        yield Problem(_at(indicator, "targets"), fact("lint.targets_unused", kind=indicator.scoring))


def _inputs(indicator: Indicator, shown: frozenset[str]) -> Iterator[Problem]:
    names = [spec.name for spec in indicator.inputs]
    if indicator.formula is None and "formula" in indicator.keys:
        return  # the formula did not compile; that error says enough
    used = set(indicator.formula.names) if indicator.formula else set()
    used |= shown  # printed on the official table: evidence the form asks for
    if _declares_a_kind(indicator):
        from scorer.kinds.lint_tools import failed_to_compile, used_names

        if failed_to_compile(indicator):
            return  # likewise a condition or a kind's formula
        used |= used_names(indicator)
    for metric in indicator.metrics:
        used |= metric.formula.names
    for spec in indicator.inputs:
        if (
            spec.optional
            and indicator.on_missing == "error"
            and indicator.formula
            and spec.name in (indicator.formula.names)
        ):
            yield Problem(
                _at(indicator, "inputs", spec.name, "optional"),
                fact("lint.optional_needed", name=spec.name),
            )
        if spec.max_ref is not None and spec.max_ref not in names:
            hint = did_you_mean(spec.max_ref, names)
            yield Problem(
                _at(indicator, "inputs", spec.name, "max_ref"),
                fact("lint.max_ref_unknown", ref=spec.max_ref, hint=hint),
            )
        if spec.type == "percent" and spec.max is None:
            yield Problem(
                _at(indicator, "inputs", spec.name),
                fact("lint.percent_no_max", name=spec.name),
            )
        if spec.min is not None and spec.max is not None and spec.min > spec.max:
            yield Problem(_at(indicator, "inputs", spec.name), fact("lint.min_above_max"))
        if spec.name not in used:
            yield Problem(
                _at(indicator, "inputs", spec.name),
                fact("lint.input_unused", name=spec.name),
                severity="warning",
            )


def _declared_deductions(indicator: Indicator) -> Iterator[Problem]:
    codes = Counter(d.code for d in indicator.deductions)
    for index, deduction in enumerate(indicator.deductions):
        if codes[deduction.code] > 1:
            yield Problem(
                _at(indicator, "deductions", index, "code"),
                fact("lint.deduction_repeated", code=deduction.code),
            )
        if deduction.points > indicator.weight:
            yield Problem(
                _at(indicator, "deductions", index, "points"),
                fact(
                    "lint.deduction_over_weight",
                    code=deduction.code,
                    points=deduction.points,
                    weight=indicator.weight,
                ),
            )
        if not indicator.rounding.fits(deduction.points):
            yield Problem(
                _at(indicator, "deductions", index, "points"),
                fact("lint.deduction_places", points=deduction.points, places=indicator.rounding.places),
            )


def _provenance(indicator: Indicator) -> Iterator[Problem]:
    for index, item in enumerate(indicator.provenance.get("assumptions") or []):
        if not item.get("note"):
            yield Problem(
                _at(indicator, "provenance", "assumptions", index),
                fact("lint.assumption_without_note"),
                severity="warning",
            )


def _samples(indicator: Indicator, year: int) -> Iterator[Problem]:
    """Evaluate each formula on sample values: it must give a number, and a zero input must not divide by 0."""
    formulas: list[tuple[tuple[str | int, ...], Formula]] = []
    if indicator.formula:
        formulas.append((("formula",), indicator.formula))
    formulas += [(("metrics", i, "formula"), m.formula) for i, m in enumerate(indicator.metrics)]
    base = {spec.name: _sample(spec.min, spec.max) for spec in indicator.inputs}
    names = {**base, **fixed_names(indicator, year)}
    for path, formula in formulas:
        try:
            formula.evaluate(names)
        except FormulaError as exc:
            yield Problem(_at(indicator, *path), fact("lint.on_samples", problem=exc.fact))
            continue
        if path != ("formula",):
            continue  # a metric of zero is shown as "—", so dividing by zero is fine there
        for spec in indicator.inputs:
            if spec.min is not None and spec.min > 0:
                continue
            try:
                formula.evaluate({**names, spec.name: Decimal(0)})
            except DivisionByZero:
                yield Problem(_at(indicator, *path), fact("lint.divides_by_zero", name=spec.name))
            except FormulaError:
                pass  # only a division by zero is this check's concern


def _sample(low: Decimal | None, high: Decimal | None) -> Decimal:
    value = max(Decimal(1), low if low is not None else Decimal(1))
    return min(value, high) if high is not None else value
