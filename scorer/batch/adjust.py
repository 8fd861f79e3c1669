"""The bureau's 复核调整 (`score batch --adjustments 复核调整.yaml`) and the department's own overrides, kept apart.

A department may replace a row's computed score with its own, giving its reason (Contract 1's `override`). The
bureau, reviewing the table, may put another score on a row, with its reason: a 复核调整. Both are seen in every
summary, counted and listed, never mixed: the department's override is what it handed in; the bureau's adjustment
is applied as the engine's override on the department's inputs (as the web workplace applies it), so the adjusted
total, grade, subtotals and losses come from the engine, and the department's own score on the row is kept beside.

The bureau's file (YAML, read by the one YAML reader, each problem at its line):

    adjustments:
      - department: 示例区信访局
        indicator: asset_allocation_compliance     # the row's id, or its name as the 自评表 prints it
        score: 0.5
        reason: 复核发现资产配置超出编制，调整为0.5分。

Every entry is checked before any department is read: the row exists, the score lies in [0, weight] with the
places the row's rounding gives, the reason says something, no row is adjusted twice. An adjustment whose
department is not in the batch is said after the batch (exit 1): nothing the bureau decided is lost silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from msgspec.structs import replace

from scorer.engine.result import Result
from scorer.engine.rows import entries
from scorer.errors import Location, Problem, UserError
from scorer.facts import Message, Said, fact
from scorer.inputs.model import Department, IndicatorInputs, Override, department_key
from scorer.rules.model import RuleSet


@dataclass(frozen=True, slots=True)
class Given:
    """A score put in place of the computed one, with its reason: the department's own, or the bureau's (then
    `own` is the department's score on the row before it)."""

    indicator: str  # the row's id
    score: Decimal
    reason: str
    own: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Review:
    """What one department's result carries of both: its overrides, the bureau's adjustments, its own total."""

    overrides: tuple[Given, ...] = ()
    adjustments: tuple[Given, ...] = ()
    unadjusted_total: Decimal | None = None  # the total before the bureau's adjustments (None: none adjusted)


@dataclass(frozen=True, slots=True)
class Adjustment:
    department: str
    indicator: str  # the row's id
    score: Decimal
    reason: str
    where: Location


@dataclass
class Adjustments:
    """The bureau's adjustments by department (`department_key`), and which were applied."""

    by_department: dict[str, tuple[Adjustment, ...]] = field(default_factory=dict)

    def of(self, department: str) -> tuple[Adjustment, ...]:
        return self.by_department.get(department_key(department), ())

    def unmatched(self, seen: set[str]) -> list[Problem]:
        """The adjustments of departments the batch never scored: said, not dropped."""
        return [
            Problem(adjustment.where, fact("adjust.no_department", department=adjustment.department))
            for key, made in self.by_department.items()
            if key not in seen
            for adjustment in made
        ]


def overrides_of(result: Result) -> tuple[Given, ...]:
    """The department's own overrides in a result: each row it scored itself, with its reason."""
    return tuple(
        Given(i.id, i.score, i.reasons[0].text if i.reasons and isinstance(i.reasons[0], Said) else "")
        for i in entries(result.indicators)  # a compiled row is never overridden: read as scored
        if i.overridden
    )


def apply(department: Department, made: tuple[Adjustment, ...]) -> Department:
    """The department's inputs with the bureau's score in place of each adjusted row's (the engine's override)."""
    indicators = dict(department.indicators)
    for adjustment in made:
        before = indicators.get(adjustment.indicator) or IndicatorInputs()
        override = Override(adjustment.score, adjustment.reason)
        indicators[adjustment.indicator] = replace(before, override=override, deductions=())
    return replace(department, indicators=indicators)


def review(own: Result, adjusted: Result | None, made: tuple[Adjustment, ...]) -> Review:
    """Both kinds of given scores of one department, kept apart."""
    if adjusted is None:
        return Review(overrides_of(own))
    scores = {i.id: i.score for i in own.indicators}
    given = tuple(Given(a.indicator, a.score, a.reason, scores.get(a.indicator)) for a in made)
    return Review(overrides_of(own), given, own.total)


def bureau_review(own: Result, made: dict[str, tuple[Decimal, str]]) -> Review:
    """As `review`, from adjustments kept elsewhere (the web workplace's: row id → score and reason)."""
    if not made:
        return Review(overrides_of(own))
    scores = {i.id: i.score for i in own.indicators}
    given = tuple(Given(ident, points, reason, scores.get(ident)) for ident, (points, reason) in made.items())
    return Review(overrides_of(own), given, own.total)


def read_adjustments(path: Path, rules: RuleSet) -> Adjustments:
    """The bureau's file, every entry checked against the rules; every problem at once, each at its line."""
    from scorer.sources.yaml import display_path, load_yaml_file

    document = load_yaml_file(path, display_path(path))
    data = document.data
    key: tuple[Any, ...] = ("adjustments",) if isinstance(data, dict) else ()
    entries = data.get("adjustments") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise UserError.at(document.at(()), fact("adjust.not_a_list"))
    problems: list[Problem] = []
    found: dict[tuple[str, str], Location] = {}
    adjustments = Adjustments()
    for index, entry in enumerate(entries):
        try:
            adjustment = _entry(entry, (*key, index), document, rules)
        except UserError as exc:
            problems += exc.problems
            continue
        pair = (department_key(adjustment.department), adjustment.indicator)
        if pair in found:
            problems.append(Problem(adjustment.where, fact("adjust.twice", line=found[pair].line or "")))
            continue
        found[pair] = adjustment.where
        adjustments.by_department[pair[0]] = (*adjustments.by_department.get(pair[0], ()), adjustment)
    if problems:
        raise UserError(problems)
    return adjustments


def _entry(entry: Any, at: tuple[Any, ...], document: Any, rules: RuleSet) -> Adjustment:
    from scorer.invisible import without_invisible
    from scorer.numbers import NotANumber, parse_number

    def fail(name: str | None, message: Message, indicator: str | None = None) -> UserError:
        path = (*at, name) if name and isinstance(entry, dict) and name in entry else at
        return UserError.at(document.at(path, indicator, name), message)

    if not isinstance(entry, dict):
        raise fail(None, fact("adjust.not_an_entry"))
    department = entry.get("department")
    if not isinstance(department, str) or not department.strip():
        raise fail("department", fact("adjust.field_required", field="department"))
    indicator = _row(entry.get("indicator"), rules)
    if indicator is None:
        raise fail("indicator", fact("adjust.no_row", row=str(entry.get("indicator", ""))))
    try:
        score = parse_number(entry.get("score"))
    except NotANumber as exc:
        raise fail("score", exc.fact, indicator.id) from None
    if not 0 <= score <= indicator.weight:
        message = fact("inputs.override_range", weight=f"{indicator.weight:f}", score=f"{score:f}")
        raise fail("score", message, indicator.id)
    if not indicator.rounding.fits(score):
        message = fact("inputs.override_places", score=f"{score:f}", places=indicator.rounding.places)
        raise fail("score", message, indicator.id)
    reason = entry.get("reason")
    if not isinstance(reason, str) or not without_invisible(reason).strip():
        raise fail("reason", fact("adjust.field_required", field="reason"), indicator.id)
    where = document.at(at, indicator.id)
    return Adjustment(department.strip(), indicator.id, score, reason.strip(), where)


def _row(named: object, rules: RuleSet) -> Any:
    """The indicator an entry names, by id or by its name as the 自评表 prints it."""
    if not isinstance(named, str):
        return None
    wanted = " ".join(named.split())
    return next((i for i in rules.indicators if wanted in (i.id, i.title, i.name)), None)


def with_review(line: str, given: Review | None) -> str:
    """A result's JSON line (Contract 3) with the bureau's adjustments added as keys of their own, when it has
    some: `"adjustments": [{"indicator", "own", "score", "reason"}]` and `"unadjusted_total"` (the department's total
    before them). The department's own overrides are the rows marked `"overridden"`, as `score run` writes them;
    an adjusted row is marked so too, and listed here."""
    if given is None or not given.adjustments:
        return line
    import json

    from scorer.numbers import to_json_number

    def number(value: Decimal | None) -> int | float | None:
        return None if value is None else to_json_number(value)

    made = [
        {"indicator": a.indicator, "own": number(a.own), "score": number(a.score), "reason": a.reason}
        for a in given.adjustments
    ]
    extra = json.dumps(
        {"adjustments": made, "unadjusted_total": number(given.unadjusted_total)},
        ensure_ascii=False,
        separators=(",", ":"),
    )  # compact, as the line it joins
    body = line.rstrip("\n")
    return body[:-1] + "," + extra[1:] + "\n"
