"""What a bureau sends back to each department (`score batch … --return-to 退回/` or `--return-to 退回.zip`).

One workbook per department, written as the batch streams (memory stays flat): its 自评表 in the official layout,
as scored (with the bureau's adjustments in place), and a 复核意见 sheet: the recomputed total and grade (beside
its own total when the bureau adjusted it), and each finding at its row: the notes of the scoring (扣完为止, a
score capped at its weight, …), what auditing a handed-in 自评表 found (at its sheet and cell, its stated total
beside), the bureau's adjustments and the department's own scores, each with its reason. A
department that could not be scored gets a 复核意见 sheet listing why, so that no department is left without an
answer.

Every name in the folder or the archive is made here from the department's input order and its name reduced to
letters, digits and a few marks (no separator, no dot at either end, at most 60 characters), so no name from a
file can lead out of the folder. The folder is checked by the command's file plan (scorer/sources/file_plan.py:
new or empty, not read as input, not inside the rules, no other output in it), filled as a hidden sibling of its
own and renamed into place at the end; the archive is written to a temporary file and renamed, as every output.
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scorer.batch.adjust import Review, overrides_of
from scorer.errors import Location, Problem, UserError
from scorer.escape import one_line
from scorer.facts import fact
from scorer.i18n import say, t
from scorer.render.common import department_named
from scorer.render.problems import field_words, lines

if TYPE_CHECKING:
    from scorer.audit.model import Finding
    from scorer.batch.stream import Scored
    from scorer.sources.file_plan import FilePlan

NAME_LIMIT = 60
_UNSAFE = re.compile(r"[^\w\u3000-\u303f\uff08\uff09()\-\u00b7 ]+")


def safe_name(text: str) -> str:
    """A department's name as a file name: letters, digits (any script), spaces, () （） - · and _ only."""
    name = _UNSAFE.sub("_", one_line(text)).strip(" ._")
    return name[:NAME_LIMIT].strip(" ._") or "_"


@dataclass
class Returns:
    """Where each department's workbook goes: a folder filled under a hidden name, or an archive."""

    target: Path
    plan: FilePlan
    lang: str
    count: int = 0
    _folder: Path | None = None
    _archive: Any = None
    _handle: Any = None
    _temporary: Path | None = None
    names: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        parent = self.target.resolve().parent
        self._temporary = parent / f".score-{os.urandom(6).hex()}.tmp"
        try:
            if self.target.suffix.lower() == ".zip":
                self._handle = open(self._temporary, "xb")  # noqa: SIM115
                self._archive = zipfile.ZipFile(self._handle, "w", zipfile.ZIP_DEFLATED)
            else:
                os.mkdir(self._temporary, 0o700)
                self._folder = self._temporary
        except OSError as exc:
            raise UserError.at(
                Location(str(self.target)), fact("output.cannot_write", why=str(exc))
            ) from None

    def scored(self, outcome: Scored) -> None:
        """A department's 自评表 as scored (re-scored, when it handed one in) and its 复核意见."""
        from scorer.render.xlsx import fill
        from scorer.render.xlsx_cells import save, workbook

        book = workbook(self.lang)
        table = book.active
        assert table is not None
        table.title = t("xlsx.sheet", self.lang)
        result = outcome.result
        fill(table, result, self.lang)
        opinion(book.create_sheet(t("returns.sheet", self.lang)), outcome, self.lang)
        self._add(department_named(result, self.lang), save(book))  # with its project's name, where given

    def refused(self, place: str, problems: tuple[Problem, ...]) -> None:
        from scorer.render.xlsx_cells import save, workbook

        book = workbook(self.lang)
        sheet = book.active
        assert sheet is not None
        sheet.title = t("returns.sheet", self.lang)
        refusal(sheet, place, problems, self.lang)
        self._add(t("returns.refused_name", self.lang, source=Path(place.split(":")[0]).stem), save(book))

    def _add(self, wanted: str, data: bytes) -> None:
        self.count += 1
        name = f"{self.count:04d} {safe_name(wanted)}.xlsx"
        self.names.append(name)
        try:
            if self._archive is not None:
                self._archive.writestr(name, data)
                return
            assert self._folder is not None
            handle = os.open(self._folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(handle, "wb") as out:
                out.write(data)
        except OSError as exc:
            self.discard()
            raise UserError.at(
                Location(str(self.target)), fact("output.cannot_write", why=str(exc))
            ) from None

    def finish(self) -> None:
        """Put the folder or the archive in place, checked once more against every input and output."""
        assert self._temporary is not None
        self.plan.check_before_writing(self.target)
        target = self.target.resolve()
        try:
            if self._archive is not None:
                self._archive.close()
                self._handle.close()
                os.chmod(self._temporary, 0o666 & ~_umask())
                os.replace(self._temporary, target)
                return
            for entry in os.scandir(self._temporary):
                os.chmod(entry.path, 0o666 & ~_umask())
            os.chmod(self._temporary, 0o777 & ~_umask())
            if target.is_dir():
                target.rmdir()  # empty, as the plan checked: nothing in it is lost
            os.rename(self._temporary, target)
        except OSError as exc:
            self.discard()
            raise UserError.at(
                Location(str(self.target)), fact("output.cannot_write", why=str(exc))
            ) from None

    def discard(self) -> None:
        if self._archive is not None:
            self._archive.close()
            self._handle.close()
        if self._temporary is not None and self._temporary.is_dir():
            shutil.rmtree(self._temporary, ignore_errors=True)
        elif self._temporary is not None:
            self._temporary.unlink(missing_ok=True)


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def opinion(sheet: Any, outcome: Scored, lang: str) -> None:
    """The 复核意见 sheet: the recomputed score (and the total a handed-in 自评表 states), then each finding at
    its row: the result's notes, what auditing the 自评表 found (at its cell), the adjustments, the overrides."""
    from scorer.batch.report.common import shown

    def number(value: object) -> object:
        return "" if value is None else value  # a number stays a number in the workbook

    result, review = outcome.result, outcome.review or Review(overrides_of(outcome.result))
    names = {i.id: (i.name_en if lang == "en" and i.name_en else i.title) for i in result.indicators}
    scores = {i.id: i.score for i in result.indicators}
    rows: list[list[object]] = [
        [names[i.id], t("returns.note", lang), number(i.score), "", say(note, lang)]
        for i in result.indicators
        for note in i.notes
    ]
    rows += _audited(outcome.findings, names, lang)
    rows += [[names.get(a.indicator, a.indicator), t("batch.given.adjustment", lang), number(a.own), number(a.score),
              a.reason] for a in review.adjustments]  # fmt: skip
    rows += [[names.get(o.indicator, o.indicator), t("batch.given.override", lang), number(scores.get(o.indicator)),
              "", o.reason] for o in review.overrides]  # fmt: skip
    head = [t("returns.title", lang, department=result.department, year=result.year)]
    totals = [t("returns.total", lang, total=shown(result.total), grade=result.grade)]
    if outcome.stated is not None:
        totals.append(t("returns.stated_total", lang, total=shown(outcome.stated)))
    if review.unadjusted_total is not None:
        totals.append(t("returns.unadjusted_total", lang, total=shown(review.unadjusted_total)))
    heads = [t("batch.indicator", lang), t("batch.given.kind", lang), t("batch.given.own", lang),
             t("returns.rescored", lang), t("returns.finding", lang)]  # fmt: skip
    if not rows:
        rows = [["", "", "", "", t("returns.no_findings", lang)]]
    _write(sheet, head + totals, heads, rows, (22, 12, 9, 9, 42), lang)


def _audited(findings: tuple[Finding, ...], names: dict[str, str], lang: str) -> list[list[object]]:
    """What auditing a handed-in 自评表 found, one row each, with the sheet and cell (or line) it stands at."""
    rows: list[list[object]] = []
    for finding in findings:
        where = finding.location
        row = names.get(
            where.indicator or "", where.indicator or field_words(where, lang) or t("audit.list.sheet", lang)
        )
        said = say(finding.message, lang)
        text = said
        if where.line:  # a workbook's sheet and cell, or a pasted table's line
            at = "returns.at_line" if str(where.line).isdigit() else "returns.at_cell"
            text = t(at, lang, cell=one_line(str(where.line)), message=said)
        rows.append([row, t("returns.audited", lang), "", "", text])
    return rows


def refusal(sheet: Any, place: str, problems: tuple[Problem, ...], lang: str) -> None:
    rows: list[list[object]] = [[text] for text in lines(problems, lang)]
    _write(
        sheet,
        [t("returns.refused_title", lang, source=one_line(place))],
        [t("batch.problem", lang)],
        rows,
        (110,),
        lang,
    )


def _write(
    sheet: Any,
    lines: list[str],
    heads: list[str],
    rows: list[list[object]],
    widths: tuple[int, ...],
    lang: str,
) -> None:
    """Lines of text, then a bordered table; A4 portrait, as wide as the page, in a readable font."""
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    from scorer.render.xlsx_cells import put

    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    for row, line in enumerate(lines, start=1):
        put(sheet, row, 1, line).font = Font(name="SimSun", size=12 if row == 1 else 10, bold=row == 1)
    first = len(lines) + 2
    for column, (head, width) in enumerate(zip(heads, widths, strict=True), start=1):
        cell = put(sheet, first, column, head)
        cell.font, cell.border = Font(name="SimSun", size=10, bold=True), box
        sheet.column_dimensions[get_column_letter(column)].width = width
    for offset, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            cell = put(sheet, first + offset, column, value)
            cell.font, cell.border = Font(name="SimSun", size=10), box
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(value, Decimal):
                cell.number_format = "0.00"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{first}:{first}"
    sheet.oddFooter.center.text = t("batch.print_page", lang, page="&P", pages="&N")
