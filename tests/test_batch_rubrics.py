"""Several rubrics in one batch: a file that names its rubric is scored against it, each rubric's departments
are ranked apart, and `--rules` still forces one rubric."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from cli import app

from .conftest import EXAMPLES
from .test_project_family import PROJECT

runner = CliRunner()


def _folder(tmp_path: Path, projects: int = 2, name: str = "单位") -> Path:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    shutil.copy(EXAMPLES / "2022-zhengwu-fuwu.yaml", folder / "dept.yaml")
    for n in range(projects):
        text = PROJECT.replace("spent: 90", f"spent: {90 + 10 * n}").replace("示例单位", f"{name}{n}")
        (folder / f"p{n}.yaml").write_text(text, encoding="utf-8")
    return folder


def _batch(*args: str) -> tuple[int, str, str]:
    done = runner.invoke(app, ["batch", *args, "--lang", "en"])
    return done.exit_code, done.stdout, done.stderr


def test_a_file_naming_its_rubric_is_scored_against_it_and_ranked_apart(tmp_path: Path) -> None:
    code, out, err = _batch(str(_folder(tmp_path)), "-f", "csv")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][-1] == "Rubric" and rows[1][-1] == "guangzhou-huangpu-bumen/2022"
    start = next(
        i for i, row in enumerate(rows) if row and row[0].startswith("Scored under mof-pmkpi-default")
    )
    projects = rows[start + 2 : start + 4]
    # Ranked among the projects alone: the first project is 1, not 2 behind the department; the project's
    # name (none given here) has its column beside the unit's.
    assert rows[start + 1][1:3] == ["Unit", "Project"]
    assert [(r[0], r[2], r[3], r[-1]) for r in projects] == [
        ("1", "", "91.00", "mof-pmkpi-default/2020"),
        ("2", "", "90.00", "mof-pmkpi-default/2020"),
    ]
    code, table, _ = _batch(str(tmp_path / "in"))
    assert "guangzhou-huangpu-bumen/2022 (1), mof-pmkpi-default/2020 (2)" in table
    assert "ranked apart" in table


def test_every_summary_format_keeps_the_rubrics_apart(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    out = tmp_path / "out"
    code, _, err = _batch(
        str(folder), "-o", f"{out}.xlsx", "-o", f"{out}.html", "-o", f"{out}.jsonl", "--sheets"
    )
    assert code == 0, err
    book = openpyxl.load_workbook(f"{out}.xlsx")
    assert "Ranking mof-pmkpi-default_2020" in book.sheetnames
    ranking = book["Ranking mof-pmkpi-default_2020"]
    assert [ranking.cell(r, 1).value for r in (2, 3)] == [1, 2]
    html = Path(f"{out}.html").read_text(encoding="utf-8")
    assert "Scored under mof-pmkpi-default/2020: 2 (ranked apart)" in html
    lines = [json.loads(line) for line in Path(f"{out}.jsonl").read_text(encoding="utf-8").splitlines()]
    assert (
        sorted(line["rules"]["id"] for line in lines)
        == ["guangzhou-huangpu-bumen"] + ["mof-pmkpi-default"] * 2
    )


def test_worker_processes_score_each_file_against_its_own_rubric(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    one = _batch(str(folder), "-f", "csv")
    two = _batch(str(folder), "-f", "csv", "--jobs", "2")
    assert one[0] == two[0] == 0 and one[1] == two[1]


def test_rules_given_still_force_one_rubric_and_refuse_a_file_naming_another(tmp_path: Path) -> None:
    code, out, err = _batch(str(_folder(tmp_path, projects=1)), "--rules", "2022")
    assert code == 1
    assert "p0.yaml:3: rubric:" in err and "use --rules mof-pmkpi-default/2020" in err
    assert "mof-pmkpi-default/2020" not in out.split("Refused")[0]


def test_a_file_naming_a_rubric_that_does_not_exist_is_refused_at_its_line_and_the_batch_goes_on(
    tmp_path: Path,
) -> None:
    folder = _folder(tmp_path, projects=3)
    (folder / "p0.yaml").write_text(
        PROJECT.replace("mof-pmkpi-default", "mof-pmkpi-nowhere"), encoding="utf-8"
    )
    (folder / "p1.yaml").write_text(
        PROJECT.replace("mof-pmkpi-default", "../../etc/passwd"), encoding="utf-8"
    )
    code, out, err = _batch(str(folder))
    assert code == 1 and "Traceback" not in err
    assert "p0.yaml:3: rubric:" in err and "mof-pmkpi-nowhere/2020" in err
    assert "p1.yaml:3: rubric:" in err
    assert "(2 scored and written)" in err  # the department and the project


def test_a_project_twice_is_a_duplicate_within_its_rubric_and_a_batch_of_projects_alone_is_scored(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.yaml", "b.yaml"):
        (folder / name).write_text(PROJECT, encoding="utf-8")
    code, out, err = _batch(str(folder))
    assert code == 1 and "b.yaml: this file and " in err and "neither names its project (project:" in err
    assert "refused (1 scored and written)" in err


def test_a_clerks_workbook_for_the_project_rubric_is_scored_against_it_in_a_batch(tmp_path: Path) -> None:
    folder = _folder(tmp_path, projects=0)
    made = runner.invoke(app, ["template", "--rules", "mof-pmkpi-default/2020", "-o", str(folder / "w.xlsx")])
    assert made.exit_code == 0, made.stderr
    code, out, err = _batch(str(folder), "-f", "csv")
    # The empty workbook is refused against its own rubric (its rows), never against the department rubric's.
    assert "w.xlsx" in err and "contracts_total" not in err


def test_a_file_naming_a_rubric_that_cannot_be_read_is_refused_at_its_own_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path, projects=1)
    broken = tmp_path / "rules" / "broken-rubric" / "2020"
    broken.mkdir(parents=True)
    (broken / "rubric.yaml").write_text("id: broken-rubric\nyear: 2020\ntitle: [\n", encoding="utf-8")
    (folder / "p0.yaml").write_text(PROJECT.replace("mof-pmkpi-default", "broken-rubric"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # a rubric repository: ./rules/<id>/<year>/
    code, _, err = _batch("in")
    assert code == 1 and "Traceback" not in err
    assert "p0.yaml:3: rubric: the rubric broken-rubric this file names cannot be read" in err
    assert "rules/broken-rubric/2020/rubric.yaml:4: YAML syntax error" in err


def test_each_rubric_of_a_mixed_batch_is_marked_and_titled_by_its_own_rubric(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second rubric provisional: its mark in CSV, and its XLSX sheets' page headers carry its own title."""
    from scorer.sources import shipped

    root = tmp_path / "data"
    shutil.copytree(shipped.rules_root(), root / "rules")
    (root / "schemas").symlink_to(shipped.schemas_dir())
    rubric = root / "rules" / "mof-pmkpi-default" / "2020" / "rubric.yaml"
    rubric.write_text(
        rubric.read_text(encoding="utf-8").replace("status: released", "status: provisional"),
        encoding="utf-8",
    )
    monkeypatch.setattr(shipped, "data_root", lambda: root)
    folder = _folder(tmp_path)
    code, out, err = _batch(str(folder), "-f", "csv")
    assert code == 0, err
    assert "provisional rubric: mof-pmkpi-default/2020 has no recorded sources yet" in out
    assert "guangzhou-huangpu-bumen/2022 has no recorded" not in out
    code, _, err = _batch(str(folder), "-o", str(tmp_path / "out.xlsx"))
    assert code == 0, err
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    own, other = (
        book["Ranking"].oddHeader.center.text,
        book["Ranking mof-pmkpi-default_2020"].oddHeader.center.text,
    )
    assert "provisional" not in own and "provisional rubric" in other
    assert "部门整体支出绩效自评表" in own and "部门整体" not in other and "项目支出绩效自评表" in other
    overview = [c.value for row in book["Summary"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any("mof-pmkpi-default/2020 has no recorded sources" in text for text in overview)


def test_the_html_page_of_a_mixed_batch_gives_each_table_its_own_id(tmp_path: Path) -> None:
    import re

    out = tmp_path / "out.html"
    code, _, err = _batch(str(_folder(tmp_path)), "-o", str(out))
    assert code == 0, err
    ids = re.findall(r'\bid="([^"]+)"', out.read_text(encoding="utf-8"))
    assert len(ids) == len(set(ids)), sorted(ids)
    assert {"ranking", "losses", "ranking-2", "losses-2"} <= set(ids)


def test_a_file_for_another_rubric_is_refused_at_its_rubric_line_alone(tmp_path: Path) -> None:
    folder = _folder(tmp_path, projects=1)
    path = folder / "p0.yaml"
    path.write_text("shared: {execution_target: 95}\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    code, _, err = _batch(str(folder), "--rules", "2022")
    assert code == 1
    said = [line for line in err.splitlines() if "p0.yaml" in line]
    assert (
        len(said) == 1 and "p0.yaml:4: rubric:" in said[0] and "use --rules mof-pmkpi-default/2020" in said[0]
    )
    done = runner.invoke(app, ["run", str(path), "--rules", "2022", "--lang", "en"])
    assert done.exit_code == 1 and done.stderr.count("error:") == 1, done.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_refused_file_is_counted_under_the_rubric_it_named(tmp_path: Path, jobs: str) -> None:
    folder = _folder(tmp_path)
    broken = (folder / "p1.yaml").read_text(encoding="utf-8").replace("spent: 100", "spent: abc")
    (folder / "p1.yaml").write_text(broken, encoding="utf-8")
    shutil.copy(
        folder / "p0.yaml", folder / "p2.yaml"
    )  # the same project again: a duplicate within its rubric
    code, table, err = _batch(str(folder), "--jobs", jobs)
    assert code == 1 and "p1.yaml:" in err and "p2.yaml:" in err, err
    counts = [line for line in table.splitlines() if " scored, " in line]
    assert counts[0].startswith("1 departments scored, 0 refused"), counts
    assert counts[1].startswith("1 projects scored, 2 refused"), counts
