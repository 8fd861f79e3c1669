"""`score history --db results.sqlite [DEPARTMENT]`: what the history database holds.

Without a department: one line per department and year (total, grade, change since its previous year). With
one: its years, and each indicator's score in each year, with the indicators that moved.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from scorer.batch.history import HistoryRow, names, rows
from scorer.escape import json_safe, one_line
from scorer.i18n import t
from scorer.model.problems import did_you_mean
from scorer.numbers import EXACT, to_json_number
from scorer.render.batch_common import shown, signed


def history(db: Path, department: str | None, fmt: str, lang: str) -> tuple[str, bool]:
    """The listing, and whether anything was found."""
    found = list(rows(db, department))
    if not found:
        hint = did_you_mean(department, names(db)) if department else ""
        message = (
            t("history.none", lang, department=department or "", hint=hint)
            if department
            else t("history.empty", lang)
        )
        return (json.dumps([]) + "\n" if fmt == "json" else one_line(message) + "\n"), False
    if fmt == "json":
        return json_safe(
            json.dumps([_as_dict(row) for row in found], ensure_ascii=False, indent=2)
        ) + "\n", True
    return _text(found, department is not None, lang), True


def _as_dict(row: HistoryRow) -> dict[str, object]:
    return {
        "department": row.department,
        "year": row.year,
        "rules_digest": row.rules_digest,
        "total": to_json_number(row.total),
        "grade": row.grade,
        "source": row.source,
        "scored_at": row.scored_at,
        "indicators": [
            {"id": i, "name": n, "weight": to_json_number(w), "score": to_json_number(s)}
            for i, n, w, s in row.indicators
        ],
    }


def _text(found: list[HistoryRow], detailed: bool, lang: str) -> str:
    out = [t("history.header", lang)]
    previous: HistoryRow | None = None
    for row in found:
        same = previous is not None and previous.department == row.department and previous.year < row.year
        change = signed(EXACT.subtract(row.total, previous.total)) if same and previous else ""
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
                    digest=row.rules_digest[7:19],
                    scored_at=row.scored_at,
                )  # fmt: skip
            )
        )
        if detailed:
            before = {i: s for i, _, _, s in previous.indicators} if same and previous else {}
            for ident, name, weight, score in row.indicators:
                moved = _moved(before.get(ident), score)
                out.append(one_line(f"    {name} ({ident}): {shown(score)} / {shown(weight)}{moved}"))
        previous = row
    return "\n".join(out) + "\n"


def _moved(before: Decimal | None, after: Decimal) -> str:
    if before is None or before == after:
        return ""
    return f"  ({signed(EXACT.subtract(after, before))})"
