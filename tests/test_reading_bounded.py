"""Reading is bounded: every workbook reader opens an `.xlsx` through scorer/sources/xlsx_open.py (zip bombs, lying
sizes, claimed and real dimensions, cells, sheets, damaged XML, sheets that answer to one name), batch sheets
refuse what would be lost or garbled (a column named twice, values beyond the header, 100,000 columns, two
encodings in one file), and folders and globs follow no link out of the folder nor round a cycle. Each class is
pinned by the command's message and exit code."""

from __future__ import annotations

import io
import os
import re
import resource
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from cli import app
from scorer.batch.template import batch_template
from scorer.render.input_workbook import build_template
from scorer.rules.read import load_rules

from .conftest import ROOT, VALID_INPUTS

runner = CliRunner()
SCORE = [
    sys.executable,
    "-c",
    "import sys; sys.path.insert(0, sys.argv.pop(1)); import cli; cli.main()",
    str(ROOT),
]


def refused(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    return result.stderr


@pytest.fixture(scope="module")
def form() -> dict[str, bytes]:
    """The parts of the clerk's input workbook `score template -o` writes (in English)."""
    raw = build_template(load_rules("2022"), "en", None, [])
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def workbook(path: Path, parts: dict[str, bytes], changes: dict[str, bytes], level: int = 6) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in {**parts, **changes}.items():
            archive.writestr(name, data)
    return path


INDICATORS = "xl/worksheets/sheet2.xml"  # the 指标 / Indicators sheet of the form


LITTLE_MEMORY = 300 << 20  # the command's whole address space: Python, its libraries and what it reads


def _within_little_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LITTLE_MEMORY, LITTLE_MEMORY))


def _run_measured(*args: str) -> tuple[subprocess.CompletedProcess[bytes], float]:
    """The command run with at most LITTLE_MEMORY of address space (beyond it, it would fail), and its time."""
    start = time.monotonic()
    done = subprocess.run([*SCORE, *args], capture_output=True, timeout=120, preexec_fn=_within_little_memory)
    return done, time.monotonic() - start


def test_a_gigabyte_of_zeros_is_refused_at_once_with_little_memory(
    tmp_path: Path, form: dict[str, bytes]
) -> None:
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in form.items():
            archive.writestr(name, data)
        with archive.open(INDICATORS.replace("sheet2", "sheet9"), "w") as part:
            zeros = b"\0" * (1 << 20)
            for _ in range(1024):
                part.write(zeros)
    assert bomb.stat().st_size < 10 << 20
    done, seconds = _run_measured("run", str(bomb), "--rules", "2022")
    assert done.returncode == 1
    assert (
        b"the workbook unpacks to 1,07" in done.stderr and b"more than the 104,857,600 allowed" in done.stderr
    )
    assert seconds < 20


def test_a_part_that_unpacks_to_more_than_it_declares_is_stopped_at_its_declared_size(
    tmp_path: Path, form: dict[str, bytes]
) -> None:
    sheet = form[INDICATORS]
    path = tmp_path / "lying.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in form.items():
            if name != INDICATORS:
                archive.writestr(name, data)
        with archive.open(INDICATORS, "w") as part:  # 300 MB of blanks inside <sheetData>
            start, end = sheet.split(b"<sheetData>", 1)
            part.write(start + b"<sheetData>")
            for _ in range(300):
                part.write(b" " * (1 << 20))
            part.write(end)
    raw = bytearray(path.read_bytes())
    name = INDICATORS.encode()
    at = 0
    while (at := raw.find(b"PK\x01\x02", at)) >= 0:  # each entry of the central directory
        length = struct.unpack_from("<H", raw, at + 28)[0]
        if raw[at + 46 : at + 46 + length] == name:
            struct.pack_into("<I", raw, at + 24, len(sheet))  # declares the small size
            header = struct.unpack_from("<I", raw, at + 42)[0]
            struct.pack_into("<I", raw, header + 22, len(sheet))
        at += 4
    path.write_bytes(bytes(raw))
    done, seconds = _run_measured("run", str(path), "--rules", "2022")
    assert done.returncode == 1
    assert b"its part xl/worksheets/sheet2.xml cannot be unpacked" in done.stderr
    assert seconds < 20


def test_a_claimed_dimension_and_a_far_cell_are_refused_before_any_row_is_read(
    tmp_path: Path, form: dict[str, bytes]
) -> None:
    sheet = form[INDICATORS]
    claimed = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', sheet)
    message = refused("run", str(workbook(tmp_path / "claim.xlsx", form, {INDICATORS: claimed})))
    assert "claim.xlsx: sheet 'Indicators' claims to span A1:XFD1048576, beyond the 10,000 rows" in message
    far = sheet.replace(b"</sheetData>", b'<row r="1048576"><c r="B1048576"><v>1</v></c></row></sheetData>')
    message = refused("run", str(workbook(tmp_path / "far.xlsx", form, {INDICATORS: far})))
    assert (
        "far.xlsx: sheet 'Indicators' reaches A1048576, beyond the 10,000 rows and 1,000 columns" in message
    )
    wide = sheet.replace(b"</sheetData>", b'<row r="40"><c r="XFD40"><v>1</v></c></row></sheetData>')
    message = refused("run", str(workbook(tmp_path / "wide.xlsx", form, {INDICATORS: wide})))
    assert "wide.xlsx: sheet 'Indicators' reaches XFD40, beyond the 10,000 rows and 1,000 columns" in message
    cells = sheet.replace(b"</sheetData>", b"<row><c><v>1</v></c></row>" * 9_000 + b"</sheetData>")
    other = {name.replace("sheet2", f"sheet{n}"): cells for n in range(5, 30) for name in [INDICATORS]}
    message = refused("audit", str(workbook(tmp_path / "cells.xlsx", form, other)))
    assert "cells.xlsx: the workbook's sheets hold more than 200,000 cells in all" in message


def test_many_sheets_parts_or_elements_are_refused(tmp_path: Path, form: dict[str, bytes]) -> None:
    ns = b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    sheets = b"".join(
        b'<sheet %s name="s%d" sheetId="%d" r:id="rId1"/>' % (ns, n, n + 10) for n in range(150)
    )
    book = form["xl/workbook.xml"].replace(b"</sheets>", sheets + b"</sheets>")
    message = refused("run", str(workbook(tmp_path / "sheets.xlsx", form, {"xl/workbook.xml": book})))
    assert "sheets.xlsx: the workbook has 101+ sheets; at most 100 are read" in message
    parts = {f"xl/media/empty{n}.bin": b"" for n in range(5_000)}
    message = refused("run", str(workbook(tmp_path / "parts.xlsx", form, parts)))
    assert "parts.xlsx: the workbook is a zip of more than 1,000 parts" in message
    junk = form[INDICATORS].replace(
        b"</sheetData>", b"</sheetData>" + b"<x/>" * 3_000_000
    )  # 12 MB, 60 KB zipped
    start = time.monotonic()
    message = refused("run", str(workbook(tmp_path / "elements.xlsx", form, {INDICATORS: junk})))
    assert "elements.xlsx: the workbook's XML holds more than 1,500,000 elements" in message
    assert time.monotonic() - start < 10


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        ("text.xlsx", b"department: x\n", "cannot be read as an Excel workbook (.xlsx)"),
        ("empty.xlsx", b"", "cannot be read as an Excel workbook (.xlsx)"),
        ("broken-xml.xlsx", None, "its part xl/worksheets/sheet2.xml is not well-formed XML at line 1"),
        ("laughs.xlsx", None, "its part xl/sharedStrings.xml is not well-formed XML at line 1 (limit on input amplification"),
    ],
)  # fmt: skip
def test_damaged_workbooks_are_one_clear_message(
    tmp_path: Path, form: dict[str, bytes], name: str, data: bytes | None, said: str
) -> None:
    path = tmp_path / name
    if name == "broken-xml.xlsx":
        workbook(path, form, {INDICATORS: form[INDICATORS][: len(form[INDICATORS]) // 2]})
    elif name == "laughs.xlsx":
        entities = b"".join(b'<!ENTITY %c "%s">' % (98 + i, b"&%c;" % (97 + i) * 10) for i in range(9))
        laughs = (
            b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
            + entities
            + b"]><sst><si><t>&j;</t></si></sst>"
        )
        workbook(path, form, {"xl/sharedStrings.xml": laughs})
    else:
        path.write_bytes(data or b"")
    for command in (["run", str(path), "--rules", "2022"], ["audit", str(path), "--rules", "2022"]):
        message = refused(*command)
        assert said in message, message


@pytest.mark.parametrize(
    "twin", ["Indicators ", "INDICATORS", "Ｉｎｄｉｃａｔｏｒｓ", "Indicators\u200b", "指标"]
)
def test_two_sheets_that_answer_to_one_name_are_refused(
    tmp_path: Path, form: dict[str, bytes], twin: str
) -> None:
    book = form["xl/workbook.xml"].replace(
        b'name="Instructions" sheetId="1" state="visible"',
        f'name="{twin}" sheetId="1" state="hidden"'.encode(),
    )
    message = refused("run", str(workbook(tmp_path / "twins.xlsx", form, {"xl/workbook.xml": book})))
    assert "twins.xlsx: the sheets '" in message and "answer to the same name" in message
    assert "\u200b" not in message  # the difference is shown


def _batch_book(tmp_path: Path) -> dict[str, bytes]:
    raw, _ = batch_template("2022", tmp_path / "t.xlsx", "en")
    assert isinstance(raw, bytes)
    book = openpyxl.load_workbook(io.BytesIO(raw))
    sheet = book.worksheets[0]
    values = {"department": "部门甲", "year": 2022, "budget_execution.execution_rate": 98.88,
              "contract_filing_timeliness.contracts_total": 11, "contract_filing_timeliness.contracts_filed_on_time": 9,
              "procurement_policy_effect.sme_suitable_budget": 10, "procurement_policy_effect.sme_awarded_amount": 9}  # fmt: skip
    for column, key in enumerate((c.value for c in sheet[2]), start=1):
        if key in values:
            sheet.cell(row=3, column=column, value=values[key])
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def test_a_batch_workbook_is_read_by_its_cells_and_twin_sheets_or_a_wide_claim_refused(
    tmp_path: Path,
) -> None:
    parts = _batch_book(tmp_path)
    good = workbook(tmp_path / "good.xlsx", parts, {})
    result = runner.invoke(app, ["batch", str(good), "--rules", "2022", "-f", "csv"])
    assert result.exit_code == 0, result.output
    book = parts["xl/workbook.xml"].replace(
        b'name="Instructions" sheetId="2" state="visible"', b'name="departments " sheetId="2" state="hidden"'
    )
    assert book != parts["xl/workbook.xml"]
    twins = workbook(tmp_path / "twins.xlsx", parts, {"xl/workbook.xml": book})
    message = refused("batch", str(twins), "--rules", "2022")
    assert "twins.xlsx: the sheets 'departments'、'departments ' answer to the same name" in message
    sheet = parts["xl/worksheets/sheet1.xml"]
    wide = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD3"/>', sheet)
    message = refused(
        "batch",
        str(workbook(tmp_path / "wide.xlsx", parts, {"xl/worksheets/sheet1.xml": wide})),
        "--rules",
        "2022",
    )
    assert (
        "wide.xlsx: sheet 'departments' claims to span A1:XFD3, beyond the 200,000 rows and 2,000 columns"
        in message
    )
    small = re.sub(
        rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:B3"/>', sheet
    )  # a claim that cut columns
    path = workbook(tmp_path / "small.xlsx", parts, {"xl/worksheets/sheet1.xml": small})
    result = runner.invoke(app, ["batch", str(path), "--rules", "2022", "-f", "csv"])
    assert result.exit_code == 0 and "部门甲,99.60" in result.stdout, result.output


def _csv(
    tmp_path: Path, name: str, header: list[str], rows: list[list[str]], encoding: str = "utf-8"
) -> Path:
    path = tmp_path / name
    path.write_bytes("".join(",".join(row) + "\r\n" for row in [header, *rows]).encode(encoding))
    return path


HEADER = ["department", "year", "budget_execution.execution_rate", "contract_filing_timeliness.contracts_total",
          "contract_filing_timeliness.contracts_filed_on_time", "procurement_policy_effect.sme_suitable_budget",
          "procurement_policy_effect.sme_awarded_amount"]  # fmt: skip
ROW = ["部门甲", "2022", "98.88", "11", "9", "10", "9"]


def test_a_column_named_twice_or_unknown_columns_are_one_message_each(tmp_path: Path) -> None:
    twice = _csv(tmp_path, "twice.csv", [*HEADER, "department", "year"], [[*ROW, "部门乙", "2023"]])
    message = refused("batch", str(twice), "--rules", "2022")
    assert (
        "twice.csv:1: columns named more than once: 'department' (A1, H1), 'year' (B1, I1); each column may "
        "appear once" in message
    )
    assert message.count("error:") == 1
    unknown = _csv(tmp_path, "unknown.csv", [*HEADER, *(f"x{n}" for n in range(100_000 // 60))], [ROW])
    message = refused("batch", str(unknown), "--rules", "2022")
    assert "unknown.csv:1: 1,666 unknown columns: 'x0', 'x1'" in message and ", and 1,656 more" in message
    assert message.count("error:") == 1


def test_values_beyond_the_header_refuse_their_row_naming_the_cells(tmp_path: Path) -> None:
    path = _csv(tmp_path, "beyond.csv", HEADER, [[*ROW, "", "备注", "x"], ROW])
    result = runner.invoke(app, ["batch", str(path), "--rules", "2022", "-f", "csv"])
    assert result.exit_code == 1
    assert (
        "beyond.csv:2: this row has values in cells whose column has no name in the header row: I2, J2;"
        in result.stderr
    )
    assert "beyond.csv:3" in result.stdout  # the next row is scored


def test_a_hundred_thousand_columns_are_refused_at_the_file_at_once(tmp_path: Path) -> None:
    path = _csv(tmp_path, "wide.csv", HEADER, [[*ROW, *([""] * 100_000), "x"]])
    start = time.monotonic()
    message = refused("batch", str(path), "--rules", "2022")
    assert (
        "wide.csv:2: this row has 100,008 cells, more than the 2,000 columns a batch sheet may have"
        in message
    )
    assert message.count("error:") == 1 and time.monotonic() - start < 10


def test_a_sheet_in_two_encodings_is_refused_at_the_line_that_changes(tmp_path: Path) -> None:
    gbk = ",".join(HEADER).encode() + b"\r\n" + ",".join(ROW).encode("gb18030") + b"\r\n"
    for utf8 in (
        "部门乙",
        "测试",
    ):  # the GBK reading of the one breaks down; of the other, it garbles quietly
        path = tmp_path / "mixed.csv"
        path.write_bytes(gbk + ",".join([utf8, *ROW[1:]]).encode("utf-8") + b"\r\n")
        message = refused("batch", str(path), "--rules", "2022")
        assert (
            "mixed.csv:3: the file is not in one encoding: this line is UTF-8 but the file as a whole is not"
            in message
        )


@pytest.mark.parametrize("name", ["z.csv", "z.jsonl", "f.csv"])
def test_a_device_or_a_pipe_named_like_a_sheet_is_refused_without_reading(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name.startswith("f"):
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    done = subprocess.run([*SCORE, "batch", str(path), "--rules", "2022"], capture_output=True, timeout=60)
    assert done.returncode == 1 and b"is not a regular file" in done.stderr


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (tmp_path / "other").mkdir()
    (folder / "a.yaml").write_text(VALID_INPUTS, encoding="utf-8")
    (folder / "sub" / "b.yaml").write_text(VALID_INPUTS.replace("测试部门", "部门乙"), encoding="utf-8")
    (tmp_path / "other" / "o.yaml").write_text(VALID_INPUTS.replace("测试部门", "外部"), encoding="utf-8")
    for name, target in [("loop", "."), ("up", ".."), ("self.yaml", "self.yaml"), ("p1.yaml", "p2.yaml"),
                         ("p2.yaml", "p1.yaml"), ("out.yaml", "../other/o.yaml"), ("outdir", "../other"),
                         ("inlink.yaml", "sub/b.yaml"), ("sub/back", "..")]:  # fmt: skip
        (folder / name).symlink_to(target)
    return folder


@pytest.mark.parametrize("pattern", [None, "**/*.yaml", "*/*.yaml"])
def test_links_in_a_folder_are_never_followed_round_or_out(tmp_path: Path, pattern: str | None) -> None:
    folder = _folder(tmp_path)
    target = str(folder) if pattern is None else f"{folder}/{pattern}"
    done = subprocess.run(
        [*SCORE, "batch", target, "--rules", "2022", "-f", "csv"], capture_output=True, timeout=60
    )
    assert done.returncode == (0 if pattern == "*/*.yaml" else 1), done.stderr
    stdout, stderr = done.stdout.decode(), done.stderr.decode()
    scored = sorted(line.split(",")[1] for line in stdout.splitlines()[1:])
    assert scored == (["测试部门", "部门乙"] if pattern != "*/*.yaml" else ["部门乙"])
    assert (
        "外部" not in stdout and "already in this batch" not in stderr
    )  # none read twice, none from outside
    if pattern == "*/*.yaml":
        return
    assert "out.yaml: is a link that leads outside the folder, so it is not read; copy the file in" in stderr
    if pattern is None:
        assert "outdir: is a link that leads outside the folder" in stderr
        assert re.search(r"in/up: is a link that leads outside", stderr)
        for loop in ("p1.yaml", "p2.yaml", "self.yaml"):  # a loop of links: refused, not followed
            assert (
                f"in/{loop}: is a link that leads nowhere (to a missing file, or round a loop of links)"
                in stderr
            )


def test_file_names_are_escaped_in_messages_and_documents(tmp_path: Path) -> None:
    folder = tmp_path / "names"
    folder.mkdir()
    bad = VALID_INPUTS.replace("execution_rate: 98.88", "execution_rate: 934")
    names = [b"evil\x1b[31mred\nerror: all is well.yaml", b"bytes\xff.yaml", "bidi\u202eLMXa.yaml".encode()]
    for name in names:
        (folder / os.fsdecode(name)).write_text(bad, encoding="utf-8")
    html, book = tmp_path / "s.html", tmp_path / "s.xlsx"
    done = subprocess.run(
        [*SCORE, "batch", str(folder), "--rules", "2022", "-o", str(html), "-o", str(book)],
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 1
    errors = [line for line in done.stderr.decode().splitlines() if line.startswith("error:")]
    assert len(errors) == 3 and not any(b in done.stderr for b in (b"\x1b", b"\xff", "\u202e".encode()))
    assert any("evil\\x1b[31mred ⏎ error: all is well.yaml:5:" in line for line in errors)
    assert any("bytes\\udcff.yaml:5:" in line for line in errors) and any(
        "bidi\\u202eLMXa.yaml:5:" in line for line in errors
    )
    cells = [str(c.value) for s in openpyxl.load_workbook(book).worksheets for r in s.iter_rows() for c in r]
    assert any("bytes\\udcff.yaml:5:" in value for value in cells)
    assert "bytes\\udcff.yaml" in html.read_text(encoding="utf-8")


def test_a_submitted_table_is_read_by_its_cells_not_by_a_dimension_claimed_too_small(tmp_path: Path) -> None:
    inputs = tmp_path / "d.yaml"
    inputs.write_text(VALID_INPUTS, encoding="utf-8")
    table = tmp_path / "table.xlsx"
    assert runner.invoke(app, ["run", str(inputs), "--rules", "2022", "-o", str(table)]).exit_code == 0
    with zipfile.ZipFile(table) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    sheet = re.sub(
        rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:B2"/>', parts["xl/worksheets/sheet1.xml"]
    )
    claimed = workbook(tmp_path / "claimed.xlsx", parts, {"xl/worksheets/sheet1.xml": sheet})
    result = runner.invoke(app, ["audit", str(claimed)])
    assert result.exit_code == 0 and "consistent: 26 indicator rows checked, nothing found." in result.stdout


def test_a_hidden_second_table_is_never_audited_in_place_of_the_one_shown(tmp_path: Path) -> None:
    inputs = tmp_path / "d.yaml"
    inputs.write_text(VALID_INPUTS, encoding="utf-8")
    table = tmp_path / "table.xlsx"
    assert runner.invoke(app, ["run", str(inputs), "--rules", "2022", "-o", str(table)]).exit_code == 0
    book = openpyxl.load_workbook(table)
    hidden = book.copy_worksheet(book.worksheets[0])
    hidden.title, hidden.sheet_state = "old", "hidden"
    book.move_sheet(hidden, offset=-1)  # first, where the reader looked first
    book.save(table)
    message = refused("audit", str(table))
    assert (
        "table.xlsx: the workbook holds more than one indicator table (on sheets 'old'、'Self-evaluation'"
        in message
    )


def test_a_sheet_name_with_a_line_break_cannot_split_a_message(
    tmp_path: Path, form: dict[str, bytes]
) -> None:
    """The reader finds the 指标 sheet with spaces and line breaks aside; where it says a problem is, the sheet's
    name is on the message's one line."""
    book = form["xl/workbook.xml"].replace(b'name="Indicators"', b'name="Indicators&#10;&#10;"')
    result = runner.invoke(app, ["run", str(workbook(tmp_path / "nl.xlsx", form, {"xl/workbook.xml": book}))])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("error: ") for line in lines), lines
    assert "nl.xlsx:Indicators ⏎  ⏎ !I5: [Budget execution rate]" in result.stderr
