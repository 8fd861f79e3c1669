"""Properties that hold for every valid inputs file and every valid rule set, checked on generated ones."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorer.engine.result import Result
from scorer.engine.score import score
from scorer.inputs.read import parse_inputs
from scorer.render import render
from scorer.rules.model import RuleSet
from scorer.rules.read import load_rules

from .conftest import EXAMPLES, ROOT

RULES = load_rules("2022")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def money(places: int, high: int) -> st.SearchStrategy[str]:
    return st.integers(0, high * 10**places).map(lambda n: str(Decimal(n).scaleb(-places)))


def deductions(weight: Decimal, places: int = 2) -> st.SearchStrategy[list[dict[str, str]]]:
    """Up to three deductions of up to 1.5 × the weight in all, with no more places than the rounding keeps."""
    step = 10**places
    points = st.integers(1, max(1, int(weight * step * Decimal("1.5")))).map(
        lambda n: str(Decimal(n).scaleb(-places))
    )
    reason = st.text(alphabet="扣分原因甲乙丙丁", min_size=1, max_size=8)
    return st.lists(st.fixed_dictionaries({"points": points, "reason": reason}), max_size=3)


TARGET_FORMS = [
    ("≥{n}次", "{m}次"),
    ("{n}%以上", "{m}%"),
    ("≤{n}%", "{m}%"),
    ("不超过{n}天", "{m}天"),
    ("{n}次", "{m}次"),
    ("0起", "{m}起"),
]


@st.composite
def targets(draw: st.DrawFn) -> list[dict[str, str]]:
    items = []
    for index in range(draw(st.integers(0, 4))):
        form, actual = draw(st.sampled_from(TARGET_FORMS))
        n, m = draw(st.integers(1, 200)), draw(st.integers(0, 250))
        items.append({"name": f"指标{index}", "target": form.format(n=n), "actual": actual.format(m=m)})
    return items


@st.composite
def inputs_2022(draw: st.DrawFn) -> str:
    total = draw(st.integers(0, 40))
    entries: dict[str, Any] = {
        "budget_execution": {
            "execution_rate": draw(money(2, 100)) + "%"
        },  # with %: never an ambiguous fraction
        "contract_filing_timeliness": {
            "contracts_total": total,
            "contracts_filed_on_time": draw(st.integers(0, total)),
        },
        "procurement_policy_effect": {
            "sme_suitable_budget": draw(money(4, 1000)),
            "sme_awarded_amount": draw(money(4, 1200)),
        },
    }
    for indicator in RULES.indicators:
        entry = entries.setdefault(indicator.id, {})
        choice = draw(st.sampled_from(["none", "deductions", "override"]))
        if choice == "deductions":
            entry["deductions"] = draw(deductions(indicator.weight))
        elif choice == "override":
            entry["override"] = {
                "score": str(Decimal(draw(st.integers(0, int(indicator.weight * 100)))).scaleb(-2)),
                "reason": "评价人调整。",
            }
        if indicator.scoring == "targets" and choice != "override":
            entry["targets"] = draw(targets())
    return yaml.safe_dump(
        {"department": "生成的部门", "year": 2022, "indicators": entries}, allow_unicode=True
    )


def assert_invariants(rules: RuleSet, result: Result) -> None:
    for row in result.indicators:
        assert 0 <= row.score <= row.weight, row
        if row.lost > 0:
            assert row.reasons, f"{row.id} lost {row.lost} without a reason"
    assert result.total == sum(row.score for row in result.indicators)
    assert result.total == sum(level.score for level in result.levels)
    for level in result.levels:
        assert level.score == sum(child.score for child in level.children)
        for child in level.children:
            members = [r.score for r in result.indicators if (r.level1, r.level2) == (level.name, child.name)]
            assert child.score == sum(members)
    band = next(
        g for g in rules.grades if g.min <= result.total and (result.total < g.max or g.max == rules.total)
    )
    assert result.grade == band.name


@SETTINGS
@given(inputs_2022())
def test_every_valid_2022_inputs_file_keeps_the_invariants(text: str) -> None:
    result = score(RULES, parse_inputs(text, RULES))
    assert_invariants(RULES, result)
    assert render(result, "json") == render(score(RULES, parse_inputs(text, RULES)), "json")


FORMULAS = [
    "weight * a / b if b else weight",
    "min(weight, a)",
    "weight - a",
    "a * 2",
    "clamp(a - b, 0, weight)",
    "weight * min(a, 100) / 100",
    "max(a, b) / 3",
]


@st.composite
def rule_set(draw: st.DrawFn) -> dict[str, Any]:
    """A valid rules folder as data: levels, indicators with formulas or deductions, grade bands."""
    half = st.integers(1, 20).map(lambda n: Decimal(n) / 2)
    levels, indicators = [], []
    for i in range(draw(st.integers(1, 2))):
        children = []
        for j in range(draw(st.integers(1, 3))):
            weights = draw(st.lists(half, min_size=1, max_size=3))
            for k, weight in enumerate(weights):
                ident = f"ind_{i}_{j}_{k}"
                kind = draw(st.sampled_from(["formula", "deductions"]))
                spec: dict[str, Any] = {
                    "id": ident, "name": ident, "level1": f"L{i}", "level2": f"L{i}_{j}", "weight": float(weight),
                    "explanation": "", "scoring": kind, "provenance": {"source": ["generated"]},
                    "rounding": {"places": draw(st.integers(0 if weight == int(weight) else 1, 3)), "mode": draw(st.sampled_from(["half_up", "down", "half_even", "up", "floor"]))},
                }  # fmt: skip
                if kind == "formula":
                    spec["inputs"] = {
                        "a": {"type": "number", "min": 0, "label": "甲"},
                        "b": {"type": "number", "min": 0, "label": "乙"},
                    }
                    spec["formula"] = draw(st.sampled_from(FORMULAS))
                    spec["reason"] = "甲{a}乙{b}得{score}分"
                indicators.append(spec)
            children.append({"name": f"L{i}_{j}", "weight": float(sum(weights))})
        levels.append({"name": f"L{i}", "weight": sum(c["weight"] for c in children), "children": children})
    # Weights are halves, so floats carry them exactly into the YAML text.
    total = Decimal(str(sum(level["weight"] for level in levels)))
    cuts = sorted(set(draw(st.lists(st.integers(1, int(total * 2) - 1), max_size=3)))) if total > 1 else []
    edges = [Decimal(0), *[Decimal(c) / 2 for c in cuts], total]
    grades = [
        {"name": f"G{n}", "min": float(lo), "max": float(hi)}
        for n, (lo, hi) in enumerate(zip(edges, edges[1:], strict=False))
    ]
    rubric = {
        "year": 2022, "title": "生成的规则", "total": float(total), "rounding": {"places": 2, "mode": "half_up"},
        "levels": levels, "grades": grades, "indicators": [s["id"] for s in indicators],
        "provenance": {"source": ["generated"]},
    }  # fmt: skip
    return {"rubric": rubric, "indicators": indicators}


def write_rules(folder: Path, data: dict[str, Any]) -> None:
    def dump(value: Any) -> str:
        return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)

    (folder / "indicators").mkdir(parents=True)
    (folder / "rubric.yaml").write_text(dump(data["rubric"]), encoding="utf-8")
    for spec in data["indicators"]:
        (folder / "indicators" / f"{spec['id']}.yaml").write_text(dump(spec), encoding="utf-8")


@st.composite
def rules_and_inputs(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    data = draw(rule_set())
    entries: dict[str, Any] = {}
    for spec in data["indicators"]:
        entry: dict[str, Any] = {}
        if spec["scoring"] == "formula":
            entry = {"a": draw(money(2, 300)), "b": draw(money(2, 300))}
        entry["deductions"] = draw(deductions(Decimal(str(spec["weight"])), spec["rounding"]["places"]))
        entries[spec["id"]] = entry
    text = yaml.safe_dump(
        {"department": "生成的部门", "year": 2022, "indicators": entries}, allow_unicode=True
    )
    return data, text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules_and_inputs())
def test_every_valid_rule_set_keeps_the_invariants(case: tuple[dict[str, Any], str]) -> None:
    data, text = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "rules"
        write_rules(folder, data)
        rules = load_rules(folder)
        result = score(rules, parse_inputs(text, rules))
    assert_invariants(rules, result)


def test_output_is_byte_identical_across_processes_and_hash_seeds() -> None:
    outputs = set()
    for seed in ("0", "1", "4242"):
        for fmt in ("json", "table", "markdown"):
            env = {**os.environ, "PYTHONHASHSEED": seed}
            proc = subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "cli.py"),
                    "run",
                    str(EXAMPLES / "2022-suigang-targets.yaml"),
                    "-f",
                    fmt,
                ],
                capture_output=True,
                env=env,
                check=True,
            )
            outputs.add((fmt, proc.stdout))
    assert len(outputs) == 3  # one output per format, whatever the seed
