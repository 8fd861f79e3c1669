"""A batch of a project rubric's files: each project of a unit is a row of its own, beside its unit; the same
project twice is refused naming the first file, and the options that know departments alone refuse projects."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from cli import app

from .test_project_family import PROJECT

runner = CliRunner()

# Three projects of one unit and one of another (all named in their files), as a bureau receives them.
PROJECTS = (
    ("示例单位", "道路养护"),
    ("示例单位", "桥梁检测"),
    ("示例单位", "路灯改造"),
    ("另一单位", "道路养护"),
)


def _project(unit: str, project: str | None, spent: int) -> str:
    text = PROJECT.replace("示例单位", unit).replace("spent: 90", f"spent: {spent}")
    named = f"\nproject: {project}" if project is not None else ""
    return text.replace("rubric: mof-pmkpi-default", f"rubric: mof-pmkpi-default{named}")


def _folder(tmp_path: Path, projects: tuple[tuple[str, str | None], ...] = PROJECTS) -> Path:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    for n, (unit, project) in enumerate(projects):
        (folder / f"p{n}.yaml").write_text(_project(unit, project, 90 - n), encoding="utf-8")
    return folder


def _batch(*args: str, lang: str = "en") -> tuple[int, str, str]:
    done = runner.invoke(app, ["batch", *args, "--lang", lang])
    return done.exit_code, done.stdout, done.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_three_projects_of_one_unit_and_one_of_another_are_four_rows_with_their_projects(
    tmp_path: Path, jobs: str
) -> None:
    code, out, err = _batch(
        str(_folder(tmp_path)), "-f", "csv", "--jobs", jobs, "--rules", "mof-pmkpi-default/2020"
    )
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:5] == ["Rank", "Unit", "Project", "Total", "Grade"]
    assert [row[:4] for row in rows[1:5]] == [
        ["1", "示例单位", "道路养护", "90.00"],
        ["2", "示例单位", "桥梁检测", "89.90"],
        ["3", "示例单位", "路灯改造", "89.80"],
        ["4", "另一单位", "道路养护", "89.70"],
    ]


def test_the_terminal_html_xlsx_and_json_lines_show_the_project_beside_the_unit(tmp_path: Path) -> None:
    folder, out = _folder(tmp_path), tmp_path / "out"
    code, table, err = _batch(str(folder), "--rules", "mof-pmkpi-default/2020", lang="zh")
    assert code == 0, err
    assert "单位（项目名称）" in table and "示例单位（桥梁检测）" in table and "另一单位（道路养护）" in table
    code, _, err = _batch(str(folder), "--rules", "mof-pmkpi-default/2020", "-o", f"{out}.html", "-o",
                          f"{out}.xlsx", "-o", f"{out}.jsonl")  # fmt: skip
    assert code == 0, err
    html = Path(f"{out}.html").read_text(encoding="utf-8")
    assert "<th>Project</th>" in html and "<td>路灯改造</td>" in html
    sheet = openpyxl.load_workbook(f"{out}.xlsx")["Ranking"]
    assert [sheet.cell(1, c).value for c in (2, 3)] == ["Unit", "Project"]
    assert {(sheet.cell(r, 2).value, sheet.cell(r, 3).value) for r in range(2, 6)} == set(PROJECTS)
    lines = Path(f"{out}.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(line)["project"] for line in lines) == sorted(p for _, p in PROJECTS)


def test_the_same_project_twice_is_refused_naming_the_first_file(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    # The same unit and project, written with a full-width space: still the same project.
    (folder / "p9.yaml").write_text(_project("示例单位\u3000", "桥梁检测", 80), encoding="utf-8")
    code, out, err = _batch(str(folder), "--rules", "mof-pmkpi-default/2020")
    assert code == 1 and "Traceback" not in err
    assert (
        "p9.yaml: the project '桥梁检测' of '示例单位\u3000' for 2020 is already in this batch (from " in err
    )
    assert "p1.yaml" in err.split("p9.yaml:")[1]
    assert "refused (4 scored and written)" in err


def test_a_project_without_its_name_is_refused_only_beside_another_of_its_unit_without_one(
    tmp_path: Path,
) -> None:
    folder = _folder(tmp_path, (("示例单位", "道路养护"), ("示例单位", None), ("另一单位", None)))
    code, _, err = _batch(str(folder), "--rules", "mof-pmkpi-default/2020")
    assert code == 0, err  # one unnamed project of each unit: nothing to confuse it with
    (folder / "p3.yaml").write_text(_project("示例单位", None, 70), encoding="utf-8")
    code, _, err = _batch(str(folder), "--rules", "mof-pmkpi-default/2020")
    assert code == 1
    assert "p3.yaml: this file and " in err and "neither names its project (project:" in err
    assert "p1.yaml" in err.split("p3.yaml:")[1]


@pytest.mark.parametrize("option", ["--db", "--aliases", "--adjustments"])
def test_options_that_know_departments_alone_refuse_projects_rather_than_merge_them(
    tmp_path: Path, option: str
) -> None:
    folder = _folder(tmp_path)
    given = tmp_path / ("h.db" if option == "--db" else "given.yaml")
    if option == "--aliases":
        given.write_text("旧单位: 示例单位\n", encoding="utf-8")
    if option == "--adjustments":
        given.write_text(
            "- {department: 示例单位, indicator: budget_execution, score: 10, reason: 复核}\n",
            encoding="utf-8",
        )
    code, out, err = _batch(str(folder), "--rules", "mof-pmkpi-default/2020", option, str(given))
    assert code == 1 and "Traceback" not in err
    assert f"p0.yaml: {option} knows departments by name alone and cannot yet tell two projects" in err
    assert "0 scored" in err


def test_a_department_batch_is_unchanged(tmp_path: Path) -> None:
    from .conftest import EXAMPLES

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "d.yaml").write_text((EXAMPLES / "2022-zhengwu-fuwu.yaml").read_text(encoding="utf-8"))
    code, out, err = _batch(str(folder), "-f", "csv")
    assert code == 0, err
    head = next(csv.reader(io.StringIO(out)))
    assert head[:4] == ["Rank", "Department", "Total", "Grade"] and "Project" not in head


def test_a_projects_workbook_asks_for_the_unit_and_the_project_in_the_forms_words(tmp_path: Path) -> None:
    out = tmp_path / "w.xlsx"
    made = runner.invoke(
        app, ["template", "--rules", "mof-pmkpi-default/2020", "-o", str(out), "--lang", "zh"]
    )
    assert made.exit_code == 0, made.stderr
    sheet = openpyxl.load_workbook(out)["基本情况"]
    labels = {sheet.cell(r, 2).value: sheet.cell(r, 1).value for r in range(1, sheet.max_row + 1)}
    assert labels["department"] == "单位名称" and labels["project"] == "项目名称"
    assert labels["report.key_tasks"] == "项目概况"
    assert "units" not in labels  # 单位数: a department's field, which a project's table never shows
    assert "部门" not in str(sheet.cell(1, 1).value)


def test_a_project_batch_counts_projects_in_every_summary(tmp_path: Path) -> None:
    folder, out = _folder(tmp_path), tmp_path / "out"
    (folder / "p9.yaml").write_text(
        _project("示例单位", "桥梁检测", 80), encoding="utf-8"
    )  # refused: a repeat
    code, table, err = _batch(
        str(folder), "--rules", "mof-pmkpi-default/2020", "-o", f"{out}.html", lang="zh"
    )
    assert code == 1, err
    assert "已评分 4 个项目，未能评分 1 个" in Path(f"{out}.html").read_text(encoding="utf-8")
    assert "1 个项目未能评分（已评分 4 个，结果已写出）" in err
    code, table, err = _batch(str(folder), "--rules", "mof-pmkpi-default/2020", lang="zh")
    assert "已评分 4 个项目" in table and "未能评分的项目（1）" in table and "个项目失分" in table
    assert "部门" not in table, table


def test_a_project_batch_sheet_names_each_project_of_a_unit(tmp_path: Path) -> None:
    sheet = tmp_path / "批量.csv"
    made = runner.invoke(app, ["template", "--batch", "--rules", "mof-pmkpi-default/2020", "-o", str(sheet)])
    assert made.exit_code == 0, made.stderr
    labels, keys = list(csv.reader(io.StringIO(sheet.read_text(encoding="utf-8-sig"))))[:2]
    assert keys[:3] == ["department", "project", "year"] and "units" not in keys
    assert labels[:2] == ["Unit", "Project"]
    given = {"department": "示例单位", "year": "2020", "budget_execution.budget_full_year": "100",
             "budget_execution.spent": "100", "performance_indicators.score": "90"}  # fmt: skip
    rows = [
        [{**given, "project": project}.get(key, "") for key in keys] for project in ("道路养护", "桥梁检测")
    ]
    with sheet.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([labels, keys, *rows])
    code, out, err = _batch(str(sheet), "--rules", "mof-pmkpi-default/2020", "-f", "csv")
    assert code == 0, err
    ranked = list(csv.reader(io.StringIO(out)))[1:]
    assert sorted(row[1:4] for row in ranked) == [
        ["示例单位", "桥梁检测", "100.00"],
        ["示例单位", "道路养护", "100.00"],
    ]


def test_a_project_workbook_without_its_unit_is_told_in_the_forms_words(tmp_path: Path) -> None:
    out = tmp_path / "w.xlsx"
    made = runner.invoke(
        app, ["template", "--rules", "mof-pmkpi-default/2020", "-o", str(out), "--lang", "zh"]
    )
    assert made.exit_code == 0, made.stderr
    book = openpyxl.load_workbook(out)
    sheet = book["基本情况"]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 2).value == "department")
    sheet.cell(row, 3).value = None
    book.save(out)
    done = runner.invoke(app, ["run", str(out), "--lang", "zh"])
    assert done.exit_code == 1 and f"w.xlsx:基本情况!C{row}: 单位名称: 不能为空" in done.stderr, done.stderr
