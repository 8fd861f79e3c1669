"""`score test`: the same case loader as the golden tests, with coverage for CI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app

from .conftest import ROOT

runner = CliRunner()
GOLDEN = ROOT / "tests" / "golden"


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    folder = tmp_path / "golden" / "2022"
    folder.mkdir(parents=True)
    for name in ("every-declared-deduction-loses-its-points.yaml", "management-losses-give-liang.yaml"):
        shutil.copy(GOLDEN / "2022" / name, folder / name)
    return tmp_path / "golden"


def test_all_shipped_cases_pass_with_full_coverage(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, ["test", "--min-coverage", "100"])
    assert result.exit_code == 0, result.stdout
    assert "coverage: 100.0% (37 of 37)" in result.stdout
    assert result.stdout.endswith("7 passed, 0 failed\n")


def test_coverage_lists_what_no_case_exercises(cases: Path) -> None:
    result = runner.invoke(app, ["test", str(cases), "--coverage"])
    assert result.exit_code == 0, result.stdout
    assert "  not exercised: grade 差\n" in result.stdout
    assert "  not exercised: indicator three_public_expenses\n" in result.stdout
    assert "  not exercised: deduction pm_system_building.system_not_detailed\n" not in result.stdout


def test_coverage_counts_each_branch_of_a_formula(cases: Path) -> None:
    result = runner.invoke(app, ["test", str(cases), "--coverage", "--lang", "en"])
    assert (
        "  not exercised: formula branch contract_filing_timeliness: contracts_total is true\n"
        not in result.stdout
    )
    assert (
        "  not exercised: formula branch contract_filing_timeliness: contracts_total is false\n"
        in result.stdout
    )


def test_min_coverage_fails_below_the_threshold(cases: Path) -> None:
    result = runner.invoke(app, ["test", str(cases), "--min-coverage", "90"])
    assert result.exit_code == 1
    assert "is below --min-coverage 90.0%" in result.stdout


def test_a_failing_case_is_reported_and_fails(cases: Path) -> None:
    case = cases / "2022" / "management-losses-give-liang.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("total: 88.3", "total: 88.4"), encoding="utf-8")
    result = runner.invoke(app, ["test", str(cases)])
    assert result.exit_code == 1
    assert "     total: expected 88.4, got 88.3\n" in result.stdout
    assert result.stdout.endswith("1 passed, 1 failed\n")


def test_a_broken_case_file_is_an_error_with_its_line(cases: Path) -> None:
    (cases / "2022" / "broken.yaml").write_text("name: x\nexpect: {totl: 1}\ninputs: {}\n", encoding="utf-8")
    result = runner.invoke(app, ["test", str(cases)])
    assert result.exit_code == 1
    assert "broken.yaml:2: expect.totl: unknown key 'totl' (did you mean 'total'?)" in result.stdout
