from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from scorer.engine import score
from scorer.inputs import parse_inputs
from scorer.result import Result
from scorer.rules import RuleSet, load_rules

ROOT = Path(__file__).resolve().parent.parent
RULES_2022 = ROOT / "rules" / "2022"
EXAMPLES = ROOT / "examples"

# A complete, valid 2022 inputs file: the formula rows filled, everything else at full marks.
VALID_INPUTS = """department: 测试部门
year: 2022
indicators:
  budget_execution:
    execution_rate: 98.88
  contract_filing_timeliness:
    contracts_total: 11
    contracts_filed_on_time: 9
  procurement_policy_effect:
    sme_suitable_budget: 10
    sme_awarded_amount: 9
"""


@pytest.fixture(scope="session")
def rules_2022() -> RuleSet:
    return load_rules("2022")


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


@pytest.fixture
def score_yaml(rules_2022: RuleSet) -> Callable[..., Result]:
    """Score an inputs file written inline (dedented), against the 2022 rules unless others are given."""

    def run(text: str, rules: RuleSet | None = None) -> Result:
        rule_set = rules or rules_2022
        return score(rule_set, parse_inputs(dedent(text), rule_set, "inputs.yaml"))

    return run


@pytest.fixture
def rules_copy(tmp_path: Path) -> Callable[..., Path]:
    """A copy of the 2022 rules to change: rules_copy({"indicators/x.yaml": (old, new)}) → the folder."""

    def make(edits: dict[str, tuple[str, str]] | None = None, name: str = "rules") -> Path:
        folder = tmp_path / name
        shutil.copytree(RULES_2022, folder)
        for relative, (old, new) in (edits or {}).items():
            path = folder / relative
            text = path.read_text(encoding="utf-8")
            assert old in text, f"{old!r} not in {relative}"
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return folder

    return make


def by_id(result: Result) -> dict[str, object]:
    return {i.id: i for i in result.indicators}


# Hypothesis profiles, chosen with HYPOTHESIS_PROFILE (default: "default"). They set the number of examples of the
# property tests that do not fix their own (tests/test_oracle.py): 40 in the everyday run, which keeps it within
# about ten seconds, and 10,000 under "ci" (HYPOTHESIS_PROFILE=ci python -m pytest tests/test_oracle.py).
settings.register_profile("default", max_examples=40)
settings.register_profile("ci", max_examples=10_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "oracle: the engine checked against the exact oracle in tests/oracle.py"
    )
