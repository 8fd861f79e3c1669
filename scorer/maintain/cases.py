"""Golden cases: inputs and what scoring them must give, as data. One loader for `score test` and pytest."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from scorer.engine.result import Result
from scorer.engine.score import score
from scorer.errors import Problem, UserError
from scorer.facts import Fact, fact
from scorer.i18n import LANGUAGES, language, say, speaking, t
from scorer.inputs.model import Department
from scorer.inputs.read import load_inputs, read_inputs
from scorer.maintain.case_rows import unknown_rows
from scorer.maintain.edge_coverage import edge_items, edges_seen
from scorer.maintain.kind_coverage import kind_items
from scorer.rounding import Rounding
from scorer.rules.model import RuleSet
from scorer.rules.read import load_rules
from scorer.sources.schema import load_schema, validate
from scorer.sources.yaml import YamlDocument, load_yaml_file


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    expect: dict[str, Any]
    inputs_file: Path | None = None
    inputs_doc: YamlDocument | None = None
    doc: YamlDocument | None = None  # the case file itself, for the lines of the rows it names


@dataclass
class Outcome:
    case: Case
    failures: list[str] = field(default_factory=list)
    result: Result | None = None
    department: Department | None = None

    @property
    def passed(self) -> bool:
        return not self.failures


def discover(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        # A case's inputs files may sit beside it in an `inputs/` folder; they are not cases themselves.
        found += (
            sorted(p for p in path.rglob("*.yaml") if "inputs" not in p.relative_to(path).parts[:-1])
            if path.is_dir()
            else [path]
        )
    return found


def load_case(path: Path) -> Case:
    doc = load_yaml_file(path)
    problems = validate(doc, load_schema("case.schema.json"), lambda where: (None, where))
    if problems:
        raise UserError(problems)
    data = doc.data
    if "inputs_file" in data:
        inputs_file = path.parent / data["inputs_file"]
        if path.parent.resolve() not in inputs_file.resolve().parents:
            raise UserError.at(
                doc.at(("inputs_file",), None, "inputs_file"),
                fact("cases.inputs_outside", file=repr(data["inputs_file"])),
            )
        return Case(data["name"], path, data["expect"], inputs_file=inputs_file, doc=doc)
    inline = YamlDocument(doc.path, data["inputs"], doc.lines)  # lines of the case file still apply
    return Case(data["name"], path, data["expect"], inputs_doc=_rebase(inline), doc=doc)


def _rebase(doc: YamlDocument) -> YamlDocument:
    """Inline inputs sit under `inputs:`; shift the line map so messages point into the case file."""
    lines = type(doc.lines)(
        {key[1:]: line for key, line in doc.lines.lines.items() if key[:1] == ("inputs",)}
    )
    return YamlDocument(doc.path, doc.data, lines)


def run_case(case: Case, rules: RuleSet) -> Outcome:
    outcome = Outcome(case)
    expect = case.expect
    named = unknown_rows(case.doc, rules) if case.doc is not None else []
    if named:  # a row the rubric has not (removed, or misspelt): said at the case's line, nothing scored
        outcome.failures += [str(problem) for problem in named]
        return outcome
    try:
        department = _read_inputs(case, rules)
    except UserError as exc:
        message = _refusal(exc)
        wanted = expect.get("error_contains")
        if wanted is None:
            outcome.failures.append(t("cases.refused", message=message))
        elif wanted not in message and not _refused_with(case, rules, wanted):
            outcome.failures.append(t("cases.refused_without", wanted=repr(wanted), message=message))
        return outcome
    outcome.department = department
    if "error_contains" in expect:
        outcome.failures.append(t("cases.not_refused", wanted=repr(expect["error_contains"])))
        return outcome
    result = score(rules, department)
    outcome.result = result
    _compare(outcome, result)
    return outcome


def _read_inputs(case: Case, rules: RuleSet) -> Department:
    if case.inputs_file is not None:
        return load_inputs(case.inputs_file, rules)
    assert case.inputs_doc is not None
    return read_inputs(case.inputs_doc, rules)


def _refusal(exc: UserError) -> str:
    return "; ".join(str(p) for p in exc.problems)  # worded now: a case's expectation compares these words


def _refused_with(case: Case, rules: RuleSet, wanted: str) -> bool:
    """True when the refusal says `wanted` in another language: a case's author writes `error_contains` in
    one language, and the case passes in both."""
    for other in LANGUAGES:
        if other == language():
            continue
        with speaking(other):
            try:
                _read_inputs(case, rules)
            except UserError as exc:
                if wanted in _refusal(exc):
                    return True
    return False


def _compare(outcome: Outcome, result: Result) -> None:
    expect = outcome.case.expect
    failures = outcome.failures
    if "total" in expect and result.total != Decimal(expect["total"]):
        failures.append(t("cases.total", expected=Decimal(expect["total"]), got=result.total))
    if "grade" in expect and result.grade != expect["grade"]:
        failures.append(t("cases.grade", expected=str(expect["grade"]), got=result.grade))
    by_id = {i.id: i for i in result.indicators}
    for ident, wanted in (expect.get("scores") or {}).items():
        got = by_id.get(ident)
        if got is None:
            failures.append(t("cases.no_indicator", id=ident))
        elif got.score != Decimal(wanted):
            failures.append(t("cases.score", id=ident, expected=Decimal(wanted), got=got.score))
    _compare_notes(outcome, result)
    for ident, texts in (expect.get("reasons_contain") or {}).items():
        got = by_id.get(ident)
        joined = (
            " / ".join(say(reason, "zh") for reason in got.reasons) if got else ""
        )  # as the tables word them
        for text in texts:
            if text not in joined:
                reasons = joined or t("cases.no_reasons")
                failures.append(t("cases.no_reason", id=ident, text=repr(text), reasons=reasons))


def _compare_notes(outcome: Outcome, result: Result) -> None:
    """A row's notes (not applicable, the alternative chosen, …) in either language, and the rubric's marks."""
    expect, failures = outcome.case.expect, outcome.failures
    for key, marked in (
        ("provisional", result.rules_provisional),
        ("under_earlier_year", result.under_earlier_year),
        ("partly_encoded", result.rules_partly_encoded),
    ):
        if key in expect and expect[key] != marked:
            failures.append(
                t("cases.mark", what=key, expected=str(expect[key]).lower(), got=str(marked).lower())
            )
    by_id = {i.id: i for i in result.indicators}
    for ident, texts in (expect.get("notes_contain") or {}).items():
        got = by_id.get(ident)
        if got is None:
            failures.append(t("cases.no_indicator", id=ident))
            continue
        said = [" / ".join(say(note, lang) for note in got.notes) for lang in LANGUAGES]
        for text in texts:
            if not any(text in words for words in said):
                failures.append(
                    t("cases.no_note", id=ident, text=repr(text), notes=said[0] or t("cases.no_notes"))
                )


@dataclass
class CaseReport:
    outcomes: list[Outcome] = field(default_factory=list)
    broken: list[Problem] = field(default_factory=list)  # case files that could not be read
    rule_sets: dict[str, RuleSet] = field(default_factory=dict)
    unrun: int = 0  # cases not run: the case or its rubric could not be read

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.passed]

    def coverage(self) -> Coverage:
        return coverage(self.outcomes, list(self.rule_sets.values()))


def run_cases(paths: list[Path], rules_for: Callable[[Path], str | Path]) -> CaseReport:
    """Run every case under `paths`; `rules_for(case_path)` names the rules each case is scored with."""
    report = CaseReport()
    unreadable: set[str] = set()  # rubrics that could not be read: their problems are said once
    for path in discover(paths):
        key = ""
        try:
            case = load_case(path)
            spec = rules_for(path)
            key = str(spec)
            if key in unreadable:
                report.unrun += 1
                continue
            if key not in report.rule_sets:
                report.rule_sets[key] = load_rules(spec)
        except UserError as exc:
            report.broken += exc.problems
            report.unrun += 1
            if key:
                unreadable.add(key)
            continue
        report.outcomes.append(run_case(case, report.rule_sets[key]))
    return report


@dataclass(frozen=True)
class Coverage:
    """What the cases exercise: indicators given inputs, declared deduction codes used, grade bands reached, the
    parts of the declarative kinds (scorer/maintain/kind_coverage.py), and each band edge from both sides, each
    steps threshold and each formula branch (scorer/maintain/edge_coverage.py). What they miss is kept as facts,
    worded where it is shown."""

    exercised: int
    total: int
    unexercised: tuple[Fact, ...]

    @property
    def percent(self) -> Decimal:
        return (
            Decimal(100)
            if not self.total
            else Rounding(1, "half_up").apply(Fraction(100 * self.exercised, self.total))
        )

    def words(self, lang: str | None = None) -> list[str]:
        """What the cases miss, in words, in the order of the words."""
        return sorted(say(item, lang) for item in self.unexercised)

    @property
    def missing(self) -> list[str]:
        return self.words()


# ("indicator", id), ("deduction", id, code), ("grade", name), ("part", id, place), and the edges'
# (scorer/maintain/edge_coverage.py).
Key = tuple[object, ...]


def coverage(outcomes: list[Outcome], rule_sets: list[RuleSet]) -> Coverage:
    wanted: dict[Key, Fact] = {}
    for rules in rule_sets:
        for indicator in rules.indicators:
            ident = indicator.id
            wanted[("indicator", ident)] = fact("cases.item.indicator", id=ident)
            for d in indicator.deductions:
                wanted[("deduction", ident, d.code)] = fact("cases.item.deduction", id=ident, code=d.code)
        wanted.update({("grade", g.name): fact("cases.item.grade", name=g.name) for g in rules.grades})
        for indicator in rules.indicators:
            items = kind_items(indicator).items()
            wanted.update({("part", indicator.id, place): label for place, label in items})
            wanted.update(edge_items(indicator))
    rows = {i.id: i for rules in rule_sets for i in rules.indicators}
    seen: set[Key] = set()
    for outcome in outcomes:
        if outcome.department is not None:
            for ident, given in outcome.department.indicators.items():
                if given.values or given.deductions or given.override or given.targets or given.judgement:
                    seen.add(("indicator", ident))
                seen |= {("deduction", ident, d.code) for d in given.deductions if d.code}
                if ident in rows and given.values:  # band edges, steps thresholds, formula branches
                    seen |= edges_seen(rows[ident], given.values, outcome.department.year)
        if outcome.result is not None:
            seen.add(("grade", outcome.result.grade))
            for row in outcome.result.indicators:
                seen |= {("part", row.id, tag) for tag in row.exercised}
    missed = tuple(label for key, label in wanted.items() if key not in seen)
    return Coverage(len(wanted.keys() & seen), len(wanted), missed)


def check_coverage(covered: Coverage, minimum: float | None) -> str | None:
    """Why the coverage is too low for `--min-coverage`, or None."""
    if minimum is None or covered.percent >= Decimal(str(minimum)):
        return None
    return t("cases.coverage_low", percent=str(covered.percent), minimum=minimum)
