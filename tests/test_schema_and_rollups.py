"""`score schema`, and the targets roll-ups a rule file may declare."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import jsonschema_rs
import pytest
from typer.testing import CliRunner

from cli import app
from scorer.engine.result import Result
from scorer.rules.read import load_rules
from scorer.sources.yaml import load_yaml_file

from .conftest import EXAMPLES, by_id

runner = CliRunner()


def test_schema_validates_the_examples_and_names_every_indicator(tmp_path: Path) -> None:
    result = runner.invoke(app, ["schema", "--rules", "2022"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    jsonschema_rs.meta.validate(schema)  # a schema any standard validator reads
    indicators = schema["properties"]["indicators"]["properties"]
    assert len(indicators) == 26
    assert (
        indicators["budget_execution"]["properties"]["execution_rate"]["description"]
        == "年度平均预算执行率 (%)"
    )
    validator = jsonschema_rs.Draft202012Validator(schema)
    for example in sorted(EXAMPLES.glob("*.yaml")):
        assert not list(validator.iter_errors(load_yaml_file(example).data)), example
    bad = load_yaml_file(EXAMPLES / "2022-suigang-zhizao.yaml").data
    bad["indicators"]["budget_execution"]["execution_rat"] = 1
    assert [e.kind.name for e in validator.iter_errors(bad)] == ["additionalProperties"]


TARGETS = """
department: 测试
year: 2022
indicators:
  budget_execution: {execution_rate: 100}
  contract_filing_timeliness: {contracts_total: 0, contracts_filed_on_time: 0}
  procurement_policy_effect: {sme_suitable_budget: 0, sme_awarded_amount: 0}
  output_targets:
    targets:
      - {name: 甲, target: "≥10次", actual: "5次", weight: 3}
      - {name: 乙, target: "≥10次", actual: "10次", weight: 1}
      - {name: 丙, target: "100%", actual: "90%", weight: 1}
"""


@pytest.mark.parametrize(
    ("roll_up", "expected"),
    [
        ("mean_completion", Decimal(20) * (Decimal("0.5") + 1 + Decimal("0.9")) / 3),  # 16
        ("equal_shares", Decimal(20) * 1 / 3),  # one of three met
        ("weighted_completion", Decimal(20) * (3 * Decimal("0.5") + 1 + Decimal("0.9")) / 5),  # 13.6
    ],
)
def test_each_roll_up(
    roll_up: str, expected: Decimal, rules_copy: Callable[..., Path], score_yaml: Callable[..., Result]
) -> None:
    rules = load_rules(
        rules_copy({"indicators/output_targets.yaml": ("roll_up: mean_completion", f"roll_up: {roll_up}")})
    )
    row = by_id(score_yaml(TARGETS, rules))["output_targets"]
    assert row.score == expected.quantize(Decimal("0.01"))
    assert [t.name for t in row.targets if not t.met] == ["甲", "丙"]


def test_weighted_roll_up_needs_every_weight(
    rules_copy: Callable[..., Path], score_yaml: Callable[..., Result]
) -> None:
    from scorer.errors import UserError

    rules = load_rules(
        rules_copy(
            {"indicators/output_targets.yaml": ("roll_up: mean_completion", "roll_up: weighted_completion")}
        )
    )
    with pytest.raises(
        UserError, match=r"inputs.yaml:10: \[output_targets\] targets\[1\].weight: target '乙' needs a weight"
    ):
        score_yaml(TARGETS.replace(", weight: 1}", "}", 1), rules)


def test_an_unreadable_target_in_a_file_exits_1_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "dept.yaml"
    path.write_text(
        TARGETS.replace('target: "≥10次", actual: "5次"', 'target: "稳步提升", actual: "提升"'), "utf-8"
    )
    result = runner.invoke(app, ["run", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"error: {path}:10: [output_targets] targets[0].target: target '甲': target cannot read '稳步提升'"
    )
    assert "Traceback" not in result.output
