"""Partly known rubrics: a row known but not encoded yet (`scoring: entered`) is scored only by the score and
reason an evaluator enters, never full marks by default, and every output marks the rubric as partly encoded."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from cli import app

from .conftest import VALID_INPUTS

runner = CliRunner()
ENTERED = "scoring: entered\nentered:\n  standard: 按年报数据质量综合评分（评分细则尚未编码）\n"
ENTRY = "indicators:\n  asset_data_quality:\n    score: {score}\n    reason: 年报数据有两处错填。\n"


def _rules(rules_copy: Callable[..., Path]) -> Path:
    return rules_copy({"indicators/asset_data_quality.yaml": ("scoring: deductions\n", ENTERED)})


def _run(tmp_path: Path, rules: Path, text: str, *args: str) -> tuple[int, str, str]:
    path = tmp_path / "dept.yaml"
    path.write_text(text, encoding="utf-8")
    done = runner.invoke(app, ["run", str(path), "--rules", str(rules), "--lang", "en", *args])
    return done.exit_code, done.stdout, done.stderr


def test_a_department_without_the_evaluators_entry_is_refused_at_the_row(
    tmp_path: Path, rules_copy: Callable[..., Path]
) -> None:
    code, out, err = _run(tmp_path, _rules(rules_copy), VALID_INPUTS)
    assert code == 1 and out == ""
    assert "[asset_data_quality] score: '数据质量' is not encoded yet" in err
    assert "never full marks by default" in err and "按年报数据质量综合评分" in err


def test_the_entered_score_and_reason_score_the_row_and_every_output_marks_the_rubric(
    tmp_path: Path, rules_copy: Callable[..., Path]
) -> None:
    rules = _rules(rules_copy)
    text = VALID_INPUTS.replace("indicators:\n", ENTRY.format(score=1.5), 1)
    code, out, err = _run(tmp_path, rules, text, "-f", "json")
    assert code == 0, err
    result = json.loads(out)
    row = next(i for i in result["indicators"] if i["id"] == "asset_data_quality")
    assert (row["score"], row["reasons"]) == (1.5, ["年报数据有两处错填。"])
    assert result["rules"]["partly_encoded"] is True
    code, table, _ = _run(tmp_path, rules, text)
    assert "(partly encoded)" in table and "some rows of" in table
    code, out, _ = _run(tmp_path, rules, text.replace("score: 1.5", "score: 0"), "-f", "json")
    assert (
        code == 0
        and next(i for i in json.loads(out)["indicators"] if i["id"] == "asset_data_quality")["score"] == 0
    )  # a score of 0 is an entry, not a missing one


def test_a_blank_entry_is_no_entry(tmp_path: Path, rules_copy: Callable[..., Path]) -> None:
    text = VALID_INPUTS.replace(
        "indicators:\n", "indicators:\n  asset_data_quality:\n    reason: 未报送。\n", 1
    )
    code, _, err = _run(tmp_path, _rules(rules_copy), text)
    assert code == 1 and "[asset_data_quality] score: '数据质量' is not encoded yet" in err


def test_lint_warns_at_the_row_and_strict_lint_keeps_it_out_of_a_release(
    rules_copy: Callable[..., Path],
) -> None:
    rules = _rules(rules_copy)
    lint = runner.invoke(app, ["lint", str(rules), "--lang", "en"])
    assert (
        "asset_data_quality.yaml:9: [asset_data_quality] entered: row asset_data_quality is not encoded"
        in (lint.stdout)
    )
    assert runner.invoke(app, ["lint", "--strict", str(rules)]).exit_code == 1
    edit = {"indicators/asset_data_quality.yaml": ("scoring: deductions\n", "scoring: entered\n")}
    missing = rules_copy(edit, name="without_standard")
    lint = runner.invoke(app, ["lint", str(missing), "--lang", "en"])
    assert lint.exit_code == 1 and "entered" in lint.stdout


def test_the_template_asks_for_the_entry(rules_copy: Callable[..., Path]) -> None:
    made = runner.invoke(app, ["template", "--rules", str(_rules(rules_copy)), "--lang", "en"])
    assert made.exit_code == 0
    lines = made.stdout.splitlines()
    at = lines.index("  asset_data_quality:")
    assert lines[at + 1].startswith("    score:") and "not encoded yet" in lines[at + 1]


def test_a_golden_case_asserts_the_mark(tmp_path: Path, rules_copy: Callable[..., Path]) -> None:
    rules = _rules(rules_copy)
    inputs = VALID_INPUTS.replace("indicators:\n", ENTRY.format(score=1.5), 1)
    indented = "".join("  " + line + "\n" for line in inputs.splitlines())
    (tmp_path / "cases").mkdir()
    for name, mark in (("right", "true"), ("wrong", "false")):
        case = f"name: entered\nsource: test\ninputs:\n{indented}expect:\n  partly_encoded: {mark}\n"
        (tmp_path / "cases" / f"{name}.yaml").write_text(case, encoding="utf-8")
    done = runner.invoke(app, ["test", str(tmp_path / "cases"), "--rules", str(rules), "--lang", "en"])
    assert "1 passed, 1 failed" in done.stdout and "partly_encoded" in done.stdout


def test_a_batch_summary_marks_the_rubric(tmp_path: Path, rules_copy: Callable[..., Path]) -> None:
    (tmp_path / "in").mkdir()
    text = VALID_INPUTS.replace("indicators:\n", "indicators:\n  asset_data_quality: {score: 2}\n", 1)
    (tmp_path / "in" / "a.yaml").write_text(text, encoding="utf-8")
    done = runner.invoke(
        app, ["batch", str(tmp_path / "in"), "--rules", str(_rules(rules_copy)), "--lang", "en"]
    )
    assert done.exit_code == 0, done.stderr
    assert "(partly encoded)" in done.stdout.splitlines()[0]
