"""A handed-in 自评表 and the bureau's 复核调整 in one batch: the table's own total and the adjustments' counts side
by side in the ranking, the JSON line's total before the adjustments named apart from the table's own total, and
what auditing the table found on the 复核意见 sheet sent back. Run as users run it."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

import pytest

from tests.test_batch_outputs import make_departments, score


def _total_row(sheet: Any) -> int:
    return next(row[0].row for row in sheet.iter_rows() if row[0].value == "总分")


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from openpyxl import load_workbook

    folder = tmp_path_factory.mktemp("reviewed")
    made = make_departments.departments(4, 0)
    make_departments.write(folder / "各部门", made)
    handed_in = sorted((folder / "各部门").glob("*.yaml"))[0]
    name = next(d["department"] for d in made if d["department"] in handed_in.read_text(encoding="utf-8"))
    done = score("run", str(handed_in), "--rules", "2022", "-o", "表.xlsx", cwd=folder)
    assert done.returncode == 0, done.stderr
    handed_in.unlink()  # the department hands in its 自评表 instead, its total misprinted
    book = load_workbook(folder / "表.xlsx")
    sheet = book.active
    row = _total_row(sheet)
    sheet.cell(row=row, column=8).value = 99.99
    book.save(folder / "各部门" / "自评表.xlsx")
    (folder / "调整.yaml").write_text(
        f"adjustments:\n  - department: {name}\n    indicator: budget_execution\n    score: 1\n"
        "    reason: 复核调整为1分。\n",
        encoding="utf-8",
    )
    (folder / "各部门" / "说明.txt").write_text("请各部门于月底前报送。\n", encoding="utf-8")  # no submission
    (folder / "各部门" / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")  # what a Mac leaves: no news to leaders
    (folder / "各部门" / "~$自评表.xlsx").write_bytes(b"\0" * 162)  # Excel's lock file
    outputs = [
        "-o",
        "s.csv",
        "-o",
        "s.jsonl",
        "-o",
        "简报.docx",
        "--return-to",
        "r.zip",
        "--adjustments",
        "调整.yaml",
    ]
    done = score("batch", "各部门", "--rules", "2022", *outputs, cwd=folder)
    return {"folder": folder, "done": done, "name": name, "cell": f"H{row}"}


def test_the_ranking_shows_the_tables_own_total_beside_the_adjustments_counts(batch: dict[str, Any]) -> None:
    assert batch["done"].returncode == 0, batch["done"].stderr
    rows = list(csv.reader(io.StringIO((batch["folder"] / "s.csv").read_text(encoding="utf-8-sig"))))
    head = rows[0]
    assert {"自评分", "自行调整", "复核调整"} <= set(head), head
    row = next(r for r in rows[1:] if len(r) > 1 and r[1] == batch["name"])
    assert row[head.index("自评分")] == "99.99" and row[head.index("复核调整")] == "1"
    assert float(row[head.index("总分")]) < 99.99  # re-scored from its facts, then adjusted
    others = [r for r in rows[1:] if len(r) > 1 and r[1] != batch["name"] and r[0].isdigit()]
    assert len(others) == 3 and all(r[head.index("自评分")] == "" for r in others)


def test_the_json_line_names_the_total_before_the_adjustments_apart_from_the_tables_own(
    batch: dict[str, Any],
) -> None:
    lines = [
        json.loads(line) for line in (batch["folder"] / "s.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    adjusted = next(line for line in lines if line["department"] == batch["name"])
    assert "own_total" not in adjusted and adjusted["unadjusted_total"] > adjusted["total"]
    assert adjusted["unadjusted_total"] != 99.99  # the recomputed total, not what the table printed


def test_the_review_sheet_sent_back_lists_what_auditing_the_table_found_at_its_cell(
    batch: dict[str, Any],
) -> None:
    from openpyxl import load_workbook

    archive = zipfile.ZipFile(batch["folder"] / "r.zip")
    named = [n for n in archive.namelist() if batch["name"] in n]
    assert len(named) == 1, archive.namelist()
    book = load_workbook(io.BytesIO(archive.read(named[0])))
    texts = [str(c) for row in book["复核意见"].iter_rows(values_only=True) for c in row if c is not None]
    assert "自评表自报总分：99.99" in texts
    audited = [text for text in texts if text.startswith(f"自评表!{batch['cell']}：")]
    assert len(audited) == 1 and "99.99" in audited[0], texts
    assert "自评表审核" in texts and "复核调整为1分。" in texts and "复核调整" in texts


def test_worker_processes_send_back_the_same(batch: dict[str, Any]) -> None:
    folder = batch["folder"]
    outputs = ["-o", "j.csv", "-o", "j.jsonl", "--return-to", "j", "--adjustments", "调整.yaml"]
    done = score("batch", "各部门", "--rules", "2022", "-j", "2", *outputs, cwd=folder)
    assert done.returncode == 0, done.stderr
    assert (folder / "j.csv").read_bytes() == (folder / "s.csv").read_bytes()
    assert (folder / "j.jsonl").read_bytes() == (folder / "s.jsonl").read_bytes()
    briefly = score("batch", "各部门", "--rules", "2022", "-j", "2", "-o", "b.csv", "--adjustments", "调整.yaml",
                    cwd=folder)  # fmt: skip
    assert briefly.returncode == 0, briefly.stderr
    assert (folder / "b.csv").read_bytes() == (folder / "s.csv").read_bytes()


def test_the_brief_says_how_many_files_were_no_submission_and_names_no_path(batch: dict[str, Any]) -> None:
    from docx import Document

    texts = [p.text for p in Document(str(batch["folder"] / "简报.docx")).paragraphs]
    assert "不是自评材料、未评分的文件（1）" in texts  # 说明.txt: not the system files beside it
    assert not [text for text in texts if "说明.txt" in text or "各部门/" in text]
