"""Declared targets: every expression form departments write, its reverse, and the errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from scorer.engine.result import Result
from scorer.errors import UserError
from scorer.kinds.targets.judge import judge
from scorer.kinds.targets.read import TargetError, parse_expression, read_target
from scorer.kinds.targets.words import AT_LEAST, AT_MOST, EXACTLY
from scorer.numbers import Rounding
from scorer.rules.model import RuleSet

from .conftest import EXAMPLES, by_id, zh

CATEGORIES = ["数量指标", "质量指标", "时效指标", "成本指标"]

# (target, direction, number, unit, an actual that meets it, completion, an actual that misses it, completion)
FORMS = [
    ("≥50次", AT_LEAST, "50", "次", "182次", "1", "45次", "0.9"),
    ("≥6场", AT_LEAST, "6", "场", "6场", "1", "3场", "0.5"),
    (">=95%", AT_LEAST, "95", "%", "95%", "1", "76%", "0.8"),
    ("≤5%", AT_MOST, "5", "%", "4%", "1", "10%", "0.5"),
    ("100%", AT_LEAST, "100", "%", "100%", "1", "98%", "0.98"),
    ("0起", EXACTLY, "0", "起", "0起", "1", "2起", "0"),
    ("0%", EXACTLY, "0", "%", "0%", "1", "3%", "0"),
    ("4次", EXACTLY, "4", "次", "4次", "1", "5次", "0.8"),
    ("1项", EXACTLY, "1", "项", "1项", "1", "0项", "0"),
    ("≥10年", AT_LEAST, "10", "年", "12年", "1", "8年", "0.8"),
    ("90%以上", AT_LEAST, "90", "%", "91%", "1", "72%", "0.8"),
    ("80%以下", AT_MOST, "80", "%", "80%", "1", "100%", "0.8"),
    ("不低于95%", AT_LEAST, "95", "%", "99%", "1", "76%", "0.8"),
    ("不超过3天", AT_MOST, "3", "天", "2天", "1", "6天", "0.5"),
    ("≥５０次", AT_LEAST, "50", "次", "５０次", "1", "２５次", "0.5"),
    ("≥95％", AT_LEAST, "95", "%", "95％", "1", "76％", "0.8"),
    ("≥4", AT_LEAST, "4", "", "4次", "1", "2", "0.5"),
    (">95%", AT_LEAST, "95", "%", "96%", "1", "95%", "0.99"),  # a strict bound reached, not passed: missed
    ("<3天", AT_MOST, "3", "天", "2天", "1", "3天", "0.99"),
    ("1,000次以上", AT_LEAST, "1000", "次", "1,200次", "1", "500次", "0.5"),
]


def outcome(target: str, actual: str):  # type: ignore[no-untyped-def]
    return judge(read_target({"name": "指标", "target": target, "actual": actual}, CATEGORIES))


@pytest.mark.parametrize(("text", "direction", "number", "unit", "hit", "c1", "miss", "c2"), FORMS)
def test_expression_forms_and_their_reverse(
    text: str, direction: str, number: str, unit: str, hit: str, c1: str, miss: str, c2: str
) -> None:
    (part,) = parse_expression(text).parts
    assert (part.direction, part.number, part.unit) == (direction, Decimal(number), unit)
    met = outcome(text, hit)
    assert (met.met, met.completion) == (True, Decimal(c1))
    missed = outcome(text, miss)
    assert missed.met is False
    assert missed.completion == Decimal(c2)


def test_several_parts_each_must_hold() -> None:
    target = "工业90%以上，商贸服务业80%以上"
    parts = parse_expression(target).parts
    assert [(p.label, p.number) for p in parts] == [("工业", 90), ("商贸服务业", 80)]
    assert outcome(target, "工业95%，商贸服务业85%").met
    missed = outcome(target, "工业95%，商贸服务业78%")
    assert missed.met is False
    assert missed.completion == (Decimal(1) + Decimal(78) / 80) / 2


def test_parts_may_come_in_any_order_but_must_all_be_there() -> None:
    assert outcome("工业90%以上，商贸服务业80%以上", "商贸服务业85%，工业95%").met
    with pytest.raises(TargetError, match="names 工业, but the target names 工业、商贸服务业|names 工业"):
        outcome("工业90%以上，商贸服务业80%以上", "工业95%")


@pytest.mark.parametrize(
    ("target", "actual", "message"),
    [
        (
            "≥50次",
            "95%",
            "units differ (≥50次 vs 95%): a count (次) cannot be compared with a percentage (%)",
        ),
        (
            "≥95%",
            "182次",
            "units differ (≥95% vs 182次): a percentage (%) cannot be compared with a count (次)",
        ),
        (
            "不超过3天",
            "2小时",
            "units differ (不超过3天 vs 2小时): a duration (天) cannot be compared with a duration (小时)",
        ),
        (
            "≥10年",
            "12次",
            "units differ (≥10年 vs 12次): a duration (年) cannot be compared with a count (次)",
        ),
    ],
)
def test_unit_mismatch_is_an_error_naming_the_target(target: str, actual: str, message: str) -> None:
    with pytest.raises(TargetError) as caught:
        outcome(target, actual)
    assert str(caught.value) == f"target '指标': {message}"


@pytest.mark.parametrize("text", ["优秀", "≥", "约50次左右的样子", "≥50次≤3"])
def test_unreadable_expressions_are_errors(text: str) -> None:
    with pytest.raises(TargetError, match="target '指标': target cannot read"):
        outcome(text, "1次")


def test_an_unreadable_target_judged_by_the_evaluator_is_shown_as_judged() -> None:
    item = {"name": "指标", "target": "保障运行有序", "met": False, "reason": "两次断网。"}
    result = judge(read_target(item, CATEGORIES))
    assert (result.met, result.judged, result.completion) == (False, True, 0)


def test_a_judgement_needs_a_reason() -> None:
    with pytest.raises(TargetError, match="say why in 'reason'"):
        read_target({"name": "指标", "target": "保障运行有序", "met": True}, CATEGORIES)


def test_category_short_forms_and_misspellings() -> None:
    assert (
        read_target({"name": "x", "target": "1次", "actual": "1次", "category": "数量"}, CATEGORIES).category
        == "数量指标"
    )
    with pytest.raises(TargetError, match="unknown category '数最指标' \\(did you mean '数量指标'\\?\\)"):
        read_target({"name": "x", "target": "1次", "actual": "1次", "category": "数最指标"}, CATEGORIES)


def test_the_targets_example_scores_end_to_end_naming_every_unmet_target(rules_2022: RuleSet) -> None:
    from scorer.run import score_file

    result, _ = score_file(EXAMPLES / "2022-suigang-targets.yaml")
    rows = by_id(result)
    output, outcome_row = rows["output_targets"], rows["outcome_targets"]
    unmet = [t for row in (output, outcome_row) for t in row.targets if not t.met]
    assert {t.name for t in unmet} == {
        "促进经济发展负责企业政策宣传覆盖率",
        "更新区域地块台账次数",
        "辖内青少年满意率",
    }
    reasons = " ".join(zh(output.reasons + outcome_row.reasons))
    for target in unmet:
        assert f"“{target.name}”未达标：目标{target.target}，实际{target.actual}" in reasons
    # weight × mean completion, half-up to 2 places, then the evaluator's deduction
    half_up = Rounding(2, "half_up")
    completions = [t.completion for t in output.targets]
    assert output.score == half_up.apply(20 * sum(completions) / len(completions))
    completions = [t.completion for t in outcome_row.targets]
    before_deduction = half_up.apply(20 * sum(completions) / len(completions))
    assert before_deduction == Decimal("19.92")
    assert outcome_row.score == before_deduction - Decimal("0.5")


def test_a_mismatch_in_an_inputs_file_names_file_indicator_and_field(
    score_yaml: Callable[..., Result],
) -> None:
    with pytest.raises(UserError) as caught:
        score_yaml(
            """
            department: 测试
            year: 2022
            indicators:
              budget_execution: {execution_rate: 100}
              contract_filing_timeliness: {contracts_total: 0, contracts_filed_on_time: 0}
              procurement_policy_effect: {sme_suitable_budget: 0, sme_awarded_amount: 0}
              output_targets:
                targets:
                  - {name: 走访次数, target: "≥50次", actual: "95%"}
            """
        )
    assert str(caught.value).startswith(
        "inputs.yaml:9: [output_targets] targets[0].actual: target '走访次数': units differ"
    )


def test_template_prefills_declared_targets_and_round_trips(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "inputs.yaml"
    result = runner.invoke(
        app,
        [
            "template",
            "--rules",
            "2022",
            "--targets",
            str(EXAMPLES / "declared-targets-suigang.tsv"),
            "-o",
            str(out),
            "--lang",
            "zh",  # the comments below are the Chinese ones
        ],
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.count("        actual:") == 22
    assert '"工业90%以上，商贸服务业80%以上"' in text
    assert "category: 满意度指标" in text  # 服务对象满意度指标 in the 申报表
    again = runner.invoke(app, ["template", "--rules", "2022", "-o", str(out)])
    assert again.exit_code == 1 and "already exists" in again.stderr
    # Unfilled, it is refused with a clear message; filled, it scores.
    refused = runner.invoke(app, ["run", str(out)])
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    filled = (
        text.replace("（填写部门名称）", "测试部门")
        .replace('actual:                # 填写实际完成值，如 "182次"', 'actual: "100%"')
        .replace("execution_rate:", "execution_rate: 100 #")
        .replace("contracts_total:", "contracts_total: 1 #")
        .replace("contracts_filed_on_time:", "contracts_filed_on_time: 1 #")
        .replace("sme_suitable_budget:", "sme_suitable_budget: 1 #")
        .replace("sme_awarded_amount:", "sme_awarded_amount: 1 #")
    )
    out.write_text(filled, encoding="utf-8")
    scored = runner.invoke(app, ["run", str(out), "-f", "json"])
    assert scored.exit_code == 1  # "100%" is no count: the units of count targets do not agree
    assert "units differ" in scored.stderr


def test_the_table_lists_every_target_with_its_state() -> None:
    result = CliRunner().invoke(app, ["run", str(EXAMPLES / "2022-suigang-targets.yaml"), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "绩效指标完成情况" in out
    assert out.count("未达标 ") >= 3 and "达标（评价人判定）" in out
    markdown = (
        CliRunner()
        .invoke(app, ["run", str(EXAMPLES / "2022-suigang-targets.yaml"), "-f", "markdown", "--lang", "zh"])
        .stdout
    )
    assert (
        "| 部门整体绩效目标效益指标完成情况 | 辖内青少年满意率 | 满意度指标 | ≥95% | 93% | 未达标 | 97.89% |"
        in markdown
    )
    data = json.loads(
        CliRunner().invoke(app, ["run", str(EXAMPLES / "2022-suigang-targets.yaml"), "-f", "json"]).stdout
    )
    row = next(i for i in data["indicators"] if i["id"] == "outcome_targets")
    assert row["targets"][-1] == {
        "name": "辖内青少年满意率", "target": "≥95%", "actual": "93%", "met": False, "completion": 0.9789,
        "judged": False, "category": "满意度指标", "reason": "",
    }  # fmt: skip


def test_declared_targets_from_yaml_and_csv(tmp_path: Path, fixture_rules: RuleSet) -> None:
    from scorer.template.scaffold import read_declared

    listed = tmp_path / "targets.yaml"
    listed.write_text(
        "- {category: 数量, name: 走访次数, target: ≥50次}\n- {category: 社会效益, name: 覆盖率, target: 100%}\n",
        "utf-8",
    )
    assert [(d.indicator, d.category, d.target) for d in read_declared(listed, fixture_rules)] == [
        ("output_targets", "数量指标", "≥50次"),
        ("outcome_targets", "社会效益指标", "100%"),
    ]
    table = tmp_path / "targets.csv"
    table.write_text("二级指标,三级指标,年度指标值\n质量指标,反馈率,≥90%\n,覆盖率,100%\n", "utf-8")
    assert [(d.category, d.name) for d in read_declared(table, fixture_rules)] == [
        ("质量指标", "反馈率"),
        ("质量指标", "覆盖率"),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "二级指标,三级指标\n数量指标,甲\n",
            "no column '年度指标值 / target' in the header ['二级指标', '三级指标']",
        ),
        ("二级指标,三级指标,年度指标值\n环保指标,甲,1次\n", "targets.csv:2: category '环保指标' is none of"),
    ],
)
def test_declared_targets_errors(tmp_path: Path, content: str, message: str) -> None:
    table = tmp_path / "targets.csv"
    table.write_text(content, "utf-8")
    result = CliRunner().invoke(app, ["template", "--targets", str(table)])
    assert result.exit_code == 1
    assert message in result.stderr
