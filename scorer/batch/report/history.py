"""`score history --db results.sqlite [DEPARTMENT]`: what the history database holds.

Without a department: one line per department and year (total, grade, change since its previous year). With
one: its years, and each indicator's score in each year, with the indicators that moved.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from scorer.batch.history import HistoryRow, names, rows
from scorer.batch.report.common import shown, signed
from scorer.errors import did_you_mean
from scorer.escape import json_safe, one_line
from scorer.i18n import t
from scorer.inputs.model import department_key
from scorer.numbers import EXACT, to_json_number


def history(
    db: Path, department: str | None, fmt: str, lang: str, renamed: Mapping[str, str] | None = None
) -> tuple[str, bool]:
    """The listing (and, for the whole database, this year against last), and whether anything was found.
    `renamed`: department keys an alias file maps to their new names' keys; a department named is shown under
    all its names, earlier and later."""
    renamed = renamed or {}
    found = list(rows(db, department, _names_of(department, renamed) if department else ()))
    if not found:
        hint = did_you_mean(department, names(db)) if department else ""
        message = (
            t("history.none", lang, department=department or "", hint=hint)
            if department
            else t("history.empty", lang)
        )
        return (json.dumps([]) + "\n" if fmt == "json" else one_line(message) + "\n"), False
    if fmt == "json":
        latest = {(row.key, row.year): row for row in found}  # rows come by time scored within a year
        listed = [{**_as_dict(row), "latest": latest[(row.key, row.year)] is row} for row in found]
        return json_safe(json.dumps(listed, ensure_ascii=False, indent=2)) + "\n", True
    text = _text(found, department is not None, lang, renamed)
    if department is None:  # this year against last, not only the log
        from scorer.batch.report.history_compare import comparison

        text += "".join(line + "\n" for line in comparison(found, lang, renamed))
    return text, True


def _as_dict(row: HistoryRow) -> dict[str, object]:
    return {
        "department": row.department,
        "year": row.year,
        "rules_digest": row.rules_digest,
        "total": to_json_number(row.total),
        "grade": row.grade,
        "source": row.source,
        "scored_at": row.scored_at,
        "imported": row.imported,
        "indicators": [
            {"id": i, "name": n, "weight": to_json_number(w), "score": to_json_number(s)}
            for i, n, w, s in row.indicators
        ],
    }


def _names_of(department: str, renamed: Mapping[str, str]) -> set[str]:
    """The keys of a department's names: its present one (where the alias file leads) and every earlier one."""
    now = renamed.get(department_key(department), department_key(department))
    return {now, *(old for old, new in renamed.items() if new == now)}


def _text(found: list[HistoryRow], detailed: bool, lang: str, renamed: Mapping[str, str]) -> str:
    """Each row's change is against the latest scoring of the department's nearest earlier year (under an
    earlier name too, by the alias file); a year scored more than once (under revised rules: another digest)
    marks which scoring is the latest."""
    out = [t("history.header", lang)]

    def key(row: HistoryRow) -> str:  # a name written two ways, or renamed, is one department
        return renamed.get(row.key, row.key)

    found = sorted(found, key=lambda row: (key(row), row.year, row.scored_at, row.department))
    counts: dict[tuple[str, int], int] = {}
    for row in found:
        counts[(key(row), row.year)] = counts.get((key(row), row.year), 0) + 1
    latest_of_year: dict[tuple[str, int], HistoryRow] = {}  # rows come by department, year, time scored
    for row in found:
        latest_of_year[(key(row), row.year)] = row
    earlier: HistoryRow | None = None  # the latest scoring of the department's last year before this row's
    last: HistoryRow | None = None
    for row in found:
        if last is None or key(last) != key(row):
            earlier = None
        elif last.year < row.year:
            earlier = latest_of_year[(key(last), last.year)]
        last = row
        change = signed(EXACT.subtract(row.total, earlier.total)) if earlier else ""
        times = counts[(key(row), row.year)]
        mark = ""
        if times > 1:
            latest = latest_of_year[(key(row), row.year)] is row
            mark = t("history.latest" if latest else "history.superseded", lang, count=times)
        out.append(
            one_line(
                t(
                    "history.line",
                    lang,
                    department=row.department,
                    year=row.year,
                    total=shown(row.total),
                    grade=row.grade,
                    change=change,
                    digest=row.rules_digest[7:19] if not row.imported else t("history.imported", lang),
                    scored_at=local_time(row.scored_at),
                )  # fmt: skip
                + mark
            )
        )
        if detailed:
            before = {i: s for i, _, _, s in earlier.indicators} if earlier else {}
            for ident, name, weight, score in row.indicators:
                moved = _moved(before.get(ident), score)
                out.append(one_line(f"    {name} ({ident}): {shown(score)} / {shown(weight)}{moved}"))
    return "\n".join(out) + "\n"


def local_time(stamp: str) -> str:
    """The stored UTC time (ISO 8601) in the computer's local time, to the minute."""
    from datetime import datetime

    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:  # a database written by hand
        return stamp


def _moved(before: Decimal | None, after: Decimal) -> str:
    if before is None or before == after:
        return ""
    return f"  ({signed(EXACT.subtract(after, before))})"
