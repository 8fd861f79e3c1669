"""A rubric without `grades:` is valid: its results carry no grade (JSON `"grade": null`) and every output says
that the rubric grades none, instead of a grade it does not have."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from cli import app

from .conftest import EXAMPLES

runner = CliRunner()
EXAMPLE = str(EXAMPLES / "2022-zhengwu-fuwu.yaml")


def _without_grades(rules_copy: Callable[..., Path]) -> Path:
    folder = rules_copy()
    rubric = folder / "rubric.yaml"
    text = re.sub(r"\ngrades:\n(?:  - .*\n|    .*\n|  #.*\n)+", "\n", rubric.read_text(encoding="utf-8"))
    assert "grades:" not in text
    rubric.write_text(text, encoding="utf-8")
    return folder


def test_a_rubric_without_grades_lints_and_scores_with_no_grade(rules_copy: Callable[..., Path]) -> None:
    rules = str(_without_grades(rules_copy))
    lint = runner.invoke(app, ["lint", rules, "--lang", "en"])
    assert lint.exit_code == 0 and "0 error(s)" in lint.stdout
    done = runner.invoke(app, ["run", EXAMPLE, "--rules", rules, "-f", "json"])
    assert done.exit_code == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["grade"] is None and result["next_grade"] is None and result["total"] == 94.2
    table = runner.invoke(app, ["run", EXAMPLE, "--rules", rules, "--lang", "en"])
    assert "no grade (this rubric declares none)" in table.stdout
    explain = runner.invoke(app, ["explain", EXAMPLE, "--rules", rules, "--lang", "en"])
    assert explain.stdout.rstrip().endswith("no grade (this rubric declares none)")


def test_a_batch_under_a_rubric_without_grades_ranks_without_a_distribution(
    tmp_path: Path, rules_copy: Callable[..., Path]
) -> None:
    rules = str(_without_grades(rules_copy))
    (tmp_path / "in").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "in" / "a.yaml")
    done = runner.invoke(app, ["batch", str(tmp_path / "in"), "--rules", rules, "--lang", "en"])
    assert done.exit_code == 0, done.stderr
    assert "Grade distribution" not in done.stdout and "94.20" in done.stdout
