"""The 自评报告 takes the rubric's form: a project's report (`form: layout: project`) has the project's title and
sections, its own budget and spending, and none of a department's."""

from __future__ import annotations

from pathlib import Path

import docx
from typer.testing import CliRunner

from cli import app

from .conftest import EXAMPLES
from .test_project_family import PROJECT

runner = CliRunner()


def _report(tmp_path: Path, text: str, *args: str) -> str:
    path = tmp_path / "in.yaml"
    path.write_text(text, encoding="utf-8")
    done = runner.invoke(app, ["report", str(path), "--lang", "zh", *args])
    assert done.exit_code == 0, done.stderr
    return done.stdout


def test_a_projects_report_has_the_project_title_sections_and_funds(tmp_path: Path) -> None:
    text = _report(tmp_path, PROJECT, "-f", "markdown")
    assert text.startswith("# 示例单位2020年项目支出绩效自评报告")
    assert "## 一、项目基本情况" in text and "### （三）项目资金使用情况" in text
    assert "全年预算数 100.00 万元，执行数 90.00 万元，完成预算的 90%。" in text
    assert "年度项目支出绩效自评得分为 90 分" in text
    assert "部门整体" not in text and "（二）绩效管理" not in text and "（四）资产管理" not in text


def test_the_projects_word_report_and_a_departments_report_keep_their_own_titles(tmp_path: Path) -> None:
    _report(tmp_path, PROJECT, "-o", str(tmp_path / "r.docx"))
    paragraphs = [p.text for p in docx.Document(str(tmp_path / "r.docx")).paragraphs]
    assert paragraphs[0] == "示例单位2020年项目支出绩效自评报告"
    department = (EXAMPLES / "2022-zhengwu-fuwu.yaml").read_text(encoding="utf-8")
    text = _report(tmp_path, department, "-f", "markdown")
    assert "2022年部门整体支出绩效自评报告" in text.splitlines()[0] and "（二）绩效管理" in text


def test_the_projects_word_report_has_the_deviation_column_the_workbook_has(tmp_path: Path) -> None:
    """偏差原因分析及改进措施, with why points were lost, as the .xlsx table and the Markdown report print it."""
    _report(tmp_path, PROJECT, "-o", str(tmp_path / "r.docx"))
    tables = docx.Document(str(tmp_path / "r.docx")).tables
    heads = [[cell.text for cell in table.rows[0].cells] for table in tables]
    assert all(row[-1] == "偏差原因分析及改进措施" for row in heads), heads
    texts = [cell.text for table in tables for row in table.rows for cell in row.cells]
    assert any("实际完成值7%" in text for text in texts)
