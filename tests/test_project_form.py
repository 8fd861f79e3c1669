"""A rubric declares the official table it prints (`form:` in rubric.yaml): the project family prints the
项目支出绩效自评表 — its 预算执行 block and each declared indicator with its 年度指标值, 实际完成值, 分值 and 得分 —
and a form naming a row or a value the rubric does not have is refused at its line."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from cli import app

ROOT = Path(__file__).resolve().parent.parent
RUBRIC = ROOT / "rules" / "mof-pmkpi-default" / "2020"
runner = CliRunner()

PROJECT = """\
department: 示例单位
year: 2020
rubric: mof-pmkpi-default
indicators:
  budget_execution: {budget_start: 80, budget_full_year: 100, spent: 90}
  performance_indicators:
    targets:
      - {name: 道路养护里程, category: 产出指标, target: "≥100公里", actual: "100公里", weight: 22.5}
      - {name: 养护合格率, category: 产出指标, target: "≥95%", actual: "96%", weight: 22.5}
      - {name: 通行时间缩短, category: 效益指标, target: "≥10%", actual: "12%", weight: 22.5}
      - {name: 结余率, category: 效益指标, target: "≤5%", actual: "7%", weight: 22.5, reason: 年末集中支付延后}
"""


def _table(tmp_path: Path, text: str = PROJECT, rules: str = "mof-pmkpi-default/2020") -> list[list[object]]:
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "表.xlsx"
    result = runner.invoke(
        app, ["run", str(tmp_path / "p.yaml"), "--rules", rules, "-o", str(out), "--lang", "zh"]
    )
    assert result.exit_code == 0, result.stderr
    sheet = openpyxl.load_workbook(out).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def _row_starting(rows: list[list[object]], *first: object) -> list[object]:
    return next(row for row in rows if tuple(row[: len(first)]) == first)


def test_the_project_table_prints_its_budget_block_and_each_indicator_with_its_values(tmp_path: Path) -> None:
    rows = _table(tmp_path)
    heading = _row_starting(rows, "预算执行情况（万元）")
    assert heading[1:7] == [
        "年初预算数",
        "全年预算数（A）",
        "全年执行数（B）",
        "执行率（B/A）",
        "分值",
        "得分",
    ]
    values = rows[rows.index(heading) + 1]
    assert values[1:7] == [80, 100, 90, 90, 10, 9]
    header = _row_starting(rows, "一级指标", "二级指标", "三级指标")
    assert header[3:8] == ["年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
    assert _row_starting(rows, "效益指标", None, "结余率")[3:8] == [
        "≤5%",
        "7%",
        22.5,
        13.5,
        "年末集中支付延后",
    ]
    assert _row_starting(rows, "产出指标", None, "养护合格率")[5:7] == [22.5, 22.5]
    assert _row_starting(rows, "总分")[5:7] == [100, 90]
    assert not any(
        row[2] == "产出、效益和满意度指标" for row in rows
    )  # the row is its indicators, not a line


def test_a_shortfall_without_the_departments_reason_says_how_its_points_were_worked_out(
    tmp_path: Path,
) -> None:
    rows = _table(tmp_path, PROJECT.replace(", reason: 年末集中支付延后", ""))
    assert _row_starting(rows, "效益指标", None, "结余率")[7] == (
        "指标“结余率”：年度指标值≤5%，实际完成值7%，得13.5分（分值22.5分）。"
    )


def test_the_start_of_year_budget_may_be_left_out_and_is_left_blank(tmp_path: Path) -> None:
    rows = _table(tmp_path, PROJECT.replace("budget_start: 80, ", ""))
    values = rows[rows.index(_row_starting(rows, "预算执行情况（万元）")) + 1]
    assert values[1] is None and values[2] == 100


def test_a_rubric_without_a_form_keeps_the_department_table(tmp_path: Path) -> None:
    copy = tmp_path / "rules" / "mof-pmkpi-default" / "2020"
    shutil.copytree(RUBRIC, copy)
    rubric = copy / "rubric.yaml"
    text = rubric.read_text(encoding="utf-8")
    start = text.index("form:")
    rubric.write_text(text[:start] + text[text.index("indicators:", start) :], encoding="utf-8")
    (copy / "indicators" / "budget_execution.yaml").write_text(
        (copy / "indicators" / "budget_execution.yaml")
        .read_text(encoding="utf-8")
        .replace("  budget_start:", "  # budget_start:"),
        encoding="utf-8",
    )
    rows = _table(
        tmp_path,
        PROJECT.replace("budget_start: 80, ", "").replace("rubric: mof-pmkpi-default\n", ""),
        str(copy),
    )
    assert _row_starting(rows, "一级指标", "分值", "二级指标")  # the 部门整体 table's ten columns
    assert not any(row and row[0] == "预算执行情况（万元）" for row in rows)


def _lint(tmp_path: Path, old: str, new: str) -> tuple[int, str]:
    copy = tmp_path / "r" / "2020"
    shutil.copytree(RUBRIC, copy)
    rubric = copy / "rubric.yaml"
    rubric.write_text(rubric.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    result = runner.invoke(app, ["lint", str(copy), "--lang", "en"])
    return result.exit_code, result.stdout + result.stderr


def test_a_form_column_naming_no_input_of_its_row_is_refused_at_its_line(tmp_path: Path) -> None:
    code, out = _lint(tmp_path, "start: budget_start", "start: budget_strat")
    line = 1 + next(
        n
        for n, text in enumerate((RUBRIC / "rubric.yaml").read_text().splitlines())
        if "budget_start" in text
    )
    assert code == 1 and "Traceback" not in out
    assert f"rubric.yaml:{line}: form.budget.start: 'budget_strat' is not an input or a metric of row" in out
    assert "budget_start" in out.split("budget_strat", 1)[1]  # the likely name


def test_a_form_naming_a_row_the_rubric_lacks_is_refused(tmp_path: Path) -> None:
    code, out = _lint(tmp_path, "row: budget_execution", "row: budget_exec")
    assert code == 1 and "form.budget.row: the form's budget block names row 'budget_exec'" in out


def test_an_unknown_layout_or_key_lists_what_is_allowed(tmp_path: Path) -> None:
    code, out = _lint(tmp_path, "layout: project", "layout: projekt")
    assert code == 1 and "form.layout" in out and "department, project" in out
    code, out = _lint(tmp_path / "2", "layout: project", "layout: project\n  colour: red")
    assert code == 1 and "colour" in out and "budget" in out and "layout" in out


def test_the_markdown_table_and_the_report_print_the_project_tables(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(PROJECT, encoding="utf-8")
    table = runner.invoke(app, ["run", str(tmp_path / "p.yaml"), "-f", "markdown", "--lang", "zh"])
    assert table.exit_code == 0, table.stderr
    assert "| 年初预算数 | 全年预算数（A） | 全年执行数（B） | 执行率（B/A） | 分值 | 得分 |" in table.stdout
    assert "| 80 | 100 | 90 | 90% | 10 | 9 |" in table.stdout
    assert "| 效益指标 |  | 结余率 | ≤5% | 7% | 22.5 | 13.5 | 年末集中支付延后 |" in table.stdout
    report = runner.invoke(app, ["report", str(tmp_path / "p.yaml"), "-f", "markdown", "--lang", "zh"])
    assert report.exit_code == 0, report.stderr
    assert "| 效益指标 |  | 结余率 | ≤5% | 7% | 22.5 | 13.5 |" in report.stdout
    out = tmp_path / "报告.docx"
    written = runner.invoke(app, ["report", str(tmp_path / "p.yaml"), "-o", str(out), "--lang", "zh"])
    assert written.exit_code == 0, written.stderr
    import docx

    cells = [[c.text for c in row.cells] for table in docx.Document(str(out)).tables for row in table.rows]
    assert ["80", "100", "90", "90%", "10", "9"] in [row[:6] for row in cells]
    assert ["效益指标", "", "结余率", "≤5%", "7%", "22.5", "13.5"] in [row[:7] for row in cells]


def test_text_from_the_file_stays_text_in_the_project_tables(tmp_path: Path) -> None:
    hostile = PROJECT.replace("name: 结余率", 'name: "=HYPERLINK(\\"http://x\\")|a"')
    _table(tmp_path, hostile)
    sheet = openpyxl.load_workbook(tmp_path / "表.xlsx").active
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == '=HYPERLINK("http://x")|a')
    assert cell.data_type == "s"  # a text cell, not a formula
    table = runner.invoke(app, ["run", str(tmp_path / "p.yaml"), "-f", "markdown"])
    assert table.exit_code == 0 and '=HYPERLINK("http://x")\\|a' in table.stdout


def test_a_project_form_without_a_budget_block_prints_every_row_in_the_table(tmp_path: Path) -> None:
    copy = tmp_path / "rules" / "mof-pmkpi-default" / "2020"
    shutil.copytree(RUBRIC, copy)
    rubric = copy / "rubric.yaml"
    text = rubric.read_text(encoding="utf-8")
    rubric.write_text(
        "\n".join(line for line in text.splitlines() if "  budget: {" not in line), encoding="utf-8"
    )
    rows = _table(tmp_path, PROJECT, str(copy))
    assert not any(row[0] == "预算执行情况（万元）" for row in rows)
    assert _row_starting(rows, "预算执行", "预算执行率", "预算执行率")[5:7] == [10, 9]
    table = runner.invoke(
        app, ["run", str(tmp_path / "p.yaml"), "--rules", str(copy), "-f", "markdown", "--lang", "zh"]
    )
    assert table.exit_code == 0 and "预算执行情况" not in table.stdout
    assert "| 预算执行 | 预算执行率 | 预算执行率 |  |  | 10 | 9 |" in table.stdout


def test_a_projects_workbook_speaks_of_the_project_and_asks_only_what_its_form_uses(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    done = runner.invoke(
        app, ["template", "--rules", "mof-pmkpi-default/2020", "--lang", "zh", "-o", str(out)]
    )
    assert done.exit_code == 0, done.stderr
    book = openpyxl.load_workbook(out)
    guide = [c.value for c in book["填写说明"]["A"] if isinstance(c.value, str)]
    assert guide[0] == "2020年度项目支出绩效自评输入表：填写说明"
    assert any("从下拉列表选择 performance_indicators" in line for line in guide)
    assert not any("部门整体" in line or "output_targets" in line for line in guide)
    keys = {row[1] for row in book["基本情况"].iter_rows(values_only=True)}
    assert {"department", "report.key_tasks"} <= keys
    assert not keys & {"budget.basic", "budget.district_level", "report.procurement_management"}


def test_a_projects_name_titles_its_table_report_and_workbook_and_tells_two_projects_apart(
    tmp_path: Path,
) -> None:
    named = PROJECT.replace("department: 示例单位\n", "department: 示例单位\nproject: 道路养护项目\n")
    assert named != PROJECT
    (tmp_path / "p.yaml").write_text(named, encoding="utf-8")
    table = runner.invoke(app, ["run", str(tmp_path / "p.yaml"), "--lang", "zh"])
    assert table.exit_code == 0, table.stderr
    assert "2020年度示例单位（道路养护项目）项目支出绩效自评表" in table.stdout
    report = runner.invoke(app, ["report", str(tmp_path / "p.yaml"), "-f", "markdown", "--lang", "zh"])
    assert report.stdout.startswith("# 示例单位（道路养护项目）2020年项目支出绩效自评报告")
    book = tmp_path / "t.xlsx"
    done = runner.invoke(
        app, ["template", "--from", str(tmp_path / "p.yaml"), "--lang", "zh", "-o", str(book)]
    )
    assert done.exit_code == 0, done.stderr
    rows = {row[1]: row for row in openpyxl.load_workbook(book)["基本情况"].iter_rows(values_only=True)}
    assert rows["project"][0] == "项目名称" and rows["project"][2] == "道路养护项目"
    again = runner.invoke(app, ["run", str(book), "--lang", "zh"])
    assert again.exit_code == 0, again.stderr
    assert "示例单位（道路养护项目）" in again.stdout
    department = runner.invoke(
        app, ["template", "--rules", "2022", "--lang", "zh", "-o", str(tmp_path / "d.xlsx")]
    )
    assert department.exit_code == 0
    keys = {
        row[1] for row in openpyxl.load_workbook(tmp_path / "d.xlsx")["基本情况"].iter_rows(values_only=True)
    }
    assert "project" not in keys
