"""Documents others open stay inert and whole: every XLSX, DOCX, CSV and HTML a command writes carries the text
of a file as exactly that text (escaped where a format cannot carry a character), never as a formula, an error
value, markup or a cut. Each format is read back with its own reader (openpyxl, python-docx, csv, html.parser)."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

from cli import app
from scorer.escape import visible
from scorer.inputs.columns import columns
from scorer.render.csv_cells import cell, document
from scorer.render.xlsx_cells import CELL_LIMIT, put_formula, units
from scorer.rules.read import load_rules

from .conftest import ROOT, VALID_INPUTS

runner = CliRunner()
SCORE = [
    sys.executable,
    "-c",
    "import sys; sys.path.insert(0, sys.argv.pop(1)); import cli; cli.main()",
    str(ROOT),
]

# Texts a department may write that a spreadsheet, Word or a browser would otherwise act on or choke on.
NAME = '=HYPERLINK("http://evil","点我")\x01\x1b[31m\ufffe'
REASONS = ["#N/A", "#REF!", "@SUM(A1)", "-2+3", "+1", "\tx", "a\ufffeb\uffffc\x0bd\u2028e"]


def yaml_text(value: str) -> str:
    """`value` as a YAML double-quoted scalar, every character beyond printable ASCII escaped."""
    escaped = (
        char
        if " " <= char <= "~" and char not in '"\\'
        else f"\\u{ord(char):04x}"
        if ord(char) < 0x10000
        else f"\\U{ord(char):08x}"
        for char in value
    )
    return '"' + "".join(escaped) + '"'


def hostile_inputs(
    tmp_path: Path, name: str = NAME, reasons: list[str] | None = None, file: str = "d.yaml"
) -> Path:
    text = VALID_INPUTS.replace("department: 测试部门", f"department: {yaml_text(name)}")
    text += "  pm_system_execution:\n    deductions:\n"
    for reason in reasons if reasons is not None else REASONS:
        text += (
            f"      - {{points: 0.1, reason: {yaml_text(reason)}, improvement: {yaml_text('=' + reason)}}}\n"
        )
    path = tmp_path / file
    path.write_text(text, encoding="utf-8")
    return path


def invoke(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    return result


def texts(path: Path) -> list[Any]:
    """Every cell of every sheet that holds something: (sheet, coordinate, value, data type)."""
    book = openpyxl.load_workbook(path)
    return [
        (sheet.title, c.coordinate, c.value, c.data_type)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for c in row
        if c.value is not None
    ]


def _preview(cell: tuple[str, str, Any, str]) -> bool:
    """The one formula `score` writes: a formula row's 自评分 in the clerk's workbook, over that sheet's cells."""
    sheet, where, formula, _ = cell
    texts = set(re.findall(r'"[^"]*"', formula))
    return (
        sheet in ("指标", "Indicators")
        and where.startswith("J")
        and "!" not in formula
        and texts <= {'""', '"format"', '"P"'}
    )


def test_the_one_writer_writes_no_formula_but_a_computed_score() -> None:
    sheet = openpyxl.Workbook().active
    assert sheet is not None
    put_formula(sheet, 1, 1, '=IFERROR(ROUND(MAX(0,MIN(1,$I$5/$I$6)),2),"")')
    put_formula(sheet, 1, 1, "=ROUND('Sheet'!$C$9,2)")  # a cell of another sheet of this workbook
    for hostile in (
        "='Nope'!$C$9",
        "='Sheet'!$C$9:$C$10",
        "='[1]Sheet'!$C$9",
        "='Sheet'!C9",
        "=Sheet!$C$9!$A$1",
    ):
        with pytest.raises(ValueError):
            put_formula(sheet, 1, 1, hostile)
    for hostile in ('=HYPERLINK("http://evil","x")', "=Sheet2!$A$1", "=[1]Sheet1!$A$1", '=IF(1,"text","")',
                    "=WEBSERVICE($A$1)", "=secret", "=INDIRECT($A$1)", "=A1:B2", '=CELL("contents",$A$1)'):  # fmt: skip
        with pytest.raises(ValueError):
            put_formula(sheet, 1, 1, hostile)


def test_workbooks_of_run_batch_and_template_hold_file_text_as_text(tmp_path: Path) -> None:
    inputs = hostile_inputs(tmp_path)
    written = {
        "run": (tmp_path / "run.xlsx", ["run", str(inputs), "--rules", "2022", "-o", str(tmp_path / "run.xlsx")]),
        "batch": (tmp_path / "b.xlsx", ["batch", str(inputs), "--rules", "2022", "--sheets", "-o", str(tmp_path / "b.xlsx")]),
        "template": (tmp_path / "t.xlsx", ["template", "--rules", "2022", "--from", str(inputs), "-o", str(tmp_path / "t.xlsx")]),
    }  # fmt: skip
    for command, (target, args) in written.items():
        result = invoke(*args)
        assert result.exit_code == 0, (command, result.output)
        cells = texts(target)
        assert [c for c in cells if c[3] == "e" or (c[3] == "f" and not _preview(c))] == [], command
        values = [str(c[2]) for c in cells]
        assert any(visible(NAME) in value for value in values), command
        for reason in REASONS if command != "template" else REASONS[:1]:  # the workbook has a row a deduction
            assert any(visible(reason) in value for value in values), (command, reason)
            assert any(visible("=" + reason) in value for value in values), (command, reason)
    run_cells = {c[1]: c[2] for c in texts(tmp_path / "run.xlsx")}
    assert run_cells["B3"] == '=HYPERLINK("http://evil","点我")\\x01\\x1b[31m\\ufffe'
    assert (
        "\n".join(visible(reason.strip()) for reason in REASONS) in run_cells.values()
    )  # the reasons, in I20


def test_rule_file_words_in_workbooks_are_text(rules_copy: Callable[..., Path], tmp_path: Path) -> None:
    rules = rules_copy(
        {
            "rubric.yaml": ("title: 部门整体支出绩效自评表", "title: \"=cmd|' /C calc'!A0\""),
            "indicators/budget_execution.yaml": ("label: 年度平均预算执行率", 'label: "#N/A"'),
        }
    )
    for args, target in (
        (["template", "--rules", str(rules), "-o"], tmp_path / "t.xlsx"),
        (["template", "--batch", "--rules", str(rules), "-o"], tmp_path / "b.xlsx"),
    ):
        result = invoke(*args, str(target))
        assert result.exit_code == 0, result.output
        cells = texts(target)
        assert [c for c in cells if c[3] == "e" or (c[3] == "f" and not _preview(c))] == []
        assert any("#N/A" in str(c[2]) for c in cells)
    assert any("=cmd|' /C calc'!A0" in str(c[2]) for c in texts(tmp_path / "t.xlsx"))


def _reassembled(path: Path, sheet: str, coordinate: str) -> str:
    """A long text read back: the cell's beginning (its note taken off) and its parts on the continuation sheet."""
    book = openpyxl.load_workbook(path)
    first = book[sheet][coordinate].value
    assert isinstance(first, str) and units(first) <= CELL_LIMIT
    beginning, note = first.rsplit("\n", 1)
    assert "continues on sheet “Continued”" in note
    rest = book["Continued"]
    parts = [
        (row[1].value, row[2].value)
        for row in rest.iter_rows(min_row=2)
        if row[0].value == f"{sheet}!{coordinate}"
    ]
    assert all(units(part) <= CELL_LIMIT for _, part in parts)
    assert [p for p, _ in parts] == [f"{n}/{len(parts) + 1}" for n in range(2, len(parts) + 2)]
    return beginning + "".join(part for _, part in parts)


def test_a_text_longer_than_a_cell_is_carried_whole(tmp_path: Path) -> None:
    # 𠀀 is beyond the BMP (Excel counts it twice) and ESC is written as four characters: 72,000 of Excel's.
    long_reason = "理由𠀀x\x1b" * 8_000
    inputs = hostile_inputs(tmp_path, "测试部门", [long_reason])
    target = tmp_path / "run.xlsx"
    assert invoke("run", str(inputs), "--rules", "2022", "-o", str(target)).exit_code == 0
    assert _reassembled(target, "Self-evaluation", "I20") == visible(long_reason)
    batch = tmp_path / "b.xlsx"
    assert invoke("batch", str(inputs), "--rules", "2022", "--sheets", "-o", str(batch)).exit_code == 0
    department = openpyxl.load_workbook(batch).sheetnames[-2]  # the continuation sheet comes last
    assert _reassembled(batch, department, "I20") == visible(long_reason)


def test_a_text_too_long_for_the_input_workbook_is_refused_at_its_line(tmp_path: Path) -> None:
    inputs = hostile_inputs(tmp_path, "测试部门", ["x" * 40_000])
    result = invoke("template", "--rules", "2022", "--from", str(inputs), "-o", str(tmp_path / "t.xlsx"))
    assert result.exit_code == 1
    assert (
        "d.yaml:14: [pm_system_execution] reason: this text is 40,000 characters long, more than an Excel cell "
        "holds (32,767)" in result.stderr
    )
    assert not (tmp_path / "t.xlsx").exists()


def test_the_report_holds_what_word_cannot_carry_escaped(tmp_path: Path) -> None:
    inputs = hostile_inputs(tmp_path)
    target = tmp_path / "r.docx"
    result = invoke("report", str(inputs), "--rules", "2022", "-o", str(target))
    assert result.exit_code == 0, result.output
    paragraphs = [p.text for p in docx.Document(str(target)).paragraphs]
    assert paragraphs[0].startswith('=HYPERLINK("http://evil","点我")\\x01\\x1b[31m\\ufffe')
    assert any("=a\\ufffeb\\uffffc\\x0bd\\u2028e" in p for p in paragraphs)


def test_the_report_writer_is_linear_in_the_number_of_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """python-docx's add_paragraph searches the body from its first paragraph each time (the work grows with the
    square of the lines); the report appends before the section's end in constant time. The elements searched
    are counted: twenty times the lines, about twenty times the search (not four hundred)."""
    from docx.oxml.xmlchemy import BaseOxmlElement

    from scorer.render.options import RenderOptions
    from scorer.render.report_docx import render
    from scorer.run import score_file

    searched = {"elements": 0}
    original = BaseOxmlElement.first_child_found_in

    def counting(self: Any, *tagnames: str) -> Any:
        searched["elements"] += len(self)
        return original(self, *tagnames)

    monkeypatch.setattr(BaseOxmlElement, "first_child_found_in", counting)
    work = []
    for lines in (200, 4_000):
        inputs = hostile_inputs(tmp_path, "测试部门", ["原因\n" * lines], f"{lines}.yaml")
        result, _ = score_file(inputs, "2022")
        searched["elements"] = 0
        render(result, RenderOptions("zh"))
        work.append(searched["elements"])
    assert work[1] < 40 * work[0]


def test_a_megabyte_reason_makes_a_report_in_seconds(tmp_path: Path) -> None:
    inputs = tmp_path / "d.yaml"
    reason = "原因写在这里\n" * 60_000  # over a megabyte of UTF-8 text, 60,000 lines
    inputs.write_text(VALID_INPUTS + "  pm_system_execution:\n    deductions:\n      - points: 1\n        reason: |\n"
                      + "".join(f"          {line}\n" for line in reason.splitlines()), encoding="utf-8")  # fmt: skip
    done = subprocess.run(
        [*SCORE, "report", str(inputs), "--rules", "2022", "-o", str(tmp_path / "r.docx")],
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    paragraphs = docx.Document(str(tmp_path / "r.docx")).paragraphs
    assert sum(1 for p in paragraphs if p.text.startswith("原因写在这里")) >= 59_999


def test_csv_cells_that_a_spreadsheet_would_run_start_with_an_apostrophe(tmp_path: Path) -> None:
    names = ["=1+2", "+SUM(A1)", "-2+3", "@A1", "\tx", "普通部门", "#N/A"]
    folder = tmp_path / "in"
    folder.mkdir()
    for number, name in enumerate(names):
        hostile_inputs(folder, name, ["理由"], f"{number}.yaml")
    target = tmp_path / "s.csv"
    result = invoke("batch", str(folder), "--rules", "2022", "-o", str(target))
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
    assert target.read_bytes().startswith(b"\xef\xbb\xbf") and b"\r\r\n" not in target.read_bytes()
    departments = {row[1] for row in rows[1:]}
    assert departments == {"'=1+2", "'+SUM(A1)", "'-2+3", "'@A1", "'\tx", "普通部门", "#N/A"}
    assert all(re.fullmatch(r"\d+\.\d\d", row[2]) for row in rows[1:])  # a number is a number: no apostrophe


def test_numbers_are_never_taken_for_formulas() -> None:
    assert cell(Decimal("-5")) == "-5" and cell(-5) == "-5"
    assert cell("-5") == "'-5"  # the text "-5" a file wrote, which Excel would read as a number
    assert cell(None) == "" and cell("\x1b[31m") == "\\x1b[31m"
    assert cell(" =1+1") == "' =1+1" and cell("\n@A1") == "'\n@A1" and cell("a=1") == "a=1"


@pytest.mark.parametrize(
    "command", [["batch", "IN", "--rules", "2022", "-f", "csv"], ["template", "--batch", "--rules", "2022"]]
)
def test_csv_on_standard_output_ends_its_lines_once(tmp_path: Path, command: list[str]) -> None:
    inputs = hostile_inputs(tmp_path, "部门\n第二行", ["理由"])
    done = subprocess.run(
        [*SCORE, *[str(inputs) if part == "IN" else part for part in command]],
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert b"\r" not in done.stdout  # "\n": the stream ends a line its platform's way, once
    rows = list(csv.reader(io.StringIO(done.stdout.decode("utf-8"))))
    assert len(rows) == 2 and all(len(row) == len(rows[0]) for row in rows)
    if command[0] == "batch":
        assert rows[1][1] == "部门\n第二行" and rows[1][-5:-3] == [
            str(inputs),
            "0",
        ]  # no "\x0d" left in a cell
    else:
        assert rows[1] == [column.key for column in columns(load_rules("2022"))]


def test_csv_through_a_windows_text_stream_has_one_crlf_per_line() -> None:
    rows = [["部门", "a\nb"], ["'x", Decimal("1.5")]]
    text = document(rows, to_stream=True)
    assert isinstance(text, str)
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8", newline="\r\n")  # what standard output is on Windows
    stream.write(text)
    stream.flush()
    assert b"\r\r\n" not in raw.getvalue() and raw.getvalue().count(b"\r\n") == 3
    back = list(csv.reader(io.StringIO(raw.getvalue().decode("utf-8"), newline="")))
    assert back == [["部门", "a\r\nb"], ["'x", "1.5"]]


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[str] = []
        self.script = ""
        self.scripts = 0
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts += 1
        if tag in ("td", "script"):
            self._in = tag
            if tag == "td":
                self.cells.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "td":
            self.cells[-1] += data
        elif self._in == "script":
            self.script += data


def test_the_html_summary_shows_file_text_and_embeds_it_as_inert_data(tmp_path: Path) -> None:
    name = "</script><script>alert(1)</script><!--\u2028\u2029\x1b[31m&amp;<b>"
    inputs = hostile_inputs(tmp_path, name, ["</td></tr><tr><td>"])
    target = tmp_path / "s.html"
    result = invoke("batch", str(inputs), "--rules", "2022", "-o", str(target))
    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    parsed = _Page()
    parsed.feed(page)
    assert parsed.scripts == 1  # only the page's own data block
    assert visible(name) in parsed.cells
    embedded = page.split('<script type="application/json" id="batch-data">', 1)[1].split("</script>", 1)[0]
    assert embedded.isascii() and "<" not in embedded
    assert json.loads(parsed.script)["ranking"][0]["department"] == name


def test_every_workbook_cell_is_written_through_the_one_writer() -> None:
    """The mechanism, not the examples: no module but scorer/render/xlsx_cells.py starts, fills or saves a
    workbook itself, so that no new sheet can bypass the escaping, the string type and the continuation."""
    bypass = re.compile(
        r"\.cell\([^)]*value=|\bcell\.value\s*=[^=]|\bWorkbook\(\)|book\.save\(|type=\"list\""
    )
    for path in sorted((ROOT / "scorer").rglob("*.py")):
        if path.name != "xlsx_cells.py" and "openpyxl" in (source := path.read_text(encoding="utf-8")):
            assert not bypass.search(source), path
