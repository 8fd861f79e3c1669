"""The published tables are ground truth: every golden case must reproduce them exactly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scorer.errors import UserError
from scorer.maintain.cases import discover, load_case, run_case
from scorer.rules.model import RuleSet
from scorer.rules.read import load_rules

GOLDEN = Path(__file__).parent / "golden"
CASES = discover([GOLDEN])


@pytest.mark.parametrize("path", CASES, ids=[p.relative_to(GOLDEN).as_posix() for p in CASES])
def test_golden_case(path: Path) -> None:
    rules: RuleSet = load_rules(path.parent.name)
    outcome = run_case(load_case(path), rules)
    assert outcome.passed, "\n".join(outcome.failures)


def test_both_published_tables_are_cases() -> None:
    names = {p.name for p in CASES}
    assert {"suigang-zhizao-published-table.yaml", "zhengwu-fuwu-published-table.yaml"} <= names


def test_a_wrong_expectation_fails(tmp_path: Path, rules_2022: RuleSet) -> None:
    """The case runner itself can fail: a case expecting the wrong total is reported, with both numbers."""
    source = (GOLDEN / "2022" / "suigang-zhizao-published-table.yaml").read_text(encoding="utf-8")
    wrong = tmp_path / "wrong.yaml"
    (tmp_path / "inputs").mkdir()
    shutil.copy(GOLDEN / "2022" / "inputs" / "2022-suigang-zhizao.yaml", tmp_path / "inputs")
    wrong.write_text(source.replace("total: 98.29", "total: 98.3"), encoding="utf-8")
    outcome = run_case(load_case(wrong), rules_2022)
    assert outcome.failures == ["total: expected 98.3, got 98.29"]


def test_the_published_cases_score_the_examples_users_see() -> None:
    """A case's inputs stay in its folder; these copies must not drift from the examples in the README."""
    for copy in (GOLDEN / "2022" / "inputs").glob("*.yaml"):
        example = GOLDEN.parent.parent / "examples" / copy.name
        assert copy.read_bytes() == example.read_bytes(), copy.name


def test_an_inputs_file_outside_the_case_folder_is_refused(tmp_path: Path) -> None:
    case = tmp_path / "cases" / "escape.yaml"
    case.parent.mkdir()
    case.write_text(
        "name: escape\ninputs_file: ../../../../etc/passwd\nexpect: {total: 1}\n", encoding="utf-8"
    )
    with pytest.raises(UserError) as raised:
        load_case(case)
    assert "lies outside the case's folder" in str(raised.value)
