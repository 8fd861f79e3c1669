"""The reports of `score lint` and `score test`, for people and for CI logs."""

from __future__ import annotations

import json

from scorer.commands.casefile import CaseReport, Coverage
from scorer.commands.lint import LintReport


def render_lint(report: LintReport, fmt: str) -> str:
    if fmt == "json":
        data = {"checked": report.checked, "problems": [p.to_dict() for p in report.problems]}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    lines = [str(problem) for problem in report.errors]
    lines += [f"{problem} (warning)" for problem in report.warnings]
    lines.append(
        f"{len(report.errors)} error(s), {len(report.warnings)} warning(s) in {len(report.checked)} rule folder(s)"
    )
    return "\n".join(lines) + "\n"


def render_cases(report: CaseReport, covered: Coverage, list_missing: bool, with_percent: bool) -> str:
    lines = [f"ERROR {problem}" for problem in report.broken]
    for outcome in report.outcomes:
        lines.append(f"{'PASS' if outcome.passed else 'FAIL'} {outcome.case.path}: {outcome.case.name}")
        lines += [f"     {failure}" for failure in outcome.failures]
    if list_missing or with_percent:
        lines.append(f"coverage: {covered.percent}% ({covered.exercised} of {covered.total})")
    if list_missing:
        lines += [f"  not exercised: {item}" for item in covered.missing]
    passed = len(report.outcomes) - len(report.failed)
    lines.append(f"{passed} passed, {len(report.failed) + len(report.broken)} failed")
    return "\n".join(lines) + "\n"
