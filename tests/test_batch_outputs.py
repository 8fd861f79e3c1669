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


def test_each_cell_keeps_its_own_look_when_looks_are_shared(district: dict[str, Any]) -> None:
    """A workbook's cells of one look take the first such cell's style: a header's fill, a number's format
    or a bold font never passes to another cell of the sheet."""
    from openpyxl import load_workbook

    ranking = load_workbook(district["folder"] / "汇总.xlsx")["排名"]
    header, rows = ranking[1], [row for row in ranking.iter_rows(min_row=2) if row[0].value is not None]
    assert all(c.fill.fgColor.rgb.endswith("D9E1F2") and c.font.b for c in header if c.value is not None)
    assert rows and not any(c.fill.fill_type or c.font.b for row in rows for c in row)
    assert {c.number_format for row in rows for c in row if isinstance(c.value, float)} == {"0.00"}
    assert {c.number_format for row in rows for c in row if isinstance(c.value, str)} == {"General"}
    assert all(c.border.left.style == "thin" and c.font.name == "SimSun" for row in rows for c in row)
    texts = [at for at, cell in enumerate(rows[0]) if isinstance(cell.value, str)]  # 部门, 等级: left as text
    numbers = [at for at, cell in enumerate(rows[0]) if isinstance(cell.value, float)]
    assert texts and numbers and texts[-1] > numbers[0]  # a text column after a number's header
    assert {header[at].alignment.horizontal for at in numbers} == {"right"}
    assert {header[at].alignment.horizontal for at in texts} == {None}


def test_the_ranking_fits_a4_landscape_near_full_size_so_its_font_stays_readable(
    district: dict[str, Any],
) -> None:
    """Fit to the page's width shrinks a sheet wider than the page: its 10-point font would print smaller than 9
    points. The ranking's columns (a character unit is about 1.85 mm) must fit A4 landscape's printable width at 90%
    or more."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    sheet = load_workbook(district["folder"] / "汇总.xlsx")["排名"]
    assert sheet.page_setup.orientation == "landscape"
    width_mm = (
        sum(sheet.column_dimensions[get_column_letter(c)].width for c in range(1, sheet.max_column + 1))
        * 1.85
    )
    printable_mm = 297 - 25.4 * (sheet.page_margins.left + sheet.page_margins.right)
    assert printable_mm / width_mm >= 0.9, (width_mm, printable_mm)


def test_each_departments_sheet_keeps_the_official_forms_print_setup(district: dict[str, Any]) -> None:
    from openpyxl import load_workbook

    book = load_workbook(district["folder"] / "汇总.xlsx")
    tables = book.sheetnames[book.sheetnames.index("来源") + 1 :]
    assert len(tables) == 11
    for name in tables:
        sheet = book[name]
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
        assert sheet.print_title_rows and sheet.print_title_rows.startswith("$")


ADJUSTMENTS = """adjustments:
  - department: {department}
    indicator: budget_execution
    score: 5
    reason: 复核发现预算执行率计算口径有误，调整为5分。
"""


@pytest.fixture(scope="module")
def adjusted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Three departments: one with its own override, one adjusted by the bureau, one plain."""
    import json

    folder = tmp_path_factory.mktemp("adjusted")
    made = make_departments.departments(3, 0)
    made[0]["indicators"]["asset_allocation_compliance"] = {
        "override": {"score": 1, "reason": "配置资产超出编制。"}
    }
    make_departments.write(folder / "各部门", made)
    (folder / "复核调整.yaml").write_text(ADJUSTMENTS.format(department=made[1]["department"]), "utf-8")
    outputs = ["-o", "s.csv", "-o", "s.xlsx", "-o", "s.html", "-o", "s.jsonl", "-o", "s.txt"]
    done = score("batch", "各部门", "--rules", "2022", "--adjustments", "复核调整.yaml", *outputs, cwd=folder)
    lines = [json.loads(line) for line in (folder / "s.jsonl").read_text("utf-8").splitlines()]
    return {"folder": folder, "done": done, "made": made, "lines": lines}


def test_the_bureaus_adjustment_is_scored_by_the_engine_and_kept_apart_in_the_json_lines(
    adjusted: dict[str, Any],
) -> None:
    assert adjusted["done"].returncode == 0, adjusted["done"].stderr
    own, bureau, plain = adjusted["lines"]
    assert "adjustments" not in own and "adjustments" not in plain
    row = next(i for i in bureau["indicators"] if i["id"] == "budget_execution")
    assert row["score"] == 5 and bureau["adjustments"][0]["score"] == 5
    assert bureau["adjustments"][0]["own"] > 5 and bureau["unadjusted_total"] > bureau["total"]
    assert next(i for i in own["indicators"] if i["id"] == "asset_allocation_compliance")["overridden"]


def test_every_summary_counts_and_lists_both_kinds_apart(adjusted: dict[str, Any]) -> None:
    from openpyxl import load_workbook

    folder = adjusted["folder"]
    text = (folder / "s.txt").read_text("utf-8")
    assert "部门自行调整得分 1 项（1 个部门）；复核调整 1 项（1 个部门）" in text
    assert "配置资产超出编制。" in text and "复核发现预算执行率计算口径有误" in text
    csv_text = (folder / "s.csv").read_text("utf-8-sig")
    assert "自行调整,复核调整" in csv_text and "（复核调整：复核发现" in csv_text
    html = (folder / "s.html").read_text("utf-8")
    assert 'id="given"' in html and "部门自行调整" in html and "复核发现预算执行率" in html
    book = load_workbook(folder / "s.xlsx")
    rows = list(book["调整"].iter_rows(min_row=3, values_only=True))
    assert [r[2] for r in rows] == ["部门自行调整", "复核调整"] or [r[2] for r in rows] == [
        "复核调整",
        "部门自行调整",
    ]
    assert any(r[6] == "复核发现预算执行率计算口径有误，调整为5分。" and r[5] == 5 for r in rows)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("indicator: 没有的指标\n    score: 1", "adjustments.yaml:3: indicator: 规则中没有指标“没有的指标”"),
        ("indicator: budget_execution\n    score: 99", "adjustments.yaml:4: [budget_execution] score:"),
        ("indicator: budget_execution\n    score: 很高", "adjustments.yaml:4: [budget_execution] score:"),
    ],
)
def test_a_wrong_adjustment_is_refused_before_any_work_at_its_line(
    tmp_path: Path, entry: str, message: str
) -> None:
    make_departments.write(tmp_path / "d", make_departments.departments(2, 0))
    text = f"adjustments:\n  - department: 某局\n    {entry}\n    reason: 原因\n"
    (tmp_path / "adjustments.yaml").write_text(text, "utf-8")
    done = score(
        "batch", "d", "--rules", "2022", "--adjustments", "adjustments.yaml", "-o", "s.csv", cwd=tmp_path
    )
    assert done.returncode == 1 and message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "s.csv").exists()


def test_an_adjustment_of_a_department_not_in_the_batch_is_said_not_dropped(tmp_path: Path) -> None:
    make_departments.write(tmp_path / "d", make_departments.departments(2, 0))
    (tmp_path / "a.yaml").write_text(ADJUSTMENTS.format(department="示例区不存在局"), "utf-8")
    done = score("batch", "d", "--rules", "2022", "--adjustments", "a.yaml", "-o", "s.csv", cwd=tmp_path)
    assert done.returncode == 1 and "a.yaml:2: [budget_execution]" in done.stderr
    assert "示例区不存在局" in done.stderr


def test_the_brief_holds_distribution_ends_and_loss_points_and_no_file_path(district: dict[str, Any]) -> None:
    from docx import Document

    folder = district["folder"]
    done = score(
        "batch", "各部门", "--rules", "2022", "--unit", "示例区财政局", "-o", "简报.docx", cwd=folder
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr  # the one broken department, listed
    document = Document(str(folder / "简报.docx"))
    texts = [p.text for p in document.paragraphs]
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    assert (
        texts[0].startswith("示例区财政局") and "评价等级分布" in texts and "主要失分点及最常见原因" in texts
    )
    assert "各部门" not in " ".join(texts + cells) and ".yaml" not in " ".join(texts + cells)
    assert len(document.tables) == 3  # distribution, the ranking (eleven: all of them), the loss points
    section = document.sections[0]
    assert abs(section.page_width.mm - 210) < 1 and abs(section.page_height.mm - 297) < 1


def test_a_pdf_without_libreoffice_is_refused_before_any_work(tmp_path: Path) -> None:
    make_departments.write(tmp_path / "d", make_departments.departments(2, 0))
    env = {"PATH": str(Path(sys.executable).parent), "PYTHONPATH": str(ROOT), "SCORE_LANG": "en"}
    done = subprocess.run(
        [sys.executable, "-m", "scorer", "batch", "d", "--rules", "2022", "-o", "b.pdf", "-o", "s.csv"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1 and "b.pdf: writing a PDF needs LibreOffice" in done.stderr, done.stderr
    assert not (tmp_path / "s.csv").exists() and "Traceback" not in done.stderr


@pytest.mark.skipif(not __import__("shutil").which("soffice"), reason="LibreOffice is not installed")
def test_the_brief_as_pdf_is_two_or_three_a4_pages(district: dict[str, Any]) -> None:
    folder = district["folder"]
    done = score("batch", "各部门", "--rules", "2022", "-o", "简报.pdf", cwd=folder)
    data = (folder / "简报.pdf").read_bytes()
    assert done.returncode == 1 and data.startswith(b"%PDF")
    import re

    assert 1 <= len(re.findall(rb"/Type\s*/Page[^s]", data)) <= 3


def test_the_progress_display_knows_the_total(tmp_path: Path) -> None:
    import pty

    make_departments.write(tmp_path / "d", make_departments.departments(5, 0))
    make_departments.write(tmp_path / "more.jsonl", make_departments.departments(7, 0, district="示例二区"))
    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm", "COLUMNS": "120"}
    done = subprocess.run(
        [sys.executable, "-m", "scorer", "batch", "d", "more.jsonl", "--rules", "2022", "-o", "s.csv"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=follower, timeout=120,
    )  # fmt: skip
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    assert done.returncode == 0
    # five files and seven lines, counted before the first is scored
    assert b"/12" in shown and b"12/12" in shown


def _returned(folder: Path) -> dict[str, Any]:
    from openpyxl import load_workbook

    return {path.name: load_workbook(path) for path in sorted(folder.iterdir())}


def test_each_department_gets_its_table_and_review_and_a_refused_one_its_reasons(tmp_path: Path) -> None:
    made = make_departments.departments(3, 0)
    make_departments.write(tmp_path / "d", made)
    (tmp_path / "d" / "004.yaml").write_text(
        "department: 坏局\nyear: 2022\nindicators: {budget_execution: {}}\n"
    )
    (tmp_path / "a.yaml").write_text(ADJUSTMENTS.format(department=made[1]["department"]), "utf-8")
    done = score(
        "batch", "d", "--rules", "2022", "--adjustments", "a.yaml", "--return-to", "退回", cwd=tmp_path
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    books = _returned(tmp_path / "退回")
    assert list(books) == [f"0001 {made[0]['department']}.xlsx", f"0002 {made[1]['department']}.xlsx",
                           f"0003 {made[2]['department']}.xlsx", "0004 004（未能评分）.xlsx"]  # fmt: skip
    adjusted = books[f"0002 {made[1]['department']}.xlsx"]
    assert adjusted.sheetnames == ["自评表", "复核意见"]
    review = [c for row in adjusted["复核意见"].iter_rows(values_only=True) for c in row if c is not None]
    assert "复核调整" in review and 5 in review and "复核发现预算执行率计算口径有误，调整为5分。" in review
    assert any(isinstance(c, str) and c.startswith("复核调整前得分") for c in review)
    refused = [
        c for row in books["0004 004（未能评分）.xlsx"]["复核意见"].iter_rows(values_only=True) for c in row
    ]
    assert any(isinstance(c, str) and "d/004.yaml:3: [budget_execution]" in c for c in refused)


def test_names_from_files_never_lead_out_of_the_archive(tmp_path: Path) -> None:
    import zipfile

    (tmp_path / "d").mkdir()
    for number, name in enumerate(["../../逃出局", "a/b\\\\c:d*局", "." * 300, "CON"], start=1):
        text = VALID.replace("示例区测试局", name.replace('"', ""))
        (tmp_path / "d" / f"{number}.yaml").write_text(text, "utf-8")
    done = score("batch", "d", "--rules", "2022", "--return-to", "退回.zip", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    names = zipfile.ZipFile(tmp_path / "退回.zip").namelist()
    assert len(names) == 4 and all("/" not in n and "\\\\" not in n and ".." not in n for n in names), names
    assert not (tmp_path.parent / "逃出局.xlsx").exists()


VALID = 'department: "示例区测试局"\nyear: 2022\nindicators:\n  budget_execution: {execution_rate: 95}\n' + (
    "  contract_filing_timeliness: {contracts_total: 1, contracts_filed_on_time: 1}\n"
    "  procurement_policy_effect: {sme_suitable_budget: 10, sme_awarded_amount: 10}\n"
)


@pytest.mark.parametrize(
    ("prepare", "target", "message"),
    [
        (lambda p: (p / "退回").mkdir() or (p / "退回" / "旧.txt").write_text("x"), "退回", "holds files"),
        (lambda p: (p / "退回").write_text("x"), "退回", "a file is there"),
        (lambda p: None, "d/退回", "would be read as an input"),
        (lambda p: None, "../no/such/退回", "folder"),
    ],
)
def test_a_return_folder_that_would_lose_or_feed_back_files_is_refused_before_any_work(
    tmp_path: Path, prepare: Any, target: str, message: str
) -> None:
    make_departments.write(tmp_path / "d", make_departments.departments(2, 0))
    prepare(tmp_path)
    env_done = subprocess.run(
        [sys.executable, "-m", "scorer", "batch", "d", "--rules", "2022", "--return-to", target, "-o", "s.csv"],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT), "SCORE_LANG": "en"},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert env_done.returncode == 1 and message in env_done.stderr, env_done.stderr
    assert not (tmp_path / "s.csv").exists() and "Traceback" not in env_done.stderr
    if (tmp_path / "退回").is_dir():
        assert [p.name for p in (tmp_path / "退回").iterdir()] == ["旧.txt"]


def test_an_output_inside_the_return_folder_is_refused(tmp_path: Path) -> None:
    make_departments.write(tmp_path / "d", make_departments.departments(2, 0))
    (tmp_path / "退回").mkdir()
    done = score("batch", "d", "--rules", "2022", "--return-to", "退回", "-o", "退回/s.csv", cwd=tmp_path)
    assert done.returncode == 1 and "一个在另一个的文件夹中" in done.stderr
    assert not list((tmp_path / "退回").iterdir())


def test_a_long_ranking_opens_in_pages_of_500_and_keeps_every_row(tmp_path: Path) -> None:
    import re

    make_departments.write(tmp_path / "d.jsonl", make_departments.departments(520, 0))
    done = score("batch", "d.jsonl", "--rules", "2022", "-o", "s.html", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "s.html").read_text("utf-8")
    first = page[
        page.index('<table id="ranking">') : page.index("</table>", page.index('<table id="ranking">'))
    ]
    assert first.count('class="rank-row"') == 500
    folded = re.findall(r'<details class="page"><summary>第 501–520 行', page)
    assert folded and page.count('class="rank-row"') == 520 and "<script>" not in page


def test_packed_entries_give_back_what_was_added_and_rank_as_a_list_would() -> None:
    from decimal import Decimal

    from scorer.batch.adjust import Given
    from scorer.batch.entries import Entries, Ranked
    from scorer.batch.summary import Entry
    from scorer.inputs.model import department_key

    names = ["乙局", "甲局\x1f\x00", "a\u202eb", "\ud800局", "甲局", "丙"]
    totals = [
        Decimal("90.5"),
        Decimal("90.50"),
        Decimal("1E+1"),
        Decimal("90.123456789"),
        Decimal("90.5"),
        Decimal(0),
    ]
    entries = Entries(Entry)
    added = []
    for order, (name, total) in enumerate(zip(names, totals, strict=True)):
        given = (
            (Given("budget_execution", Decimal("5"), "原因\n第二行", Decimal("9.91")),) if order == 1 else ()
        )
        entry = Entry(
            order * 2, name, 2022, total, "优" if order % 2 else "良", (total, Decimal("3.00")), f"f.jsonl:{order}",
            None, ("扣完为止",) * (order % 3), Decimal("88.50") if order % 2 else None,
            ("新增", "", "由\u202e旧局更名")[order % 3], given, given, Decimal("99.7") if given else None,
        )  # fmt: skip
        entries.append(entry)
        added.append(entry)
    assert list(entries) == added and entries[-1] == added[-1]
    assert list(entries.departments()) == names  # read without building the entries (本年缺报)
    expected = sorted(added, key=lambda e: (-e.total, department_key(e.department), e.order))
    ranked = Ranked(entries, department_key)
    assert [entry for _, entry in ranked] == expected
    assert [rank for rank, _ in ranked] == [1, 1, 1, 4, 5, 6]  # 90.5 = 90.50: one rank


def test_the_brief_names_the_years_movers_from_the_history_database(tmp_path: Path, rules_2022: Any) -> None:
    from docx import Document

    from tests.history_agreeing import agree
    from tests.test_batch_history import scored_as_last_year

    make_departments.write(tmp_path / "d", make_departments.departments(12, 0))
    connection = scored_as_last_year(tmp_path / "d", tmp_path / "h.sqlite", rules_2022)
    with connection:  # last year: one department five points lower on a row, another two
        names = [row[0] for row in connection.execute("SELECT department FROM departments ORDER BY 1")]
        for name, points in ((names[0], 5), (names[1], 2)):
            connection.execute(
                "UPDATE indicator_scores SET score = CAST(CAST(score AS REAL) - ? AS TEXT) "
                "WHERE scoring = (SELECT id FROM departments WHERE department = ?) "
                "AND indicator = (SELECT id FROM indicators WHERE indicator = 'budget_execution')",
                (points, name),
            )
        agree(connection)
    connection.close()
    done = score("batch", "d", "--rules", "2022", "--db", "h.sqlite", "-o", "b.docx", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    document = Document(str(tmp_path / "b.docx"))
    assert "较上年变化最大的部门" in [p.text for p in document.paragraphs]
    movers = [[c.text for c in row.cells] for row in document.tables[-1].rows[1:]]
    assert [(row[0], row[3]) for row in movers] == [(names[0], "+5.00"), (names[1], "+2.00")]
