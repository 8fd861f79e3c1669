"""What lint, test and explain tell a rubric's maintainer, pinned by the message and the exit code: golden cases
assert notes and marks, lint says where each mistake is and what would be right, explain's arithmetic holds."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app

from .conftest import VALID_INPUTS

runner = CliRunner()
ILLUSTRATIVE = Path(__file__).resolve().parent / "fixtures" / "rules" / "illustrative"


def lint(folder: Path) -> str:
    result = runner.invoke(app, ["lint", str(folder), "--lang", "en"])
    assert result.exit_code == 1, result.output
    return result.stdout


def case(tmp_path: Path, expect: str, extra: str = "") -> Path:
    folder = tmp_path / "cases" / "2022"
    folder.mkdir(parents=True)
    inputs = "".join(f"  {line}\n" for line in (VALID_INPUTS + extra).splitlines())
    (folder / "c.yaml").write_text(f"name: notes\ninputs:\n{inputs}expect:\n{expect}", encoding="utf-8")
    return tmp_path / "cases"


EXHAUSTED = "  ex_ante_evaluation:\n    deductions: [{points: 5, reason: 未开展事前评估。}]\n"


def test_a_golden_case_asserts_notes_in_either_language_and_the_provisional_mark(tmp_path: Path) -> None:
    extra = "\n".join(EXHAUSTED.splitlines()) + "\n"
    cases = case(
        tmp_path,
        "  provisional: false\n  notes_contain:\n    ex_ante_evaluation: [扣完为止, the row scores 0]\n",
        extra,
    )
    result = runner.invoke(app, ["test", str(cases), "--rules", "2022", "--lang", "en"])
    assert result.exit_code == 0, result.output


def test_a_note_or_mark_that_is_not_there_fails_the_case(tmp_path: Path) -> None:
    cases = case(tmp_path, "  provisional: true\n  notes_contain:\n    budget_execution: [不适用]\n")
    result = runner.invoke(app, ["test", str(cases), "--rules", "2022", "--lang", "en"])
    assert result.exit_code == 1
    assert "provisional: expected true, got false" in result.stdout
    assert "budget_execution: no note contains '不适用' (notes: none)" in result.stdout


def test_an_unknown_key_is_told_with_the_keys_allowed_there(rules_copy: Callable[..., Path]) -> None:
    folder = rules_copy({"indicators/asset_inventory.yaml": ("provenance:", "sources:")})
    out = lint(folder)
    assert "sources: unknown key 'sources'; allowed here: inputs, formula, rounding," in out
    assert "provenance, name_en, explanation_en" in out


def test_a_row_listed_twice_is_told_at_its_second_listing(rules_copy: Callable[..., Path]) -> None:
    folder = rules_copy(
        {"rubric.yaml": ("  - outcome_targets\n", "  - outcome_targets\n  - output_targets\n")}
    )
    lines = (folder / "rubric.yaml").read_text(encoding="utf-8").splitlines()
    second = [n for n, line in enumerate(lines, start=1) if line == "  - output_targets"][1]
    assert f"rubric.yaml:{second}: indicator 'output_targets' is listed 2 times" in lint(folder)


def test_a_colon_inside_unquoted_prose_gets_the_quoting_hint(rules_copy: Callable[..., Path]) -> None:
    folder = rules_copy(
        {
            "indicators/contract_filing_timeliness.yaml": (
                "explanation: 反映采购合同备案",
                "explanation: 反映: 采购合同备案",
            )
        }
    )
    out = lint(folder)
    assert "contract_filing_timeliness.yaml:6: YAML syntax error" in out
    assert "a colon followed by a space inside unquoted text starts a key: put the text in quotes" in out
    assert "indentation" not in out


@pytest.mark.parametrize("threshold", ["1200", "-5"])
def test_a_step_threshold_outside_its_inputs_range_is_told_at_its_line(
    tmp_path: Path, threshold: str
) -> None:
    folder = tmp_path / "illustrative"
    shutil.copytree(ILLUSTRATIVE, folder)
    path = folder / "indicators" / "public_expense_steps.yaml"
    text = path.read_text(encoding="utf-8").replace("  threshold: 100\n", f"  threshold: {threshold}\n")
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index(f"  threshold: {threshold}") + 1
    out = lint(folder)
    assert (
        f"public_expense_steps.yaml:{line}: [public_expense_steps] steps.threshold: the threshold {threshold}"
        in out
    )
    assert "lies outside what control_rate may be (0 to 1000)" in out


def test_explain_shows_arithmetic_that_holds_when_deductions_run_out(tmp_path: Path) -> None:
    inputs = tmp_path / "d.yaml"
    source = (ILLUSTRATIVE / "golden" / "band-edges-b.yaml").read_text(encoding="utf-8")
    body = source.split("inputs:\n", 1)[1].split("expect:", 1)[0]
    body = body.replace(
        "audit_findings: {audit_problems: 1, criticisms: 0}",
        "audit_findings: {audit_problems: 7, criticisms: 0}",
    )
    body = body.replace(
        "public_expense_steps: {control_rate: 100.99}", "public_expense_steps: {control_rate: 110.5}"
    )
    inputs.write_text("\n".join(line[2:] for line in body.splitlines()) + "\n", encoding="utf-8")
    result = runner.invoke(
        app, ["explain", str(inputs), "--rules", str(ILLUSTRATIVE), "-i", "audit_findings", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert "7 × 0.5 = 3.5, of which only 3 is left to deduct (扣完为止)  = 0" in result.stdout
    assert "= -" not in result.stdout  # no running score below zero
    result = runner.invoke(
        app, ["explain", str(inputs), "--rules", str(ILLUSTRATIVE), "-i", "public_expense_steps"]
    )
    assert "10 step(s) × 0.5 = 5 deducted  = 0" in result.stdout and "= -" not in result.stdout
    result = runner.invoke(
        app, ["explain", str(inputs), "--rules", str(ILLUSTRATIVE), "-i", "execution_by_type"]
    )
    assert "basic '按基本支出执行率', as no other alternative applies" in result.stdout
    assert "because —" not in result.stdout  # the fallback option has no condition to name
