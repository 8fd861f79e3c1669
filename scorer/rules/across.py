"""Checks across a department's figures (`checks:` in rubric.yaml), e.g. 年末结余 ≤ 上年结转 + 年初预算 + 追加:

```yaml
checks:
  - id: balance_within_funds
    holds: year_end_balance <= carried_over + budget_start + budget_added
    message: 年末结余不得超过上年结转、年初预算与追加预算之和
```

A check's names are the rubric's inputs, each by its name where one row alone declares it (a name two rows
declare is ambiguous, and lint says which rows), the inputs the rubric declares once (`inputs:`), the budget block
of the inputs file as `budget_total`, `budget_basic`, … (a row's own input of the same name wins), and `year`. Its condition is in the formula language, checked
against the allow-list when the rubric is read; lint refuses a name that is none of these, at its line. The inputs
reader evaluates each check whose figures the department gave, and refuses a department breaking one at the first
figure the check names, with the check, its message and every value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from scorer.errors import Location, Problem
from scorer.facts import fact
from scorer.formula.evaluate import Formula, FormulaError, compile_formula
from scorer.rules.model import Check, RuleSet

Place = tuple[str, str] | tuple[str, str, str]  # ("budget", part) or ("indicators", row, input)


def budget_parts() -> tuple[str, ...]:
    """The parts of an inputs file's budget block (万元): total, basic, project, …"""
    from scorer.sources.schema import load_schema

    return tuple(load_schema("inputs.schema.json")["properties"]["budget"]["properties"])


def places(rules: RuleSet) -> dict[str, Place]:
    """Each name a check may use, and where a department gives its value."""
    found: dict[str, Place] = {f"budget_{part}": ("budget", part) for part in budget_parts()}
    found.update({spec.name: ("shared", spec.name) for spec in rules.shared})  # declared once for the rubric
    for name, rows in _declared(rules).items():
        if len(rows) == 1:
            found[name] = ("indicators", rows[0], name)
        else:
            found.pop(name, None)  # ambiguous: lint names the rows
    return found


def _declared(rules: RuleSet) -> dict[str, list[str]]:
    """Each input name with the rows that declare it (as their own, not one they share)."""
    rows: dict[str, list[str]] = {}
    for indicator in rules.indicators:
        for spec in indicator.inputs:
            if not spec.shared:
                rows.setdefault(spec.name, []).append(indicator.id)
    return rows


def compiled(rules: RuleSet) -> tuple[tuple[Check, Formula], ...]:
    """Each check with its condition compiled, once per rule set (a check lint refuses is left out)."""

    def make() -> tuple[tuple[Check, Formula], ...]:
        allowed = {*places(rules), "year"}
        made = []
        for check in rules.checks:
            try:
                made.append((check, compile_formula(check.holds, allowed)))
            except FormulaError:
                continue
        return tuple(made)

    found: tuple[tuple[Check, Formula], ...] = rules.derived.get("checks across", make)
    return found


def in_order(formula: Formula) -> list[str]:
    """The names a condition reads, in the order it names them first."""
    first = {name: match.start() for name in formula.names if (match := _word(name).search(formula.source))}
    return sorted(formula.names, key=lambda name: (first.get(name, 0), name))


def _word(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])")


def lint(rules: RuleSet) -> Iterator[Problem]:
    """A check naming what is no input of the rubric (with the likely name), a name two rows declare, an id
    given twice: each at its line of rubric.yaml."""
    allowed = {*places(rules), "year"}
    shared = {name: rows for name, rows in _declared(rules).items() if len(rows) > 1}
    seen: set[str] = set()
    for check in rules.checks:
        if check.id in seen:
            yield Problem(_at(rules, check, "id"), fact("lint.check_twice", id=check.id))
        seen.add(check.id)
        ambiguous = [name for name in shared if _word(name).search(check.holds)]
        for name in ambiguous:
            rows = "、".join(shared[name])
            yield Problem(
                _at(rules, check, "holds"), fact("lint.check_ambiguous", id=check.id, name=name, rows=rows)
            )
        if ambiguous:
            continue
        try:
            compile_formula(check.holds, allowed)
        except FormulaError as exc:
            yield Problem(_at(rules, check, "holds"), fact("lint.check_names", id=check.id, error=exc.fact))


def lint_shared(rules: RuleSet) -> Iterator[Problem]:
    """A shared input no row and no check reads; a row's own input of a shared input's name (the row's own is
    the one it reads): each a warning at the shared input's line."""
    from scorer.rules.build import reserved

    for spec in rules.shared:
        at = Location(
            rules.rubric_path, rules.rubric_lines.line(("inputs", spec.name)), None, f"inputs.{spec.name}"
        )
        if reserved(spec.name):
            yield Problem(at, fact("lint.shared_reserved", name=spec.name))
            continue
        own = [i.id for i in rules.indicators if any(s.name == spec.name and not s.shared for s in i.inputs)]
        if own:
            yield Problem(
                at, fact("lint.shared_shadowed", name=spec.name, rows="、".join(own)), severity="warning"
            )
        read = any(s.name == spec.name and s.shared for i in rules.indicators for s in i.inputs)
        if not read and not any(_word(spec.name).search(check.holds) for check in rules.checks):
            yield Problem(at, fact("lint.shared_unused", name=spec.name), severity="warning")


def _at(rules: RuleSet, check: Check, key: str) -> Location:
    line = rules.rubric_lines.line(("checks", check.index, key))
    return Location(rules.rubric_path, line, None, f"checks.{check.index}.{key}")
