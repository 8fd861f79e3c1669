"""Scores put in place of the computed ones, as every summary format shows them: the department's own overrides
and the bureau's 复核调整, kept apart, counted per department and listed one a row (scorer/batch/adjust.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from scorer.batch.adjust import Given
from scorer.batch.summary import Entry, Summary
from scorer.i18n import t


@dataclass(frozen=True, slots=True)
class GivenRow:
    rank: int
    department: str
    kind: str  # 本部门调整 or 复核调整, in words
    indicator: str  # the row's name in the summary's language
    own: Decimal | None  # the department's score on the row before a 复核调整
    score: Decimal
    reason: str


def headers(lang: str) -> list[str]:
    """The ranking's two count columns."""
    return [t("batch.given.overrides", lang), t("batch.given.adjustments", lang)]


def counts(entry: Entry) -> list[int]:
    return [len(entry.overrides), len(entry.adjustments)]


def any_given(summary: Summary) -> bool:
    return bool(summary.given)  # counted as entries were added: no entry read


def rows(summary: Summary) -> Iterator[GivenRow]:
    """Every given score, in ranking order: a department's own overrides first, then the bureau's adjustments
    (one department's at a time)."""
    return (row for rank, entry in summary.ranked() for row in rows_of(summary, rank, entry))


def rows_of(summary: Summary, rank: int, entry: Entry) -> list[GivenRow]:
    lang = summary.lang
    own = [_row(summary, rank, entry, t("batch.given.override", lang), item) for item in entry.overrides]
    kind = t("batch.given.adjustment", lang)
    return own + [_row(summary, rank, entry, kind, item) for item in entry.adjustments]


def _row(summary: Summary, rank: int, entry: Entry, kind: str, given: Given) -> GivenRow:
    losses = summary.losses.get(given.indicator)
    name = losses.name if losses is not None else given.indicator
    return GivenRow(rank, entry.department, kind, name, given.own, given.score, given.reason)


def tally(summary: Summary) -> str:
    """One line: how many scores each side put in place, in how many departments."""
    counted = summary.given
    return t(
        "batch.given.tally", summary.lang,
        overrides=counted.overrides, override_departments=counted.override_departments,
        adjustments=counted.adjustments, adjusted_departments=counted.adjusted_departments,
    )  # fmt: skip


def headings(lang: str) -> list[str]:
    """The columns of the list of given scores."""
    keys = ("batch.rank", "batch.department", "batch.given.kind", "batch.indicator", "batch.given.own",
            "batch.given.score", "batch.given.reason")  # fmt: skip
    return [t(key, lang) for key in keys]


def as_text(row: GivenRow, lang: str, shown: object) -> str:
    """A given score in one line: `预算执行率 9.91 → 5（复核调整：原因）`."""
    score = f"{shown(row.own)} → {shown(row.score)}" if row.own is not None else str(shown(row.score))  # type: ignore[operator]
    return t("batch.given.line", lang, kind=row.kind, indicator=row.indicator, score=score, reason=row.reason)
