"""What a bureau circulates from `score batch`: the workbook printed for leaders (A4, a readable font, borders,
page numbers, a title with the unit, year and date, no file paths on the leaders' sheets), run as users run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "examples" / "batch"))
import make_departments  # noqa: E402

LEADERS = ("汇总", "排名", "指标失分", "评分说明")


def score(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "SCORE_LANG")}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "scorer", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("district")
    make_departments.write(folder / "各部门", make_departments.departments(12, 1))
    done = score(
        "batch", "各部门", "--rules", "2022", "--unit", "示例区财政局&审计", "-o", "汇总.xlsx", "--sheets",
        cwd=folder,
    )  # fmt: skip
    return {"folder": folder, "done": done}


def test_the_leaders_sheets_name_no_file_and_the_sources_sheet_names_each(district: dict[str, Any]) -> None:
    from openpyxl import load_workbook

    assert district["done"].returncode == 1, district["done"].stderr  # one broken department, listed
    book = load_workbook(district["folder"] / "汇总.xlsx")
    for name in LEADERS:
        if name in book.sheetnames:
            texts = [c for row in book[name].iter_rows(values_only=True) for c in row if isinstance(c, str)]
            assert not [text for text in texts if "各部门/" in text or ".yaml" in text], name
    places = [c for row in book["来源"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert (
        sum(1 for text in places if text.startswith("各部门/0")) == 11 + 1
    )  # each scored, and the refused one


def test_each_summary_sheet_prints_on_a4_with_title_page_numbers_borders_and_a_readable_font(
    district: dict[str, Any],
) -> None:
    from openpyxl import load_workbook

    book = load_workbook(district["folder"] / "汇总.xlsx")
    for name in ("汇总", "排名", "指标失分", "来源"):
        sheet = book[name]
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4 and sheet.page_setup.fitToWidth == 1
        assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
        heading = sheet.oddHeader.center.text
        assert "示例区财政局&&审计" in heading and "2022" in heading  # a text's own & doubled: not a code
        sizes = {c.font.sz for row in sheet.iter_rows() for c in row if c.value is not None}
        assert sizes and min(sizes) >= 9, name
    ranking = book["排名"]
    assert all(c.border.left.style == "thin" for c in ranking[2] if c.value is not None)
    assert ranking.print_title_rows == "$1:$1"
    title = book["汇总"]["A1"].value
    assert "示例区财政局&审计" in title and "2022" in title


def test_each_departments_sheet_keeps_the_official_forms_print_setup(district: dict[str, Any]) -> None:
    from openpyxl import load_workbook

    book = load_workbook(district["folder"] / "汇总.xlsx")
    tables = book.sheetnames[book.sheetnames.index("来源") + 1 :]
    assert len(tables) == 11
    for name in tables:
        sheet = book[name]
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
        assert sheet.print_title_rows and sheet.print_title_rows.startswith("$")
