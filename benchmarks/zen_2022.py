"""The 2022 rubric as a GoRules JSON Decision Model (JDM), for ZEN Engine, and the context each department gives it.

`python benchmarks/zen_2022.py` writes `benchmarks/rubric-2022.jdm.json` (kept in the repository): one
expression node with a score per row, in the rubric's order, then the total and the grade. The rules are those of
../shared/RUBRIC-2022.md, as in `baseline_2022.py`: formulas, roll-up of targets by mean completion (a strict
bound reached but not passed counts 99%), deductions stopping at zero, overrides, half-up or truncating to 2
places. ZEN computes in 28-digit decimals; the benchmark checks that its totals equal the exact ones.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from baseline_2022 import WEIGHTS, _amount

HERE = Path(__file__).resolve().parent
JDM = HERE / "rubric-2022.jdm.json"
SIGNS = {"≥": "ge", ">": "gt", "≤": "le", "<": "lt", "=": "eq"}
MET = (
    "(#.s == 'ge' ? #.a >= #.g : #.s == 'gt' ? #.a > #.g : #.s == 'le' ? #.a <= #.g"
    " : #.s == 'lt' ? #.a < #.g : #.a == #.g)"
)
CLOSE = "min([abs(#.a), abs(#.g)]) / max([abs(#.a), abs(#.g)])"
COMPLETION = (
    f"({MET} ? 1 : (#.a == #.g ? 0.99 : (#.a * #.g <= 0 ? 0 : (#.st ? min([0.99, {CLOSE}]) : {CLOSE}))))"
)


def _row(row: str) -> str:
    weight = WEIGHTS[row]
    if row == "budget_execution":
        base = f"floor({weight} * min([rate, 100])) / 100"  # weight × rate / 100, truncated to 2 places
    elif row == "contract_filing_timeliness":
        base = f"(ct > 0 ? round({weight} * cf / ct, 2) : {weight})"
    elif row == "procurement_policy_effect":
        base = f"(ss > 0 ? round({weight} * min([sa / ss, 1]), 2) : {weight})"
    elif row in ("output_targets", "outcome_targets"):
        listed = f"(tg.{row} ?? [])"
        base = f"(len({listed}) == 0 ? {weight} : round({weight} * sum(map({listed}, {COMPLETION})) / len({listed}), 2))"
    else:
        base = f"{weight}"
    return f"ov.{row} != null ? ov.{row} : max([0, {base} - sum(ded.{row} ?? [])])"


def decision() -> dict[str, Any]:
    expressions = [(row, _row(row)) for row in WEIGHTS]
    expressions.append(("total", " + ".join(f"$.{row}" for row in WEIGHTS)))
    expressions.append(("grade", "$.total >= 90 ? '优' : $.total >= 80 ? '良' : $.total >= 60 ? '中' : '差'"))
    node = {
        "id": "rubric",
        "type": "expressionNode",
        "name": "rubric-2022",
        "position": {"x": 250, "y": 0},
        "content": {
            "expressions": [
                {"id": f"e{n}", "key": key, "value": value} for n, (key, value) in enumerate(expressions)
            ],
            "passThrough": False,
        },
    }
    return {
        "nodes": [
            {"id": "in", "type": "inputNode", "name": "department", "position": {"x": 0, "y": 0}},
            node,
            {"id": "out", "type": "outputNode", "name": "result", "position": {"x": 500, "y": 0}},
        ],
        "edges": [
            {"id": "a", "sourceId": "in", "targetId": "rubric", "type": "edge"},
            {"id": "b", "sourceId": "rubric", "targetId": "out", "type": "edge"},
        ],
    }


def context(document: dict[str, Any]) -> str:
    """The department as ZEN's JSON context: numbers as exact decimal text, targets as amounts (not timed)."""
    rows = document.get("indicators", {})
    formula = {**rows.get("budget_execution", {}), **rows.get("contract_filing_timeliness", {})}
    formula.update(rows.get("procurement_policy_effect", {}))
    data = {
        "rate": _decimal(formula.get("execution_rate", 0)),
        "ct": _decimal(formula.get("contracts_total", 0)),
        "cf": _decimal(formula.get("contracts_filed_on_time", 0)),
        "ss": _decimal(formula.get("sme_suitable_budget", 0)),
        "sa": _decimal(formula.get("sme_awarded_amount", 0)),
        "ov": {row: _decimal(e["override"]["score"]) for row, e in rows.items() if "override" in e},
        "ded": {
            row: [_decimal(d["points"]) for d in e["deductions"]]
            for row, e in rows.items()
            if "deductions" in e
        },
        "tg": {row: [_target(t) for t in e["targets"]] for row, e in rows.items() if "targets" in e},
    }
    return _json(data)


def _target(target: dict[str, str]) -> dict[str, Any]:
    sign, goal = _amount(target["target"])
    _, actual = _amount(target["actual"])
    return {"s": SIGNS[sign], "st": sign in "<>", "g": _decimal(goal), "a": _decimal(actual)}


class _Number(str):
    """A number written as its exact decimal text in the JSON."""


def _decimal(value: Any) -> _Number:
    from decimal import Decimal
    from fractions import Fraction

    if isinstance(value, Fraction):  # an amount read from a target: a finite decimal, written exactly
        assert 10**12 % value.denominator == 0, value
        value = Decimal(value.numerator * (10**12 // value.denominator)).scaleb(-12).normalize()
    return _Number(format(Decimal(str(value)), "f"))


def _json(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_json(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | _Number):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


if __name__ == "__main__":
    JDM.write_text(json.dumps(decision(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {JDM}")
