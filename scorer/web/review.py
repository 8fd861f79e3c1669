"""复核: each submitted version scored again by the engine, audited as `score audit` audits a 自评表, with the
bureau's adjustments in place; and the district's summary, gathered as `score batch` gathers it.

A version's inputs are read once per process and kept (versions never change); scoring them takes milliseconds,
so every page shows what the engine says now, never a number stored beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from scorer.audit.model import Audit
from scorer.batch.adjust import bureau_review
from scorer.batch.summary import Moved, Previous, Summary
from scorer.engine.result import Result
from scorer.errors import UserError
from scorer.i18n import say, t
from scorer.inputs.model import Department
from scorer.web import blanks, library
from scorer.web.models import ACCEPTED, SUBMITTED, Filing, Submission
from scorer.web.models import Department as DepartmentRow
from scorer.web.workflow import adjustments


@lru_cache(maxsize=2048)
def _department(version_id: int, inputs: str, year: int, filename: str) -> Department:
    return library.department_of(inputs, year, filename)


def department(version: Submission) -> Department:
    assert version.readable and version.rules_year is not None
    return _department(version.pk, version.inputs, version.rules_year, version.filename)


def own_result(version: Submission) -> Result:
    """The version as the department scored it."""
    return library.rescored(department(version), version.rules_year or 0, {})


def checked_result(filing: Filing, version: Submission) -> Result:
    """The version with the bureau's 复核调整 in force (only the version handed in carries them)."""
    made = adjustments(filing) if filing.submitted_id == version.pk else {}
    return library.rescored(department(version), version.rules_year or 0, made)


@dataclass
class Review:
    own: Result
    checked: Result
    audit: Audit | None
    findings: dict[str, list[str]]  # indicator id → what the audit found at its row
    general: list[str]  # findings at no row (the total, the grade line)
    adjustments: dict[str, tuple[Decimal, str]]
    blank: int = 0  # rows a person scores left without a 自评分 (full marks unseen): never "各项一致"


def review(filing: Filing, version: Submission, folder: Path, lang: str) -> Review:
    own = own_result(version)
    checked = checked_result(filing, version)
    found: Audit | None
    try:
        found = (
            library.audited(own, folder, lang)
            if version.kind != "table"
            else _table_audit(version, folder, lang)
        )
    except UserError:
        found = None
    by_title = {i.title: i.id for i in library.rules_for(own.rules_year).indicators}
    findings: dict[str, list[str]] = {}
    general: list[str] = []
    for finding in found.findings if found else ():
        text = f"{finding.location.line or ''} {say(finding.message, lang)}".strip()
        ident = by_title.get(finding.location.indicator or "")
        (findings.setdefault(ident, []) if ident else general).append(text)
    for ident, notes in blanks.findings(version, lang).items():  # rows the clerk left without a score
        findings.setdefault(ident, []).extend(notes)
    if blank := blanks.unscored(version):
        general.append(t("web.blank.review", lang, count=len(blank)))
    made = adjustments(filing) if filing.submitted_id == version.pk else {}
    return Review(own, checked, found, findings, general, made, len(blank))


def _table_audit(version: Submission, folder: Path, lang: str) -> Audit | None:
    """A 自评表 handed in as it was: its own findings, read again from its bytes."""
    reading = library.read_upload(bytes(version.content), version.filename, "table", folder, lang)
    return reading.audit


def not_handed_in(year: int) -> list[str]:
    """The departments the workplace knows (its roster) that have handed nothing in for `year`: 未提交."""
    counted = {f.department_id for f in handed_in(year)}
    return [d.name for d in DepartmentRow.objects.order_by("name") if d.pk not in counted]


def handed_in(year: int) -> list[Filing]:
    """The filings of `year` that count in the summary: under review or accepted."""
    return list(
        Filing.objects.filter(year=year, status__in=(SUBMITTED, ACCEPTED), submitted__isnull=False)
        .select_related("department", "submitted")
        .order_by("department__name")
    )


def previous(filing: Filing, result: Result) -> Previous | None:
    """The department's latest earlier year handed in, with the rows that moved since (as `score batch --db`)."""
    earlier = (
        Filing.objects.filter(
            department=filing.department,
            year__lt=filing.year,
            submitted__isnull=False,
            status__in=(SUBMITTED, ACCEPTED),
        )  # fmt: skip
        .select_related("submitted")
        .order_by("-year")
        .first()
    )
    if earlier is None or earlier.submitted is None:
        return None
    before = checked_result(earlier, earlier.submitted)
    scores = {i.id: i.score for i in before.indicators}
    moved = tuple(
        Moved(i.id, i.title, scores[i.id], i.score)
        for i in result.indicators
        if i.id in scores and scores[i.id] != i.score
    )
    return Previous(earlier.year, before.total, before.grade, moved)


def summary(year: int, lang: str) -> tuple[Summary, list[tuple[Filing, Result]]]:
    """The district's summary for `year` on the 复核 results, and each filing with its result."""
    gathered, scored, _ = summary_noted(year, lang)
    return gathered, scored


def summary_noted(year: int, lang: str) -> tuple[Summary, list[tuple[Filing, Result]], str]:
    """`summary`, and why the history database (`score serve --history`) could not be read, or ""."""
    from scorer.web.history import last_years

    gathered = Summary(library.rules_for(year), lang)
    scored = []
    with last_years(lang) as history:
        for filing in handed_in(year):
            assert filing.submitted is not None
            result = checked_result(filing, filing.submitted)
            place = f"{filing.department.name}#{filing.submitted.number}"
            given = (
                bureau_review(own_result(filing.submitted), made) if (made := adjustments(filing)) else None
            )
            before = previous(filing, result) or history.previous(result)
            gathered.add(result, place, before, review=given)  # the bureau's 复核调整 kept apart
            scored.append((filing, result))
    gathered.unsubmitted = not_handed_in(year)
    return gathered, scored, history.problem
