"""The frozen rules under tests/fixtures, and why the tests pinning lines use them instead of the shipped ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scorer.engine.result import Result
from scorer.engine.score import score
from scorer.inputs.read import load_inputs
from scorer.rules.model import RuleSet
from scorer.rules.read import load_rules

from .conftest import EXAMPLES, FIXTURE_RULES, RULES_2022

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def test_the_fixture_has_the_shipped_indicators(fixture_rules: RuleSet, rules_2022: RuleSet) -> None:
    """Same structure, not the same bytes: the shipped rubric may be edited, the fixture stays frozen."""
    assert sorted(i.id for i in fixture_rules.indicators) == sorted(i.id for i in rules_2022.indicators)
    assert sorted(p.stem for p in (FIXTURE_RULES / "indicators").glob("*.yaml")) == sorted(
        p.stem for p in (RULES_2022 / "indicators").glob("*.yaml")
    )


def _scores(result: Result) -> tuple[object, str, dict[str, object]]:
    return result.total, result.grade, {row.id: row.score for row in result.indicators}


@pytest.fixture(scope="module")
def commented_rules(tmp_path_factory: pytest.TempPathFactory) -> RuleSet:
    """The shipped 2022 rules with a comment line added at the top of every file."""
    folder = tmp_path_factory.mktemp("commented") / "2022"
    shutil.copytree(RULES_2022, folder)
    files = sorted(folder.rglob("*.yaml"))
    assert len(files) == 1 + len(list((RULES_2022 / "indicators").glob("*.yaml")))
    for path in files:
        path.write_text("# edited\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    return load_rules(folder)


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=[p.name for p in EXAMPLE_FILES])
def test_a_comment_added_to_the_shipped_rules_changes_no_score(
    example: Path, commented_rules: RuleSet, rules_2022: RuleSet
) -> None:
    edited = score(commented_rules, load_inputs(example, commented_rules))
    shipped = score(rules_2022, load_inputs(example, rules_2022))
    assert edited.total == shipped.total
    assert _scores(edited) == _scores(shipped)


def test_both_published_examples_are_scored() -> None:
    names = {p.name for p in EXAMPLE_FILES}
    assert {"2022-suigang-zhizao.yaml", "2022-zhengwu-fuwu.yaml"} <= names
