"""The batch's fast paths write exactly what the plain ones do.

- a JSON Lines result (`render/json_result.as_line`, written part by part and keeping the text of shared rows)
  against `json.dumps(as_dict(result))`, the contract's own definition, over varied generated departments in
  both languages, with text that must be escaped;
- a target text read once and kept (`load/target_text`) against the same text read afresh.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from scorer.escape import json_safe
from scorer.load.inputs import read_inputs
from scorer.load.target_text import TargetError, _read_expression, parse_actual, parse_expression
from scorer.load.yamlio import YamlDocument
from scorer.model.problems import LineMap
from scorer.model.rules import RuleSet
from scorer.render.json_result import as_dict, as_line
from scorer.scoring.engine import score

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from departments import departments  # noqa: E402


def _scored(rules: RuleSet, documents: list[dict]) -> list:
    return [score(rules, read_inputs(YamlDocument("<t>", d, LineMap()), rules)) for d in documents]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_result_line_is_json_dumps_of_the_contract_dict(rules_2022: RuleSet, lang: str) -> None:
    documents = list(departments(300, 7))
    documents[3]["department"] = '局\u202e<b>"x"\\\x85\u2028'  # bidi, markup, quotes, C1, separator
    documents[4]["indicators"].setdefault("ex_ante_evaluation", {})["deductions"] = [
        {"points": "1", "reason": "未评估\u202e「 」\n\t\u0007"}
    ]
    results = _scored(rules_2022, documents)
    for _ in range(2):  # the second time, the shared rows' texts are the kept ones
        for result in results:
            expected = json_safe(json.dumps(as_dict(result, lang), ensure_ascii=False))
            assert as_line(result, lang) == expected


def test_a_kept_target_reads_as_a_fresh_one() -> None:
    for value in ["≥50次", "90%以上", "工业90%以上，商贸服务业80%以上", 1, Decimal("95.50"), Decimal("1")]:
        assert parse_expression(value) == _read_expression(value, False)
        assert parse_expression(value) is parse_expression(value)
    for value in ["182次", "工业95%，商贸服务业78%", 3, Decimal("0.5")]:
        assert parse_actual(value) == _read_expression(value, True)
    with pytest.raises(TargetError):  # refused each time, never kept
        parse_actual("≥50次")
    with pytest.raises(TargetError):
        parse_actual("≥50次")
    parse_expression(1)
    with pytest.raises(TargetError):  # True is not the number 1, though they are equal keys
        parse_expression(True)
    assert parse_expression(1).text == "1"
    assert parse_expression(Decimal("1.0")).text == "1"
