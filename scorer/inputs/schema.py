"""The JSON Schema of an inputs file for one rule year: the shipped envelope completed from the rule files.

Every load validates against it, and `score schema` prints it so that editors can check and complete inputs.
"""

from __future__ import annotations

import copy
from typing import Any

from scorer.kinds.specs import Alternatives, Graded
from scorer.rules.model import Indicator, RuleSet
from scorer.sources.schema import load_schema


def inputs_schema(rules: RuleSet) -> dict[str, Any]:
    schema = copy.deepcopy(load_schema("inputs.schema.json"))
    schema["$id"] = f"inputs-{rules.year}.schema.json"
    schema["title"] = f"Inputs for {rules.title} ({rules.year})"
    schema["properties"]["indicators"]["properties"] = {i.id: _indicator(i) for i in rules.indicators}
    return schema


def _indicator(indicator: Indicator) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "deductions": {"type": "array", "items": {"$ref": "#/$defs/deduction"}},
        "override": {"$ref": "#/$defs/override"},
        "improvement": {"type": "string", "description": "改进措施"},
    }
    if indicator.inputs or indicator.scoring in ("deductions", "targets"):
        properties["reason"] = {"type": "string", "description": "未达标原因, in the department's own words"}
    # 自评分: the weight less the points lost, on a row a person judges; refused with the way to change a computed
    # row's score on any other (scorer/inputs/typed.py)
    properties["score"] = {"$ref": "#/$defs/number", "description": "自评分"}
    for spec in indicator.inputs:
        label = spec.label + (f" ({spec.unit})" if spec.unit else "")
        if spec.type == "yes_no":
            properties[spec.name] = {
                "type": ["boolean", "string", "integer"],
                "description": f"{label} (是/否)",
            }
        else:
            properties[spec.name] = {"$ref": "#/$defs/number", "description": label}
    kind = indicator.kinds.spec
    if isinstance(kind, Graded):
        properties["judgement"] = {
            "type": "object",
            "additionalProperties": False,
            "required": ["grade", "score", "reason"],
            "description": "评价: " + "、".join(f"{g.name} {g.interval.text}" for g in kind.grades),
            "properties": {
                "grade": {"enum": [g.name for g in kind.grades]},
                "score": {"$ref": "#/$defs/number"},
                "reason": {"type": "string"},
            },
        }
    if isinstance(kind, Alternatives) and kind.choose == "by_department":
        properties["choice"] = {
            "enum": [o.id for o in kind.options],
            "description": "; ".join(f"{o.id}: {o.name}" for o in kind.options),
        }
    if indicator.scoring == "targets":
        properties["targets"] = {"type": "array", "items": {"$ref": "#/$defs/target"}}
    return {
        "type": ["object", "null"],
        "title": indicator.title,
        "description": f"{indicator.level1} / {indicator.level2} / {indicator.title} ({indicator.weight:f}分)",
        "additionalProperties": False,
        "properties": properties,
    }
