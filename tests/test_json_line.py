"""A JSON Lines line written straight from the scores (`render/json_line.py`) is, byte for byte, the contract's
dict written by orjson (`json_result.line_by_dict`): random departments of both shipped rubrics, in both
languages, with text that must be escaped, written twice (the second time from the rows' kept text)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorer.engine.score import score
from scorer.errors import UserError
from scorer.inputs.read import read_inputs
from scorer.render.json_result import as_dict, as_line, line_by_dict
from scorer.sources.jsonl import parse_line
from tests.test_compiled_engine import PROPERTY, RULES, SHIPPED, departments

HOSTILE = st.sampled_from(
    ["测试部门", '局\u202e<b>"x"\\\x85\u2028', "A\x7f\x1b[31mB\ufeff", "\u061c—“引号”\t"]
)


@pytest.mark.parametrize("name", SHIPPED)
@PROPERTY
@given(data=st.data())
def test_a_line_written_from_the_scores_is_the_contract_dict_written_by_orjson(
    name: str, data: st.DataObject
) -> None:
    rules = RULES[name]
    document: dict[str, Any] = data.draw(departments(rules))
    document["department"] = data.draw(HOSTILE)
    try:
        department = read_inputs(parse_line(json.dumps(document, ensure_ascii=False), "in.jsonl", 1), rules)
    except UserError:
        return  # a department the reader refuses is never scored
    result = score(rules, department)
    for lang in ("zh", "en", "zh", "en"):
        line = as_line(result, lang)
        assert line == line_by_dict(result, lang)
        assert json.loads(line, parse_float=Decimal) == json.loads(
            json.dumps(as_dict(result, lang), ensure_ascii=False), parse_float=Decimal
        )
