"""Golden cases and the docs agree: a case's inputs_file stays inside its folder (the documented example is such a
file), a golden folder inside a rules folder is scored with that folder without --rules, and `score diff` says
when it found nothing to re-score."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from tests.test_kinds import ILLUSTRATIVE

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def test_the_documented_inputs_file_lies_beside_its_case() -> None:
    docs = (ROOT / "docs" / "writing-rules.md").read_text(encoding="utf-8")
    section = docs[docs.index("## Golden cases") :]
    given = re.search(r"^inputs_file: (\S+)", section, re.M)
    assert given is not None
    case_folder = ROOT / "tests" / "golden" / "2022"
    target = (case_folder / given[1]).resolve()
    assert target.is_file() and case_folder.resolve() in target.parents


def test_an_inputs_file_outside_the_case_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "cases" / "2022"
    folder.mkdir(parents=True)
    (folder / "c.yaml").write_text(
        "name: outside\nsource: x\ninputs_file: ../../../examples/2022-zhengwu-fuwu.yaml\nexpect: {total: 1}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["test", str(folder)])
    assert result.exit_code == 1 and "lies outside the case's folder" in result.output + result.stderr


def test_a_golden_folder_inside_a_rules_folder_needs_no_rules_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ILLUSTRATIVE, tmp_path / "rules" / "draft")
    monkeypatch.chdir(tmp_path)  # a working folder with no ./rules/<year> named after the cases' folder
    result = runner.invoke(app, ["test", "rules/draft/golden"])
    assert result.exit_code == 0, result.output + result.stderr
    assert " failed" not in result.output or ", 0 failed" in result.output


def test_diff_says_when_it_found_nothing_to_rescore(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(ILLUSTRATIVE, tmp_path / "a")
    shutil.copytree(ILLUSTRATIVE, tmp_path / "b")
    monkeypatch.chdir(tmp_path)  # no examples/ nor tests/golden/ here
    result = runner.invoke(app, ["diff", "a", "b"])  # the rubrics' own golden/ cases are re-scored
    assert result.exit_code == 0 and "--inputs" not in result.stderr
    shutil.move(tmp_path / "a" / "golden", tmp_path / "cases")
    shutil.rmtree(tmp_path / "b" / "golden")
    result = runner.invoke(app, ["diff", "a", "b"])
    assert result.exit_code == 0 and "--inputs" in result.stderr and "b/golden, a/golden" in result.stderr
    result = runner.invoke(app, ["diff", "a", "b", "--inputs", "cases"])
    assert result.exit_code == 0 and "--inputs" not in result.stderr
