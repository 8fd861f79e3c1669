"""`score lint`: every problem of one or more rule folders, collected before anything is reported."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from scorer.errors import Location, Problem, RulesNotFound
from scorer.facts import fact
from scorer.maintain.case_rows import unknown_in_folder
from scorer.rules.find import own_root
from scorer.rules.model import RowOrigin, RuleSet
from scorer.rules.read import read_rules, resolve_rules
from scorer.sources.shipped import rules_root, shipped_years


@dataclass
class LintReport:
    checked: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Each rubric that extends another or uses shared rows: (its folder, what it extends, row id → origin).
    resolved: list[tuple[str, str, Mapping[str, RowOrigin]]] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def failed(self, strict: bool) -> bool:
        return bool(self.errors or (strict and self.warnings))


def default_specs() -> list[str]:
    """With no argument: the rubric folders under ./rules (`<id>/<year>`, or `<year>`) when run in a rubric
    repository, else the shipped years."""
    local = Path("rules")
    found = [*local.glob("*/rubric.yaml"), *local.glob("*/*/rubric.yaml")] if local.is_dir() else []
    return [str(p.parent) for p in sorted(found)] or shipped_years()


def lint(specs: list[str]) -> LintReport:
    """Lint the named years or folders; with none, those of `default_specs`."""
    report = LintReport()
    for spec in specs or default_specs():
        try:
            folder = resolve_rules(spec)
        except RulesNotFound as exc:
            report.problems.append(Problem(Location(spec), exc.fact))
            continue
        if not ((folder / "rubric.yaml").is_file() or (folder / "indicators").is_dir()):
            report.problems.append(Problem(Location(str(folder)), fact("lint.not_rules_folder")))
            continue
        report.checked.append(str(folder))
        rules, problems = read_rules(Path(folder))
        if rules is not None:
            problems += _golden_cases(Path(folder), rules) + unknown_in_folder(Path(folder), rules)
            if rules.origins:
                report.resolved.append((str(folder), rules.extends, rules.origins))
        report.problems += sorted(problems, key=lambda p: (p.location.path, p.location.line or 0))
    return report


def _golden_cases(folder: Path, rules: RuleSet) -> list[Problem]:
    """A rules year that no golden case checks is a warning: `golden/` in its folder, or `tests/golden/<year>`
    of its repository or of the working folder. The shipped years are checked by the project's own cases."""
    if rules_root().resolve() in folder.resolve().parents:
        return []
    year = str(rules.year)
    root = own_root(
        folder
    )  # rules/<id>/<year>: the repository is above rules/; rules/<year>: above its parent
    repository = root.parent if root is not None else folder.parent.parent
    places = [folder / "golden", repository / "tests" / "golden" / year, Path("tests/golden") / year]
    if any(place.is_dir() and any(place.glob("*.yaml")) for place in places):
        return []
    shown = ", ".join(dict.fromkeys(str(place) for place in places))
    where = Location(rules.rubric_path, rules.rubric_lines.line(("year",)))
    return [Problem(where, fact("lint.no_golden_cases", year=year, places=shown), severity="warning")]
