"""What `score audit` found, in words: a text report for the terminal, or JSON (`-f json`).

Every text that came from a table (paths, names, reasons quoted in a finding) is data: control characters are
shown escaped on the terminal and in JSON, never passed through.
"""

from __future__ import annotations

import json
from typing import Any

from scorer.audit.model import Audit, Finding
from scorer.errors import Problem
from scorer.escape import json_safe, one_line
from scorer.i18n import say, t
from scorer.numbers import to_json_number
from scorer.render.problems import as_dict, ordered
from scorer.rounding import fmt


def render(audits: list[Audit], refused: list[Problem], fmt_name: str, lang: str) -> str:
    if fmt_name == "json":
        return render_json(audits, refused, lang)
    return render_text(audits, lang)


def render_text(audits: list[Audit], lang: str) -> str:
    """The findings of each table; the tables that could not be read are said on stderr by the command."""
    lines: list[str] = []
    for result in audits:
        table = result.table
        lines.append(
            one_line(
                t(
                    "audit.report.table",
                    lang,
                    path=table.path,
                    department=table.department or "—",
                    rules=result.rules_year,
                )
            )
        )
        if result.rules_provisional:
            lines.append("  " + one_line(t("mark.provisional.line", lang, rubric=result.rules_name)))
        claimed = fmt(table.total) if table.total is not None else "—"
        rescored = fmt(result.rescored_total) if result.rescored_total is not None else "—"
        lines.append(
            "  "
            + t(
                "audit.report.totals",
                lang,
                claimed=claimed,
                rescored=rescored,
                grade=result.rescored_grade or "—",
            )
        )
        errors = result.errors
        if errors:
            lines.append("  " + t("audit.report.findings", lang, count=len(errors)))
        else:
            lines.append("  " + t("audit.report.clean", lang, rows=len(result.matched)))
        for finding in result.findings:
            lines.append("  " + one_line(_line(finding, lang)))
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _line(finding: Finding, lang: str) -> str:
    prefix = finding.location.prefix(lang)
    message = say(finding.message, lang)
    if finding.severity == "note":
        message = t("audit.report.note", lang, message=message)
    return f"{prefix} {message}" if prefix else message


def render_json(
    audits: list[Audit], refused: list[Problem], lang: str, extra: dict[str, Any] | None = None
) -> str:
    """The audits as JSON; `extra`: what a district's 复核清单 adds (its list, the files that were no table)."""
    document = {
        "consistent": not refused and all(a.consistent for a in audits),
        "tables": [_table(result, lang) for result in audits],
        "refused": [as_dict(p, lang) for p in ordered(refused, lang)],
        **(extra or {}),
    }
    return json_safe(json.dumps(document, ensure_ascii=False, indent=2)) + "\n"


def _table(result: Audit, lang: str) -> dict[str, Any]:
    table = result.table
    return {
        "path": table.path,
        "department": table.department,
        "year": table.year,
        "rules": {
            "year": str(result.rules_year),
            "digest": result.rules_digest,
            "provisional": result.rules_provisional,
        },
        "consistent": result.consistent,
        "total": _number(table.total),
        "rescored_total": _number(result.rescored_total),
        "rescored_grade": result.rescored_grade,
        "rows": len(table.rows),
        "matched": {key: where for key, where in result.matched.items()},
        "findings": [_finding(f, lang) for f in result.findings],
    }


def _finding(finding: Finding, lang: str) -> dict[str, Any]:
    """A finding as a problem's JSON (scorer/errors.py), with its catalogue key before the message."""
    shown = as_dict(Problem(finding.location, finding.message, finding.severity), lang)
    message, key = shown.pop("message"), shown.pop("key")
    return {**shown, "key": key, "message": message}


def _number(value: Any) -> int | float | None:
    return None if value is None else to_json_number(value)
