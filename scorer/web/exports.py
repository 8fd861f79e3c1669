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

from scorer.engine.result import Result
from scorer.i18n import t
from scorer.web import library
from scorer.web.models import Adjustment, Filing

COLUMNS = (
    ("web.export.department", 28), ("web.export.status", 10), ("web.export.version", 8), ("web.export.handed_in", 18),
    ("web.export.own_total", 10), ("web.export.checked_total", 10), ("web.export.grade", 8),
    ("web.export.adjustments", 50), ("web.export.comment", 30), ("web.export.decided", 24),
)  # fmt: skip


def review_list(rows: Sequence[tuple[Filing, Result | None, list[Adjustment]]], lang: str) -> bytes:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from scorer.render.xlsx_cells import put, save, workbook

    book = workbook(lang)  # every cell through the one writer: text stays text, escaped, never cut
    sheet = book.active
    assert sheet is not None
    sheet.title = t("web.export.review_sheet", lang)
    for column, (key, width) in enumerate(COLUMNS, start=1):
        put(sheet, 1, column, t(key, lang)).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    for number, (filing, result, made) in enumerate(rows, start=2):
        version = filing.submitted
        values: list[object] = [
            filing.department.name, t(f"web.status.{filing.status}", lang), version.number if version else "",
            localtime(version.uploaded_at).strftime("%Y-%m-%d %H:%M") if version else "",
            Decimal(version.total) if version and version.total else "",
            result.total if result is not None else "", result.grade if result is not None else "",
            "\n".join(t("web.export.adjusted", lang, row=a.indicator, score=a.score, reason=a.reason, by=a.made_by)
                      for a in made),
            filing.comment, _decided(filing),
        ]  # fmt: skip
        for column, value in enumerate(values, start=1):
            put(sheet, number, column, value).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    return save(book)


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
