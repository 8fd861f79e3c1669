"""`score audit` reads a workbook's number only through a format whose display it can compute (General, 0, 0.00,
#,##0.00, 0.00%, a 分 after it); any other format (quoted text, a condition, a colour, a fraction, an exponent,
scaling) is a finding at its cell. So are conditional formatting reaching the table, text a font hides (1 point,
struck through, a white run in a rich text, repeated to fill the cell), and a value under a merged cell in any
column. Each makes the table not consistent (exit 1).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.test_audit_workbook_cells import (
    IMPROVEMENT,
    SCORE,
    _audit,
    _changed,
    _errors,
    _in_xml,
    _one_finding,
    _row,
    written,
)

__all__ = ["written"]  # the fixture: the 自评表 `score run -o` writes, which audits clean
REASON = IMPROVEMENT - 1


@pytest.mark.parametrize(
    "number_format",
    [
        '"0.82"',
        '0.0"2"',
        '[>0.5]"0.82";0.00',
        "# ?/?",
        "[White]0.00",
        "[Color2]0.00",
        "0.00E+00",
        "0.00,",
        "0.00_)",
        "0.00*x",
        '0.00\\"',
    ],
)
def test_a_number_shown_through_a_format_score_cannot_read_back_is_a_finding(
    written: Path, tmp_path: Path, number_format: str
) -> None:
    def shown(book: Any, sheet: Any, row: int) -> None:
        sheet.cell(row=row, column=SCORE).number_format = number_format

    path, title = _changed(written, tmp_path, shown)
    _one_finding(path, "audit.cell.format_unread", f"{title}!H{_row(written)}", "Score", "'0.82'")


@pytest.mark.parametrize("number_format", ["0.00", "#,##0.00", "0.00;-0.00", '0.00"分"', "General", "0.0#"])
def test_a_number_through_a_plain_format_is_read(written: Path, tmp_path: Path, number_format: str) -> None:
    def shown(book: Any, sheet: Any, row: int) -> None:
        sheet.cell(row=row, column=SCORE).number_format = number_format

    code, data = _audit(_changed(written, tmp_path, shown)[0])
    assert code == 0 and _errors(data) == []


def test_conditional_formatting_on_the_table_is_a_finding_at_its_range(written: Path, tmp_path: Path) -> None:
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Font

    def conditional(book: Any, sheet: Any, row: int) -> None:
        rule = CellIsRule(operator="greaterThan", formula=["0"], font=Font(color="FFFFFFFF"))
        sheet.conditional_formatting.add(f"H{row}:H{row + 1}", rule)
        sheet.conditional_formatting.add("Z900", rule)  # reaches no cell: harmless

    path, title = _changed(written, tmp_path, conditional)
    row = _row(written)
    code, data = _audit(path)
    assert code == 1 and data["consistent"] is False
    found = [(k, at) for k, at, _, _ in _errors(data)]
    assert found == [("audit.cell.conditional", f"{title}!H{row}:H{row + 1}")]
    assert "conditional formatting on H" in _errors(data)[0][3]


@pytest.mark.parametrize(
    ("column", "style"),
    [
        (SCORE, {"size": 1}),
        (SCORE, {"size": 3.5}),
        (SCORE, {"strike": True}),
        (REASON, {"size": 0.5}),
        (SCORE, {"fill": True}),
    ],
)
def test_a_cell_whose_font_hides_it_is_a_finding(
    written: Path, tmp_path: Path, column: int, style: dict[str, Any]
) -> None:
    from openpyxl.styles import Alignment, Font

    def restyle(book: Any, sheet: Any, row: int) -> None:
        cell = sheet.cell(row=row, column=column)
        if "fill" in style:
            cell.alignment = Alignment(horizontal="fill")
        else:
            cell.font = Font(size=style.get("size"), strike=style.get("strike"))

    path, title = _changed(written, tmp_path, restyle)
    field = "Score" if column == SCORE else "Reasons for lost points"
    _one_finding(
        path, "audit.cell.font_hides", f"{title}!{'HI'[column - SCORE]}{_row(written)}", field, "font"
    )


@pytest.mark.parametrize("font", [{"color": "FFFFFFFF"}, {"sz": 1}, {"strike": True}])
def test_a_rich_text_with_a_run_its_font_hides_is_a_finding(
    written: Path, tmp_path: Path, font: dict[str, Any]
) -> None:
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    def rich(book: Any, sheet: Any, row: int) -> None:
        cell = sheet.cell(row=row, column=REASON)
        cell.value = CellRichText([TextBlock(InlineFont(**font), "本项不扣分。"), str(cell.value)])

    path, title = _changed(written, tmp_path, rich)
    where = f"{title}!I{_row(written)}"
    _one_finding(path, "audit.cell.font_hides", where, "Reasons for lost points", "本项不扣分。")


def test_a_text_under_a_merged_cell_across_two_rows_is_a_finding(written: Path, tmp_path: Path) -> None:
    row = _row(written) + 1

    def merge(book: Any, sheet: Any, at: int) -> None:
        sheet.merge_cells(start_row=at, start_column=REASON, end_row=at + 1, end_column=REASON)

    path, title = _changed(written, tmp_path, merge)
    hidden = _in_xml(
        path,
        tmp_path / "hidden.xlsx",
        rf'<c r="I{row}"( s="\d+")?[^>]*?(/>|></c>)',
        rf'<c r="I{row}"\1 t="inlineStr"><is><t>不实</t></is></c>',
    )
    code, data = _audit(hidden)
    assert code == 1 and data["consistent"] is False
    assert ("audit.cell.under_merge", f"{title}!I{row}") in [(k, at) for k, at, *_ in _errors(data)]


def test_a_rich_text_run_in_its_cells_fill_colour_is_a_finding(written: Path, tmp_path: Path) -> None:
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.styles import PatternFill

    def rich(book: Any, sheet: Any, row: int) -> None:
        cell = sheet.cell(row=row, column=REASON)
        cell.fill = PatternFill("solid", fgColor="FFFFFF00")
        cell.value = CellRichText([TextBlock(InlineFont(color="FFFFFF00"), "本项不扣分。"), str(cell.value)])

    path, title = _changed(written, tmp_path, rich)
    where = f"{title}!I{_row(written)}"
    _one_finding(path, "audit.cell.font_hides", where, "Reasons for lost points", "本项不扣分。")


def test_white_runs_on_a_dark_fill_are_read(written: Path, tmp_path: Path) -> None:
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.styles import PatternFill

    def rich(book: Any, sheet: Any, row: int) -> None:
        cell = sheet.cell(row=row, column=REASON)
        cell.fill = PatternFill("solid", fgColor="FF000080")
        cell.value = CellRichText([TextBlock(InlineFont(color="FFFFFFFF"), str(cell.value))])

    code, data = _audit(_changed(written, tmp_path, rich)[0])
    assert code == 0 and _errors(data) == []


@pytest.mark.parametrize("index", [1, 9])
def test_a_score_in_the_palettes_white_is_a_finding(written: Path, tmp_path: Path, index: int) -> None:
    from openpyxl.styles import Font
    from openpyxl.styles.colors import Color

    def white(book: Any, sheet: Any, row: int) -> None:
        sheet.cell(row=row, column=SCORE).font = Font(color=Color(indexed=index))

    path, title = _changed(written, tmp_path, white)
    _one_finding(path, "audit.cell.not_shown", f"{title}!H{_row(written)}", "Score", "'0.82'")
