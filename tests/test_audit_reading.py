"""`score audit` never calls a table consistent for what it could not read as shown: a number with words around
it, a reason cell left blank beside a filled improvement, a number in the reasons column, characters lost in
copying, a table read only in part. Each is pinned by its message and exit code, through the command.

The tables are the published seed 003 (政务服务数据管理局, 94.2) with one cell changed, found by its row's words
and its column in the header (一级指标 分值 二级指标 分值 三级指标 分值 指标解释 得分/自评分 未达标原因 改进措施).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from cli import app

TABLES = Path(__file__).resolve().parent / "fixtures" / "tables"
ZHENGWU = TABLES / "003_0ab128b708fd7b30.txt"
LEVEL1_WEIGHT, WEIGHT, SCORE, REASON, IMPROVEMENT = 1, 5, 7, 8, 9
TOTAL_MAX, TOTAL = 1, 6  # on the 总分 line


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["audit", *args])
    return result.exit_code, result.stdout, result.stderr


def _table(tmp_path: Path, row: str, column: int, value: str, *more: tuple[int, str]) -> tuple[Path, int]:
    """Seed 003 with the cell in `column` of the line holding `row` replaced (and `more` cells of that line);
    the file and that line."""
    lines = ZHENGWU.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if row in line)
    cells = lines[number].split("\t")
    for at, text in ((column, value), *more):
        assert cells[at] != text, "the change must alter the table"
        cells[at] = text
    lines[number] = "\t".join(cells)
    path = tmp_path / "table.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path, number + 1


def _errors(path: Path) -> tuple[int, list[tuple[str, int, str | None, str | None, str]]]:
    code, out, _ = _run(str(path), "-f", "json")
    (table,) = json.loads(out)["tables"]
    assert table["consistent"] is (code == 0)
    found = [
        (f["key"], f["line"], f["indicator"], f["field"], f["message"])
        for f in table["findings"]
        if f["severity"] == "error"
    ]
    return code, found


# ---- a number must be a number: nothing around it ----

TEXT_AROUND_A_NUMBER = [
    pytest.param("合同备案时效性", SCORE, "约0.82", "Score", id="score-about"),
    pytest.param("合同备案时效性", SCORE, "0.82?", "Score", id="score-question-mark"),
    pytest.param("合同备案时效性", SCORE, "0.82 0.83", "Score", id="score-two-numbers"),
    pytest.param("合同备案时效性", SCORE, "0 82", "Score", id="score-with-a-space-inside"),
    pytest.param("合同备案时效性", SCORE, "0.82分（暂定）", "Score", id="score-provisional"),
    pytest.param("合同备案时效性", SCORE, "⓪.82", "Score", id="score-odd-digit"),
    pytest.param("合同备案时效性", WEIGHT, "1分（暂定）", "Weight", id="weight-provisional"),
    pytest.param("管理效率", LEVEL1_WEIGHT, "约50", "Weight", id="level-weight-about"),
    pytest.param("总分", TOTAL, "94.2?", "Total", id="total-question-mark"),
    pytest.param("总分", TOTAL, "约94.2", "Total", id="total-about"),
    pytest.param("总分", TOTAL_MAX, "100分（暂定）", "Total", id="total-max-provisional"),
]


@pytest.mark.parametrize(("row", "column", "text", "field"), TEXT_AROUND_A_NUMBER)
def test_a_number_with_text_around_it_is_a_finding_at_its_cell(
    tmp_path: Path, row: str, column: int, text: str, field: str
) -> None:
    path, line = _table(tmp_path, row, column, text)
    code, found = _errors(path)
    assert code == 1
    message = f"'{text}' cannot be read as a number: write the number alone"
    assert [(key, at, what) for key, at, _, what, said in found if message in said] == [
        ("audit.cell.not_a_number", line, field)
    ], found


@pytest.mark.parametrize("text", ["0.82分", "０．８２", " 0.82 ", "0.82 分"])
def test_a_plain_number_with_its_unit_or_full_width_digits_reads_as_the_number(
    tmp_path: Path, text: str
) -> None:
    path, _ = _table(tmp_path, "合同备案时效性", SCORE, text)
    code, found = _errors(path)
    assert code == 0 and found == []


def test_the_cell_meant_as_the_score_is_never_passed_over_for_another_number(tmp_path: Path) -> None:
    """A score of 0.83 would disagree with the row's figures; '约0.83' must not leave 0.82 elsewhere to be read."""
    path, line = _table(tmp_path, "合同备案时效性", SCORE, "约0.83")
    text = path.read_text(encoding="utf-8").replace("按比例扣", "按比例扣\t0.82", 1)
    path.write_text(text, encoding="utf-8")
    code, found = _errors(path)
    assert code == 1 and ("audit.cell.not_a_number", line) in {(key, at) for key, at, *_ in found}


# ---- reasons are read from the reasons column ----


def test_a_blank_reason_beside_a_filled_improvement_is_a_point_lost_without_reason(tmp_path: Path) -> None:
    path, line = _table(tmp_path, "资产配置合规性", REASON, "")
    code, found = _errors(path)
    assert code == 1
    assert [(key, at, what) for key, at, _, what, _ in found] == [
        ("audit.no_reason", line, "Reasons for lost points")
    ]
    out = tmp_path / "inputs.yaml"
    code, _, _ = _run(str(path), "--to-inputs", str(out))
    assert code == 1  # the inputs are still written, for the bureau to complete
    (deduction,) = yaml.safe_load(out.read_text(encoding="utf-8"))["indicators"][
        "asset_allocation_compliance"
    ]["deductions"]
    improvement = "加强资产采购管理，严格按照规定配置资产。"
    assert deduction["improvement"] == improvement
    assert improvement not in deduction["reason"] and deduction["reason"].startswith(
        "The table gives no reason"
    )


def test_a_number_in_the_reasons_column_is_not_read_as_the_score(tmp_path: Path) -> None:
    path, line = _table(tmp_path, "资产配置合规性", SCORE, "", (REASON, "1"))
    code, found = _errors(path)
    assert code == 1
    keys = {(key, at) for key, at, *_ in found}
    assert {("audit.cell.number_as_reason", line), ("audit.score_missing", line)} <= keys
    assert any("the reasons cell holds only the number '1'" in said for *_, said in found)


def test_a_deduction_stated_only_as_a_number_in_the_reasons_column_is_no_reason(tmp_path: Path) -> None:
    path, line = _table(tmp_path, "资产配置合规性", REASON, "1分")
    code, found = _errors(path)
    assert code == 1
    assert {("audit.cell.number_as_reason", line), ("audit.no_reason", line)} <= {
        (k, a) for k, a, *_ in found
    }


# ---- characters lost in copying, and a table read only in part ----


def test_a_cell_with_characters_lost_in_copying_is_a_finding(tmp_path: Path) -> None:
    path, line = _table(tmp_path, "资产配置合规性", REASON, "配置资产超出现有编制\ufffd\ufffd")
    code, found = _errors(path)
    assert code == 1
    assert [(key, at, what) for key, at, _, what, _ in found] == [
        ("audit.cell.garbled", line, "Reasons for lost points")
    ]


def _ocr(text: str) -> str:
    """A text-recognition copy: one Chinese character in three read as its neighbour in the code table."""
    out, count = [], 0
    for char in text:
        if "\u4e00" <= char <= "\u9fff":
            count += 1
            char = chr(ord(char) + 1) if count % 3 == 0 else char
        out.append(char)
    return "".join(out)


def _read_in_part(path: Path) -> str:
    code, out, err = _run(str(path))
    assert code == 1 and out == "" and "consistent" not in err
    assert err.count("\n") == 1 and "Traceback" not in err
    code, raw, _ = _run(str(path), "-f", "json")
    data = json.loads(raw)
    assert code == 1 and data["consistent"] is False and data["tables"] == []
    (refused,) = data["refused"]
    assert refused["path"] == str(path)
    return str(refused["message"])


def test_a_garbled_copy_is_one_reading_problem_not_a_list_of_the_departments_errors(tmp_path: Path) -> None:
    path = tmp_path / "ocr.txt"
    lines = ZHENGWU.read_text(encoding="utf-8").split("\n")
    header = next(i for i, line in enumerate(lines) if line.startswith("一级指标"))
    path.write_text("\n".join([*lines[: header + 1], *(_ocr(line) for line in lines[header + 1 :])]), "utf-8")
    message = _read_in_part(path)
    assert message.startswith("only part of this table could be read, so it is not audited: ")
    assert (
        "rows name no indicator of the 2022 rules (" in message and "of the rules' 26 indicators" in message
    )


def test_a_table_without_its_total_is_read_in_part(tmp_path: Path) -> None:
    path = tmp_path / "no-total.txt"
    text = ZHENGWU.read_text(encoding="utf-8")
    path.write_text("\n".join(line for line in text.split("\n") if "总分" not in line), encoding="utf-8")
    message = _read_in_part(path)
    assert "not audited: the table prints no total." in message


def test_many_cells_with_characters_lost_are_read_in_part(tmp_path: Path) -> None:
    path = tmp_path / "lost.txt"
    text = ZHENGWU.read_text(encoding="utf-8")
    path.write_text(text.replace("反映", "反\ufffd", 3), encoding="utf-8")
    message = _read_in_part(path)
    assert "cells hold characters lost in copying (" in message


@pytest.mark.parametrize(("lang", "words"), [("zh", "此表只能读出一部分，未予复核"), ("en", "only part of")])
def test_the_reading_problem_is_said_in_both_languages(tmp_path: Path, lang: str, words: str) -> None:
    path = tmp_path / "no-total.txt"
    text = ZHENGWU.read_text(encoding="utf-8")
    path.write_text("\n".join(line for line in text.split("\n") if "总分" not in line), encoding="utf-8")
    code, _, err = _run(str(path), "--lang", lang)
    assert code == 1 and words in err


# ---- what a copy shows is what is read ----


@pytest.mark.parametrize(
    ("cell", "key", "field"),
    [
        ('0.<span style="display:none">8</span>2', "audit.cell.hidden_markup", "Score"),  # shows 0.2
        (
            '<font color="#ffffff">本项不扣分。</font>公开招标项目共11项',
            "audit.cell.hidden_markup",
            "Reasons for lost points",
        ),
        ("0.8<sup>2</sup>", "audit.cell.not_a_number", "Score"),  # 0.8², never 0.82
    ],
    ids=["hidden-digit", "white-text", "superscript"],
)
def test_text_a_copy_hides_or_raises_is_not_read_into_the_table(
    tmp_path: Path, cell: str, key: str, field: str
) -> None:
    column = SCORE if field == "Score" else REASON
    path, line = _table(tmp_path, "合同备案时效性", column, cell)
    code, found = _errors(path)
    assert code == 1 and (key, line, field) in {(k, at, what) for k, at, _, what, _ in found}, found


def test_a_superscript_in_a_text_is_shown_as_one(tmp_path: Path) -> None:
    path, _ = _table(tmp_path, "资产配置合规性", REASON, "办公用房面积超标12m<sup>2</sup>。")
    out = tmp_path / "inputs.yaml"
    code, _, _ = _run(str(path), "--to-inputs", str(out))
    assert code == 0
    (deduction,) = yaml.safe_load(out.read_text(encoding="utf-8"))["indicators"][
        "asset_allocation_compliance"
    ]["deductions"]
    assert deduction["reason"] == "办公用房面积超标12m²。"


def test_a_second_total_is_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "two-totals.txt"
    text = ZHENGWU.read_text(encoding="utf-8")
    path.write_text(
        text.replace("<b>总分</b>", "<b>总分</b>\t<b>100</b>\t\t\t\t\t99\t\t\t\n<b>总分</b>", 1), "utf-8"
    )
    code, found = _errors(path)
    assert code == 1
    assert [(k, what) for k, _, _, what, _ in found if k == "audit.cell.second_total"] == [
        ("audit.cell.second_total", "Total")
    ]


def test_a_second_table_after_the_first_ones_grade_line_is_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "two-tables.txt"
    text = ZHENGWU.read_text(encoding="utf-8")
    table = text[text.index("一级指标") :].replace("\t94.2", "\t99")
    path.write_text(text + "\n" + table, encoding="utf-8")
    code, found = _errors(path)
    assert code == 1 and [k for k, *_ in found] == ["audit.cell.second_table"]
    assert any("another indicator table follows the first one's grade line" in said for *_, said in found)


def test_every_number_of_the_published_table_made_approximate_is_a_finding_at_its_line(
    tmp_path: Path,
) -> None:
    """Each number of seed 003's indicator table, 总分 and 部门基本情况 (weights, scores, the total, the budget,
    also where a row leaves its name out or names it another way) written as '约…': never read, never passed over."""
    lines = ZHENGWU.read_text(encoding="utf-8").split("\n")
    path = tmp_path / "approximate.txt"
    checked = 0
    for number, line in enumerate(lines):
        cells = line.split("\t")
        for column, cell in enumerate(cells):
            plain = cell.replace("<b>", "").replace("</b>", "")
            if not plain or not plain.replace(".", "", 1).replace(",", "").isdigit():
                continue
            changed = [*cells[:column], f"约{plain}", *cells[column + 1 :]]
            path.write_text("\n".join([*lines[:number], "\t".join(changed), *lines[number + 1 :]]), "utf-8")
            code, found = _errors(path)
            assert code == 1 and ("audit.cell.not_a_number", number + 1) in {
                (k, at) for k, at, *_ in found
            }, (
                number + 1,
                column,
                found,
            )
            checked += 1
    assert checked > 60


def test_a_copy_whose_digits_were_misread_is_read_in_part(tmp_path: Path) -> None:
    """Text recognition reads 0 as O and 1 as l: many scores that are no numbers are a reading problem."""
    lines = ZHENGWU.read_text(encoding="utf-8").split("\n")
    header = next(i for i, line in enumerate(lines) if line.startswith("一级指标"))
    misread = []
    for line in lines[header + 1 :]:
        cells = line.split("\t")
        if len(cells) > SCORE and cells[SCORE]:
            cells[SCORE] = cells[SCORE].replace("0", "O").replace("1", "l").replace("2", "Z")
        misread.append("\t".join(cells))
    path = tmp_path / "misread.txt"
    path.write_text("\n".join([*lines[: header + 1], *misread]), encoding="utf-8")
    message = _read_in_part(path)
    assert "cells meant as numbers cannot be read as numbers (lines " in message
