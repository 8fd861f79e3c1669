"""docs/rubrics.md walked as a maintainer walks it: list the rubrics, create next year's Guangzhou rubric as a
provisional extension and change two rows, encode another region's rubric that shares rows with the shipped
one, and have lint, test and diff say what they broke at its file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app

from .conftest import EXAMPLES

runner = CliRunner()
NEW = "rules/guangzhou-huangpu-bumen/2023/rubric.yaml"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--lang", "en"] if args[0] != "rules" else [*args])
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def department(tmp_path: Path, year: int, extra: str = "") -> Path:
    text = (EXAMPLES / "2022-zhengwu-fuwu.yaml").read_text(encoding="utf-8")
    path = tmp_path / f"dept-{year}.yaml"
    path.write_text(extra + text.replace("year: 2022", f"year: {year}", 1), encoding="utf-8")
    return path


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rules").mkdir()
    return tmp_path


def test_list_shows_the_shipped_rubric_with_its_status(repo: Path) -> None:
    code, out, _ = run("rules", "list", "--format", "json")
    assert code == 0
    listed = {item["rubric"]: item for item in json.loads(out)}
    assert listed["guangzhou-huangpu-bumen/2022"]["status"] == "released"
    assert listed["guangzhou-huangpu-bumen/2022"]["extends"] is None
    assert (listed["guangzhou-huangpu-bumen/2022"]["id"], listed["guangzhou-huangpu-bumen/2022"]["year"]) == (
        "guangzhou-huangpu-bumen",
        2022,
    )


def test_next_year_is_a_provisional_extension_with_two_rows_changed(repo: Path) -> None:
    code, _, err = run(
        "rules", "new", "guangzhou-huangpu-bumen/2023", "--from", "guangzhou-huangpu-bumen/2022"
    )
    assert code == 0 and "provisional" in err
    code, out, _ = run("rules", "list")
    assert "guangzhou-huangpu-bumen/2023" in out and "extends guangzhou-huangpu-bumen/2022" in out
    rubric = repo / NEW
    text = rubric.read_text(encoding="utf-8").replace(
        "changes: []",
        "changes:\n  - {reweight: budget_execution, weight: 8}\n  - {reweight: output_targets, weight: 22}\n",
    )
    rubric.write_text(text, encoding="utf-8")
    code, out, _ = run("lint", "rules/guangzhou-huangpu-bumen/2023")
    assert code == 0, out
    assert "budget_execution: from guangzhou-huangpu-bumen/2022 row budget_execution, changed at" in out
    code, out, _ = run(
        "run", str(department(repo, 2023)), "--rules", "guangzhou-huangpu-bumen/2023", "-f", "json"
    )
    assert code == 0, out
    result = json.loads(out)
    assert result["rules"]["provisional"] is True and result["rules"]["id"] == "guangzhou-huangpu-bumen"
    weights = {row["id"]: row["weight"] for row in result["indicators"]}
    assert weights["budget_execution"] == 8 and weights["output_targets"] == 22
    code, out, _ = run("diff", "guangzhou-huangpu-bumen/2022", "rules/guangzhou-huangpu-bumen/2023")
    assert code == 0
    assert "guangzhou-huangpu-bumen/2022 (released) → guangzhou-huangpu-bumen/2023 (provisional)" in out
    assert f"budget_execution: reweighted: 10 → 8 (changed at {NEW}:" in out
    # the sources recorded and the status set: no longer provisional
    text = rubric.read_text(encoding="utf-8")
    text = text.replace("status: provisional", "status: released").replace(
        "source: []", "source: [2023 自评表]"
    )
    rubric.write_text(text, encoding="utf-8")
    code, out, _ = run(
        "run", str(department(repo, 2023)), "--rules", "guangzhou-huangpu-bumen/2023", "-f", "json"
    )
    assert code == 0 and json.loads(out)["rules"]["provisional"] is False


def test_a_reweight_that_breaks_the_total_is_said_at_its_line(repo: Path) -> None:
    run("rules", "new", "guangzhou-huangpu-bumen/2023", "--from", "2022")
    rubric = repo / NEW
    text = rubric.read_text(encoding="utf-8").replace(
        "changes: []", "changes:\n  - reweight: budget_execution\n    weight: 8\n"
    )
    rubric.write_text(text, encoding="utf-8")
    line = text.splitlines().index("  - reweight: budget_execution") + 1
    code, out, _ = run("lint", "rules/guangzhou-huangpu-bumen/2023")
    assert code == 1
    extends = (
        text.splitlines().index("extends: guangzhou-huangpu-bumen/2022") + 1
    )  # its levels are the parent's
    assert f"{NEW}:{extends}: the indicators under '履职效能 / 整体效能' weigh 48" in out
    assert f"budget_execution as changed at {NEW}:{line} (8; guangzhou-huangpu-bumen/2022: 10)" in out
    assert "output_targets" not in out  # only the row whose weight differs from the parent's


TINY = """\
id: shenzhen-futian-bumen
region: shenzhen-futian
family: bumen
year: 2022
title: 部门整体支出绩效自评表
total: 10
rounding: {places: 2, mode: half_up}
levels:
  - name: 管理效率
    weight: 10
    children:
      - {name: 预算执行, weight: 10}
grades:
  - {name: 优, min: 9, max: 10}
  - {name: 差, min: 0, max: 9}
indicators: [execution, contracts]
provenance:
  source: [深圳市福田区 2022 自评表 (an example)]
changes:
  - add: execution
    use: guangzhou-huangpu-bumen/2022/budget_execution
    weight: 6
    set: {level1: 管理效率, level2: 预算执行}
  - add: contracts
    use: _shared/contracts_filed
    weight: 4
"""


def shared_row(repo: Path) -> None:
    source = Path(__file__).resolve().parent.parent / "rules/guangzhou-huangpu-bumen/2022/indicators"
    text = (source / "contract_filing_timeliness.yaml").read_text(encoding="utf-8")
    text = text.replace("level2: 采购管理", "level2: 预算执行").replace("weight: 1\n", "")
    (repo / "rules" / "_shared").mkdir()
    (repo / "rules" / "_shared" / "contracts_filed.yaml").write_text(text, encoding="utf-8")


def test_another_region_shares_rows_without_copying_them(repo: Path) -> None:
    shared_row(repo)
    folder = repo / "rules" / "shenzhen-futian-bumen" / "2022"
    folder.mkdir(parents=True)
    (folder / "rubric.yaml").write_text(TINY, encoding="utf-8")
    code, out, _ = run("lint", str(folder))
    assert code == 0, out
    assert "contracts: from _shared/contracts_filed row contracts_filed" in out
    code, out, _ = run("template", "--rules", "shenzhen-futian-bumen/2022")
    assert code == 0 and "\nyear: 2022\nrubric: shenzhen-futian-bumen\n" in out  # the file names its rubric
    tiny = repo / "tiny.yaml"
    tiny.write_text(
        "rubric: shenzhen-futian-bumen\ndepartment: 测试局\nyear: 2022\nindicators:\n"
        "  execution: {execution_rate: 95}\n"
        "  contracts: {contracts_total: 4, contracts_filed_on_time: 3}\n",
        encoding="utf-8",
    )
    code, out, err = run("run", str(tiny), "-f", "json")
    assert code == 0, err
    result = json.loads(out)
    assert result["total"] == 8.7 and result["grade"] == "差"  # 6 × 0.95 = 5.7, 4 × 3/4 = 3
    code, out, err = run("explain", str(tiny), "-i", "execution")
    assert "from guangzhou-huangpu-bumen/2022 row budget_execution" in out
    # scored against another rubric than the one it names: refused, with the likely one
    code, _, err = run("run", str(tiny), "--rules", "2022")
    assert code == 1
    assert "tiny.yaml:1: rubric: this file is for the rubric shenzhen-futian-bumen" in err
    assert "use --rules shenzhen-futian-bumen/2022" in err


def test_a_broken_shared_row_is_said_where_it_is_used(repo: Path) -> None:
    shared_row(repo)
    folder = repo / "rules" / "shenzhen-futian-bumen" / "2022"
    folder.mkdir(parents=True)
    text = TINY.replace("use: _shared/contracts_filed", "use: _shared/contracts_filled")
    (folder / "rubric.yaml").write_text(text, encoding="utf-8")
    line = text.splitlines().index("    use: _shared/contracts_filled") + 1
    code, out, _ = run("lint", str(folder))
    assert code == 1
    assert f"rubric.yaml:{line}: use: no shared row _shared/contracts_filled under rules" in out


def test_a_later_department_without_its_rubric_gets_both_ways_forward(repo: Path) -> None:
    path = department(repo, 2024)
    code, _, err = run("run", str(path))
    assert code == 1
    assert "either score it under an earlier year's rubric, --rules guangzhou-huangpu-bumen/2022" in err
    assert "score rules new guangzhou-huangpu-bumen/2024 --from guangzhou-huangpu-bumen/2022" in err
    code, out, _ = run("run", str(path), "--rules", "guangzhou-huangpu-bumen/2022", "-f", "json")
    assert code == 0 and json.loads(out)["rules"]["under_earlier_year"] is True
    code, out, _ = run("run", str(path), "--rules", "guangzhou-huangpu-bumen/2022")
    assert "scored under 2022's rubric (guangzhou-huangpu-bumen/2022): 2024 has no released rubric" in out


def test_diff_without_inputs_re_scores_the_new_rubric_s_own_golden_cases(repo: Path) -> None:
    run("rules", "new", "guangzhou-huangpu-bumen/2023", "--from", "2022")
    code, _, err = run("diff", "guangzhou-huangpu-bumen/2022", "rules/guangzhou-huangpu-bumen/2023")
    assert code == 0
    assert "rules/guangzhou-huangpu-bumen/2023/golden" in err and "looked in: —" not in err
    assert "--inputs rules/<id>/<year>/golden" in err and "rules/2023/golden" not in err
    golden = repo / "rules" / "guangzhou-huangpu-bumen" / "2023" / "golden"
    golden.mkdir()
    case = (EXAMPLES.parent / "tests" / "golden" / "2022" / "management-losses-give-liang.yaml").read_text(
        encoding="utf-8"
    )
    (golden / "case.yaml").write_text(case.replace("year: 2022", "year: 2023"), encoding="utf-8")
    code, out, err = run("diff", "guangzhou-huangpu-bumen/2022", "rules/guangzhou-huangpu-bumen/2023")
    assert code == 0 and "no inputs files" not in err
    assert "case.yaml" in out


def test_lint_and_run_name_what_is_there_and_nothing_that_is_not(repo: Path) -> None:
    """A rubric that extends nothing is not said to extend "—"; the golden places lint names exist in the
    rules/<id>/<year> layout; `run` names a rubric outside the default family by its id."""
    shared_row(repo)
    folder = repo / "rules" / "shenzhen-futian-bumen" / "2022"
    folder.mkdir(parents=True)
    (folder / "rubric.yaml").write_text(TINY, encoding="utf-8")
    code, out, _ = run("lint", "rules/shenzhen-futian-bumen/2022")
    assert code == 0, out
    assert (
        "extends —" not in out and "rules/shenzhen-futian-bumen/2022: 2 rows come from other rubrics" in out
    )
    assert "rules/tests/golden" not in out and "tests/golden/2022" in out
    tiny = repo / "tiny.yaml"
    tiny.write_text(
        "rubric: shenzhen-futian-bumen\ndepartment: 测试局\nyear: 2022\nindicators:\n"
        "  execution: {execution_rate: 95}\n  contracts: {contracts_total: 4, contracts_filed_on_time: 3}\n",
        encoding="utf-8",
    )
    code, out, err = run("run", str(tiny))
    assert code == 0, err
    assert "Rules: shenzhen-futian-bumen/2022 (sha256:" in out
