"""The clerk's documents: the input workbook and its round trip, the official 自评表 workbook, the 自评报告."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from typer.testing import CliRunner

from cli import app
from scorer.i18n import say
from scorer.inputs import workbook_layout as layout
from scorer.inputs.read import read_document
from scorer.run import score_file

from .conftest import EXAMPLES

runner = CliRunner()
TABLES = Path(__file__).parent / "fixtures" / "tables"
PUBLISHED = ["2022-zhengwu-fuwu.yaml", "2022-suigang-zhizao.yaml", "2022-suigang-targets.yaml"]


def _template(tmp_path: Path, *extra: str) -> Path:
    target = tmp_path / "自评输入.xlsx"
    result = runner.invoke(app, ["template", "--lang", "zh", "-o", str(target), *extra])
    assert result.exit_code == 0, result.output
    return target


@pytest.mark.parametrize("example", PUBLISHED)
def test_yaml_to_workbook_to_scores_is_the_identity(tmp_path: Path, example: str) -> None:
    workbook = _template(tmp_path, "--from", str(EXAMPLES / example))
    from_yaml, _ = score_file(EXAMPLES / example)
    from_book, _ = score_file(workbook)
    assert from_book.total == from_yaml.total and from_book.grade == from_yaml.grade
    for a, b in zip(from_yaml.indicators, from_book.indicators, strict=True):
        assert (a.id, a.score, [say(r, "zh") for r in a.reasons], a.improvements) == (
            b.id, b.score, [say(r, "zh") for r in b.reasons], b.improvements,
        )  # fmt: skip
    assert from_book.profile == from_yaml.profile and from_book.budget == from_yaml.budget


def test_the_template_is_a_form_to_fill(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(_template(tmp_path))
    assert book.sheetnames == ["填写说明", "指标", "绩效指标", "基本情况"]
    sheet = book["指标"]
    names = [sheet.cell(row=r, column=layout.NAME).value for r in range(layout.FIRST_ROW, sheet.max_row + 1)]
    assert names[0] == "部门整体绩效目标产出指标完成情况" and "合同备案时效性" in names
    assert sheet.protection.sheet and not sheet.protection.password
    row = names.index("部门预算资金支出率") + layout.FIRST_ROW
    value = sheet.cell(row=row, column=layout.VALUE)
    assert value.protection.locked is False and sheet.cell(row=row, column=layout.NAME).protection.locked
    assert any(value.coordinate in str(v.sqref) for v in sheet.data_validations.dataValidation)


def test_a_workbook_mistake_is_reported_at_its_sheet_and_cell(tmp_path: Path) -> None:
    path = _template(tmp_path, "--from", str(EXAMPLES / "2022-zhengwu-fuwu.yaml"))
    book = openpyxl.load_workbook(path)
    sheet = book["指标"]
    row = next(
        r
        for r in range(3, sheet.max_row + 1)
        if sheet.cell(row=r, column=layout.INPUT).value == "execution_rate"
    )
    sheet.cell(row=row, column=layout.VALUE).value = 934
    book.save(path)
    result = runner.invoke(app, ["run", str(path)])
    assert result.exit_code == 1
    assert (
        f"自评输入.xlsx:指标!I{row}: [部门预算资金支出率] 年度平均预算执行率: must be at most 100, "
        "got 934 (did you mean 93.4?)" in result.stderr
    )


def test_workbook_mistakes_are_told_in_the_workbook_s_words(tmp_path: Path) -> None:
    """Each problem names the row and column a clerk sees, says which column to fill, and none is dropped:
    an evaluator's score with deducted points too, points without a reason, a target with no 三级指标 chosen,
    a 三级指标 typed by its words, a missing rate."""
    path = _template(tmp_path, "--from", str(EXAMPLES / "2022-zhengwu-fuwu.yaml"))
    book = openpyxl.load_workbook(path)
    sheet, targets = book["指标"], book["绩效指标"]
    rows = {sheet.cell(row=r, column=layout.ID).value: r for r in range(3, sheet.max_row + 1)}
    rate = next(r for r in rows.values() if sheet.cell(row=r, column=layout.INPUT).value == "execution_rate")
    sheet.cell(row=rate, column=layout.VALUE).value = None
    both = rows["financial_compliance"]
    sheet.cell(row=both, column=layout.OVERRIDE).value = 1
    sheet.cell(row=both, column=layout.POINTS).value = 0.5
    sheet.cell(row=both, column=layout.REASON).value = "理由"
    bare = rows["budget_disclosure"]
    sheet.cell(row=bare, column=layout.REASON).value = "只写了原因"
    free = targets.max_row + 1
    for column, value in ((layout.T_NAME, "新指标"), (layout.T_TARGET, "≥10次"), (layout.T_ACTUAL, "12次")):
        targets.cell(row=free, column=column).value = value
    worded = free + 1
    for column, value in ((layout.T_ID, "产出指标"), (layout.T_NAME, "另一个"), (layout.T_TARGET, "≥1次")):
        targets.cell(row=worded, column=column).value = value
    book.save(path)
    result = runner.invoke(app, ["run", str(path), "--lang", "zh"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 5, result.stderr
    expected = [
        (f"指标!I{rate}: [部门预算资金支出率] 年度平均预算执行率:", "请填写本单元格"),
        (f"指标!O{both}: [财务管理合规性] 扣分分值:", "请删去其中之一"),
        (f"指标!J{bare}: [预决算公开合规性] 自评分:", "没有填写自评分"),
        (f"绩效指标!B{free}: [新指标] 指标编号:", "下拉列表"),
        (f"绩效指标!B{worded}: [产出指标] 指标编号:", "output_targets"),
    ]
    for line, (where, words) in zip(sorted(lines), sorted(expected), strict=True):
        assert where in line and words in line, line
    assert "indicators" not in result.stderr and "deductions[" not in result.stderr


def test_percent_cells_numbers_as_text_and_spaces_are_read_as_meant(tmp_path: Path) -> None:
    path = _template(tmp_path, "--from", str(EXAMPLES / "2022-zhengwu-fuwu.yaml"))
    book = openpyxl.load_workbook(path)
    sheet = book["指标"]
    rows = {sheet.cell(row=r, column=layout.INPUT).value: r for r in range(3, sheet.max_row + 1)}
    rate = sheet.cell(row=rows["execution_rate"], column=layout.VALUE)
    rate.value, rate.number_format = 0.9888, "0.00%"  # shown as 98.88%
    sheet.cell(row=rows["contracts_total"], column=layout.VALUE).value = " 11 "  # a number stored as text
    book.save(path)
    result, _ = score_file(path)
    row = {i.id: i for i in result.indicators}
    assert (
        str(row["budget_execution"].score) == "9.88"
        and str(row["contract_filing_timeliness"].score) == "0.82"
    )


def test_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("not a zip", encoding="utf-8")
    result = runner.invoke(app, ["run", str(path), "--rules", "2022"])
    assert result.exit_code == 1 and "fake.xlsx: cannot be read as an Excel workbook" in result.stderr


@pytest.mark.parametrize("example", ["2022-zhengwu-fuwu.yaml", "2022-suigang-zhizao.yaml"])
def test_the_official_form_reproduces_the_published_table(tmp_path: Path, example: str) -> None:
    target = tmp_path / "自评表.xlsx"
    assert (
        runner.invoke(app, ["run", str(EXAMPLES / example), "-o", str(target), "--lang", "zh"]).exit_code == 0
    )
    sheet = openpyxl.load_workbook(target).active
    assert sheet is not None
    result, _ = score_file(EXAMPLES / example)
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, r in enumerate(cells) if r[0] == "一级指标")
    assert cells[header] == [
        "一级指标",
        "分值",
        "二级指标",
        "分值",
        "三级指标",
        "分值",
        "指标解释",
        "得分/自评分",
        "未达标原因",
        "改进措施",
    ]
    body = cells[header + 1 : header + 1 + len(result.indicators)]
    for row, indicator in zip(body, result.indicators, strict=True):
        assert row[4] == (indicator.name or None) and row[6] == (indicator.explanation or None)
        assert row[7] == float(indicator.score) and row[5] == float(indicator.weight)
        assert (row[8] or "") == "\n".join(say(r, "zh") for r in indicator.reasons)
        assert (row[9] or "") == "\n".join(indicator.improvements)
    total = cells[header + 1 + len(result.indicators)]
    assert total[0] == "总分" and total[7] == float(result.total)
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert f"A{header + 2}:A{header + 4}" in merged  # 履职效能 spans its three rows
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows


def test_the_report_has_the_published_sections(tmp_path: Path) -> None:
    target = tmp_path / "自评报告.docx"
    assert (
        runner.invoke(
            app, ["report", str(EXAMPLES / "2022-zhengwu-fuwu.yaml"), "-o", str(target), "--lang", "zh"]
        ).exit_code
        == 0
    )
    document = Document(str(target))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    # The sections of the published 2021 自评报告 (西区产业园管理委员会), in its order and numbering.
    published = [
        "一、基本情况",
        "（一）部门年度重点工作任务",
        "（二）部门整体支出绩效目标",
        "（三）部门整体支出情况",
        "二、绩效自评情况",
        "（一）部门整体支出绩效目标完成情况与效益",
        "（二）绩效管理",
        "（三）采购管理",
        "（四）资产管理",
        "三、存在的主要问题和下一步改进措施",
        "（一）存在的主要问题",
    ]
    assert [h for h in headings if h in published] == published
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    text = "\n".join(p.text for p in document.paragraphs)
    assert "自评得分为 94.2 分，评价等级为“优”" in text
    assert "【待填写：部门年度重点工作任务】" in text  # a part not written is a marked blank, not invented
    assert "1. 坚持以人民为中心" in text  # the department's own goals, verbatim
    table = document.tables[0]
    assert [c.text for c in table.rows[-1].cells] == ["总分", "", "100", "94.2"]


def test_a_binary_format_needs_a_file() -> None:
    result = runner.invoke(app, ["run", str(EXAMPLES / "2022-zhengwu-fuwu.yaml"), "-f", "xlsx"])
    assert result.exit_code == 2


def test_json_of_a_workbook_equals_json_of_its_yaml(tmp_path: Path) -> None:
    workbook = _template(tmp_path, "--from", str(EXAMPLES / "2022-suigang-targets.yaml"))
    a = json.loads(
        runner.invoke(app, ["run", str(EXAMPLES / "2022-suigang-targets.yaml"), "-f", "json"]).stdout
    )
    b = json.loads(runner.invoke(app, ["run", str(workbook), "-f", "json"]).stdout)
    assert a["indicators"] == b["indicators"] and a["total"] == b["total"]
    assert read_document(workbook).path.endswith("自评输入.xlsx")


@pytest.mark.parametrize(
    ("seed", "example"),
    [
        ("000_145fdbc536c66fe0.txt", "2022-suigang-zhizao.yaml"),
        ("003_0ab128b708fd7b30.txt", "2022-zhengwu-fuwu.yaml"),
    ],
)
def test_the_official_form_prints_what_the_published_table_prints(
    tmp_path: Path, seed: str, example: str
) -> None:
    """The published table (as pasted from the web) against the form `score run -o 自评表.xlsx` writes from its
    example, both read back by the table reader: the 部门基本情况 block, and every name, weight, explanation,
    score, reason and improvement the published table prints. Where the two published tables word a row
    differently (a name or an explanation), the rule files follow one of them; those cells are listed here."""
    from scorer.audit.files import read_grid
    from scorer.audit.layout import read_layout
    from scorer.rules.read import load_rules

    rules = load_rules("2022")
    published = read_layout(read_grid(TABLES / seed, seed), rules)
    target = tmp_path / "自评表.xlsx"
    assert (
        runner.invoke(app, ["run", str(EXAMPLES / example), "-o", str(target), "--lang", "zh"]).exit_code == 0
    )
    ours = read_layout(read_grid(target, "自评表.xlsx"), rules)
    assert (ours.department, ours.units, dict(ours.budget)) == (
        published.department,
        published.units,
        dict(published.budget),
    )
    for part in ("goal", "achieved", "shortfall"):
        printed = re.sub(
            r"</?p>", "", getattr(published.profile, part)
        ).strip()  # the web page's paragraph tags
        assert getattr(ours.profile, part).strip() == printed, part
    worded_otherwise = {
        ("000", "output_targets", "explanation"),  # 000 prints "部门整体预算绩效目标", 003 "部门整体绩效目标"
        (
            "003",
            "procurement_internal_control",
            "name",
        ),  # 003 prints "采购内部控制制度建设", 000 "采购内控制度建设"
    }
    rows = {row.identified: row for row in ours.rows}
    assert len(published.rows) == len(rows) == len(rules.indicators)
    for row in published.rows:
        mine = rows[row.identified]
        for part in ("name", "explanation", "weight", "score", "reason", "improvement"):
            printed = getattr(row, part)
            if printed in ("", None) or (seed[:3], row.identified, part) in worded_otherwise:
                continue  # a cell the published table leaves empty (000 omits some names)
            assert getattr(mine, part) == printed, (row.identified, part)
