"""Checks across a department's figures (`checks:` in rubric.yaml): a department breaking one is refused at its
figures, naming the check and the values; lint refuses a check naming what the rubric does not have."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from cli import app

from .conftest import VALID_INPUTS

runner = CliRunner()
CHECKS = """
checks:
  - id: carryover_within_budget
    holds: carryover_amount <= budget_total + budget_basic
    message: {zh: 结转结余不得超过预算总额与基本支出之和, en: the carry-over may not exceed the budget and basic spending}
"""
FIGURES = "budget: {basic: 50}\nindicators:\n  carryover_rate: {carryover_amount: %s, budget_total: 100}\n"


def _rules(rules_copy: Callable[..., Path], checks: str = CHECKS, name: str = "rules") -> Path:
    folder = rules_copy(name=name)
    with (folder / "rubric.yaml").open("a", encoding="utf-8") as rubric:
        rubric.write(checks)
    return folder


def _run(tmp_path: Path, rules: Path, text: str) -> tuple[int, str, str]:
    path = tmp_path / "dept.yaml"
    path.write_text(text, encoding="utf-8")
    done = runner.invoke(app, ["run", str(path), "--rules", str(rules), "--lang", "en", "-f", "json"])
    return done.exit_code, done.stdout, done.stderr


def _inputs(carryover: str) -> str:
    return VALID_INPUTS.replace("indicators:\n", FIGURES % carryover, 1)


def test_a_department_breaking_a_check_is_refused_at_its_figure_with_the_values(
    tmp_path: Path, rules_copy: Callable[..., Path]
) -> None:
    rules = _rules(rules_copy)
    code, out, err = _run(tmp_path, rules, _inputs("150.5"))
    assert code == 1 and out == "" and "Traceback" not in err
    line = next(n for n, text in enumerate(_inputs("150.5").splitlines(), 1) if "carryover_amount" in text)
    assert f"dept.yaml:{line}: [carryover_rate] carryover_amount: breaks check carryover_within_budget" in err
    assert "the carry-over may not exceed the budget and basic spending" in err
    assert "carryover_amount = 150.5, budget_total = 100, budget_basic = 50" in err


def test_figures_within_the_check_are_scored_and_a_check_missing_a_figure_is_not_judged(
    tmp_path: Path, rules_copy: Callable[..., Path]
) -> None:
    rules = _rules(rules_copy)
    assert _run(tmp_path, rules, _inputs("150"))[0] == 0  # equal: the condition holds
    assert _run(tmp_path, rules, VALID_INPUTS)[0] == 0  # no carry-over given: nothing to judge


def test_lint_names_a_check_reading_what_the_rubric_does_not_have(rules_copy: Callable[..., Path]) -> None:
    rules = _rules(rules_copy, CHECKS.replace("budget_basic", "budget_basik"))
    lint = runner.invoke(app, ["lint", str(rules), "--lang", "en"])
    assert lint.exit_code == 1
    assert (
        "rubric.yaml:" in lint.stdout
        and "checks.0.holds: the condition of check carryover_within_budget" in (lint.stdout)
    )
    assert "budget_basik" in lint.stdout and "budget_basic" in lint.stdout


def test_lint_refuses_a_check_on_a_name_two_rows_declare_and_an_id_twice(
    rules_copy: Callable[..., Path],
) -> None:
    rules = _rules(rules_copy, CHECKS + CHECKS.replace("checks:\n", ""))
    row = rules / "indicators" / "budget_execution.yaml"
    text = row.read_text(encoding="utf-8").replace(
        "inputs:\n", "inputs:\n  carryover_amount: {type: number, min: 0, optional: true, label: 结转}\n", 1
    )
    row.write_text(text, encoding="utf-8")
    lint = runner.invoke(app, ["lint", str(rules), "--lang", "en"])
    assert lint.exit_code == 1 and "check carryover_within_budget is declared twice" in lint.stdout
    assert "reads 'carryover_amount', which several rows declare (" in lint.stdout
    assert "budget_execution" in lint.stdout and "carryover_rate" in lint.stdout


def test_a_division_by_zero_in_a_check_is_said_not_passed_over(
    tmp_path: Path, rules_copy: Callable[..., Path]
) -> None:
    rules = _rules(
        rules_copy,
        CHECKS.replace(
            "carryover_amount <= budget_total + budget_basic", "carryover_amount / budget_basic <= 2"
        ),
    )
    code, _, err = _run(tmp_path, rules, _inputs("150").replace("basic: 50", "basic: 0"))
    assert code == 1 and "check carryover_within_budget cannot be judged on these figures" in err


def test_a_check_naming_an_unknown_name_is_told_every_kind_of_name_it_may_read(
    tmp_path: Path, rules_copy: Callable[..., Path]
) -> None:
    rules = _rules(rules_copy, CHECKS.replace("carryover_amount <=", "carryover_amout <="))
    done = runner.invoke(app, ["lint", str(rules), "--lang", "en"])
    assert done.exit_code == 1
    assert "check carryover_within_budget cannot be used" in done.stdout
    assert "a shared input declared under inputs: in rubric.yaml" in done.stdout
