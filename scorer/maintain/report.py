"""The reports of `score lint` and `score test`, for people and for CI logs, in the chosen language."""

from __future__ import annotations

import json

from scorer.escape import one_line
from scorer.i18n import t
from scorer.maintain.cases import CaseReport, Coverage
from scorer.maintain.lint import LintReport
from scorer.render.common import origin_words
from scorer.render.problems import as_dict, ordered
from scorer.render.problems import lines as problem_lines


def render_lint(report: LintReport, fmt: str, lang: str) -> str:
    if fmt == "json":
        data = {
            "checked": report.checked,
            "problems": [as_dict(p, lang) for p in ordered(report.problems, lang)],
            "origins": {
                folder: {
                    row: {"from": o.source, "row": o.row, "changed_at": o.change}
                    for row, o in origins.items()
                }
                for folder, _, origins in report.resolved
            },
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    lines = []
    for folder, parent, origins in report.resolved:  # where each row of a resolved rubric comes from
        if parent:
            head = t("lint.resolved", lang, folder=folder, parent=parent, rows=len(origins))
        else:  # a rubric of its own that uses rows of others: no parent to name
            head = t("lint.resolved_used", lang, folder=folder, rows=len(origins))
        lines += [
            one_line(head),
            *(one_line(f"  {row}: {origin_words(o, lang)}") for row, o in origins.items()),
        ]
    lines += problem_lines(report.errors, lang)
    lines += [t("lint.warning", lang, problem=text) for text in problem_lines(report.warnings, lang)]
    lines.append(
        t(
            "lint.summary",
            lang,
            errors=len(report.errors),
            warnings=len(report.warnings),
            folders=len(report.checked),
        )
    )
    return "\n".join(lines) + "\n"


def render_cases(
    report: CaseReport, covered: Coverage, list_missing: bool, with_percent: bool, lang: str
) -> str:
    lines = [t("cases.broken", lang, problem=text) for text in problem_lines(report.broken, lang)]
    for outcome in report.outcomes:
        key = "cases.pass" if outcome.passed else "cases.fail"
        lines.append(one_line(t(key, lang, path=str(outcome.case.path), name=outcome.case.name)))
        lines += [one_line(f"     {failure}") for failure in outcome.failures]
    if list_missing or with_percent:
        lines.append(
            t(
                "cases.coverage",
                lang,
                percent=str(covered.percent),
                exercised=covered.exercised,
                total=covered.total,
            )
        )
    if list_missing:
        lines += [one_line(t("cases.not_exercised", lang, item=item)) for item in covered.words(lang)]
    passed = len(report.outcomes) - len(report.failed)
    lines.append(t("cases.summary", lang, passed=passed, failed=len(report.failed) + report.unrun))
    return "\n".join(lines) + "\n"
