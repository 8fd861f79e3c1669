"""A rubric that extends another or uses shared rows: each way it can go wrong is one located message (exit 1),
nothing it names leads out of the rules folder, and the rubric scored is always the one its files say now."""

from __future__ import annotations

import json
import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app

from .conftest import EXAMPLES, RULES_2022

runner = CliRunner()
CHILD = "rules/guangzhou-huangpu-bumen/2023"
HEAD = "id: guangzhou-huangpu-bumen\nyear: 2023\nstatus: provisional\nprovenance: {source: []}\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / CHILD).mkdir(parents=True)
    return tmp_path


def child(repo: Path, text: str) -> Path:
    path = repo / CHILD / "rubric.yaml"
    path.write_text(HEAD + text, encoding="utf-8")
    return path


def lint(folder: str = CHILD) -> str:
    result = runner.invoke(app, ["lint", folder, "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.stdout


def line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


@pytest.mark.parametrize(
    "name", ["../../etc", "/etc/2022", "guangzhou-huangpu-bumen/../2022", "a/b/2022", "x"]
)
def test_an_extends_that_is_not_a_rubric_name_is_refused_before_it_is_a_path(repo: Path, name: str) -> None:
    path = child(repo, f"extends: {json.dumps(name)}\n")
    out = lint()
    assert f"rubric.yaml:{line_of(path, 'extends: ' + json.dumps(name))}: extends: " in out
    assert "is not a rubric's name" in out


def test_a_missing_parent_is_said_with_where_it_was_looked_for(repo: Path) -> None:
    child(repo, "extends: guangzhou-huangpu-bumen/2019\n")
    out = lint()
    assert "rubric.yaml:5: extends: no rubric guangzhou-huangpu-bumen/2019 under rules" in out
    assert "see score rules list); there is: guangzhou-huangpu-bumen/2022" in out  # the shipped year


def test_rubrics_that_extend_each_other_are_a_cycle_not_a_hang(repo: Path) -> None:
    (repo / "rules/b-bumen/2023").mkdir(parents=True)
    (repo / "rules/b-bumen/2023/rubric.yaml").write_text(
        "id: b-bumen\nyear: 2023\nextends: guangzhou-huangpu-bumen/2023\nprovenance: {source: [x]}\n",
        encoding="utf-8",
    )
    child(repo, "extends: b-bumen/2023\n")
    out = lint()
    assert (
        "extend or use each other in a circle: guangzhou-huangpu-bumen/2023 → b-bumen/2023 → guangzhou-huangpu-bumen/2023"
        in out
    )


def test_a_rubric_extending_itself_is_a_cycle(repo: Path) -> None:
    child(repo, "extends: guangzhou-huangpu-bumen/2023\n")
    assert "in a circle: guangzhou-huangpu-bumen/2023 → guangzhou-huangpu-bumen/2023" in lint()


def test_a_link_out_of_the_rules_folder_is_not_followed(
    repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    shutil.copytree(RULES_2022, outside / "2022")
    (repo / "rules/evil-bumen").mkdir()
    os.symlink(outside / "2022", repo / "rules/evil-bumen/2022")
    child(repo, "extends: evil-bumen/2022\n")
    assert "extends: no rubric evil-bumen/2022 under rules" in lint()
    (repo / "rules/_shared").mkdir()
    os.symlink(RULES_2022 / "indicators/asset_inventory.yaml", repo / "rules/_shared/inventory.yaml")
    child(
        repo,
        "extends: guangzhou-huangpu-bumen/2022\nchanges:\n  - {replace: asset_inventory, use: _shared/inventory}\n",
    )
    assert "use: no shared row _shared/inventory under rules" in lint()


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ("{remove: no_such_row}", "remove: there is no row 'no_such_row' in guangzhou-huangpu-bumen/2022"),
        ("{reweight: budget_executin, weight: 8}", "(did you mean 'budget_execution'?)"),
        (
            "{add: budget_execution}",
            "add: the row 'budget_execution' is in guangzhou-huangpu-bumen/2022 already",
        ),
        (
            "{add: new_row}",
            "no file rules/guangzhou-huangpu-bumen/2023/indicators/new_row.yaml for the row 'new_row'",
        ),
        (
            "{add: x, remove: y}",
            "a change names exactly one of add, remove, reweight, replace, change (this one names: add, remove)",
        ),
        ("{reweight: budget_execution}", "reweight needs its weight:"),
        (
            "{change: carryover_rate, set: {bandz: 1}}",
            "[carryover_rate] bandz: unknown key 'bandz' (did you mean 'bands'?)",
        ),
        ("{change: carryover_rate, set: {id: other}}", "a change cannot set a row's id"),
        (
            "{add: asset_inventory_2, use: guangzhou-huangpu-bumen/2022/asset_inventry, after: nowhere}",
            "use: there is no row 'asset_inventry' in guangzhou-huangpu-bumen/2022",
        ),
    ],
)
def test_each_change_that_cannot_be_made_is_said_at_its_line(repo: Path, change: str, said: str) -> None:
    path = child(repo, f"extends: guangzhou-huangpu-bumen/2022\nchanges:\n  - {change}\n")
    out = lint()
    assert f"rubric.yaml:{line_of(path, '  - ' + change)}:" in out
    assert said in out


def test_a_row_file_no_change_names_is_said_at_the_file(repo: Path) -> None:
    child(repo, "extends: guangzhou-huangpu-bumen/2022\n")
    (repo / CHILD / "indicators").mkdir()
    shutil.copy(RULES_2022 / "indicators/asset_inventory.yaml", repo / CHILD / "indicators")
    out = lint()
    assert "indicators/asset_inventory.yaml:1: [asset_inventory] this rubric extends another" in out
    assert "`- replace: asset_inventory`" in out


def test_an_edit_of_the_parent_is_seen_by_the_child(repo: Path, tmp_path: Path) -> None:
    """The rules cache never serves a resolved rubric from files it did not read."""
    parent = repo / "rules/guangzhou-huangpu-bumen/2022"
    shutil.copytree(RULES_2022, parent)
    child(repo, "extends: guangzhou-huangpu-bumen/2022\n")
    inputs = tmp_path / "d.yaml"
    text = (
        (EXAMPLES / "2022-zhengwu-fuwu.yaml")
        .read_text(encoding="utf-8")
        .replace("year: 2022", "year: 2023", 1)
    )
    inputs.write_text(text, encoding="utf-8")

    def total() -> Decimal:
        result = runner.invoke(app, ["run", str(inputs), "--rules", CHILD, "-f", "json"])
        assert result.exit_code == 0, result.output
        return Decimal(str(json.loads(result.stdout, parse_float=Decimal)["total"]))

    before = total()
    row = parent / "indicators/budget_execution.yaml"
    row.write_text(
        row.read_text(encoding="utf-8").replace("formula: weight *", "formula: 0 *"), encoding="utf-8"
    )
    assert total() == before - Decimal("9.88")


def test_a_chain_too_long_is_refused(repo: Path) -> None:
    previous = "guangzhou-huangpu-bumen/2022"
    for n in range(10):
        folder = repo / f"rules/r{n}-bumen/2022"
        folder.mkdir(parents=True)
        (folder / "rubric.yaml").write_text(
            f"id: r{n}-bumen\nyear: 2022\nextends: {previous}\nprovenance: {{source: [x]}}\n",
            encoding="utf-8",
        )
        previous = f"r{n}-bumen/2022"
    assert "more than 8 rubrics extend one another here" in lint("rules/r9-bumen/2022")


def test_more_changes_than_the_bound_are_refused_before_any_is_made(repo: Path) -> None:
    items = "".join(
        f"  - {{add: r{n}, use: guangzhou-huangpu-bumen/2022/budget_execution}}\n" for n in range(1001)
    )
    path = child(repo, "extends: guangzhou-huangpu-bumen/2022\nchanges:\n" + items)
    out = lint()
    assert f"rubric.yaml:{line_of(path, 'changes:')}: changes: 1001 changes: at most 1000" in out


def test_a_new_rubric_is_never_written_inside_a_rubric_folder(repo: Path) -> None:
    inside = RULES_2022 / "next"
    result = runner.invoke(
        app, ["rules", "new", "guangzhou-huangpu-bumen/2023", "--from", "2022", "-o", str(inside)]
    )
    assert result.exit_code == 1
    assert "lies inside the rubric folder" in result.stderr and "nothing was written" in result.stderr
    assert not inside.exists()
    (repo / CHILD / "rubric.yaml").write_text("keep", encoding="utf-8")
    result = runner.invoke(app, ["rules", "new", "guangzhou-huangpu-bumen/2023", "--from", "2022"])
    assert result.exit_code == 1 and "this folder exists already; nothing was written" in result.stderr
    assert (repo / CHILD / "rubric.yaml").read_text(encoding="utf-8") == "keep"


@pytest.mark.parametrize("name", ["../x/2023", "/tmp/x/2023", "Guangzhou/2023", "a/20231", "a/2023/b"])
def test_a_new_rubrics_name_is_a_name_not_a_path(repo: Path, name: str) -> None:
    result = runner.invoke(app, ["rules", "new", name, "--from", "2022"])
    assert result.exit_code == 2 and "is not a rubric's name" in result.stderr
    assert sorted(p.name for p in (repo / "rules").iterdir()) == ["guangzhou-huangpu-bumen"]


def test_an_inputs_file_names_a_rubric_never_a_path(repo: Path, tmp_path: Path) -> None:
    text = (EXAMPLES / "2022-zhengwu-fuwu.yaml").read_text(encoding="utf-8")
    inputs = tmp_path / "d.yaml"
    inputs.write_text("rubric: ../../rules\n" + text, encoding="utf-8")
    result = runner.invoke(app, ["run", str(inputs), "--lang", "en"])
    assert result.exit_code == 1 and "d.yaml:1: rubric: '../../rules' is not a rubric's name" in result.stderr


@pytest.mark.parametrize(
    "use", ["_shared/../../etc/passwd", "/etc/passwd", "_shared/a/b", "guangzhou-huangpu-bumen/2022"]
)
def test_a_use_that_is_not_a_rows_name_is_said_as_such(repo: Path, use: str) -> None:
    path = child(
        repo, f"extends: guangzhou-huangpu-bumen/2022\nchanges:\n  - {{add: pw, use: {json.dumps(use)}}}\n"
    )
    out = lint()
    assert (
        f"rubric.yaml:{line_of(path, '  - {add: pw, use: ' + json.dumps(use) + '}')}: changes[0].use: " in out
    )
    assert "names no row: write _shared/<name> for a shared row, or <id>/<year>/<row>" in out


def test_a_rubric_id_is_lower_case_words_joined_by_hyphens(repo: Path) -> None:
    (repo / CHILD / "rubric.yaml").write_text(
        HEAD.replace("guangzhou-huangpu-bumen", "Guangzhou_Huangpu")
        + "extends: guangzhou-huangpu-bumen/2022\n",
        encoding="utf-8",
    )
    assert "rubric.yaml:1: id: 'Guangzhou_Huangpu' is not a rubric's id: lower-case words" in lint()


def test_a_change_to_a_row_removed_earlier_says_where_it_was_removed(repo: Path) -> None:
    path = child(
        repo,
        "extends: guangzhou-huangpu-bumen/2022\nchanges:\n  - {remove: asset_inventory}\n"
        "  - {change: asset_inventory, set: {explanation: 盘点}}\n",
    )
    out = lint()
    removed, changed = (
        line_of(path, "  - {remove: asset_inventory}"),
        line_of(path, "  - {change: asset_inventory, set: {explanation: 盘点}}"),
    )
    assert (
        f"rubric.yaml:{changed}: changes[1]: change: the row 'asset_inventory' was removed at "
        f"rules/guangzhou-huangpu-bumen/2023/rubric.yaml:{removed} (remove)" in out
    ), out
    assert "did you mean" not in out and "there is no row" not in out


def test_a_weight_sum_broken_by_a_replaced_file_names_that_file_not_another_change(repo: Path) -> None:
    path = child(
        repo,
        "extends: guangzhou-huangpu-bumen/2022\nchanges:\n  - {reweight: budget_execution, weight: 10}\n"
        "  - {replace: asset_inventory}\n",
    )
    source = (RULES_2022 / "indicators" / "asset_inventory.yaml").read_text(encoding="utf-8")
    row = repo / CHILD / "indicators" / "asset_inventory.yaml"
    row.parent.mkdir()
    row.write_text(source.replace("weight: 1\n", "weight: 5\n"), encoding="utf-8")
    out = lint()
    extends = line_of(path, "extends: guangzhou-huangpu-bumen/2022")
    weight = line_of(row, "weight: 5")
    assert (
        f"rubric.yaml:{extends}: the indicators weigh 104 in all, but the total is 100; the rows whose weights "
        f"differ from guangzhou-huangpu-bumen/2022: {CHILD}/indicators/asset_inventory.yaml:{weight} (5; "
        "guangzhou-huangpu-bumen/2022: 1)" in out
    ), out
    assert "[budget_execution]" not in out  # a row reweighted to its parent's weight is not blamed


CASE = """\
name: a removed row still named
inputs:
  department: 测试部门
  year: 2023
  indicators:
    asset_inventory: {deductions: [{points: 1, reason: 未盘点}]}
expect:
  scores:
    asset_inventory: 0
"""


def test_a_golden_case_naming_a_removed_row_is_said_at_its_line_with_where_it_was_removed(repo: Path) -> None:
    path = child(repo, "extends: guangzhou-huangpu-bumen/2022\nchanges:\n  - {remove: asset_inventory}\n"
                       "  - {reweight: asset_data_quality, weight: 3}\n")  # fmt: skip
    removed = line_of(path, "  - {remove: asset_inventory}")
    (repo / CHILD / "golden").mkdir()
    (repo / CHILD / "golden" / "case.yaml").write_text(CASE, encoding="utf-8")
    said = f"was removed by guangzhou-huangpu-bumen/2023 at {CHILD}/rubric.yaml:{removed} (remove)"
    out = lint()
    assert (
        f"{CHILD}/golden/case.yaml:6: [asset_inventory] inputs.indicators: the row 'asset_inventory' {said}"
        in out
    )
    assert (
        f"{CHILD}/golden/case.yaml:9: [asset_inventory] expect.scores: the row 'asset_inventory' {said}"
        in out
    )
    done = runner.invoke(app, ["test", f"{CHILD}/golden", "--rules", CHILD, "--lang", "en"])
    assert done.exit_code == 1
    assert f"case.yaml:9: [asset_inventory] expect.scores: the row 'asset_inventory' {said}" in done.stdout
    assert "did you mean" not in done.stdout and "no such indicator" not in done.stdout


def test_score_test_says_a_broken_rubric_s_problem_once_and_tallies_in_the_output_s_language(
    repo: Path,
) -> None:
    child(repo, "extends: guangzhou-huangpu-bumen/2022\nchanges:\n  - {remove: no_such_row}\n")
    (repo / CHILD / "golden").mkdir()
    for n in range(3):
        (repo / CHILD / "golden" / f"case{n}.yaml").write_text(CASE, encoding="utf-8")
    done = runner.invoke(app, ["test", f"{CHILD}/golden", "--rules", CHILD, "--lang", "zh"])
    assert done.exit_code == 1
    assert done.output.count("no_such_row") == 1, done.output
    assert done.output.rstrip().endswith("0 个通过，3 个未通过")


def test_a_row_listed_twice_in_a_child_is_said_once_with_both_lines_and_nothing_follows(repo: Path) -> None:
    listed = (RULES_2022 / "rubric.yaml").read_text(encoding="utf-8")
    rows = [line for line in listed.split("indicators:\n", 1)[1].splitlines() if line.startswith("  - ")]
    path = child(
        repo, "extends: guangzhou-huangpu-bumen/2022\nindicators:\n" + "\n".join([rows[0], *rows]) + "\n"
    )
    first = line_of(path, rows[0])
    out = lint()
    errors = [
        line for line in out.splitlines() if line.startswith(("rules/", "/")) and "(warning)" not in line
    ]
    ident = rows[0].removeprefix("  - ")
    assert errors == [
        f"{CHILD}/rubric.yaml:{first + 1}: indicator '{ident}' is listed 2 times (lines {first}, {first + 1}); "
        "delete the extra line"
    ], out


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ("{remove: no_such_row}", "remove：guangzhou-huangpu-bumen/2022 中没有指标“no_such_row”"),
        ("{add: budget_execution}", "add：guangzhou-huangpu-bumen/2022 中已有指标“budget_execution”"),
    ],
)
def test_a_change_that_cannot_be_made_is_said_in_chinese(repo: Path, change: str, said: str) -> None:
    child(repo, f"extends: guangzhou-huangpu-bumen/2022\nchanges:\n  - {change}\n")
    result = runner.invoke(app, ["lint", CHILD, "--lang", "zh"])
    assert result.exit_code == 1 and said in result.stdout, result.stdout
