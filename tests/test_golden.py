"""The published tables are ground truth: every golden case must reproduce them exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from scorer.casefile import discover, load_case, run_case
from scorer.rules import RuleSet, load_rules

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
    wrong.write_text(
        source.replace("total: 98.29", "total: 98.3").replace(
            "../../../examples", str(GOLDEN.parent.parent / "examples")
        ),
        encoding="utf-8",
    )
    outcome = run_case(load_case(wrong), rules_2022)
    assert outcome.failures == ["total: expected 98.3, got 98.29"]
