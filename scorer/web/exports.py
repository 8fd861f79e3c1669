"""The bureau's exports besides the summary workbook (which `score batch`'s renderer writes): the 复核清单 (one row
a department: status, its own total, the 复核 total, findings, adjustments, comments, who accepted and when) and
every department's 自评表 in one archive.

What departments and the bureau wrote is written as text, never as a formula (`=…` stays text), with control
characters shown escaped, as the library's workbooks do.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from decimal import Decimal

from django.utils.timezone import localtime

from scorer.audit.model import Audit
from scorer.engine.result import Result
from scorer.i18n import t
from scorer.web import library
from scorer.web.models import Adjustment, Filing

EXTRA_COLUMNS = ("web.export.status", "web.export.version", "web.export.handed_in", "web.export.grade",
                 "web.export.adjustments", "web.export.comment", "web.export.decided")  # fmt: skip
EXTRA_WIDTHS = (8, 5, 15, 5, 26, 16, 14)  # with the list's own: one A4 landscape page wide at ≥ 9 pt


def review_list(
    rows: Sequence[tuple[Filing, Result | None, list[Adjustment], Audit | None]], lang: str
) -> bytes:
    """The 复核清单 as `score audit -o 复核清单.xlsx` writes it (scorer/batch/review_formats.py: one row a table,
    a sheet of every finding), with the workflow's columns after its own."""
    from scorer.batch.review import CONSISTENT, FINDINGS, REFUSED, DistrictReview, Reviewed
    from scorer.batch.review_formats import review_workbook

    listed, extra = DistrictReview(), []
    for filing, result, made, found in rows:
        version = filing.submitted
        status = REFUSED if found is None else CONSISTENT if found.consistent else FINDINGS
        listed.rows.append(
            Reviewed(
                version.filename if version else "", filing.department.name,
                Decimal(version.total) if version and version.total else None,
                result.total if result is not None else None, status, found,
            )
        )  # fmt: skip
        extra.append([
            t(f"web.status.{filing.status}", lang), version.number if version else "",
            localtime(version.uploaded_at).strftime("%Y-%m-%d %H:%M") if version else "",
            result.grade if result is not None else "",
            "\n".join(t("web.export.adjusted", lang, row=_name(result, a.indicator, lang), score=a.score,
                        reason=a.reason, by=a.made_by) for a in made),
            filing.comment, _decided(filing),
        ])  # fmt: skip
    return review_workbook(listed, lang, [t(key, lang) for key in EXTRA_COLUMNS], extra, EXTRA_WIDTHS)


def _name(result: Result | None, indicator: str, lang: str) -> str:
    """An indicator as the 自评表 names it (its id only where the rules no longer know it)."""
    found = next((i for i in result.indicators if i.id == indicator), None) if result is not None else None
    if found is None:
        return indicator
    return found.name_en if lang == "en" and found.name_en else found.title


def _decided(filing: Filing) -> str:
    if not filing.decided_at:
        return ""
    return f"{filing.decided_by} {localtime(filing.decided_at).strftime('%Y-%m-%d %H:%M')}"


def tables_archive(results: list[tuple[Filing, Result]], lang: str) -> bytes:
    """Every department's 自评表 (xlsx) in one zip; names are numbered and cleaned, never a path."""
    from scorer.web.views_files import safe_filename

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, (filing, result) in enumerate(results, start=1):
            name = safe_filename(f"{number:03d}-{filing.department.name}-{t('web.file.table', lang)}")
            archive.writestr(f"{name}.xlsx", library.document(result, "xlsx", lang))
    return buffer.getvalue()
