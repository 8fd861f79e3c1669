"""A result laid out as the official 自评表 for a page: the rows with their merged level cells, the grade line, the
notes and warnings, the targets. Words come from the renderers' shared module (`scorer/render/common.py`), so the
page says what the workbook and the report say."""

from __future__ import annotations

from dataclasses import dataclass, field

from scorer.engine.result import Result
from scorer.render import common
from scorer.rounding import fmt


@dataclass
class Line:
    id: str
    name: str
    weight: str
    score: str
    reasons: str
    improvements: str
    level1: tuple[str, str, int] | None  # name, weight, rows it spans: on the row that opens it
    level2: tuple[str, str, int] | None
    overridden: bool = False
    own: str = ""  # the department's own score, where the bureau's 复核 differs
    findings: list[str] = field(default_factory=list)


@dataclass
class Sheet:
    title: str
    facts: list[str]
    headers: tuple[str, ...]
    lines: list[Line]
    total: str
    max: str
    grade: str
    grade_line: str
    summary: list[str]
    notes: list[str]
    target_headers: tuple[str, ...]
    targets: list[tuple[str, ...]]


def sheet(
    result: Result, lang: str, own: Result | None = None, findings: dict[str, list[str]] | None = None
) -> Sheet:
    """`result` as the 自评表; with `own`, each row whose score differs shows the department's own score too."""
    own_scores = {i.id: i.score for i in own.indicators} if own is not None else {}
    rows = list(common.rows(result))
    spans1 = _spans([r.indicator.level1 for r in rows])
    spans2 = _spans([(r.indicator.level1, r.indicator.level2) for r in rows])
    lines = []
    for index, row in enumerate(rows):
        item = row.indicator
        before = own_scores.get(item.id)
        lines.append(Line(
            id=item.id, name=common.named(item, lang), weight=fmt(item.weight), score=common.score_cell(item),
            reasons=common.reasons_text(item, lang, "；"), improvements="；".join(item.improvements),
            level1=(common.named(row.level, lang), fmt(row.level.weight), spans1[index]) if row.opens_level else None,
            level2=(common.named(row.child, lang), fmt(row.child.weight), spans2[index]) if row.opens_child else None,
            overridden=item.overridden, own=fmt(before) if before is not None and before != item.score else "",
            findings=(findings or {}).get(item.id, []),
        ))  # fmt: skip
    return Sheet(
        title=common.title(result, lang), facts=common.facts(result, lang), headers=common.headers(lang),
        lines=lines, total=fmt(result.total), max=fmt(result.max), grade=result.grade,
        grade_line=common.grade_line(result, lang), summary=common.summary(result, lang),
        notes=common.notes(result, lang), target_headers=common.target_headers(lang),
        targets=common.target_rows(result, lang),
    )  # fmt: skip


def _spans(keys: list[object]) -> list[int]:
    """For each row, how many rows from it on share its key (the merged cell's height where a run opens)."""
    spans = [1] * len(keys)
    for index in range(len(keys) - 2, -1, -1):
        if keys[index] == keys[index + 1]:
            spans[index] = spans[index + 1] + 1
    return spans
