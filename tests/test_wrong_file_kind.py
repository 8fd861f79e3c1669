"""Another program's document where a workbook or YAML file is expected gets one answer: save it as .xlsx."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from .conftest import EXAMPLES, ROOT

HINT_ZH = "请在 Excel、WPS 或 LibreOffice 中打开，另存为 .xlsx（Excel 工作簿）"
HINT_EN = "open it in Excel, WPS or LibreOffice and save it as .xlsx (Excel workbook)"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def score(folder: Path, *args: str, lang: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SCORE_LANG", "LANG", "LC_ALL", "LC_MESSAGES")}
    env |= {"PYTHONPATH": str(ROOT), **({"SCORE_LANG": lang} if lang else {})}
    return subprocess.run(
        [sys.executable, "-m", "scorer", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=folder,
        timeout=120,
    )


def _word(path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("部门整体支出绩效自评表")
    document.save(str(path))


def _opendocument(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")


def _bytes(data: bytes) -> Callable[[Path], int]:
    return lambda path: path.write_bytes(data)


FOREIGN = {
    "old.xls": _bytes(OLE2),
    "old-renamed.xlsx": _bytes(OLE2),
    "表.et": _bytes(OLE2),
    "表.wps": _bytes(OLE2),
    "表.doc": _bytes(OLE2),
    "scan.pdf": _bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
    "scan-renamed.yaml": _bytes(b"%PDF-1.7\n"),
    "letter.rtf": _bytes(b"{\\rtf1\\ansi \\'d7\\'dc}"),
    "report.docx": _word,
    "report-renamed.xlsx": _word,
    "sheet.ods": _opendocument,
    "sheet-renamed.xlsx": _opendocument,
    "sheet.csv": _bytes("部门,年度\n测试部门,2022\n".encode("gbk")),
}


@pytest.mark.parametrize("command", ["run", "report", "audit"])
@pytest.mark.parametrize("name", FOREIGN)
def test_another_programs_document_gets_the_hint(tmp_path: Path, command: str, name: str) -> None:
    FOREIGN[name](tmp_path / name)
    done = score(tmp_path, command, name, *(["-o", "r.docx"] if command == "report" else []))
    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"错误：{name}: "), lines
    assert HINT_ZH in lines[0]
    assert not (tmp_path / "r.docx").exists()


def test_the_hint_is_in_english_when_asked(tmp_path: Path) -> None:
    (tmp_path / "old.xls").write_bytes(OLE2)
    done = score(tmp_path, "run", "old.xls", lang="en")
    assert done.returncode == 1
    assert done.stderr == (
        "error: old.xls: this is an old binary Office or WPS file (.xls, .et, .doc, .wps or .xlsb), which score "
        f"does not read: {HINT_EN}, then give score the .xlsx\n"
    )


def test_a_workbook_renamed_xls_is_read_as_the_workbook_it_is(tmp_path: Path) -> None:
    made = score(tmp_path, "template", "--from", str(EXAMPLES / "2022-zhengwu-fuwu.yaml"), "-o", "a.xlsx")
    assert made.returncode == 0, made.stderr
    shutil.copy(tmp_path / "a.xlsx", tmp_path / "a.xls")
    as_xlsx = score(tmp_path, "run", "a.xlsx", "-f", "json")
    as_xls = score(tmp_path, "run", "a.xls", "-f", "json")
    assert as_xls.returncode == as_xlsx.returncode == 0, as_xls.stderr
    assert as_xls.stdout == as_xlsx.stdout


@pytest.mark.parametrize("name", ["old-renamed.xlsx", "old.xls", "scan.pdf", "report-renamed.xlsx"])
def test_a_batch_says_the_same_of_a_submission(tmp_path: Path, name: str) -> None:
    (tmp_path / "in").mkdir()
    FOREIGN[name](tmp_path / "in" / name)
    shutil.copy(EXAMPLES / "2022-zhengwu-fuwu.yaml", tmp_path / "in" / "a.yaml")
    done = score(tmp_path, "batch", "in", f"in/{name}")
    assert f"错误：in/{name}: " in done.stderr and HINT_ZH in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
