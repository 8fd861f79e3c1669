"""`score audit` reads a workbook as Excel shows it, and says where it cannot: a formula Excel never computed, a
value under a merged cell or in a hidden row or column, an error value, a number its format shows rounded, the
table on a hidden sheet. Each is a finding at its sheet and cell, and the table is not consistent (exit 1).

The workbooks are the 自评表 `score run -o` writes for an example (which audits clean), with one thing changed by
openpyxl, or, where openpyxl cannot write it (a value under a merged cell, a formula's computed value), in the
sheet's XML itself.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from cli import app
from tests.conftest import EXAMPLES, ROOT

ROW = "合同备案时效性"  # its score (column H) is 0.82; its reason (I) and improvement (J) are filled
SCORE, IMPROVEMENT = 8, 10
COMMAND = [
    sys.executable,
    "-c",
    "import sys; sys.path.insert(0, sys.argv.pop(1)); import cli; cli.main()",
    str(ROOT),
]


def _audit(path: Path) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(app, ["audit", str(path), "-f", "json"])
    return result.exit_code, json.loads(result.stdout)


def _errors(data: dict[str, Any]) -> list[tuple[str, str, str | None, str]]:
    return [
        (f["key"], f["line"], f["field"], f["message"])
        for table in data["tables"]
        for f in table["findings"]
        if f["severity"] == "error"
    ]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("written") / "自评表.xlsx"
    result = CliRunner().invoke(
        app, ["run", str(EXAMPLES / "2022-zhengwu-fuwu.yaml"), "-o", str(path), "--lang", "zh"]
    )
    assert result.exit_code == 0, result.stderr
    code, data = _audit(path)
    assert code == 0 and _errors(data) == []
    return path


def _changed(written: Path, tmp_path: Path, change: Callable[[Any, Any, int], None]) -> tuple[Path, str]:
    """The workbook with `change(book, sheet, row of ROW)` made; the file and the sheet's title."""
    book = load_workbook(written)
    sheet = book.active
    row = next(c.row for r in sheet.iter_rows() for c in r if c.value == ROW)
    change(book, sheet, row)
    path = tmp_path / "changed.xlsx"
    book.save(path)
    return path, sheet.title


def _row(written: Path) -> int:
    sheet = load_workbook(written).active
    return next(c.row for r in sheet.iter_rows() for c in r if c.value == ROW)


def _in_xml(source: Path, target: Path, pattern: str, replacement: str) -> Path:
    """`source` with its first sheet's XML changed: `pattern` (a regular expression) must be found."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text, count = re.subn(pattern, replacement, data.decode("utf-8"), count=1)
                assert count == 1, pattern
                data = text.encode("utf-8")
            zout.writestr(item, data)
    return target


def _one_finding(path: Path, key: str, where: str, field: str | None, words: str) -> None:
    code, data = _audit(path)
    assert code == 1 and data["consistent"] is False
    found = [(k, at, what) for k, at, what, message in _errors(data) if k == key and words in message]
    assert found == [(key, where, field)], _errors(data)


def test_a_formula_excel_never_computed_is_a_finding_at_its_cell(written: Path, tmp_path: Path) -> None:
    def formula(book: Any, sheet: Any, row: int) -> None:
        sheet.cell(row=row, column=SCORE).value = "=1-0.18"  # openpyxl writes no computed value

    path, title = _changed(written, tmp_path, formula)
    _one_finding(path, "audit.cell.uncomputed", f"{title}!H{_row(written)}", "Score", "(=1-0.18)")


def test_an_uncomputed_total_is_a_finding_not_a_table_read_in_part(written: Path, tmp_path: Path) -> None:
    def formula(book: Any, sheet: Any, row: int) -> None:
        total = next(c for r in sheet.iter_rows() for c in r if c.value == "总分")
        sheet.cell(row=total.row, column=SCORE).value = f"=SUM(H12:H{total.row - 1})"

    path, title = _changed(written, tmp_path, formula)
    code, data = _audit(path)
    assert code == 1 and data["refused"] == []
    assert [(k, what) for k, _, what, _ in _errors(data)] == [("audit.cell.uncomputed", "Total")]


def test_a_formula_with_the_value_excel_computed_reads_as_that_value(written: Path, tmp_path: Path) -> None:
    def formula(book: Any, sheet: Any, row: int) -> None:
        sheet.cell(row=row, column=SCORE).value = "=1-0.18"

    path, _ = _changed(written, tmp_path, formula)
    computed = _in_xml(
        path, tmp_path / "computed.xlsx", r"<f>1-0.18</f><v\s*/?>(</v>)?", "<f>1-0.18</f><v>0.82</v>"
    )
    code, data = _audit(computed)
    assert code == 0 and _errors(data) == []
    wrong = _in_xml(
        path, tmp_path / "wrong.xlsx", r"<f>1-0.18</f><v\s*/?>(</v>)?", "<f>1-0.18</f><v>0.83</v>"
    )
    code, data = _audit(wrong)
    assert code == 1 and "audit.formula" in {k for k, *_ in _errors(data)}


def test_a_value_hidden_under_a_merged_cell_is_a_finding(written: Path, tmp_path: Path) -> None:
    row = _row(written)

    def merge(book: Any, sheet: Any, at: int) -> None:
        sheet.merge_cells(start_row=at, start_column=IMPROVEMENT - 1, end_row=at, end_column=IMPROVEMENT)

    path, title = _changed(written, tmp_path, merge)  # openpyxl drops the improvement under the merge …
    hidden = _in_xml(  # … which the file can still hold
        path,
        tmp_path / "hidden.xlsx",
        rf'<c r="J{row}"( s="\d+")?[^>]*?(/>|></c>)',
        rf'<c r="J{row}"\1 t="inlineStr"><is><t>按规定进行备案公开</t></is></c>',
    )
    _one_finding(hidden, "audit.cell.under_merge", f"{title}!J{row}", "Improvements", "'按规定进行备案公开'")


def test_a_value_in_a_hidden_row_is_one_finding_for_the_row(written: Path, tmp_path: Path) -> None:
    def hide(book: Any, sheet: Any, row: int) -> None:
        sheet.row_dimensions[row].hidden = True

    path, title = _changed(written, tmp_path, hide)
    code, data = _audit(path)
    assert code == 1
    hidden = [(at, message) for k, at, _, message in _errors(data) if k == "audit.cell.hidden"]
    assert (
        len(hidden) == 1 and hidden[0][0].startswith(f"{title}!") and "'合同备案时效性 | 1 | " in hidden[0][1]
    )


def test_a_hidden_column_is_one_finding(written: Path, tmp_path: Path) -> None:
    def hide(book: Any, sheet: Any, row: int) -> None:
        sheet.column_dimensions["J"].hidden = True

    path, _ = _changed(written, tmp_path, hide)
    code, data = _audit(path)
    assert code == 1 and [k for k, *_ in _errors(data)] == ["audit.cell.hidden"]


def test_an_error_value_is_a_finding_not_a_text(written: Path, tmp_path: Path) -> None:
    def error(book: Any, sheet: Any, row: int) -> None:
        sheet.cell(row=row, column=SCORE).value = "#DIV/0!"

    path, title = _changed(written, tmp_path, error)
    _one_finding(path, "audit.cell.error_value", f"{title}!H{_row(written)}", "Score", "#DIV/0!")


@pytest.mark.parametrize(
    ("number_format", "consistent"), [("0.0", False), ("0.00", True), ('0.00"分"', True)]
)
def test_a_number_is_read_as_its_format_shows_it(
    written: Path, tmp_path: Path, number_format: str, consistent: bool
) -> None:
    def shown(book: Any, sheet: Any, row: int) -> None:
        sheet.cell(row=row, column=SCORE).number_format = number_format

    path, title = _changed(written, tmp_path, shown)
    if consistent:
        code, data = _audit(path)
        assert code == 0 and _errors(data) == []
    else:  # 0.82 prints as 0.8
        _one_finding(path, "audit.cell.shown_rounded", f"{title}!H{_row(written)}", "Score", "holds 0.82")


def test_a_table_found_only_on_a_hidden_sheet_is_a_finding(written: Path, tmp_path: Path) -> None:
    def hide(book: Any, sheet: Any, row: int) -> None:
        cover = book.create_sheet("封面", 0)
        cover["A1"] = "封面"
        book.active = 0
        sheet.sheet_state = "hidden"

    path, title = _changed(written, tmp_path, hide)
    _one_finding(path, "audit.cell.hidden_sheet", f"{title}!A1", None, f"'{title}'")


def test_a_hidden_copy_of_the_table_makes_the_workbook_ambiguous(written: Path, tmp_path: Path) -> None:
    def hidden_copy(book: Any, sheet: Any, row: int) -> None:
        copy = book.copy_worksheet(sheet)
        copy.cell(row=row, column=SCORE).value = 0.5
        copy.sheet_state = "hidden"
        book.move_sheet(copy, offset=-1)

    path, _ = _changed(written, tmp_path, hidden_copy)
    _several_tables(path)


@pytest.mark.parametrize(
    ("pattern", "replacement"),
    [
        (r'<c r="J(\d+)" s="(\d+)"', r'<c r="J\1" s="\2" s="\2"'),  # a duplicate attribute: not XML
        (r"<sheetData>", '<sheetData><row r="x">'),  # a row numbered x
        (r"</sheetData>.*", ""),  # cut short
    ],
    ids=["duplicate-attribute", "row-number-not-a-number", "truncated"],
)
def test_a_damaged_sheet_is_refused_with_a_message_not_a_crash(
    written: Path, tmp_path: Path, pattern: str, replacement: str
) -> None:
    damaged = _in_xml(written, tmp_path / "damaged.xlsx", pattern, replacement)
    result = CliRunner().invoke(app, ["audit", str(damaged)])
    assert result.exit_code == 1, result.output
    assert (
        "cannot be read as an Excel workbook (.xlsx)" in result.stderr
        or "the workbook is damaged" in result.stderr
    ) and "internal error" not in result.stderr


@pytest.mark.parametrize(
    ("column", "style", "key"),
    [
        (SCORE, {"number_format": ";;;"}, "audit.cell.not_shown"),
        (SCORE + 1, {"font": ("FFFFFF", None)}, "audit.cell.not_shown"),
        (SCORE + 1, {"font": ("FFFF00", "FFFF00")}, "audit.cell.not_shown"),
        (SCORE + 1, {"font": ("FFFFFF", "000000")}, None),  # white on black is shown
        (SCORE, {"value": "2022-01-05", "number_format": "yyyy-mm-dd"}, "audit.cell.not_a_number"),
    ],
    ids=["format-shows-nothing", "white-text", "yellow-on-yellow", "white-on-black", "a-date"],
)
def test_a_cell_its_format_or_colour_hides_is_a_finding(
    written: Path, tmp_path: Path, column: int, style: dict[str, Any], key: str | None
) -> None:
    from datetime import date

    from openpyxl.styles import Font, PatternFill

    def restyle(book: Any, sheet: Any, row: int) -> None:
        cell = sheet.cell(row=row, column=column)
        if "value" in style:
            cell.value = date.fromisoformat(style["value"])
        if "number_format" in style:
            cell.number_format = style["number_format"]
        if "font" in style:
            text, fill = style["font"]
            cell.font = Font(color=text)
            if fill:
                cell.fill = PatternFill("solid", fgColor=fill)

    path, title = _changed(written, tmp_path, restyle)
    code, data = _audit(path)
    if key is None:
        assert code == 0 and _errors(data) == []
    else:
        where = f"{title}!{'HI'[column - SCORE]}{_row(written)}"
        assert code == 1 and key in {k for k, at, *_ in _errors(data) if at == where}, _errors(data)


def test_a_zero_its_format_leaves_blank_is_not_read_as_a_zero(written: Path, tmp_path: Path) -> None:
    def zero(book: Any, sheet: Any, row: int) -> None:
        cell = next(c for r in sheet.iter_rows() for c in r if c.value == "资产配置合规性")
        score = sheet.cell(row=cell.row, column=SCORE)
        score.value, score.number_format = 0, "0;-0;;@"

    path, _ = _changed(written, tmp_path, zero)
    code, data = _audit(path)
    assert code == 1 and "audit.cell.not_shown" in {k for k, *_ in _errors(data)}


@pytest.mark.parametrize("stored", ["1e400", "-1e400", "123456789012345678901234567890"])
def test_a_number_beyond_what_a_table_holds_is_a_finding_not_a_crash(
    written: Path, tmp_path: Path, stored: str
) -> None:
    row = _row(written)
    path = _in_xml(
        written,
        tmp_path / "huge.xlsx",
        rf'<c r="H{row}"([^>]*)><v>[^<]*</v></c>',
        rf'<c r="H{row}"\1><v>{stored}</v></c>',
    )
    code, data = _audit(path)
    assert code == 1
    assert [(k, at) for k, at, *_ in _errors(data) if k == "audit.cell.not_a_number"] == [
        ("audit.cell.not_a_number", f"{load_workbook(written).active.title}!H{row}")
    ]


def test_a_second_visible_sheet_with_a_table_makes_the_workbook_ambiguous(
    written: Path, tmp_path: Path
) -> None:
    def last_year(book: Any, sheet: Any, row: int) -> None:
        copy = book.copy_worksheet(sheet)
        copy.title = "2021年"

    path, _ = _changed(written, tmp_path, last_year)
    _several_tables(path)


def _several_tables(path: Path) -> None:
    """A workbook with a second table (a hidden copy, last year's sheet) is refused: which one a department
    meant is not the reader's guess."""
    result = CliRunner().invoke(app, ["audit", str(path)])
    assert result.exit_code == 1, result.output
    assert f"{path}: the workbook holds more than one indicator table (on sheets" in result.stderr


def test_a_merged_range_over_the_whole_sheet_is_read_as_far_as_the_cells_go(
    written: Path, tmp_path: Path
) -> None:
    """A1:XFD1048576 covers seventeen billion cells: taken only as far as the table's, it hides all but A1."""
    path = _in_xml(
        written,
        tmp_path / "giant.xlsx",
        r'<mergeCells count="\d+">',
        '<mergeCells count="99"><mergeCell ref="A1:XFD1048576"/>',
    )
    done = subprocess.run([*COMMAND, "audit", str(path)], capture_output=True, timeout=60)
    assert done.returncode == 1 and b"no indicator table found" in done.stderr


def test_a_sheet_of_more_merged_ranges_than_a_table_has_is_refused(written: Path, tmp_path: Path) -> None:
    ranges = "".join(f'<mergeCell ref="K{i}:L{i}"/>' for i in range(1, 10_002))
    path = _in_xml(
        written, tmp_path / "merges.xlsx", r'<mergeCells count="\d+">', f'<mergeCells count="1">{ranges}'
    )
    result = CliRunner().invoke(app, ["audit", str(path)])
    assert (
        result.exit_code == 1 and "the sheet has more than 10000 merged ranges: not a 自评表" in result.stderr
    )


@pytest.mark.parametrize(
    "target", ["/xl/worksheets/sheet1.xml", "./worksheets/sheet1.xml", "worksheets/../worksheets/sheet1.xml"]
)
def test_a_hidden_row_is_found_however_the_workbook_names_its_sheet_part(
    written: Path, tmp_path: Path, target: str
) -> None:
    """The layout is read from the sheet's own XML part, named by the workbook's relationship as written: from
    the package's root, or through `./` and `../`."""

    def hide(book: Any, sheet: Any, row: int) -> None:
        sheet.row_dimensions[row].hidden = True

    hidden, _ = _changed(written, tmp_path, hide)
    path = tmp_path / "renamed.xlsx"
    with zipfile.ZipFile(hidden) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/_rels/workbook.xml.rels":
                text, count = re.subn(
                    r'Target="/?(xl/)?worksheets/sheet1\.xml"', f'Target="{target}"', data.decode()
                )
                assert count == 1
                data = text.encode()
            zout.writestr(item, data)
    code, data = _audit(path)
    assert code == 1
    assert [k for k, *_ in _errors(data) if k == "audit.cell.hidden"] == ["audit.cell.hidden"], _errors(data)
