from __future__ import annotations

import os
import shutil
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from scorer import i18n
from scorer.engine.result import Result
from scorer.engine.score import score
from scorer.facts import Message
from scorer.i18n import say
from scorer.inputs.read import parse_inputs
from scorer.rules.model import RuleSet
from scorer.rules.read import load_rules

# Messages in English unless a test asks for Chinese (--lang zh): the machine's locale must not change results.
os.environ["SCORE_LANG"] = "en"
# The checked-rules cache of this test run, apart from the user's own.
os.environ["SCORE_CACHE_DIR"] = tempfile.mkdtemp(prefix="score-test-cache-")

ROOT = Path(__file__).resolve().parent.parent
# The shipped rubric: for tests of the rubric itself (golden cases, published totals, lint --strict).
RULES_2022 = ROOT / "rules" / "guangzhou-huangpu-bumen" / "2022"
# A frozen copy of it (see tests/fixtures/README.md): for tests that pin line numbers or texts of rule files,
# so that editing the shipped rubric does not move what they expect.
FIXTURE_RULES = Path(__file__).resolve().parent / "fixtures" / "rules" / "2022"
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


@pytest.fixture(autouse=True)
def _language_from_the_environment() -> Iterator[None]:
    """Each test starts in the language of SCORE_LANG: one that ran `score --lang zh` leaves it behind."""
    i18n.set_language(None)
    yield


@pytest.fixture(scope="session")
def rules_2022() -> RuleSet:
    """The shipped 2022 rules."""
    return load_rules("2022")


@pytest.fixture(scope="session")
def fixture_rules() -> RuleSet:
    """The frozen copy of the 2022 rules under tests/fixtures."""
    return load_rules(FIXTURE_RULES)


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


@pytest.fixture
def score_yaml(fixture_rules: RuleSet) -> Callable[..., Result]:
    """Score an inputs file written inline (dedented), against the frozen 2022 rules unless others are given."""

    def run(text: str, rules: RuleSet | None = None) -> Result:
        rule_set = rules or fixture_rules
        return score(rule_set, parse_inputs(dedent(text), rule_set, "inputs.yaml"))

    return run


@pytest.fixture
def rules_copy(tmp_path: Path) -> Callable[..., Path]:
    """A copy of the frozen 2022 rules to change: rules_copy({"indicators/x.yaml": (old, new)}) → the folder."""

    def make(edits: dict[str, tuple[str, str]] | None = None, name: str = "rules") -> Path:
        folder = tmp_path / name
        shutil.copytree(FIXTURE_RULES, folder)
        for relative, (old, new) in (edits or {}).items():
            path = folder / relative
            text = path.read_text(encoding="utf-8")
            assert old in text, f"{old!r} not in {relative}"
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return folder

    return make


def zh(messages: tuple[Message, ...]) -> tuple[str, ...]:
    """What the engine said, in the words of the published tables."""
    return tuple(say(message, "zh") for message in messages)


def by_id(result: Result) -> dict[str, object]:
    return {i.id: i for i in result.indicators}


# Hypothesis profiles, chosen with HYPOTHESIS_PROFILE (default: "default"). They set the number of examples of the
# property tests that do not fix their own (tests/test_oracle.py): 40 in the everyday run, which keeps it within
# about ten seconds; 1,000 under "ci", which CI runs on every change (about a minute and a half); and 10,000 under
# "full" (HYPOTHESIS_PROFILE=full python -m pytest tests/test_oracle.py, about a quarter of an hour), the run to
# make before a release or after a change to the engine's arithmetic.
settings.register_profile("default", max_examples=40)
settings.register_profile("ci", max_examples=1_000, deadline=None)
settings.register_profile("full", max_examples=10_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "oracle: the engine checked against the exact oracle in tests/oracle.py"
    )


# The web workplace's fixtures (tests/webtools.py): one site for the run, each test's database changes undone.
from tests.webtools import db, site  # noqa: E402, F401
