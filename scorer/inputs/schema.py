"""The JSON Schema of an inputs file for one rule year: the shipped envelope completed from the rule files.

Every load validates against it, and `score schema` prints it so that editors can check and complete inputs.
"""

from __future__ import annotations

import copy
from typing import Any

from scorer.kinds.base import InputSpec
from scorer.kinds.registry import kind
from scorer.rules.model import Indicator, RuleSet
from scorer.sources.schema import load_schema


def inputs_schema(rules: RuleSet) -> dict[str, Any]:
    schema = copy.deepcopy(load_schema("inputs.schema.json"))
    schema["$id"] = f"inputs-{rules.year}.schema.json"
    schema["title"] = f"Inputs for {rules.title} ({rules.year})"
    schema["properties"]["indicators"]["properties"] = {i.id: _indicator(i) for i in rules.indicators}
    if rules.shared:  # the inputs the rubric declares once for several rows
        schema["properties"]["shared"] = {
            "type": ["object", "null"],
            "description": "共用数据: the inputs several rows' formulas use, given once",
            "additionalProperties": False,
            "properties": {spec.name: _input(spec) for spec in rules.shared},
        }
    return schema


def _input(spec: InputSpec) -> dict[str, Any]:
    label = spec.label + (f" ({spec.unit})" if spec.unit else "")
    if spec.type == "yes_no":
        return {"type": ["boolean", "string", "integer"], "description": f"{label} (是/否)"}
    return {"$ref": "#/$defs/number", "description": label}


def _indicator(indicator: Indicator) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "deductions": {"type": "array", "items": {"$ref": "#/$defs/deduction"}},
        "override": {"$ref": "#/$defs/override"},
        "improvement": {"type": "string", "description": "改进措施"},
    }
    if indicator.inputs or kind(indicator.scoring).judged:
        properties["reason"] = {"type": "string", "description": "未达标原因, in the department's own words"}
    # 自评分: the weight less the points lost, on a row a person judges; refused with the way to change a computed
    # row's score on any other (scorer/inputs/typed.py)
    properties["score"] = {"$ref": "#/$defs/number", "description": "自评分"}
    for spec in indicator.inputs:
        if not spec.shared:  # a shared input is given once, under `shared:` or the budget block
            properties[spec.name] = _input(spec)
    properties.update(kind(indicator.scoring).schema(indicator.spec))
    return {
        "type": ["object", "null"],
        "title": indicator.title,
        "description": f"{indicator.level1} / {indicator.level2} / {indicator.title} ({indicator.weight:f}分)",
        "additionalProperties": False,
        "properties": properties,
    }
