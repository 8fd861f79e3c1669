"""The 2022 rubric as a GoRules JSON Decision Model (JDM) for ZEN Engine, and the context each department gives it.

`python benchmarks/zen_2022.py` writes `benchmarks/rubric-2022.jdm.json` (kept in the repository), written as a
ZEN user would: an expression node with one expression per row in the rubric's order (its formula, the mean
completion of its targets, or its weight; less its deductions, not below zero; or the evaluator's override),
then the total; then a decision table (first hit) for the grade bands. The rules are those of the rule files, as
in `baseline_2022.py`. ZEN computes in 28-digit decimals: the benchmark checks that every row score, total and
grade equals the engine's.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from baseline_2022 import ROWS, amount

HERE = Path(__file__).resolve().parent
JDM = HERE / "rubric-2022.jdm.json"
SIGNS = {"≥": "ge", ">": "gt", "≤": "le", "<": "lt", "=": "eq"}
MET = (
    "(#.s == 'ge' ? #.a >= #.g : #.s == 'gt' ? #.a > #.g : #.s == 'le' ? #.a <= #.g"
    " : #.s == 'lt' ? #.a < #.g : #.a == #.g)"
)
CLOSE = "min([#.a, #.g]) / max([#.a, #.g])"
# 1 when met; a strict bound reached but not passed 99%, a nearer miss of a strict bound no more than that.
COMPLETION = (
    f"({MET} ? 1 : #.a == #.g ? 0.99 : #.a <= 0 or #.g <= 0 ? 0 : #.st ? min([0.99, {CLOSE}]) : {CLOSE})"
)


def _row(row: str, weight: str) -> str:
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
        base = weight
    return f"ov.{row} != null ? ov.{row} : max([0, {base} - sum(ded.{row} ?? [])])"


def _node(id_: str, kind: str, name: str, x: int, content: dict[str, Any] | None = None) -> dict[str, Any]:
    node = {"id": id_, "type": kind, "name": name, "position": {"x": x, "y": 0}}
    return node | ({"content": content} if content is not None else {})


def _weight(hundredths: int) -> str:
    return format(Decimal(hundredths).scaleb(-2).normalize(), "f")  # 2000 → "20", 50 → "0.5"


def decision() -> dict[str, Any]:
    expressions = [(row, _row(row, _weight(weight))) for row, weight, _ in ROWS]
    expressions.append(("total", " + ".join(f"$.{row}" for row, _, _ in ROWS)))
    scores = {
        "expressions": [
            {"id": f"e{n}", "key": key, "value": value} for n, (key, value) in enumerate(expressions)
        ],
        "passThrough": False,
    }
    bands = [(">= 90", "优"), (">= 80", "良"), (">= 60", "中"), ("", "差")]
    grade = {
        "hitPolicy": "first",
        "passThrough": True,
        "inputs": [{"id": "total", "name": "Total", "field": "total"}],
        "outputs": [{"id": "grade", "name": "Grade", "field": "grade"}],
        "rules": [
            {"_id": f"band{n}", "total": when, "grade": f"'{name}'"} for n, (when, name) in enumerate(bands)
        ],
    }
    return {
        "contentType": "application/vnd.gorules.decision",
        "nodes": [
            _node("in", "inputNode", "department", 0),
            _node("scores", "expressionNode", "row scores", 250, scores),
            _node("grade", "decisionTableNode", "grade band", 500, grade),
            _node("out", "outputNode", "result", 750),
        ],
        "edges": [
            {"id": "a", "sourceId": "in", "targetId": "scores", "type": "edge"},
            {"id": "b", "sourceId": "scores", "targetId": "grade", "type": "edge"},
            {"id": "c", "sourceId": "grade", "targetId": "out", "type": "edge"},
        ],
    }


def context(document: dict[str, Any]) -> bytes:
    """The department as ZEN's JSON context, numbers as their exact decimal text (made before timing)."""
    rows = document.get("indicators", {})
    formula = {**rows["budget_execution"], **rows["contract_filing_timeliness"]}
    formula.update(rows.get("procurement_policy_effect", {}))
    data = {
        "rate": _Number(formula["execution_rate"]),
        "ct": formula["contracts_total"],
        "cf": formula["contracts_filed_on_time"],
        "ss": _Number(formula.get("sme_suitable_budget", 0)),
        "sa": _Number(formula.get("sme_awarded_amount", 0)),
        "ov": {row: _Number(e["override"]["score"]) for row, e in rows.items() if "override" in e},
        "ded": {
            row: [_Number(d["points"]) for d in e["deductions"]]
            for row, e in rows.items()
            if "deductions" in e
        },
        "tg": {row: [_target(t) for t in e["targets"]] for row, e in rows.items() if "targets" in e},
    }
    return _json(data).encode()


def _target(target: dict[str, str]) -> dict[str, Any]:
    sign, goal, goal_places, _ = amount(target["target"])
    _, actual, actual_places, _ = amount(target["actual"])  # the same unit (baseline_2022.target checks)
    return {
        "s": SIGNS[sign],
        "st": sign in "<>",
        "g": _Number(Decimal(goal).scaleb(-goal_places)),
        "a": _Number(Decimal(actual).scaleb(-actual_places)),
    }


class _Number(str):
    """A number written as its exact decimal text in the JSON."""

    def __new__(cls, value: Any) -> _Number:
        return super().__new__(cls, format(Decimal(str(value)), "f"))


def _json(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_json(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | _Number):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def hundredths(value: Any) -> int:
    """A score ZEN returned (an int or a float of at most 2 places) in hundredths; anything else is refused."""
    exact = Decimal(repr(value)).scaleb(2)
    if exact != exact.to_integral_value():
        raise ValueError(f"ZEN returned {value!r}, not a score of 2 places")
    return int(exact)


if __name__ == "__main__":
    JDM.write_text(json.dumps(decision(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {JDM}")
