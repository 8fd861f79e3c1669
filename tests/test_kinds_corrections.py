"""Corrections to the declarative scoring kinds found by trying them as a rubric maintainer would, on the
illustrative rubric (tests/fixtures/rules/illustrative: NOT an official rubric)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import yaml

from scorer.i18n import say
from scorer.load.inputs import parse_inputs
from scorer.load.rules import load_rules
from scorer.scoring.engine import score

ILLUSTRATIVE = Path(__file__).resolve().parent / "fixtures" / "rules" / "illustrative"
GOLDEN = ILLUSTRATIVE / "golden"


def _scored(changes: dict[str, dict[str, object]], case: str = "band-edges-b.yaml"):  # type: ignore[no-untyped-def]
    rules = load_rules(ILLUSTRATIVE)
    data = yaml.safe_load((GOLDEN / case).read_text(encoding="utf-8"))["inputs"]
    data["indicators"].update(changes)
    result = score(rules, parse_inputs(yaml.safe_dump(data, allow_unicode=True), rules))
    return {row.id: row for row in result.indicators}


# -- 1. a deduction's reason never states more than was deducted ------------------------------------------------


def test_per_occurrence_reasons_say_what_was_actually_deducted_and_that_it_was_capped() -> None:
    # weight 3: 4 problems × 0.5 = 2 (all of it taken), then 5 criticisms × 1 = 5 of which only 1 is left
    row = _scored({"audit_findings": {"audit_problems": 4, "criticisms": 5}})["audit_findings"]
    assert row.score == 0
    assert [say(r, "zh") for r in row.reasons] == [
        "审计、财政监督检查发现问题4个，每个扣0.5分，扣2分。",
        "被通报批评5次，扣1分。",
        "按标准计应扣 7 分，超过本项分值 3 分，扣完为止，实扣 3 分。",
    ]
    assert say(row.reasons[1], "en") == "Publicly criticised 5 times: 1 deducted."


def test_per_occurrence_deductions_within_the_weight_say_no_cap() -> None:
    row = _scored({"audit_findings": {"audit_problems": 2, "criticisms": 2}})["audit_findings"]
    assert row.score == 0  # 1 + 2 = 3, exactly the weight: nothing was cut off
    assert [say(r, "zh") for r in row.reasons] == [
        "审计、财政监督检查发现问题2个，每个扣0.5分，扣1分。",
        "被通报批评2次，扣2分。",
    ]


def test_a_steps_reason_never_deducts_more_than_the_weight() -> None:
    # weight 4; 148 above 100 → 48 whole steps × 0.5 = 24 by the rule, 4 deducted
    row = _scored({"public_expense_steps": {"control_rate": 148}})["public_expense_steps"]
    assert row.score == 0
    texts = [say(r, "zh") for r in row.reasons]
    assert texts == [
        "公用经费控制率为148%，超出48个百分点，每超1个百分点扣0.5分，扣4分。",
        "按标准计应扣 24 分，超过本项分值 4 分，扣完为止，实扣 4 分。",
    ]
    assert all(Decimal(n) <= 4 for text in texts[:1] for n in [text.split("扣")[-1].rstrip("分。")])
