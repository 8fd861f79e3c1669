"""Weights and scores printed as the published 自评表s print them (20, 8.99, 0.5, 94.2; never a forced 20.00), in
the terminal table, the Markdown form, the official workbook and the Word report."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from typer.testing import CliRunner

from cli import app
from scorer.sources.xlsx_shown import shown_number

from .conftest import EXAMPLES

runner = CliRunner()
TABLES = Path(__file__).parent / "fixtures" / "tables"
PUBLISHED = [
    ("000_145fdbc536c66fe0.txt", "2022-suigang-zhizao.yaml"),
    ("003_0ab128b708fd7b30.txt", "2022-zhengwu-fuwu.yaml"),
]
FORCED = re.compile(r"^\d+\.\d*0$")  # 20.00, 9.50: a zero the published tables do not print


def printed_cells(seed: str) -> set[str]:
    text = re.sub(r"</?\w+[^>]*>", "", (TABLES / seed).read_text(encoding="utf-8"))  # <b>100</b>, as pasted
    return {cell.strip() for line in text.splitlines() for cell in line.split("\t")}


def points_shown(path: Path) -> list[str]:
    """What Excel shows in the form's weight and score columns (B, D, F, H), below the table's header."""
    sheet = openpyxl.load_workbook(path).active
    header = next(row for row in sheet.iter_rows() if row[5].value in ("分值", "Weight"))[0].row
    shown = []
    for row in sheet.iter_rows(min_row=header + 1):
        for cell in (row[1], row[3], row[5], row[7]):
            if isinstance(cell.value, int | float):
                shown.append(shown_number(cell.value, cell.number_format)[0])
    return shown


@pytest.mark.parametrize(("seed", "example"), PUBLISHED)
def test_the_workbook_shows_points_as_published(tmp_path: Path, seed: str, example: str) -> None:
    target = tmp_path / "自评表.xlsx"
    done = runner.invoke(app, ["run", str(EXAMPLES / example), "-o", str(target), "--lang", "zh"])
    assert done.exit_code == 0, done.output
    shown = points_shown(target)
    assert len(shown) > 30
    assert not [text for text in shown if FORCED.match(text)]
    assert set(shown) <= printed_cells(seed), set(shown) - printed_cells(seed)
    assert {"20", "0.5", "1.5", "100"} <= set(shown)


@pytest.mark.parametrize(("seed", "example"), PUBLISHED)
def test_markdown_and_terminal_show_points_as_published(seed: str, example: str) -> None:
    markdown = runner.invoke(app, ["run", str(EXAMPLES / example), "-f", "markdown", "--lang", "zh"]).stdout
    rows = [
        line.split("|")[1:-1] for line in markdown.splitlines() if line.startswith("| ") and "---" not in line
    ]
    numbers = [
        cell.strip().strip("*").strip() for row in rows[1:] for cell in (row[1], row[3], row[5], row[6])
    ]
    numbers = [re.sub(r"※$", "", n) for n in numbers if n]
    assert not [n for n in numbers if FORCED.match(n)]
    assert set(numbers) <= printed_cells(seed), set(numbers) - printed_cells(seed)
    table = runner.invoke(app, ["run", str(EXAMPLES / example), "--lang", "zh"]).stdout
    assert not re.search(r"(?<![\d.])(20|10|5|3|2|1|0)\.00?(?![\d%])", table)


@pytest.mark.parametrize(("seed", "example"), PUBLISHED)
def test_the_word_report_shows_points_as_published(tmp_path: Path, seed: str, example: str) -> None:
    target = tmp_path / "自评报告.docx"
    done = runner.invoke(app, ["report", str(EXAMPLES / example), "-o", str(target), "--lang", "zh"])
    assert done.exit_code == 0, done.output
    table = Document(str(target)).tables[0]
    rows = [[cell.text for cell in row.cells] for row in list(table.rows)[1:]]
    assert not [n for row in rows for n in row[2:] if FORCED.match(n)]
    assert {row[2] for row in rows} <= printed_cells(seed)  # the weights; the scores here are subtotals
    assert rows[-1][3] in printed_cells(seed)  # the total
