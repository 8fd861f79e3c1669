"""The fast reader (scorer/inputs/fast.py) returns exactly what the full reader returns, or "not proven".

Random departments of both shipped rubrics, valid and then broken in one place (a value replaced by a hostile one,
a key taken out or added), every golden case and the benchmark's departments are read both ways: whenever the
fast reader returns a department, the full reader returns an equal one; whenever the full reader refuses, the fast
reader says "not proven", and `read_inputs` refuses with the full reader's very problems.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cli import app
from scorer.errors import LineMap, UserError
from scorer.inputs import read as reader
from scorer.inputs.fast import proven
from scorer.inputs.model import Department
from scorer.inputs.read import read_in_full, read_inputs
from scorer.kinds.targets.model import Part
from scorer.kinds.targets.words import MONEY_IN_YUAN
from scorer.maintain.cases import load_case
from scorer.render.problems import line
from scorer.rules.model import RuleSet
from scorer.sources.jsonl import parse_line
from scorer.sources.yaml import YamlDocument, load_yaml_file, parse_yaml

from .test_compiled_engine import GOLDEN, RULES, SHIPPED, departments

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from departments import departments as benchmark_departments  # noqa: E402

PROPERTY = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

# What a clerk, a spreadsheet or an attacker may put where a value stands.
HOSTILE: list[Any] = [
    None, True, False, "", " ", "\u200b", "\u3164", "abc", "1e999", "NaN", "-1", "-0", "0", "0.5", "1", "1.0",
    "100", "101", "9" * 16, "1" * 13, "123456789012.5", "0.00000000001", "95%", "95％", "0.5%", "15份", "15人",
    "500万", "１２", "1,234.5", "2022年", "3个", "1分", "(部门名称)", "（部门名称）", "⑴部门⑵", "≥50次", "50次",
    "不足50次", "≥-5次", "-5次", "≥1万元", "是", "否", "maybe", " 7 ", "7\n", 0, 1, -1, 7, 2022, 2021, 10**12,
    -(10**12), 10**13, Decimal("0.5"), Decimal("1E+2"), Decimal("2022.0"), Decimal("1E-11"), Decimal("-0"), [],
    {}, [{}], {"x": 1}, [{"points": "1", "reason": "原因"}], [{"code": "x"}], {"score": "1", "reason": "原因"},
    [{"name": "指标", "target": "≥1次", "actual": "2次"}], [{"name": "指标", "target": "≥1次", "met": True}],
    "123456789012.123", "123456789012.1234", "12345.0000000001", "1.00000000000", "guangzhou-huangpu-bumen/2021",
    "mof-pmkpi-default", "Guangzhou-huangpu-bumen", "guangzhou-huangpu-bumen\n",
    [{"name": "甲", "category": "产出指标", "target": "≥1项", "actual": "1项", "weight": 90},
     {"name": "乙", "category": "产出指标", "target": "≥1项", "actual": "1项", "weight": 0}],
]  # fmt: skip
# What each key added to a mapping holds: a value that may stand there, and one that may not.
ADDED: dict[str, Any] = {
    "deductions": [{"points": "1", "reason": "原因"}], "override": {"score": "1", "reason": "原因"},
    "targets": [{"name": "指标", "target": "≥1次", "actual": "2次"}], "reason": "原因", "score": "1",
    "improvement": "改进", "weight": "1", "met": True, "category": "产出指标", "units": 2, "project": "项目",
    "shared": None, "profile": {"goal": "目标"}, "budget": {"total": "1"}, "judgement": {"grade": "优"},
}  # fmt: skip
KEYS = ["department", "year", "units", "rubric", "budget", "indicators", "shared", "profile", "report", "project",
        "reason", "score", "override", "deductions", "targets", "improvement", "judgement", "choice", "points",
        "code", "name", "target", "actual", "weight", "met", "category", "total", "goal", "budget_execution",
        "execution_rate", "performance_indicators", "bogus"]  # fmt: skip


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a document: each key's and each item's."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, path + (index,))
    return found


@st.composite
def broken(draw: st.DrawFn, rules: RuleSet) -> dict[str, Any]:
    """A random department of `rules`, with one place broken (or left as it is)."""
    document = json.loads(json.dumps(draw(departments(rules)), ensure_ascii=False))
    path = draw(st.sampled_from(_paths(document)))
    holder: Any = document
    for key in path[:-1]:
        holder = holder[key]
    how = draw(st.sampled_from(["replace", "replace", "remove", "add", "none"]))
    if not path or how == "none":
        return document
    if how == "replace":
        holder[path[-1]] = draw(st.sampled_from(HOSTILE))
    elif how == "remove":
        del holder[path[-1]]
    elif isinstance(holder[path[-1]], dict):
        holder[path[-1]][draw(st.sampled_from(KEYS))] = draw(st.sampled_from(HOSTILE))
    return document


def _document(data: Any) -> YamlDocument:
    return YamlDocument("in.jsonl", data, LineMap({(): 1}))


def _problems(error: UserError) -> list[str]:
    return [line(problem, "en") for problem in error.problems]


def both_ways(doc: YamlDocument, rules: RuleSet) -> Department | None:
    """The fast reader's answer, checked against the full reader's and `read_inputs`'s; the department read."""
    fast = proven(doc, rules)
    try:
        full = read_in_full(doc, rules)
    except UserError as refusal:
        assert fast is None, "the fast reader accepted a department the full reader refuses"
        with pytest.raises(UserError) as again:
            read_inputs(doc, rules)
        assert _problems(again.value) == _problems(refusal)
        return None
    assert fast is None or fast == full
    assert read_inputs(doc, rules) == full
    return fast


@pytest.mark.parametrize("name", SHIPPED)
@PROPERTY
@given(data=st.data())
def test_a_random_valid_department_is_proven_and_read_as_the_full_reader_reads_it(
    name: str, data: st.DataObject
) -> None:
    rules = RULES[name]
    document = data.draw(departments(rules))
    doc = parse_line(json.dumps(document, ensure_ascii=False), "in.jsonl", 1)
    try:
        full = read_in_full(doc, rules)
    except UserError:
        assert proven(doc, rules) is None
        return
    assert proven(doc, rules) == full  # proven, not merely "not proven"


@pytest.mark.parametrize("name", SHIPPED)
@PROPERTY
@given(data=st.data())
def test_a_random_broken_department_is_never_proven_where_the_full_reader_refuses_it(
    name: str, data: st.DataObject
) -> None:
    rules = RULES[name]
    document = data.draw(broken(rules))
    both_ways(_document(document), rules)
    yaml_text = json.dumps(document, ensure_ascii=False, default=str)  # JSON is YAML: read by its reader too
    try:
        doc = parse_yaml(yaml_text, "dept.yaml")
    except UserError:
        return
    both_ways(doc, rules)


# A department of each shipped rubric giving every part the fast reader reads itself.
RICH: dict[str, dict[str, Any]] = {
    "guangzhou-huangpu-bumen/2022": {
        "department": "测试部门", "year": 2022, "rubric": "guangzhou-huangpu-bumen", "units": 3,
        "budget": {"total": "11733.38", "basic": 5674, "project": Decimal("6059.38")},
        "profile": {"goal": " 目标 "}, "report": {"results": "成效"}, "project": "项目",
        "indicators": {
            "output_targets": {"targets": [
                {"name": "指标1", "target": "≥1675.57万元", "actual": "2111.22万元"},
                {"name": "指标2", "target": "≥99.16%", "actual": "100%", "category": "数量指标"},
                {"name": "指标3", "target": "<12个工作日", "actual": "5个工作日"},
            ]},
            "outcome_targets": {"targets": [{"name": "指标1", "target": 50, "actual": Decimal("60.5")}],
                                "deductions": [{"points": "0.5", "reason": "年初设置指标值偏低。"}]},
            "budget_execution": {"execution_rate": "92.07", "reason": "平均支出进度为92.07%。"},
            "contract_filing_timeliness": {"contracts_total": 17, "contracts_filed_on_time": "15份"},
            "procurement_policy_effect": {"override": {"score": "0.5", "reason": "未列示。", "improvement": "改"}},
            "carryover_rate": {"carryover_amount": "500万", "budget_total": "11733.38"},
            "pm_system_building": {"deductions": [{"code": "system_not_detailed"}]},
            "financial_compliance": {"deductions": [{"points": "1分", "reason": "问题。", "improvement": "加强。"}],
                                     "improvement": "加强管理。"},
            "budget_disclosure": None, "asset_inventory": {},
        },
    },
    "mof-pmkpi-default/2020": {
        "department": "示例单位", "year": 2020, "rubric": "mof-pmkpi-default/2020",
        "indicators": {
            "budget_execution": {"budget_full_year": 100, "spent": "99.5", "budget_start": "80"},
            "performance_indicators": {"targets": [
                {"name": "投诉数", "category": "产出指标", "target": "≤0件", "actual": "0件", "weight": 10},
                {"name": "满意度", "category": "满意度", "target": "≥90%", "actual": "85%", "weight": "80"},
            ]},
        },
    },
}  # fmt: skip


def _broken_ways(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The document broken in one place each way: every value replaced by each hostile one or taken out, and
    each key of KEYS added to every mapping."""
    found = []
    for path in _paths(document):
        for way, value in [("remove", None), *(("replace", value) for value in HOSTILE)]:
            if not path:
                continue
            copy = _copy(document)
            holder = _at(copy, path[:-1])
            if way == "remove":
                del holder[path[-1]]
            else:
                holder[path[-1]] = _copy(value)
            found.append((f"{way} {path} {value!r}", copy))
        if isinstance(_at(document, path), dict):
            for key in KEYS:
                for value in {"1", repr(ADDED.get(key))}:
                    copy = _copy(document)
                    _at(copy, path)[key] = _copy(ADDED.get(key)) if value != "1" else value
                    found.append((f"add {path} {key} {value}", copy))
    return found


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    return [_copy(item) for item in value] if isinstance(value, list) else value


def _at(document: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        document = document[key]
    return document


@pytest.mark.parametrize("name", SHIPPED)
def test_a_rich_department_is_proven_and_every_break_of_it_is_read_as_the_full_reader_reads_it(
    name: str,
) -> None:
    rules = RULES[name]
    assert both_ways(_document(RICH[name]), rules) is not None
    accepted = 0
    for way, document in _broken_ways(RICH[name]):
        try:
            accepted += both_ways(_document(document), rules) is not None
        except AssertionError as failure:
            raise AssertionError(way) from failure
    # A break the full reader accepts too (a 0 for a 1 where both may stand) is proven as well.
    assert accepted


@pytest.mark.parametrize("path", GOLDEN, ids=[p.name for p in GOLDEN])
def test_every_golden_case_reads_the_same_both_ways(path: Path) -> None:
    case = load_case(path)
    rules = RULES["guangzhou-huangpu-bumen/2022" if path.parent.name.isdigit() else "mof-pmkpi-default/2020"]
    doc = load_yaml_file(case.inputs_file) if case.inputs_file is not None else case.inputs_doc
    assert doc is not None
    both_ways(doc, rules)


def test_every_benchmark_department_is_proven() -> None:
    rules = RULES["guangzhou-huangpu-bumen/2022"]
    for number, document in enumerate(benchmark_departments(300), start=1):
        doc = parse_line(json.dumps(document, ensure_ascii=False), "in.jsonl", number)
        department = both_ways(doc, rules)
        assert department is not None and department == read_in_full(doc, rules)


@settings(max_examples=300, deadline=None)
@given(
    number=st.decimals(
        allow_nan=False, allow_infinity=False, places=None, min_value=-(10**13), max_value=10**13
    )
    | st.fractions(),
    unit=st.sampled_from(["元", "万元", "亿元", "次", "%", ""]),
)
def test_a_parts_ratio_is_its_exact_number_in_the_units_base(number: Decimal | Fraction, unit: str) -> None:
    amount = Fraction(number) * MONEY_IN_YUAN.get(unit, 1)
    assert Part("", "at_least", False, number, unit).ratio == (amount.numerator, amount.denominator)  # type: ignore[arg-type]


def test_a_batch_reads_its_valid_departments_the_fast_way_and_refuses_the_others_with_every_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = list(benchmark_departments(4))
    documents[1]["units"] = True
    documents[2]["indicators"]["budget_execution"]["execution_rate"] = "0.93"
    path, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents), encoding="utf-8")
    checked = []  # the departments the full reader checked against the schema
    schema_check = reader.validate
    monkeypatch.setattr(
        reader, "validate", lambda doc, *rest: checked.append(doc.lines.line(())) or schema_check(doc, *rest)
    )
    result = CliRunner().invoke(app, ["batch", str(path), "--rules", "2022", "-o", str(out), "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert "in.jsonl:2: units: expected a whole number, got 'True'" in result.stderr
    assert "in.jsonl:3: [budget_execution] execution_rate: '0.93' looks like a fraction" in result.stderr
    assert "2 departments refused (2 scored and written)" in result.stderr
    assert checked == [2, 3]  # the valid ones were proven without it
    names = [json.loads(line)["department"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert names == [documents[0]["department"], documents[3]["department"]]
